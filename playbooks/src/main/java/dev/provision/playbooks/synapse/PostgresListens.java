package dev.provision.playbooks.synapse;

import dev.provision.task.Change;
import dev.provision.task.CommandResult;
import dev.provision.task.Fact;
import dev.provision.task.FactException;
import dev.provision.task.Plan;
import dev.provision.tasks.edits.BlockInFile;
import dev.provision.tasks.files.AtomicWrite;
import dev.provision.tasks.files.Mode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * PostgreSQL on its machine, once Synapse machines connect from elsewhere ({@link PostgresServer}): its
 * settings written with {@code ALTER SYSTEM} as {@link PostgresTuned} writes its own, and a block of
 * {@code pg_hba.conf} lines, in the file PostgreSQL names as its {@code hba_file}, before every rule
 * of Debian's. The new file replaces the live one atomically and is checked in place with
 * {@code pg_hba_file_rules}; on an error the old file comes back. A restart follows when
 * {@code listen_addresses} changes (it takes effect only at server start), a reload otherwise.
 */
final class PostgresListens extends OneFactTask<PostgresListens.State> {

    private static final String BLOCK = "matrix-synapse";
    private static final String FILE_FOLLOWS = "--hba-file--";

    /** A setting as it runs, as the configuration files give it for the next start or reload, and when it takes effect. */
    record Setting(String running, String configured, String context) {
    }

    /** The settings by name; {@code hbaFile} and its text; or why PostgreSQL did not answer. */
    record State(Map<String, Setting> settings, String hbaFile, String hbaText, Optional<String> unavailable) {
    }

    private final PostgresServer server;

    PostgresListens(PostgresServer server) {
        super("PostgreSQL's listen_addresses, TLS and pg_hba.conf", Fact.of(command(server), PostgresListens::parse));
        this.server = server;
    }

    @Override
    Plan planFor(State state) {
        if (state.unavailable().isPresent()) {
            return Plan.of(Change.of("set " + String.join(", ", server.settings().keySet()) + " and admit the Synapse machines in pg_hba.conf"
                            + " (PostgreSQL did not answer: " + state.unavailable().get() + ")",
                    "echo 'PostgreSQL does not answer, so its settings cannot be read: start it (systemctl start postgresql) and run again' >&2\n"
                            + "exit 1\n"));
        }
        List<Change> changes = new ArrayList<>();
        boolean restart = false;
        boolean reload = false;
        for (Map.Entry<String, String> wanted : server.settings().entrySet()) {
            String value = unquoted(wanted.getValue());
            Setting now = state.settings().get(wanted.getKey());
            if (now == null) {
                return Plan.fail("PostgreSQL has no setting " + wanted.getKey());
            }
            if (!now.configured().equals(value)) {
                String keep = changes.isEmpty() ? PostgresTuned.keepCurrentConfiguration() : "";
                changes.add(Change.of("set " + wanted.getKey() + " to " + value + (now.running().equals(value) ? ", as it runs now" : " (runs with " + now.running() + ")"),
                        keep + PostgresTuned.PSQL + " <<'SQL'\nALTER SYSTEM SET " + wanted.getKey() + " = '" + value.replace("'", "''") + "';\nSQL\n"));
            }
            if (!now.running().equals(value)) {
                if (now.context().equals("postmaster")) {
                    restart = true;
                } else {
                    reload = true;
                }
            }
        }
        String edited = BlockInFile.at(state.hbaFile()).named(BLOCK).content(String.join("\n", server.hbaLines()))
                .insertBefore("^\\s*(local|host)").edit(state.hbaText());
        if (!edited.equals(state.hbaText())) {
            String check = "[ \"$(printf '%s\\n' 'SELECT count(*) FROM pg_hba_file_rules WHERE error IS NOT NULL;' | " + PostgresTuned.PSQL + ")\" = 0 ]";
            changes.add(Change.of("admit " + server.hbaLines().size() + " Synapse machines in " + state.hbaFile() + " (hostssl, scram-sha-256)",
                    AtomicWrite.of(state.hbaFile(), edited.getBytes(StandardCharsets.UTF_8)).owner(Optional.of("postgres"))
                            .group(Optional.of("postgres")).mode(Optional.of(Mode.of(0640))).validateInPlace(Optional.of(check)).script()));
            reload = true;
        }
        if (restart) {
            changes.add(Change.of("restart PostgreSQL: listen_addresses takes effect only at server start", PostgresTuned.restart()));
        } else if (reload) {
            changes.add(Change.of("reload PostgreSQL's configuration", "printf '%s\\n' 'SELECT pg_reload_conf();' | " + PostgresTuned.PSQL + " >/dev/null\n"));
        }
        return Plan.of(changes);
    }

    private static String unquoted(String value) {
        return value.startsWith("'") && value.endsWith("'") ? value.substring(1, value.length() - 1) : value;
    }

    private static String command(PostgresServer server) {
        String names = server.settings().keySet().stream().map(name -> "'" + name + "'").collect(Collectors.joining(", "));
        return "if out=$( " + PostgresTuned.PSQL + " 2>&1 <<'SQL'\n"
                + "select concat_ws(E'\\t', 'setting', s.name, s.setting, coalesce(f.setting, s.setting), s.context)\n"
                + "  from pg_settings s\n"
                + "  left join lateral (select setting from pg_file_settings f where f.name = s.name order by f.seqno desc limit 1) f on true\n"
                + " where s.name in (" + names + ");\n"
                + "select concat_ws(E'\\t', 'hba', current_setting('hba_file'));\n"
                + "SQL\n"
                + "); then\n"
                + "  printf '%s\\n' \"$out\"\n"
                + "  echo " + FILE_FOLLOWS + "\n"
                + "  cat -- \"$(printf '%s\\n' \"$out\" | awk -F '\\t' '$1 == \"hba\" { print $2 }')\"\n"
                + "else printf 'unavailable\\t%s\\n' \"$(printf '%s' \"$out\" | tr '\\t\\n' '  ')\"; fi\n";
    }

    static State parse(CommandResult result) {
        String out = result.stdout();
        int split = out.indexOf(FILE_FOLLOWS + "\n");
        Map<String, Setting> settings = new HashMap<>();
        String hba = "";
        for (String line : (split < 0 ? out : out.substring(0, split)).split("\n")) {
            String[] f = line.split("\t", -1);
            switch (f[0]) {
                case "setting" -> settings.put(f[1], new Setting(f[2], unquoted(f[3]), f[4]));
                case "hba" -> hba = f[1];
                case "unavailable" -> {
                    return new State(Map.of(), "", "", Optional.of(f.length > 1 ? f[1].strip() : ""));
                }
                case "" -> {
                }
                default -> throw new FactException("unexpected line about PostgreSQL's settings: " + line);
            }
        }
        if (split < 0 || hba.isEmpty()) {
            throw new FactException("cannot read PostgreSQL's pg_hba.conf: " + result.errorText());
        }
        return new State(Map.copyOf(settings), hba, out.substring(split + FILE_FOLLOWS.length() + 1), Optional.empty());
    }
}
