package dev.switchboard.socketio.parser;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Packet rules shared by the record constructor (which throws IllegalArgumentException) and the decoder
 * (which throws SioParseException), so both sides agree on what a valid packet is.
 */
final class Wire {

    /** A broken rule: which error the decoder reports, and why. */
    record Violation(SioParseError error, String detail) {
    }

    private Wire() {
    }

    /** Returns null when the namespace can be written and read back unchanged, else the reason. */
    static String namespaceProblem(String nsp) {
        if (nsp == null) {
            return "namespace is null";
        }
        // the decoder only recognises a namespace by its leading '/', and ends it at the first ','
        if (nsp.isEmpty() || nsp.charAt(0) != '/') {
            return "namespace must start with '/': " + nsp;
        }
        for (int i = 0; i < nsp.length(); i++) {
            char c = nsp.charAt(i);
            if (c == ',') {
                return "namespace must not contain ','";
            }
            // no real client sends these; they would only end up in routing keys and logs
            if (c < 0x20 || c == 0x7f) {
                return "namespace contains a control character";
            }
        }
        return null;
    }

    /** Payload shape and ack id rules per type (BINARY_* follow their plain twin); null when valid. */
    static Violation dataProblem(SioPacketType type, JsonNode data, long ackId) {
        boolean hasAck = ackId >= 0;
        switch (type) {
            case CONNECT -> {
                if (data != null && !data.isObject()) {
                    return new Violation(SioParseError.BAD_PAYLOAD, "CONNECT payload must be an object");
                }
                return hasAck ? noAckAllowed(type) : null;
            }
            case DISCONNECT -> {
                if (data != null) {
                    return new Violation(SioParseError.BAD_PAYLOAD, "DISCONNECT carries no payload");
                }
                return hasAck ? noAckAllowed(type) : null;
            }
            case CONNECT_ERROR -> {
                if (data == null || !(data.isObject() || data.isTextual())) {
                    return new Violation(SioParseError.BAD_PAYLOAD, "CONNECT_ERROR payload must be an object or a string");
                }
                return hasAck ? noAckAllowed(type) : null;
            }
            case EVENT, BINARY_EVENT -> {
                if (data == null || !data.isArray() || data.isEmpty()) {
                    return new Violation(SioParseError.BAD_PAYLOAD, "event payload must be a non-empty array");
                }
                if (!data.get(0).isTextual()) {
                    return new Violation(SioParseError.BAD_EVENT_NAME, "event name must be a string");
                }
                return null;
            }
            case ACK, BINARY_ACK -> {
                if (data == null || !data.isArray()) {
                    return new Violation(SioParseError.BAD_PAYLOAD, "ack payload must be an array");
                }
                return hasAck ? null : new Violation(SioParseError.BAD_ACK_ID, "ack without an id");
            }
            default -> throw new AssertionError(type);
        }
    }

    private static Violation noAckAllowed(SioPacketType type) {
        return new Violation(SioParseError.BAD_ACK_ID, type + " takes no ack id");
    }
}
