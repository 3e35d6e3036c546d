package dev.switchboard.container;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Which address a request comes from, for the handshake rate limit and {@code socket.handshake.address}: the TCP
 * peer, unless the peer is one of the configured trusted proxies (switchboard.trusted-proxies); then the nearest
 * {@code X-Forwarded-For} entry that is not a trusted proxy. The header alone is never believed: any client can send
 * one, and keying the limit on it would let a client pick a fresh address for every handshake.
 */
public record ClientAddresses(Set<String> trustedProxies) {
    public static final ClientAddresses PEER_ONLY = new ClientAddresses(Set.of());

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    public ClientAddresses {
        trustedProxies = Set.copyOf(trustedProxies);
    }

    /**
     * From the setting's comma list of IP address literals (host names are refused: resolving them would make every
     * request wait on DNS and trust whatever it answers).
     */
    static ClientAddresses parse(String key, List<String> literals) {
        return new ClientAddresses(literals.stream().map(l -> {
            String canonical = canonical(l);
            if (canonical == null) {
                throw new IllegalArgumentException(key + ": expected IP addresses separated by commas, got '" + l + "'");
            }
            return canonical;
        }).collect(Collectors.toSet()));
    }

    /**
     * @param peer the TCP peer's address as the container reports it ("" or null when it does not)
     * @param forwardedFor the values of the X-Forwarded-For headers in order (each may list several addresses)
     */
    public String clientOf(String peer, List<String> forwardedFor) {
        if (trustedProxies.isEmpty()) {
            return peer == null ? "" : peer; // no proxy to believe: the peer is the client (every poll asks)
        }
        String canonicalPeer = peer == null ? null : canonical(peer);
        if (canonicalPeer == null || !trustedProxies.contains(canonicalPeer)) {
            return peer == null ? "" : peer;
        }
        String nearest = canonicalPeer;
        List<String> hops = forwardedFor == null ? List.of()
                : forwardedFor.stream().flatMap(v -> java.util.Arrays.stream(v.split(","))).map(String::trim).toList();
        // right to left: the last entry was added by the proxy nearest to us; the first untrusted one is the client
        for (int i = hops.size() - 1; i >= 0; i--) {
            String hop = canonical(hops.get(i));
            if (hop == null) {
                return nearest; // garbage in the chain: stop at the last address a trusted proxy vouched for
            }
            nearest = hop;
            if (!trustedProxies.contains(hop)) {
                return hop;
            }
        }
        return nearest;
    }

    /** The literal's canonical text (IPv6 in full form), or null when it is no IP address literal. */
    static String canonical(String literal) {
        String s = literal.trim();
        if (s.startsWith("[") && s.endsWith("]")) {
            s = s.substring(1, s.length() - 1);
        }
        boolean v4 = IPV4.matcher(s).matches();
        if (v4) {
            for (String octet : s.split("\\.")) {
                if (Integer.parseInt(octet) > 255) {
                    return null; // InetAddress would take 999.1.1.1 for a host name and look it up
                }
            }
        } else if (!IPV6.matcher(s).matches()) {
            return null;
        }
        try {
            return InetAddress.getByName(s).getHostAddress(); // a checked literal: parsed, never looked up
        } catch (UnknownHostException | SecurityException e) {
            return null;
        }
    }
}
