package dev.provision.playbooks.synapse;

import dev.provision.task.Fact;
import dev.provision.task.Plan;

import java.util.List;

/**
 * Synapse refuses to start when a secret is given both inline and as a {@code *_path}, and this
 * playbook sets the {@code *_path} keys. Neither Debian's nor matrix.org's stock homeserver.yaml has
 * inline secrets (both are generated without {@code --generate-secrets}), but a server configured
 * earlier may: the plan then fails, before any restart, naming the lines to move. Only key names are
 * read, never values.
 */
final class NoInlineSecrets extends OneFactTask<List<String>> {

    private static final List<String> KEYS = List.of("registration_shared_secret", "macaroon_secret_key", "form_secret");
    private static final String CONFIG = "/etc/matrix-synapse/homeserver.yaml /etc/matrix-synapse/conf.d/*.yaml";

    private static final Fact<List<String>> INLINE = Fact.of(
            "grep -oE '^(" + String.join("|", KEYS) + "):' " + CONFIG + " 2>/dev/null; true",
            result -> result.stdout().lines().filter(line -> !line.isBlank()).map(line -> line.substring(0, line.length() - 1)).toList());

    private final String secretsDirectory;

    NoInlineSecrets(String secretsDirectory) {
        super("inline secrets in " + CONFIG, INLINE);
        this.secretsDirectory = secretsDirectory;
    }

    @Override
    Plan planFor(List<String> inline) {
        if (inline.isEmpty()) {
            return Plan.ok();
        }
        return Plan.fail("Synapse would refuse to start: these secrets are set inline, and this playbook sets their *_path keys: "
                + String.join(", ", inline) + ". Move each value into " + secretsDirectory + "/<key> (keeping it keeps existing"
                + " sessions and registrations valid), delete the line, and run again.");
    }
}
