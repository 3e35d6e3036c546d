package dev.switchboard.chat.infrastructure.realtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.chat.application.ChatErrorCode;
import dev.switchboard.chat.application.ChatException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChatRequestsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void acceptsAMessageWithAndWithoutItsId() {
        assertThat(ChatRequests.post(args("{\"room\":\"general\",\"text\":\"hi\"}"), 10))
                .isEqualTo(new ChatRequests.Post("general", "hi", null));
        assertThat(ChatRequests.post(args("{\"room\":\"general\",\"text\":\"hi\",\"message_id\":\"m-1\"}"), 10))
                .isEqualTo(new ChatRequests.Post("general", "hi", "m-1"));
        assertThat(ChatRequests.post(args("{\"room\":\"general\",\"text\":\"hi\",\"message_id\":null}"), 10).messageId())
                .isNull();
    }

    @Test
    void countsTheLengthInCharactersNotUtf16Units() {
        String fiveEmoji = "\uD83D\uDE00".repeat(5);
        assertThat(ChatRequests.post(List.of(JSON.createObjectNode().put("room", "r").put("text", fiveEmoji)), 5).text())
                .isEqualTo(fiveEmoji);
        invalid(List.of(JSON.createObjectNode().put("room", "r").put("text", fiveEmoji + "x")), 5);
    }

    @Test
    void refusesEveryMalformedMessage() {
        invalid(List.of(), 10);
        invalid(args("\"text\""), 10);
        invalid(args("[1,2]"), 10);
        invalid(args("null"), 10);
        invalid(args("{\"text\":\"hi\"}"), 10);
        invalid(args("{\"room\":5,\"text\":\"hi\"}"), 10);
        invalid(args("{\"room\":\"\",\"text\":\"hi\"}"), 10);
        invalid(args("{\"room\":\"general\"}"), 10);
        invalid(args("{\"room\":\"general\",\"text\":\"\"}"), 10);
        invalid(args("{\"room\":\"general\",\"text\":\"   \"}"), 10);
        invalid(args("{\"room\":\"general\",\"text\":42}"), 10);
        invalid(args("{\"room\":\"general\",\"text\":\"01234567890\"}"), 10);
        invalid(args("{\"room\":\"general\",\"text\":\"hi\",\"message_id\":7}"), 10);
        invalid(args("{\"room\":\"general\",\"text\":\"hi\",\"message_id\":\"\"}"), 10);
        invalid(args("{\"room\":\"general\",\"text\":\"hi\",\"message_id\":\"" + "x".repeat(65) + "\"}"), 10);
    }

    @Test
    void historyDefaultsAndBounds() {
        assertThat(ChatRequests.history(args("{\"room\":\"general\"}")))
                .isEqualTo(new ChatRequests.HistoryQuery("general", null, 50));
        assertThat(ChatRequests.history(args("{\"room\":\"general\",\"before\":12,\"limit\":3}")))
                .isEqualTo(new ChatRequests.HistoryQuery("general", 12L, 3));
        assertThatThrownBy(() -> ChatRequests.history(args("{\"room\":\"general\",\"limit\":0}")))
                .isInstanceOf(ChatException.class);
        assertThatThrownBy(() -> ChatRequests.history(args("{\"room\":\"general\",\"limit\":101}")))
                .isInstanceOf(ChatException.class);
        assertThatThrownBy(() -> ChatRequests.history(args("{\"room\":\"general\",\"before\":\"x\"}")))
                .isInstanceOf(ChatException.class);
    }

    @Test
    void roomOnlyEvents() {
        assertThat(ChatRequests.roomOnly(args("{\"room\":\"dev\"}"))).isEqualTo("dev");
        assertThatThrownBy(() -> ChatRequests.roomOnly(args("{}"))).isInstanceOf(ChatException.class);
    }

    private static void invalid(List<JsonNode> args, int max) {
        assertThatThrownBy(() -> ChatRequests.post(args, max))
                .isInstanceOfSatisfying(ChatException.class,
                        e -> assertThat(e.code()).isEqualTo(ChatErrorCode.INVALID_PAYLOAD));
    }

    private static List<JsonNode> args(String json) {
        try {
            return List.of(JSON.readTree(json));
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
