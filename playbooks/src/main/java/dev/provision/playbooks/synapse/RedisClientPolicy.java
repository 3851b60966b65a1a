package dev.provision.playbooks.synapse;

import dev.provision.dsl.Host;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * What {@link SynapseServer} does when the chosen Synapse cannot import {@code txredisapi}, the Redis
 * client every process needs once {@code redis.enabled} is true. Debian's {@code matrix-synapse} lacks
 * it; the matrix.org package bundles it.
 */
public sealed interface RedisClientPolicy {

    /** The default: the run fails right after the package install, before Synapse is configured or restarted. */
    record Require() implements RedisClientPolicy {
    }

    /** The playbook installs the client from a source checkout on the controller (a clone of txredisapi). */
    record InstallFrom(Path checkout) implements RedisClientPolicy {
    }

    /**
     * Everything is written and enabled; while the client is missing Redis stays disabled, main runs
     * alone and the worker units are skipped by their start condition. The run after the client
     * appears enables Redis and starts the workers.
     */
    record StageWorkers() implements RedisClientPolicy {
    }

    static RedisClientPolicy require() {
        return new Require();
    }

    static RedisClientPolicy installFrom(Path checkout) {
        return new InstallFrom(checkout);
    }

    static RedisClientPolicy stageWorkers() {
        return new StageWorkers();
    }

    /**
     * From the host variables {@code redis_client} ({@code require}, {@code install} or
     * {@code stage_workers}) and {@code txredisapi_source}; a source alone means {@code install}.
     */
    static RedisClientPolicy of(Host host) {
        Optional<Path> source = host.find("txredisapi_source").map(String::valueOf).map(Path::of);
        String choice = host.var("redis_client", source.isPresent() ? "install" : "require").trim().toLowerCase(Locale.ROOT);
        return switch (choice) {
            case "require" -> require();
            case "stage_workers" -> stageWorkers();
            case "install" -> installFrom(source.orElseThrow(() -> new IllegalArgumentException(
                    "redis_client: install needs txredisapi_source: the path of a txredisapi checkout on this machine")));
            default -> throw new IllegalArgumentException(
                    "redis_client is '" + choice + "': use require, install (with txredisapi_source) or stage_workers");
        };
    }
}
