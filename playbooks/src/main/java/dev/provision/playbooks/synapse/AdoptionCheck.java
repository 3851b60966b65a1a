package dev.provision.playbooks.synapse;

import dev.provision.task.Plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The rules for taking over a server that already runs, checked against {@link ExistingServer} before anything
 * changes, so that check mode says the same: what cannot change (server_name, the package, the database holding
 * the data, as main's machine reaches it) stops the run with the fix; the signing key and the media store stay where homeserver.yaml has them
 * (the playbook sets neither key), inline secrets move into their files unchanged, and the nginx site is adopted.
 */
final class AdoptionCheck extends OneFactTask<ExistingServer> {

    private final SynapseTopology topology;
    private final AdoptionOptions options;

    AdoptionCheck(SynapseTopology topology, AdoptionOptions options) {
        super("the Synapse already on the host", ExistingServer.fact(topology.publicHostname()));
        this.topology = topology;
        this.options = options;
    }

    @Override
    Plan planFor(ExistingServer now) {
        List<String> problems = problems(now);
        return problems.isEmpty() ? Plan.ok() : Plan.fail(String.join("\n", problems));
    }

    List<String> problems(ExistingServer now) {
        List<String> problems = new ArrayList<>();
        String wanted = topology.packageSource().packageName();
        now.installedPackage().filter(installed -> !installed.equals(wanted)).ifPresent(installed -> problems.add(
                "Synapse is installed here as " + installed + ", and the topology installs " + wanted + ", which replaces it:"
                        + " set package_source to " + (installed.equals(PackageSource.DEBIAN.packageName()) ? "debian" : "matrix_org")));
        now.value("server_name").filter(name -> !name.equals(topology.serverName())).ifPresent(name -> problems.add(
                "this server's server_name is " + name + " (" + now.settings().get("server_name").file() + "), and the topology says "
                        + topology.serverName() + ": a server_name cannot change (it is part of every user ID, room alias and signed"
                        + " event), so set server_name: " + name));
        now.database().ifPresent(database -> databaseProblem(now, database).ifPresent(problems::add));
        if (now.sites().size() > 1) {
            problems.add("several nginx sites name " + topology.publicHostname() + " in server_name: "
                    + String.join(", ", now.sites().stream().map(ExistingServer.Site::path).toList()) + "; keep one");
        }
        now.sites().stream().findFirst().ifPresent(site -> AdoptedSite.of(site.content(), topology.publicHostname()).problem()
                .ifPresent(problem -> problems.add("the nginx site " + site.path() + ": " + problem)));
        return problems;
    }

    private Optional<String> databaseProblem(ExistingServer now, ExistingServer.Database database) {
        if (database.engine().equals("(flow)")) {
            return Optional.of("the database section in " + database.file() + " is written in YAML flow style ({...}), which this"
                    + " playbook does not read: write it as a block (name: on its own line, args: below it)");
        }
        Optional<PostgresDatabase> target = topology.database();
        if (database.sqlite()) {
            Optional<String> sqlite = now.sqliteWithData();
            if (sqlite.isEmpty() || target.isEmpty() || options.portSqlite()) {
                return Optional.empty();
            }
            return Optional.of("Synapse keeps its data in the SQLite database " + sqlite.get() + " (" + now.size(sqlite.get())
                    + " bytes), and workers need PostgreSQL: switching would start Synapse on an empty database. Set the host"
                    + " variable " + AdoptionOptions.PORT_SQLITE + ": true to stop Synapse, copy the data with synapse_port_db,"
                    + " compare the row counts and only then switch; nothing has been changed");
        }
        if (!database.engine().equals("psycopg2") || target.isEmpty()) {
            return target.isEmpty() ? Optional.of("Synapse uses the " + database.engine() + " database of " + database.file()
                    + ", and the topology has none: give it that database") : Optional.of("Synapse's database engine is "
                    + database.engine() + " (" + database.file() + "); this playbook knows sqlite3 and psycopg2");
        }
        PostgresDatabase db = SynapseDeployment.databaseAsSeenFrom(topology, topology.machine());
        Map<String, String> expected = Map.of("dbname", db.name(), "user", db.user(), "host", db.host(), "port", String.valueOf(db.port()));
        List<String> differences = new ArrayList<>();
        expected.forEach((arg, value) -> {
            String actual = database.arg(arg).or(() -> arg.equals("dbname") ? database.arg("database") : Optional.empty()).orElse("");
            if (!actual.isEmpty() && !actual.equals(value) && !(arg.equals("host") && local(actual) && local(value))) {
                differences.add(arg + " " + actual + " (the topology: " + value + ")");
            }
        });
        if (differences.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("Synapse uses another PostgreSQL database than the topology, whose database would be empty: "
                + String.join(", ", differences.stream().sorted().toList()) + " in " + database.file()
                + ". Set database_name and database_user to the ones in use");
    }

    private static boolean local(String host) {
        return List.of("localhost", "127.0.0.1", "::1").contains(host);
    }
}
