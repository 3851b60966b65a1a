package dev.provision.tasks.apt;

import dev.provision.task.Plan;
import dev.provision.task.Shell;
import dev.provision.tasks.support.StubFacts;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DebconfTest {

    private final Debconf synapse = Debconf.preseed("matrix-synapse")
            .string("matrix-synapse/server-name", "example.org").bool("matrix-synapse/report-stats", false);

    private Plan plan(String current) {
        return synapse.plan(new StubFacts().answer(synapse.facts().get(0), current));
    }

    @Test
    void readsOnlyTheAskedQuestionsFromDebconfsDatabaseWithAwk() {
        String command = synapse.facts().get(0).command();
        assertThat(command).contains("awk").contains("/var/cache/debconf/config.dat")
                .contains("' matrix-synapse/server-name matrix-synapse/report-stats '");
    }

    @Test
    void preseedsOnlyAnswersThatDiffer() {
        Plan plan = plan("matrix-synapse/server-name\texample.com\nmatrix-synapse/report-stats\tfalse\n");
        assertThat(plan.changes()).hasSize(1);
        assertThat(plan.changes().get(0).summary()).isEqualTo("preseed matrix-synapse/server-name = example.org");
        assertThat(plan.changes().get(0).script()).contains("| debconf-set-selections");
        assertThat(Shell.withoutPayloads(plan.changes().get(0).script())).doesNotContain("example.org");
    }

    @Test
    void nothingToDoWhenDebconfHasTheAnswers() {
        assertThat(plan("matrix-synapse/server-name\texample.org\nmatrix-synapse/report-stats\tfalse\n").isEmpty()).isTrue();
    }

    @Test
    void questionsDebconfHasNeverSeenArePreseeded() {
        assertThat(plan("").changes().get(0).summary())
                .isEqualTo("preseed matrix-synapse/server-name = example.org, matrix-synapse/report-stats = false");
    }
}
