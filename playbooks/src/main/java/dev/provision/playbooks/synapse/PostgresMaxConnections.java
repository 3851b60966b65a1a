package dev.provision.playbooks.synapse;

import dev.provision.task.Change;
import dev.provision.task.CommandResult;
import dev.provision.task.Fact;
import dev.provision.task.Plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * PostgreSQL's {@code max_connections} at least a number, set with {@code ALTER SYSTEM} (which works for
 * whatever cluster version Debian installed) and made effective by restarting the cluster, since the
 * setting only takes effect at server start. A higher value set by someone else is left alone.
 */
final class PostgresMaxConnections extends OneFactTask<Optional<PostgresMaxConnections.Settings>> {

    private static final String PSQL = "cd / && runuser -u postgres -- psql -X -qAt -d postgres -v ON_ERROR_STOP=1";

    /** The running value, then the value the configuration files (postgresql.auto.conf last) give the next start. */
    private static final Fact<Optional<Settings>> SETTINGS = Fact.of(PSQL + " -F ' ' -c \"select current_setting('max_connections'),"
                    + " (select setting from pg_file_settings where name = 'max_connections' order by seqno desc limit 1)\"",
            PostgresMaxConnections::parse);

    record Settings(int running, Optional<Integer> configured) {
    }

    private final int atLeast;

    PostgresMaxConnections(int atLeast) {
        super("PostgreSQL max_connections >= " + atLeast, SETTINGS);
        this.atLeast = atLeast;
    }

    @Override
    Plan planFor(Optional<Settings> settings) {
        List<Change> changes = new ArrayList<>();
        if (settings.flatMap(Settings::configured).filter(value -> value >= atLeast).isEmpty()) {
            changes.add(Change.of("set max_connections = " + atLeast + " (ALTER SYSTEM)",
                    PSQL + " -c 'ALTER SYSTEM SET max_connections = " + atLeast + "'\n"));
        }
        if (settings.filter(s -> s.running() >= atLeast).isEmpty()) {
            changes.add(Change.of("restart PostgreSQL so that max_connections "
                            + settings.map(s -> s.running() + " → ").orElse("") + atLeast + " takes effect",
                    // Debian names the cluster "18/main"; its unit is postgresql@18-main
                    "cluster=$(" + PSQL + " -c 'show cluster_name') || exit 1\n"
                            + "systemctl restart \"postgresql@$(printf '%s' \"$cluster\" | tr / -)\"\n"));
        }
        return Plan.of(changes);
    }

    /** Empty when PostgreSQL does not answer yet (not installed in a check run). */
    private static Optional<Settings> parse(CommandResult result) {
        if (!result.succeeded()) {
            return Optional.empty();
        }
        String[] values = result.stdout().trim().split(" ", -1);
        Optional<Integer> configured = values.length > 1 && !values[1].isBlank() ? Optional.of(Integer.parseInt(values[1])) : Optional.empty();
        return Optional.of(new Settings(Integer.parseInt(values[0]), configured));
    }
}
