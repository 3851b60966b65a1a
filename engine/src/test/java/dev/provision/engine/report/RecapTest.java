package dev.provision.engine.report;

import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.provision.engine.report.Results.failed;
import static dev.provision.engine.report.Results.host;
import static dev.provision.engine.report.Results.task;
import static dev.provision.engine.report.Results.unreachable;
import static org.assertj.core.api.Assertions.assertThat;

class RecapTest {

    private final RunReport report = new RunReport(List.of(
            host("web1", task("a", Status.OK), task("b", Status.CHANGED), task("c", Status.SKIPPED)),
            host("db10", task("a", Status.OK), failed("b", "boom")),
            unreachable("mail", "connection refused")), false);

    @Test
    void aLinePerHostAlignedLikeAnsible() {
        assertThat(Recap.lines(report, false)).containsExactly(
                "PLAY RECAP",
                "web1 : ok=1 changed=1 unreachable=0 failed=0 skipped=1",
                "db10 : ok=1 changed=0 unreachable=0 failed=1 skipped=0",
                "mail : ok=0 changed=0 unreachable=1 failed=0 skipped=0");
    }

    @Test
    void checkModeSaysNothingWasChanged() {
        assertThat(Recap.lines(new RunReport(List.of(host("web1")), true), false).get(0))
                .isEqualTo("PLAY RECAP (check mode: nothing was changed)");
    }

    @Test
    void colourMarksHostsAndNonZeroCounts() {
        List<String> lines = Recap.lines(report, true);
        assertThat(lines.get(1)).startsWith("\033[33mweb1\033[0m : \033[32mok=1\033[0m \033[33mchanged=1\033[0m unreachable=0");
        assertThat(lines.get(3)).startsWith("\033[31mmail\033[0m");
    }
}
