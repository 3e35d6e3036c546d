package dev.switchboard.engineio;

import dev.switchboard.engineio.parser.EnginePacket;
import dev.switchboard.engineio.transport.HttpReply;
import dev.switchboard.engineio.transport.HttpRequestInfo;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;

/** Builds the engine's HTTP replies: error bodies, CORS headers and compression of large polling payloads. */
final class HttpReplies {
    private final OriginPolicy origins;
    private final int compressionThreshold;
    private final PayloadBodies bodies = new PayloadBodies();

    HttpReplies(OriginPolicy origins, int compressionThreshold) {
        this.origins = origins;
        this.compressionThreshold = compressionThreshold;
    }

    HttpReply error(HttpRequestInfo request, EngineError error) {
        return HttpReply.json(error.httpStatus(), error.json()).withHeaders(cors(request));
    }

    HttpReply ok(HttpRequestInfo request) {
        return HttpReply.text(200, "ok").withHeaders(cors(request));
    }

    /** A polling payload, compressed when large and the client accepts it. */
    HttpReply payload(HttpRequestInfo request, String payload, Map<String, String> extraHeaders) {
        return payload(request, payload.getBytes(StandardCharsets.UTF_8), extraHeaders);
    }

    /** The packets of a polling answer. */
    HttpReply payload(HttpRequestInfo request, List<EnginePacket> packets) {
        return payload(request, bodies.of(packets), Map.of());
    }

    private HttpReply payload(HttpRequestInfo request, byte[] body, Map<String, String> extraHeaders) {
        Map<String, String> cors = cors(request);
        if (cors.isEmpty() && extraHeaders.isEmpty() && body.length < compressionThreshold) {
            return new HttpReply(200, "text/plain; charset=UTF-8", body, Map.of());
        }
        Map<String, String> headers = new HashMap<>(cors);
        headers.putAll(extraHeaders);
        String encoding = body.length >= compressionThreshold ? chooseEncoding(request.header("accept-encoding")) : null;
        if (encoding != null) {
            body = compress(body, encoding);
            headers.put("Content-Encoding", encoding);
            headers.merge("Vary", "Accept-Encoding", (old, add) -> old + ", " + add);
        }
        return new HttpReply(200, "text/plain; charset=UTF-8", body, headers);
    }

    HttpReply preflight(HttpRequestInfo request) {
        Map<String, String> headers = new HashMap<>(cors(request));
        if (!headers.isEmpty()) {
            headers.put("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
            String asked = request.header("access-control-request-headers");
            if (asked != null) {
                headers.put("Access-Control-Allow-Headers", asked);
            }
            headers.put("Access-Control-Max-Age", "86400");
        }
        return new HttpReply(204, null, null, headers);
    }

    private Map<String, String> cors(HttpRequestInfo request) {
        String allow = origins.allowOriginHeader(request.header("origin"));
        if (allow == null) {
            return Map.of();
        }
        return Map.of("Access-Control-Allow-Origin", allow, "Access-Control-Allow-Credentials", "true",
                "Vary", "Origin");
    }

    private static String chooseEncoding(String acceptEncoding) {
        if (acceptEncoding == null) {
            return null;
        }
        String accepted = acceptEncoding.toLowerCase(java.util.Locale.ROOT);
        if (accepted.contains("gzip")) {
            return "gzip";
        }
        return accepted.contains("deflate") ? "deflate" : null;
    }

    private static byte[] compress(byte[] body, String encoding) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length / 2 + 64);
        try (OutputStream z = "gzip".equals(encoding) ? new GZIPOutputStream(out) : new DeflaterOutputStream(out)) {
            z.write(body);
        } catch (IOException e) {
            throw new IllegalStateException("in-memory compression failed", e);
        }
        return out.toByteArray();
    }
}
