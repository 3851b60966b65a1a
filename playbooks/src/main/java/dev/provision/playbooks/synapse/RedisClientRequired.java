package dev.provision.playbooks.synapse;

import dev.provision.task.Plan;

import java.util.Optional;

/**
 * {@link RedisClientPolicy.Require}: a plan failure, placed right after the package install and before
 * anything that restarts Synapse, when Synapse could not use Redis. It changes nothing.
 */
final class RedisClientRequired extends OneFactTask<Optional<String>> {

    private final PackageSource source;

    RedisClientRequired(RedisClientCheck check, PackageSource source) {
        super("txredisapi for " + check.python(), check.missing());
        this.source = source;
    }

    @Override
    Plan planFor(Optional<String> missing) {
        // before the install (check mode on a new host) the bundling package is trusted to bring it
        if (missing.isEmpty() || source.bundlesRedisClient()) {
            return Plan.ok();
        }
        return Plan.fail(missing.get() + ". Every Synapse process needs txredisapi once Redis (and so any worker) is enabled,"
                + " and " + source.packageName() + " does not bring it. Nothing was configured or restarted. Either:\n"
                + "  - use the matrix.org package, which bundles it: package_source: matrix_org\n"
                + "  - let this playbook install it from a checkout of github.com/IlyaSkriblovsky/txredisapi on this machine:"
                + " txredisapi_source: /path/to/txredisapi\n"
                + "  - install it yourself on the host (python3 -m pip install txredisapi hiredis), then run again\n"
                + "  - or run Synapse without workers until then: redis_client: stage_workers");
    }
}
