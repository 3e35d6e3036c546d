package dev.switchboard.adapter.cluster;

/**
 * The channel names of one namespace, as the reference adapter names them: broadcasts on {@code prefix#nsp#} (or
 * {@code prefix#nsp#room#} when they target exactly one room), requests on {@code prefix-request#nsp#}, responses on
 * {@code prefix-response#nsp#} and the node-specific {@code prefix-response#nsp#uid#}.
 */
public record ClusterChannels(String broadcast, String request, String response, String ownResponse) {

    public static ClusterChannels of(String prefix, String namespace, String uid) {
        String response = prefix + "-response#" + namespace + "#";
        return new ClusterChannels(prefix + "#" + namespace + "#", prefix + "-request#" + namespace + "#", response,
                response + uid + "#");
    }

    /** The channel for a broadcast to these rooms. */
    public String broadcastTo(java.util.Set<String> rooms) {
        return rooms.size() == 1 ? broadcast + rooms.iterator().next() + "#" : broadcast;
    }

    /** Where the answers to a request of node {@code uid} go (it always listens there). */
    public String responseTo(String uid) {
        return uid == null ? response : response + uid + "#";
    }
}
