package dev.switchboard.chat.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.switchboard.chat.application.ChatErrorCode;
import dev.switchboard.chat.application.ChatException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.MessageBodyReader;
import jakarta.ws.rs.ext.MessageBodyWriter;
import jakarta.ws.rs.ext.Provider;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;

/**
 * Reads and writes the API's records ({@link ApiBody}) with the bundled Jackson, so the JSON is exactly what the
 * records say (snake_case names, declaration order, nulls kept) whatever JSON-B the server ships. Malformed or
 * mistyped bodies become INVALID_PAYLOAD without echoing the input.
 */
@Provider
@Consumes(MediaType.APPLICATION_JSON)
@Produces({MediaType.APPLICATION_JSON, Problems.MEDIA_TYPE})
public class JsonBodies implements MessageBodyReader<ApiBody>, MessageBodyWriter<ApiBody> {
    static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .configure(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, true);

    @Override
    public boolean isReadable(Class<?> type, Type generic, Annotation[] annotations, MediaType mediaType) {
        return ApiBody.class.isAssignableFrom(type);
    }

    @Override
    public ApiBody readFrom(Class<ApiBody> type, Type generic, Annotation[] annotations, MediaType mediaType,
                            MultivaluedMap<String, String> headers, InputStream body) throws IOException {
        return read(type, body);
    }

    static <T> T read(Class<T> type, InputStream body) throws IOException {
        T value;
        try {
            value = MAPPER.readValue(body, type);
        } catch (MismatchedInputException e) {
            throw new ChatException(ChatErrorCode.INVALID_PAYLOAD, describe(e));
        } catch (JsonProcessingException e) {
            throw new ChatException(ChatErrorCode.INVALID_PAYLOAD, "request body is not valid JSON");
        }
        if (value == null) {
            throw new ChatException(ChatErrorCode.INVALID_PAYLOAD, "request body must be a JSON object");
        }
        return value;
    }

    private static String describe(MismatchedInputException e) {
        String field = e.getPath().isEmpty() ? null : e.getPath().getLast().getFieldName();
        return field == null ? "request body must be a JSON object" : "field '" + field + "' has the wrong type";
    }

    @Override
    public boolean isWriteable(Class<?> type, Type generic, Annotation[] annotations, MediaType mediaType) {
        return ApiBody.class.isAssignableFrom(type);
    }

    @Override
    public void writeTo(ApiBody value, Class<?> type, Type generic, Annotation[] annotations, MediaType mediaType,
                        MultivaluedMap<String, Object> headers, OutputStream out) throws IOException {
        MAPPER.writeValue(new NonClosing(out), value);
    }

    /** Jackson closes the stream it writes to by default; the container owns this one. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
