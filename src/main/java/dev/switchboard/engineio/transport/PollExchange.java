package dev.switchboard.engineio.transport;

import java.io.IOException;

/**
 * Port for one polling HTTP request. The engine may answer it at once or hold it (a GET waiting for data) and
 * answer later from another thread; it answers exactly once.
 */
public interface PollExchange {
    HttpRequestInfo request();

    /** Reads the whole body; more than maxBytes fails with {@link PayloadTooLargeException} without buffering it. */
    byte[] readBody(int maxBytes) throws IOException, PayloadTooLargeException;

    void reply(HttpReply reply);

    /** Called by the container if the client goes away or the request fails while it is held. */
    void onAbort(Runnable callback);

    final class PayloadTooLargeException extends Exception {
        public PayloadTooLargeException() {
            super("payload too large", null, false, false);
        }
    }
}
