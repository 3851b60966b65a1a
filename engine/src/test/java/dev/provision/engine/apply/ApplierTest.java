package dev.provision.engine.apply;

import dev.provision.task.Change;
import dev.provision.task.Plan;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class ApplierTest {

    private static String runLocally(String script) throws IOException, InterruptedException {
        Process sh = new ProcessBuilder("sh", "-c", script).redirectErrorStream(true).start();
        String out = new String(sh.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return ("exit " + sh.waitFor() + ": " + out).strip();
    }

    @Test
    void setMinusEInAChangeStopsThatChangeAndTheTask() throws Exception {
        Plan plan = Plan.of(
                Change.of("first", "set -e\nfalse\necho after-false"),
                Change.of("second", "echo second-ran"));
        assertThat(runLocally(Applier.script(plan))).isEqualTo("exit 1:");
    }

    @Test
    void changesRunInOrderEachInItsOwnSubshell() throws Exception {
        Plan plan = Plan.of(Change.of("a", "cd /tmp; x=1; echo a"), Change.of("b", "echo \"b ${x:-unset} $(pwd)\""));
        assertThat(runLocally("cd / && " + Applier.script(plan))).isEqualTo("exit 0: a\nb unset /");
    }
}
