package dev.provision.playbooks.synapse;

import dev.provision.task.CommandResult;
import dev.provision.task.Fact;
import dev.provision.task.Shell;

import java.util.Optional;

/**
 * Whether Synapse's interpreter has what Synapse needs for Redis, asked the way Synapse itself asks at
 * start-up ({@code check_requirements("redis")}: txredisapi and hiredis installed, with their metadata
 * and versions). The same question is the facts' and the worker units' {@code ExecCondition=}.
 */
final class RedisClientCheck {

    private static final String CODE = "from synapse.util.check_dependencies import check_requirements; check_requirements('redis')";

    private final String python;
    private final Fact<Optional<String>> missing;

    RedisClientCheck(String python) {
        this.python = python;
        this.missing = Fact.of(python + " -c " + Shell.quote(CODE), this::whatIsMissing);
    }

    String python() {
        return python;
    }

    /** What Synapse would miss, in its own words; empty when it has everything for Redis. */
    Fact<Optional<String>> missing() {
        return missing;
    }

    /** True when Synapse can use Redis; shares the command (and so the round trip) with {@link #missing()}. */
    Fact<Boolean> available() {
        return Fact.of(missing.command(), CommandResult::succeeded);
    }

    /** For a unit's {@code ExecCondition=}: exits 1, so systemd skips the unit without failing it, while the client is missing. */
    String execCondition() {
        return python + " -c \"" + CODE + "\"";
    }

    private Optional<String> whatIsMissing(CommandResult result) {
        if (result.succeeded()) {
            return Optional.empty();
        }
        String needs = result.stderr().lines().filter(line -> line.startsWith("Synapse ") && line.contains(" needs "))
                .reduce((a, b) -> a + "; " + b).orElse("");
        return Optional.of(needs.isEmpty() ? python + " cannot load Synapse's Redis support yet (is Synapse installed?)" : needs);
    }
}
