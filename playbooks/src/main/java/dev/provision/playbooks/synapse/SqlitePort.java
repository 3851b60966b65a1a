package dev.provision.playbooks.synapse;

import dev.provision.task.Change;
import dev.provision.task.Plan;
import dev.provision.task.Shell;
import dev.provision.tasks.files.AtomicWrite;
import dev.provision.tasks.files.Mode;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * With {@code synapse_port_sqlite: true}, a SQLite database with data moves to PostgreSQL in one change: Synapse
 * stops, Synapse's own {@code synapse_port_db} copies the data (it resumes a copy that was cut short), the row counts
 * of the main tables must agree, and only then does {@code conf.d/database.yaml} name PostgreSQL and Synapse start
 * on it, with main's drop-in in place: its {@code Group=matrix-synapse} is what lets main into the secrets directory
 * that holds the passfile. Any failure on the way starts Synapse again on SQLite, untouched, and the next run starts the port again.
 */
final class SqlitePort extends OneFactTask<ExistingServer> {

    static final List<String> COUNTED_TABLES = List.of("users", "rooms", "events", "access_tokens");
    static final String PORT_LOG = "/var/log/matrix-synapse/synapse_port_db.log";
    private static final String WORK_DIRECTORY = "/var/lib/matrix-synapse";

    private static final String PENDING_UPDATES = "import sqlite3, sys\n"
            + "db = sqlite3.connect('file:%s?mode=ro' % sys.argv[1], uri=True)\n"
            + "print(db.execute('select count(*) from background_updates').fetchone()[0])\n";

    private static final String COMPARE_COUNTS = "import sqlite3, sys, psycopg2\n"
            + "lite = sqlite3.connect('file:%s?mode=ro' % sys.argv[1], uri=True)\n"
            + "pg = psycopg2.connect(dbname=sys.argv[2], user=sys.argv[3], host=sys.argv[4], port=sys.argv[5], passfile=sys.argv[6])\n"
            + "differ = []\n"
            + "for table in sys.argv[7:]:\n"
            + "    before = lite.execute('select count(*) from ' + table).fetchone()[0]\n"
            + "    cursor = pg.cursor()\n"
            + "    cursor.execute('select count(*) from ' + table)\n"
            + "    after = cursor.fetchone()[0]\n"
            + "    print('%s: %d rows in SQLite, %d in PostgreSQL' % (table, before, after))\n"
            + "    if before != after:\n"
            + "        differ.append(table)\n"
            + "sys.exit('row counts differ: ' + ', '.join(differ) if differ else 0)\n";

    private final SynapseTopology topology;
    private final RenderedFile databaseYaml;
    private final RenderedFile mainDropIn;
    private final boolean allowed;

    SqlitePort(SynapseTopology topology, RenderedFile databaseYaml, RenderedFile mainDropIn, AdoptionOptions options) {
        super("Synapse's SQLite database", ExistingServer.fact(topology.publicHostname()));
        this.topology = topology;
        this.databaseYaml = databaseYaml;
        this.mainDropIn = mainDropIn;
        this.allowed = options.portSqlite();
    }

    @Override
    Plan planFor(ExistingServer now) {
        Optional<String> sqlite = now.sqliteWithData();
        if (sqlite.isEmpty() || !allowed || topology.database().isEmpty()) {
            return Plan.ok();
        }
        PostgresDatabase db = topology.database().get();
        String signingKey = now.value("signing_key_path").orElseThrow(() -> new IllegalStateException(
                "synapse_port_db needs the signing key, and no signing_key_path is set in Synapse's configuration"));
        return Plan.of(Change.of("stop Synapse, copy " + sqlite.get() + " into PostgreSQL database " + db.name()
                + " with synapse_port_db, compare the rows of " + String.join(", ", COUNTED_TABLES) + ", then switch "
                + databaseYaml.path() + " to PostgreSQL and start Synapse (any failure starts it again on SQLite)",
                script(sqlite.get(), signingKey, db)));
    }

    private String script(String sqlite, String signingKey, PostgresDatabase db) {
        String python = topology.packageSource().python();
        String asSynapse = "runuser -u matrix-synapse -g " + SynapseConfigFiles.GROUP + " -- ";
        String main = SynapseDeployment.MAIN_SERVICE;
        String lite = Shell.quote(sqlite);
        String portConfig = "server_name: " + topology.serverName() + "\nsigning_key_path: " + signingKey + "\n" + databaseYaml.content();

        return "cd " + WORK_DIRECTORY + " || exit 1\n"
                + "pending=$(" + asSynapse + python + " -c " + Shell.quote(PENDING_UPDATES) + " " + lite + ") || exit 1\n"
                + "if [ \"$pending\" != 0 ]; then echo \"$pending background updates are still running in \"" + lite
                + "\"; synapse_port_db refuses such a database: let Synapse finish them, then run again (nothing changed)\" >&2; exit 1; fi\n"
                + "work=$(mktemp -d " + WORK_DIRECTORY + "/.port-XXXXXX) || exit 1\n"
                + "trap '' HUP\n"
                + "trap 'rm -rf \"$work\"; systemctl start " + main + "' EXIT\n"
                + "systemctl stop " + main + " || exit 1\n"
                + Shell.pipe(portConfig.getBytes(StandardCharsets.UTF_8), "cat > \"$work/port.yaml\"")
                + "chown -R matrix-synapse \"$work\" || exit 1\n"
                + "if ! " + asSynapse + "synapse_port_db --sqlite-database " + lite + " --postgres-config \"$work/port.yaml\" > "
                + PORT_LOG + " 2>&1; then tail -n 20 " + PORT_LOG + " >&2; echo 'synapse_port_db failed; Synapse runs on SQLite again' >&2; exit 1; fi\n"
                + asSynapse + python + " -c " + Shell.quote(COMPARE_COUNTS) + " " + lite + " " + String.join(" ", Shell.quote(db.name()),
                Shell.quote(db.user()), Shell.quote(db.host()), String.valueOf(db.port()), Shell.quote(db.passfile()))
                + " " + String.join(" ", COUNTED_TABLES) + " || exit 1\n"
                + "( " + write(mainDropIn) + ") || exit 1\n"
                + "systemctl daemon-reload || exit 1\n"
                + "( " + write(databaseYaml) + ") || exit 1\n"
                + "trap 'rm -rf \"$work\"' EXIT\n"
                + "if ! systemctl start " + main + "; then\n"
                + "  rm -f -- " + Shell.quote(databaseYaml.path()) + "\n"
                + "  systemctl start " + main + "\n"
                + "  echo 'Synapse did not start on PostgreSQL; it runs on SQLite again' >&2\n"
                + "  exit 1\n"
                + "fi\n";
    }

    private static String write(RenderedFile file) {
        return AtomicWrite.of(file.path(), file.content().getBytes(StandardCharsets.UTF_8)).owner(Optional.of(file.owner()))
                .group(Optional.of(file.group())).mode(Optional.of(Mode.of(file.mode()))).script();
    }
}
