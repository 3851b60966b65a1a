package dev.provision.tasks.files;

import dev.provision.dsl.Secret;
import dev.provision.task.Fact;
import dev.provision.task.FactException;
import dev.provision.task.Shell;

import java.util.Optional;

/**
 * Where file tasks start:
 *
 * <pre>{@code
 * Files.file("/etc/redis/redis.conf").content(text).owner("redis").mode(0640);
 * Files.directory("/var/lib/synapse").owner("matrix-synapse").mode(0750);
 * Files.link("/etc/nginx/sites-enabled/synapse").to("/etc/nginx/sites-available/synapse");
 * }</pre>
 */
public final class Files {

    private Files() {
    }

    public static FileTask file(String path) {
        return new FileTask(path);
    }

    public static DirectoryTask directory(String path) {
        return new DirectoryTask(path);
    }

    public static LinkTask link(String path) {
        return new LinkTask(path);
    }

    /**
     * The content of a file as a secret, empty while the file does not exist: how a deployment reads a
     * secret one host generated ({@code role.produces("signing key", Files.secretAt(path))}).
     */
    public static Fact<Optional<Secret>> secretAt(String path) {
        String quoted = Shell.quote(path);
        return Fact.of("if [ -f " + quoted + " ]; then cat -- " + quoted + "; else exit 3; fi",
                result -> {
                    if (result.exitCode() == 3) {
                        return Optional.empty();
                    }
                    if (!result.succeeded()) {
                        throw new FactException("cannot read " + path + ": " + result.errorText());
                    }
                    return Optional.of(Secret.of(result.stdout()));
                });
    }
}
