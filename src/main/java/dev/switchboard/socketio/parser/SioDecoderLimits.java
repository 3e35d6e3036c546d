package dev.switchboard.socketio.parser;

/**
 * Bounds on what one peer can make the decoder hold.
 *
 * @param maxAttachments most binary attachments a single packet may declare
 * @param maxBytes       most attachment bytes a single packet may carry in total
 */
public record SioDecoderLimits(int maxAttachments, long maxBytes) {

    public SioDecoderLimits {
        if (maxAttachments < 0) {
            throw new IllegalArgumentException("maxAttachments must be >= 0: " + maxAttachments);
        }
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes must be >= 0: " + maxBytes);
        }
    }

    /** The reference server's defaults: 10 attachments (socket.io-parser), 1 MB (maxHttpBufferSize). */
    public static SioDecoderLimits defaults() {
        return new SioDecoderLimits(10, 1_000_000L);
    }
}
