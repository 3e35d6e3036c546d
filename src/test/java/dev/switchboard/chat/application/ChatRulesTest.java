package dev.switchboard.chat.application;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChatRulesTest {
    private final ChatRules rules = new ChatRules(5);

    @Test
    void roomNamesAreOneToSixtyFourOfTheSafeAlphabet() {
        assertThat(rules.roomName("a")).isEqualTo("a");
        assertThat(rules.roomName("Lobby_2-x")).isEqualTo("Lobby_2-x");
        assertThat(rules.roomName("r".repeat(64))).hasSize(64);
        for (String bad : new String[] {null, "", "r".repeat(65), "with space", "dot.ted", "é", "a/b"}) {
            assertThatThrownBy(() -> rules.roomName(bad)).isInstanceOf(ChatException.class)
                    .extracting(e -> ((ChatException) e).code()).isEqualTo(ChatErrorCode.INVALID_PAYLOAD);
        }
    }

    @Test
    void textMustNotBeBlankNorLongerThanConfiguredCodePoints() {
        assertThat(rules.text("hello")).isEqualTo("hello");
        assertThat(rules.text("😀😀😀😀😀")).hasSize(10);   // five code points, ten UTF-16 units
        assertThatThrownBy(() -> rules.text("  \n")).extracting(e -> ((ChatException) e).code())
                .isEqualTo(ChatErrorCode.INVALID_PAYLOAD);
        assertThatThrownBy(() -> rules.text(null)).extracting(e -> ((ChatException) e).code())
                .isEqualTo(ChatErrorCode.INVALID_PAYLOAD);
        assertThatThrownBy(() -> rules.text("sixsix")).extracting(e -> ((ChatException) e).code())
                .isEqualTo(ChatErrorCode.PAYLOAD_TOO_LARGE);
    }

    @Test
    void refusalsNeverEchoTheText() {
        assertThatThrownBy(() -> rules.text("secret")).hasMessageNotContaining("secret");
    }

    @Test
    void clientMessageIdsAreOptionalPrintableAsciiUpTo64() {
        assertThat(rules.clientMessageId(null)).isNull();
        assertThat(rules.clientMessageId("3f1c2a9e-0b5d-4c1e-9a57-2b0d4c8e9f10")).isNotNull();
        for (String bad : new String[] {"", "has space", "x".repeat(65), "ünï"}) {
            assertThatThrownBy(() -> rules.clientMessageId(bad)).isInstanceOf(ChatException.class);
        }
    }

    @Test
    void limitIsClampedToOneToHundred() {
        assertThat(ChatRules.clampLimit(-5)).isEqualTo(1);
        assertThat(ChatRules.clampLimit(0)).isEqualTo(1);
        assertThat(ChatRules.clampLimit(42)).isEqualTo(42);
        assertThat(ChatRules.clampLimit(1000)).isEqualTo(100);
    }

    @Test
    void configuredLengthIsBounded() {
        assertThatThrownBy(() -> new ChatRules(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("switchboard.chat.max-message-length");
        assertThatThrownBy(() -> new ChatRules(ChatRules.MAX_CONFIGURABLE_LENGTH + 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new ChatRules(ChatRules.DEFAULT_MAX_MESSAGE_LENGTH).maxMessageLength()).isEqualTo(2000);
    }
}
