package dev.provision.playbooks.synapse;

import dev.provision.task.Change;
import dev.provision.task.CommandResult;
import dev.provision.task.Fact;
import dev.provision.task.FactException;
import dev.provision.task.Plan;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Collectors;

/**
 * PostgreSQL runs with the {@link PostgresTuning} computed for this host. The values are written
 * with {@code ALTER SYSTEM}: PostgreSQL checks each one against its own type and range before it
 * writes {@code postgresql.auto.conf} (to a temporary file, then renamed), that file is read after
 * postgresql.conf and every conf.d file so nothing else shadows it, and it is where earlier runs put
 * {@code max_connections}. A restart follows only when a setting whose {@code pg_settings.context}
 * is {@code postmaster} has another running value, a reload when only reloadable ones have; if
 * PostgreSQL does not come back after the restart, the previous postgresql.auto.conf is put back and
 * PostgreSQL started with it.
 *
 * <p>{@code max_connections} is a floor unless it is set: a higher value someone configured is kept,
 * since other clients of this server may need those connections.
 */
final class PostgresTuned extends OneFactTask<PostgresTuned.HostState> {

    static final String PSQL = "(cd / && runuser -u postgres -- psql -X -qAt -d postgres -v ON_ERROR_STOP=1)";
    private static final String ROLLBACK = "postgresql.auto.conf.provision-rollback";

    /** What the host is, and PostgreSQL's settings when it answers; {@code unavailable} says why not. */
    record HostState(PostgresTuning.Resources resources, Map<String, ServerSetting> settings, Optional<String> unavailable) {
    }

    /**
     * One row of {@code pg_settings}, and the value the configuration files give the next start or
     * reload (the last of {@code pg_file_settings}, empty when no file sets it).
     */
    record ServerSetting(String name, String setting, String unit, String context, Optional<String> configured) {
    }

    static final Fact<HostState> FACT = Fact.of(command(), PostgresTuned::parse);

    private final PostgresTuning tuning;

    PostgresTuned(PostgresTuning tuning) {
        super("PostgreSQL settings for this host's memory, cores and storage", FACT);
        this.tuning = tuning;
    }

    @Override
    Plan planFor(HostState state) {
        PostgresTuning.Tuned tuned = tuning.settingsFor(state.resources());
        if (!tuned.problems().isEmpty()) {
            return Plan.fail("PostgreSQL cannot be tuned as set (nothing was changed):\n- " + String.join("\n- ", tuned.problems()));
        }
        List<PostgresSetting> toWrite = new ArrayList<>();
        List<String> toRestart = new ArrayList<>();
        List<String> toReload = new ArrayList<>();
        Map<PostgresSetting, String> summaries = new HashMap<>();
        for (Map.Entry<PostgresSetting, Double> entry : tuned.values().entrySet()) {
            PostgresSetting setting = entry.getKey();
            double wanted = entry.getValue();
            Optional<ServerSetting> server = Optional.ofNullable(state.settings().get(setting.key()));
            if (state.unavailable().isEmpty() && server.isEmpty()) {
                return Plan.fail("PostgreSQL " + state.resources().majorVersion().orElse(0) + " has no setting " + setting.key());
            }
            Optional<Double> running = server.map(s -> setting.parseRunning(s.setting(), s.unit()));
            Optional<Double> configured = server.flatMap(ServerSetting::configured).flatMap(setting::parseConfigured);
            boolean floor = setting == PostgresSetting.MAX_CONNECTIONS && !tuning.isSet(setting);
            if (configured.filter(value -> floor ? value >= wanted : value == wanted).isEmpty()) {
                toWrite.add(setting);
                String change = running.filter(value -> value == wanted).isPresent() ? setting.render(wanted) + ", as it runs now"
                        : running.map(value -> setting.render(value) + " → ").orElse("to ") + setting.render(wanted);
                summaries.put(setting, setting.key() + " " + change + configured.filter(value -> !value.equals(running.orElse(null)))
                        .map(value -> " (configured " + setting.render(value) + ")").orElse(""));
            }
            if (running.filter(value -> floor ? value >= wanted : value == wanted).isEmpty()) {
                boolean atStart = server.map(s -> s.context().equals("postmaster")).orElse(true);
                (atStart ? toRestart : toReload).add(setting.key());
            }
        }
        List<Change> changes = new ArrayList<>();
        String note = state.unavailable().map(why -> " (PostgreSQL did not answer: " + why + ")").orElse("");
        for (PostgresSetting setting : toWrite) {
            String keep = changes.isEmpty() && !toRestart.isEmpty() ? keepCurrentConfiguration() : "";
            changes.add(Change.of("set " + summaries.get(setting) + (changes.isEmpty() ? note : ""), keep + PSQL + " <<'SQL'\n"
                    + "ALTER SYSTEM SET " + setting.key() + " = '" + setting.render(tuned.values().get(setting)) + "';\nSQL\n"));
        }
        if (!toRestart.isEmpty()) {
            changes.add(Change.of(state.unavailable().isPresent() ? "restart PostgreSQL so that these settings take effect"
                    : "restart PostgreSQL: " + String.join(", ", toRestart) + " take effect only at server start", restart()));
        } else if (!toReload.isEmpty()) {
            changes.add(Change.of("reload PostgreSQL's configuration for " + String.join(", ", toReload),
                    "printf '%s\\n' 'SELECT pg_reload_conf();' | " + PSQL + " >/dev/null\n"));
        }
        return Plan.of(changes);
    }

    /** A copy of postgresql.auto.conf as it is, for {@link #restart()} to go back to. */
    static String keepCurrentConfiguration() {
        return "data=$(printf '%s\\n' 'SHOW data_directory;' | " + PSQL + ") || exit 1\n"
                + "cp -p \"$data/postgresql.auto.conf\" \"$data/" + ROLLBACK + "\" || exit 1\n";
    }

    /** Debian names the cluster "18/main"; its unit is postgresql@18-main. */
    static String restart() {
        return "cluster=$(printf '%s\\n' 'SHOW cluster_name;' | " + PSQL + ") || exit 1\n"
                + "data=$(printf '%s\\n' 'SHOW data_directory;' | " + PSQL + ") || exit 1\n"
                + "unit=postgresql; [ -n \"$cluster\" ] && unit=\"postgresql@$(printf '%s' \"$cluster\" | tr / -)\"\n"
                + "if systemctl restart \"$unit\"; then rm -f \"$data/" + ROLLBACK + "\"; exit 0; fi\n"
                + "if [ -f \"$data/" + ROLLBACK + "\" ]; then\n"
                + "  mv -f \"$data/" + ROLLBACK + "\" \"$data/postgresql.auto.conf\" && systemctl restart \"$unit\" &&\n"
                + "    echo \"PostgreSQL did not start with the new settings, so postgresql.auto.conf is back as it was and PostgreSQL"
                + " runs with it. See journalctl -u $unit for what it refused, and set that setting lower (postgres_<setting>).\" >&2\n"
                + "fi\n"
                + "exit 1\n";
    }

    private static String command() {
        String names = Arrays.stream(PostgresSetting.values()).map(s -> "'" + s.key() + "'").collect(Collectors.joining(", "));
        return "awk '/^MemTotal:/ { print \"memory_kb\\t\" $2 }' /proc/meminfo\n"
                // a container's own limit, which /proc/meminfo does not show (cgroup v2, then v1)
                + "printf 'memory_limit\\t%s\\n' \"$(cat /sys/fs/cgroup/memory.max 2>/dev/null || cat /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null)\"\n"
                + "printf 'cores\\t%s\\n' \"$(nproc 2>/dev/null || grep -c '^processor' /proc/cpuinfo)\"\n"
                // the device PostgreSQL's data lives on, or will: unknown (inside a container, say) counts as solid state
                + "data=/var/lib/postgresql; [ -d \"$data\" ] || data=/var/lib\n"
                + "printf 'rotational\\t%s\\n' \"$(lsblk -dno ROTA \"$(findmnt -no SOURCE -T \"$data\" 2>/dev/null)\" 2>/dev/null | head -n 1 | tr -d ' ')\"\n"
                + "if settings=$( " + PSQL + " 2>&1 <<'SQL'\n"
                + "select concat_ws(E'\\t', 'version', current_setting('server_version_num'));\n"
                + "select concat_ws(E'\\t', 'setting', s.name, s.setting, coalesce(s.unit, ''), s.context, coalesce(f.setting, ''))\n"
                + "  from pg_settings s\n"
                + "  left join lateral (select setting from pg_file_settings f where f.name = s.name order by f.seqno desc limit 1) f on true\n"
                + " where s.name in (" + names + ");\n"
                + "SQL\n"
                + "); then printf '%s\\n' \"$settings\"; else printf 'unavailable\\t%s\\n' \"$(printf '%s' \"$settings\" | tr '\\t\\n' '  ')\"; fi\n";
    }

    static HostState parse(CommandResult result) {
        Map<String, String> host = new HashMap<>();
        Map<String, ServerSetting> settings = new HashMap<>();
        Optional<String> unavailable = Optional.empty();
        OptionalInt major = OptionalInt.empty();
        for (String line : result.stdout().split("\n")) {
            String[] f = line.split("\t", -1);
            switch (f[0]) {
                case "memory_kb", "memory_limit", "cores", "rotational" -> host.put(f[0], f.length > 1 ? f[1].strip() : "");
                case "version" -> major = OptionalInt.of(Integer.parseInt(f[1].strip()) / 10_000);
                case "setting" -> {
                    if (f.length < 6) {
                        throw new FactException("unexpected line from pg_settings: " + line);
                    }
                    settings.put(f[1], new ServerSetting(f[1], f[2], f[3], f[4], Optional.of(f[5]).filter(value -> !value.isEmpty())));
                }
                case "unavailable" -> unavailable = Optional.of(f.length > 1 ? f[1].strip() : "");
                case "" -> {
                }
                default -> throw new FactException("unexpected line about PostgreSQL's host: " + line);
            }
        }
        if (!host.getOrDefault("memory_kb", "").matches("\\d+") || !host.getOrDefault("cores", "").matches("\\d+")) {
            throw new FactException("cannot read this host's memory (/proc/meminfo) and cores (nproc): " + result.stdout() + result.stderr());
        }
        if (major.isEmpty() && unavailable.isEmpty()) {
            throw new FactException("no answer from PostgreSQL's part of the host facts: " + result.stderr().strip());
        }
        PostgresTuning.Storage storage = host.getOrDefault("rotational", "").equals("1")
                ? PostgresTuning.Storage.ROTATIONAL : PostgresTuning.Storage.SOLID_STATE;
        long memoryKb = Long.parseLong(host.get("memory_kb"));
        String limit = host.getOrDefault("memory_limit", "");
        if (limit.matches("\\d{1,18}")) {
            memoryKb = Math.min(memoryKb, Long.parseLong(limit) / 1024);
        }
        PostgresTuning.Resources resources = new PostgresTuning.Resources(memoryKb,
                Integer.parseInt(host.get("cores")), major, storage);
        return new HostState(resources, Map.copyOf(settings), unavailable);
    }
}
