package dev.switchboard.chat.api;

import dev.switchboard.chat.application.ChatErrorCode;
import dev.switchboard.chat.application.ChatException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProblemsTest {
    @Test
    void everyChatCodeBecomesAProblemWithItsStatus() {
        for (ChatErrorCode code : ChatErrorCode.values()) {
            Problem p = Problems.of(code, "why");
            assertThat(p.status()).isEqualTo(code.httpStatus());
            assertThat(p.code()).isEqualTo(code.name());
            assertThat(p.type()).startsWith("urn:switchboard:problem:").doesNotContain("_");
            assertThat(p.title()).isNotBlank();
        }
        assertThat(Problems.of(ChatErrorCode.ROOM_NOT_FOUND, null).title()).isEqualTo("Room not found");
    }

    @Test
    void bareStatusesGetTheChatCodeOrTheirReason() {
        assertThat(Problems.codeFor(400)).isEqualTo("INVALID_PAYLOAD");
        assertThat(Problems.codeFor(401)).isEqualTo("UNAUTHORIZED");
        assertThat(Problems.codeFor(403)).isEqualTo("FORBIDDEN");
        assertThat(Problems.codeFor(413)).isEqualTo("PAYLOAD_TOO_LARGE");
        assertThat(Problems.codeFor(404)).isEqualTo("NOT_FOUND");
        assertThat(Problems.codeFor(405)).isEqualTo("METHOD_NOT_ALLOWED");
        assertThat(Problems.codeFor(500)).isEqualTo("INTERNAL_SERVER_ERROR");
        assertThat(Problems.codeFor(599)).isEqualTo("HTTP_599");
    }

    @Test
    void problemsSerializeInOrderWithoutNulls() throws Exception {
        String json = JsonBodies.MAPPER.writeValueAsString(Problems.of(404, "NOT_FOUND", null));
        assertThat(json).isEqualTo("{\"type\":\"urn:switchboard:problem:not-found\",\"title\":\"Not found\","
                + "\"status\":404,\"code\":\"NOT_FOUND\"}");
    }

    @Test
    void messagesUseTheProtocolsFieldNames() throws Exception {
        String json = JsonBodies.MAPPER.writeValueAsString(new Dtos.MessageJson(7, "lobby", "alice", "hi", 1L, null));
        assertThat(json).isEqualTo("{\"id\":7,\"room\":\"lobby\",\"user_id\":\"alice\",\"text\":\"hi\","
                + "\"timestamp\":1,\"message_id\":null}");
    }

    @Test
    void malformedOrMistypedBodiesAreInvalidPayloadWithoutEcho() {
        for (String body : new String[] {"{\"text\":", "[1,2]", "null", "", "{\"text\":{\"secret\":1}}", "{} {}"}) {
            assertThatThrownBy(() -> JsonBodies.read(Dtos.PostMessageRequest.class,
                    new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8))))
                    .as(body).isInstanceOf(ChatException.class)
                    .hasMessageNotContaining("secret")
                    .extracting(e -> ((ChatException) e).code()).isEqualTo(ChatErrorCode.INVALID_PAYLOAD);
        }
    }

    @Test
    void snakeCaseRequestFieldsAreRead() throws Exception {
        var request = JsonBodies.read(Dtos.PostMessageRequest.class, new ByteArrayInputStream(
                "{\"text\":\"hi\",\"message_id\":\"m1\",\"extra\":true}".getBytes(StandardCharsets.UTF_8)));
        assertThat(request).isEqualTo(new Dtos.PostMessageRequest("hi", "m1"));
    }
}
