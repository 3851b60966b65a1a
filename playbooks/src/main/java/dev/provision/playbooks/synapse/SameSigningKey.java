package dev.provision.playbooks.synapse;

import dev.provision.dsl.Received;
import dev.provision.task.Fact;
import dev.provision.task.Plan;
import dev.provision.tasks.command.Command;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Main's signing key is the one the other Synapse machines received from main before. A new main
 * machine (rebuilt, or another host) gets a key of its own from the package's install; serving with
 * it would silently change the server's identity to every federated server. Each machine that
 * received the key keeps its SHA-256 beside it; main's stage compares them with its own key before
 * it restarts anything. Fingerprints only travel: never the key.
 */
final class SameSigningKey extends OneFactTask<Optional<String>> {

    static final String FINGERPRINT = SynapseConfigFiles.SIGNING_KEY + ".received.sha256";
    /** What a machine that never received a key answers. */
    static final String NONE = "none";
    private static final String KEY_SHA256 = "sha256sum < " + SynapseConfigFiles.SIGNING_KEY + " | cut -d' ' -f1";

    private final Map<String, Received<String>> received;

    SameSigningKey(Map<String, Received<String>> received) {
        super("main's signing key " + SynapseConfigFiles.SIGNING_KEY, Fact.of("[ ! -f " + SynapseConfigFiles.SIGNING_KEY + " ] || " + KEY_SHA256,
                result -> Optional.of(result.stdout().strip()).filter(sha -> !sha.isEmpty())));
        this.received = received;
    }

    /** On the machine that received the key: what {@link #receivedFingerprint} reads on the next run. */
    static Command fingerprintReceived() {
        return Command.run(KEY_SHA256 + " > " + FINGERPRINT + ".tmp && mv -f " + FINGERPRINT + ".tmp " + FINGERPRINT)
                .onlyIf("[ \"$(cat " + FINGERPRINT + " 2>/dev/null)\" != \"$(" + KEY_SHA256 + " 2>/dev/null)\" ]");
    }

    /** The fingerprint of the key this machine last received, or {@link #NONE}. */
    static Fact<Optional<String>> receivedFingerprint() {
        return Fact.of("cat " + FINGERPRINT + " 2>/dev/null || echo " + NONE, result -> Optional.of(result.stdout().strip()));
    }

    @Override
    Plan planFor(Optional<String> mainKey) {
        Map<String, String> differing = new TreeMap<>();
        received.forEach((machine, fingerprint) -> fingerprint.value().filter(sha -> !sha.equals(NONE))
                .filter(sha -> mainKey.map(own -> !own.equals(sha)).orElse(true)).ifPresent(sha -> differing.put(machine, sha)));
        if (differing.isEmpty()) {
            return Plan.ok();
        }
        return Plan.fail("main's signing key " + SynapseConfigFiles.SIGNING_KEY + (mainKey.isPresent() ? " is not" : " is missing, not")
                + " the key " + String.join(", ", differing.keySet()) + " received from main before: a new main machine made a key of its own,"
                + " and serving with it would change the server's identity. Copy " + SynapseConfigFiles.SIGNING_KEY + " from "
                + differing.keySet().iterator().next() + " to main's machine (owner root, group matrix-synapse, mode 0640) and run again;"
                + " to replace the key on purpose, delete " + FINGERPRINT + " on those machines first");
    }
}
