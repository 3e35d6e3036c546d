package dev.switchboard.it.protocol;

import dev.switchboard.it.NodeProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.io.File;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * payara/run.sh, the one command a new user runs: a wrong option is refused with exit 2 and a message that names it,
 * before anything is built or started.
 */
@EnabledIfSystemProperty(named = "switchboard.itProperties", matches = ".*interop\\.properties",
        disabledReason = "runs in failsafe's protocol execution")
class RunScriptOptionsIT {
    private static final File ROOT = new File(System.getProperty("switchboard.basedir", "."));

    @Test
    void wrongOptionsAreRefusedWithAClearErrorBeforeAnythingStarts() throws Exception {
        String[][] cases = {
                {"--selector-threads", "0"}, {"--selector-threads", "-1"}, {"--selector-threads", "two"},
                {"--selector-threads", "257"}, {"--selector-threads", "007"}, {"--port", "80a"},
                {"--profile", "no-such-profile"}, {"--no-such-option"}};
        String[] messages = {
                "--selector-threads must be a whole number from 1 to 256, got '0'",
                "--selector-threads must be a whole number from 1 to 256, got '-1'",
                "--selector-threads must be a whole number from 1 to 256, got 'two'",
                "--selector-threads must be a whole number from 1 to 256, got '257'",
                "--selector-threads must be a whole number from 1 to 256, got '007'",
                "--port must be a number, got '80a'", "no profile 'no-such-profile'",
                "unknown argument '--no-such-option'"};
        for (int i = 0; i < cases.length; i++) {
            String[] command = new String[cases[i].length + 2];
            command[0] = "bash";
            command[1] = "payara/run.sh";
            System.arraycopy(cases[i], 0, command, 2, cases[i].length);
            NodeProcess.Result r = NodeProcess.command(ROOT, Map.of(), 60, command);
            assertThat(r.finished()).as("%s finished", String.join(" ", command)).isTrue();
            assertThat(r.exitCode()).as("%s:\n%s", String.join(" ", command), r.output()).isEqualTo(2);
            assertThat(r.output()).as(String.join(" ", command)).contains(messages[i])
                    .doesNotContain("building the WAR").doesNotContain("on http://localhost");
        }
    }
}
