package dev.provision.playbooks.synapse;

import dev.provision.task.Change;
import dev.provision.task.Fact;
import dev.provision.task.Facts;
import dev.provision.task.Plan;
import dev.provision.task.Task;
import dev.provision.tasks.files.FileTask;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@link RedisClientPolicy.StageWorkers}: Synapse's {@code redis.yaml} with {@code enabled} following
 * the host: false while Synapse could not load its Redis client (so main starts and runs alone), true
 * once it can. The change that disables Redis says that the workers wait for the client.
 */
final class RedisSwitch implements Task {

    private final RedisClientCheck check;
    private final FileTask enabled;
    private final FileTask disabled;

    RedisSwitch(RedisClientCheck check, FileTask enabled, FileTask disabled) {
        this.check = check;
        this.enabled = enabled;
        this.disabled = disabled;
    }

    @Override
    public String describe() {
        return enabled.describe();
    }

    @Override
    public List<Fact<?>> facts() {
        List<Fact<?>> facts = new ArrayList<>(enabled.facts());
        facts.add(check.missing());
        return facts;
    }

    @Override
    public Plan plan(Facts facts) {
        Optional<String> missing = facts.get(check.missing());
        if (missing.isEmpty()) {
            return enabled.plan(facts);
        }
        Plan plan = disabled.plan(facts);
        List<Change> explained = plan.changes().stream()
                .map(change -> new Change(change.summary() + "; redis.enabled: false, the workers wait for txredisapi ("
                        + missing.get() + ")", change.script(), change.diff()))
                .toList();
        return new Plan(explained, plan.failure());
    }
}
