package dev.switchboard.chat.api;

import dev.switchboard.chat.application.ChatErrorCode;
import dev.switchboard.chat.infrastructure.ChatSettings;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.ext.Provider;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Refuses request bodies over switchboard.chat.max-request-bytes with 413, by Content-Length when given, else by
 * reading at most one byte past the limit (chunked bodies are never held in full beyond the limit).
 */
@Provider
public class BodyLimitFilter implements ContainerRequestFilter {
    @Inject
    ChatSettings settings;

    @Override
    public void filter(ContainerRequestContext request) throws IOException {
        if (!request.hasEntity()) {
            return;
        }
        int max = settings.maxRequestBytes();
        int declared = request.getLength();
        if (declared > max) {
            request.abortWith(tooLarge(max));
            return;
        }
        if (declared < 0) {
            InputStream in = request.getEntityStream();
            byte[] head = in.readNBytes(max + 1);
            if (head.length > max) {
                request.abortWith(tooLarge(max));
                return;
            }
            request.setEntityStream(new ByteArrayInputStream(head));
        }
    }

    private static jakarta.ws.rs.core.Response tooLarge(int max) {
        return Problems.response(ChatErrorCode.PAYLOAD_TOO_LARGE, "request body larger than " + max + " bytes");
    }
}
