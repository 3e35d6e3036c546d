package dev.switchboard.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * CVE-2022-2421 (socket.io-parser &lt; 4.2.1 / 3.4.2 / 3.3.3): the decoder used a placeholder's "num" as an index
 * without checking it, so {"_placeholder":true,"num":"splice"} (or "__proto__", "toString") put a function or a
 * prototype into the event arguments instead of an attachment. Here num must be an integer in [0, declared count),
 * and a placeholder in a packet that declares no attachments is refused; every violation closes the connection
 * before any attachment is waited for, and the application sees nothing.
 */
@DisplayName("CVE-2022-2421: forged binary placeholders are rejected and close the connection")
class PlaceholderInjectionTest {

    @ParameterizedTest(name = "CVE-2022-2421: num {0} in a 1-attachment packet closes the connection")
    @ValueSource(strings = {"\"splice\"", "\"__proto__\"", "\"toString\"", "\"0\"", "1", "2", "-1", "0.5", "1e0",
            "2147483648", "null", "true", "{}", "[0]"})
    void badNumClosesTheConnection(String num) {
        SioVictim v = new SioVictim("x");
        v.engine.receive("51-[\"x\",{\"_placeholder\":true,\"num\":" + num + "}]");
        v.assertClosedForParseError();
        // the attachment arriving afterwards finds nothing to complete
        v.engine.receive(new byte[] {1, 2, 3});
        assertThat(v.seen).containsExactly("disconnect:parse error");
    }

    @Test
    @DisplayName("CVE-2022-2421: a placeholder without num closes the connection")
    void missingNumClosesTheConnection() {
        SioVictim v = new SioVictim("x");
        v.engine.receive("51-[\"x\",{\"a\":[{\"_placeholder\":true}]}]");
        v.assertClosedForParseError();
    }

    @ParameterizedTest(name = "CVE-2022-2421: placeholder in the non-binary packet {0} closes the connection")
    @ValueSource(strings = {"2[\"x\",{\"_placeholder\":true,\"num\":0}]",
            "2[\"x\",{\"_placeholder\":true,\"num\":\"splice\"}]",
            "2[\"x\",{\"deep\":[{\"_placeholder\":true,\"num\":0}]}]",
            "2/,[\"x\",{\"_placeholder\":true,\"num\":0}]"})
    void placeholderInPlainEventClosesTheConnection(String packet) {
        SioVictim v = new SioVictim("x");
        v.engine.receive(packet);
        v.assertClosedForParseError();
        v.assertServerStillServes();
    }

    @Test
    @DisplayName("CVE-2022-2421: a placeholder in a plain ACK closes the connection before the ack completes")
    void placeholderInPlainAckClosesTheConnection() {
        SioVictim v = new SioVictim("x");
        java.util.concurrent.CompletableFuture<?> reply = v.socket.emitWithAck("question");
        v.engine.receive("30[{\"_placeholder\":true,\"num\":0}]");
        v.assertClosedForParseError();
        assertThat(reply).as("the forged ack never completes the future normally").isCompletedExceptionally();
    }

    @Test
    @DisplayName("CVE-2022-2421: a well-formed placeholder still yields the attachment's bytes")
    void validPlaceholderStillWorks() {
        SioVictim v = new SioVictim("x");
        v.engine.receive("51-[\"x\",{\"_placeholder\":true,\"num\":0}]");
        v.engine.receive(new byte[] {1, 2, 3});
        assertThat(v.engine.isOpen()).isTrue();
        assertThat(v.seen).hasSize(2).allMatch(s -> s.startsWith("any:x[") || s.startsWith("handler:x["));
    }
}
