package dev.provision.it.support;

import dev.provision.dsl.InlinePlaybook;
import dev.provision.dsl.Playbook;
import dev.provision.engine.report.HostReport;
import dev.provision.engine.report.Status;
import dev.provision.testbed.DebianHost;

import java.util.function.Consumer;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cycle every task family must pass on a real host: the first apply changes, the second
 * changes nothing, check mode changes nothing, and a drift made by hand is reported by check
 * (which still changes nothing) and corrected by apply.
 */
public final class ConvergenceCycle {

    private final DebianHost host;
    private final Converge converge;
    private final Supplier<? extends Playbook> playbook;

    private ConvergenceCycle(DebianHost host, Supplier<? extends Playbook> playbook) {
        this.host = host;
        this.converge = Converge.on(host);
        this.playbook = playbook;
    }

    public static ConvergenceCycle of(DebianHost host, Consumer<InlinePlaybook> playbook) {
        return new ConvergenceCycle(host, () -> InlinePlaybook.of(playbook));
    }

    /** For playbook classes: a fresh instance per run, as the engine makes one per host. */
    public static ConvergenceCycle of(DebianHost host, Supplier<? extends Playbook> playbook) {
        return new ConvergenceCycle(host, playbook);
    }

    /** First apply changes; second apply and check change nothing. */
    public ConvergenceCycle converges() {
        HostReport first = converge.apply(playbook.get());
        assertThat(first.failed()).as(Converge.describe(first)).isZero();
        assertThat(first.changed()).as("first apply changes the host").isPositive();
        assertNothingToDo();
        return this;
    }

    /**
     * Makes a drift by hand with {@code shellCommand}; check reports it and leaves it alone, apply
     * corrects it, and the host is back to nothing to do.
     */
    public ConvergenceCycle correctsDrift(String shellCommand) {
        host.exec(shellCommand).requireSuccess();
        HostReport check = converge.check(playbook.get());
        assertThat(check.failed()).as(Converge.describe(check)).isZero();
        assertThat(check.changed()).as("check reports the drift made by `" + shellCommand + "`").isPositive();
        HostReport checkAgain = converge.check(playbook.get());
        assertThat(checkAgain.changed()).as("check changed nothing, so the drift is still there").isEqualTo(check.changed());
        HostReport apply = converge.apply(playbook.get());
        assertThat(apply.failed()).as(Converge.describe(apply)).isZero();
        assertThat(Converge.named(apply, Status.CHANGED)).isEqualTo(Converge.named(check, Status.CHANGED));
        assertNothingToDo();
        return this;
    }

    private void assertNothingToDo() {
        HostReport again = converge.apply(playbook.get());
        assertThat(again.failed()).as(Converge.describe(again)).isZero();
        assertThat(Converge.named(again, Status.CHANGED)).as("apply on a converged host changes nothing").isEmpty();
        HostReport check = converge.check(playbook.get());
        assertThat(Converge.named(check, Status.CHANGED)).as("check on a converged host plans nothing").isEmpty();
    }
}
