package dev.provision.playbooks.synapse;

import dev.provision.task.Change;
import dev.provision.task.Fact;
import dev.provision.task.Facts;
import dev.provision.task.Plan;
import dev.provision.task.Shell;
import dev.provision.task.Task;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One of Synapse's secret files, and the inline setting it replaces. Synapse refuses a secret given both inline and
 * as a {@code *_path}, so a value set inline moves, on the host and unchanged, into the file, and its line leaves
 * every configuration file that sets it: access tokens, login tokens and the shared-secret registrations keep
 * working. Without an inline value the file is generated once and kept ({@link HostSecret}). Synapse falls back to
 * registration_shared_secret as macaroon_secret_key, so an inline registration secret with no macaroon key of its
 * own gives the macaroon key file the same value.
 */
final class AdoptedSecret implements Task {

    static final String MACAROON = "macaroon_secret_key";
    static final String REGISTRATION = "registration_shared_secret";

    static final String VALUE_AWK = """
            index($0, k ":") == 1 {
              v = substr($0, length(k) + 2); sub(/^[ \\t]+/, "", v); sub(/[ \\t\\r]+$/, "", v)
              if (v ~ /^".*"$/) { v = substr(v, 2, length(v) - 2); if (index(v, "\\\\") > 0) exit 3 }
              else if (v ~ /^'.*'$/) { v = substr(v, 2, length(v) - 2); if (index(v, "''") > 0) exit 3 }
              else { sub(/[ \\t]+#.*$/, "", v); if (v ~ /^[|>&*!]/) exit 3 }
              found = v
            }
            END { if (found == "") exit 4; print found }
            """;

    private final String key;
    private final SecretFile file;
    private final Fact<ExistingServer> existing;
    private final HostSecret generated;
    private final HostSecret sameAsRegistration;

    AdoptedSecret(SynapseTopology topology, String key, SecretFile file) {
        this.key = key;
        this.file = file;
        this.existing = ExistingServer.fact(topology.publicHostname());
        this.generated = HostSecret.generated(file);
        this.sameAsRegistration = HostSecret.derivedFrom(SynapseDeployment.secretPath(topology, REGISTRATION), file);
    }

    @Override
    public String describe() {
        return generated.describe();
    }

    @Override
    public List<Fact<?>> facts() {
        List<Fact<?>> facts = new ArrayList<>(generated.facts());
        if (key.equals(MACAROON)) {
            facts.addAll(sameAsRegistration.facts());
        }
        facts.add(existing);
        return facts;
    }

    @Override
    public Plan plan(Facts facts) {
        ExistingServer now = facts.get(existing);
        Optional<String> inline = now.inlineSecretFile(key);
        if (inline.isPresent()) {
            return Plan.of(move(inline.get(), now.inlineSecrets().get(key)));
        }
        if (key.equals(MACAROON) && now.inlineSecretFile(REGISTRATION).isPresent()) {
            return sameAsRegistration.plan(facts);
        }
        return generated.plan(facts);
    }

    /** The value goes from the configuration file straight into a private file beside the secret, never to the output. */
    private Change move(String from, List<String> setIn) {
        String directory = file.path().substring(0, file.path().lastIndexOf('/'));
        StringBuilder script = new StringBuilder()
                .append("tmp=$(mktemp ").append(Shell.quote(directory + "/.secret-XXXXXX")).append(") || exit 1\n")
                .append("trap 'rm -f \"$tmp\" \"$edit\"' EXIT\n")
                .append("awk -v k=").append(Shell.quote(key)).append(' ').append(Shell.quote(VALUE_AWK)).append(' ')
                .append(Shell.quote(from)).append(" > \"$tmp\" || { echo ").append(Shell.quote("cannot move " + key + " out of " + from
                        + ": its value is not one plain or quoted line without escapes; move it by hand")).append(" >&2; exit 1; }\n")
                .append("chown -- ").append(Shell.quote(file.owner() + ":" + file.group())).append(" \"$tmp\" && chmod -- ")
                .append(file.octalMode()).append(" \"$tmp\" && sync \"$tmp\" && mv -f -- \"$tmp\" ").append(Shell.quote(file.path()))
                .append(" || exit 1\n");
        for (String config : setIn) {
            String quoted = Shell.quote(config);
            String name = config.substring(config.lastIndexOf('/') + 1);
            script.append("edit=$(mktemp ").append(Shell.quote(config.substring(0, config.lastIndexOf('/') + 1) + "." + name + ".provision-XXXXXX"))
                    .append(") || exit 1\n")
                    .append("grep -v ").append(Shell.quote("^" + key + ":")).append(' ').append(quoted).append(" > \"$edit\"; [ $? -le 1 ] || exit 1\n")
                    .append("chown --reference=").append(quoted).append(" -- \"$edit\" && chmod --reference=").append(quoted)
                    .append(" -- \"$edit\" && sync \"$edit\" && mv -f -- \"$edit\" ").append(quoted).append(" || exit 1\n");
        }
        return Change.of("move " + key + " from " + from + " into " + file.path() + " with the same value (existing tokens and"
                + " registrations stay valid), and delete its line from " + String.join(", ", setIn), script.toString());
    }
}
