package dev.provision.playbooks.synapse;

import dev.provision.task.Change;
import dev.provision.task.Plan;
import dev.provision.task.Shell;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Before the playbook first changes a Synapse it did not set up, a copy of everything it may replace goes into one
 * directory, {@code /var/backups/provision/<UTC time>/}, paths kept: all of {@code /etc/matrix-synapse}, Redis's
 * configuration, the nginx site it adopts and any file it renders that exists; with a PostgreSQL database already in
 * use, a {@code pg_dump -Fc} of it too ({@code synapse_dump_database: false} skips that). A SQLite database is not
 * copied: the port only reads it, and it stays where it is. Once the playbook's own listeners.yaml is there, the host
 * counts as taken over and later runs back up nothing.
 */
final class TakeoverBackup extends OneFactTask<ExistingServer> {

    static final String DIRECTORY = "/var/backups/provision";

    private final SynapseTopology topology;
    private final List<String> renderedPaths;
    private final boolean dumpDatabase;

    TakeoverBackup(SynapseTopology topology, List<String> renderedPaths, AdoptionOptions options) {
        super("a backup of the running Synapse's configuration", ExistingServer.fact(topology.publicHostname()));
        this.topology = topology;
        this.renderedPaths = List.copyOf(renderedPaths);
        this.dumpDatabase = options.dumpDatabase();
    }

    @Override
    Plan planFor(ExistingServer now) {
        if (!now.installed() || now.configuredBefore()) {
            return Plan.ok();
        }
        Set<String> paths = new LinkedHashSet<>(List.of("/etc/matrix-synapse", "/etc/redis/redis.conf"));
        now.sites().forEach(site -> paths.add(site.path()));
        renderedPaths.stream().filter(path -> !path.startsWith("/etc/matrix-synapse/")).forEach(paths::add);
        Optional<String> dump = dumpDatabase ? postgresInUse(now) : Optional.empty();
        String quoted = paths.stream().map(Shell::quote).collect(Collectors.joining(" "));
        StringBuilder script = new StringBuilder()
                .append("umask 077\n")
                .append("dir=").append(DIRECTORY).append("/$(date -u +%Y%m%dT%H%M%SZ)\n")
                .append("mkdir -p -- \"$dir\" && chmod 0700 ").append(DIRECTORY).append(" \"$dir\" || exit 1\n")
                .append("for p in ").append(quoted).append("; do [ ! -e \"$p\" ] || cp -a --parents -- \"$p\" \"$dir\" || exit 1; done\n");
        dump.ifPresent(name -> script.append("runuser -u postgres -- pg_dump -Fc -d ").append(Shell.quote(name))
                .append(" > \"$dir/").append(name).append(".pgdump\" || { echo 'pg_dump of ").append(name)
                .append(" failed; set synapse_dump_database: false to go on without it' >&2; exit 1; }\n"));
        script.append("sync\necho \"backup in $dir\"\n");
        List<String> what = new ArrayList<>(paths);
        dump.ifPresent(name -> what.add("pg_dump of database " + name));
        return Plan.of(Change.of("copy " + String.join(", ", what) + " into " + DIRECTORY + "/<UTC time>/ before the first change",
                script.toString()));
    }

    private Optional<String> postgresInUse(ExistingServer now) {
        return now.database().filter(db -> db.engine().equals("psycopg2"))
                .flatMap(db -> db.arg("dbname").or(() -> db.arg("database")));
    }
}
