package dev.provision.it.playbooks;

import dev.provision.engine.report.HostReport;
import dev.provision.engine.report.Status;
import dev.provision.playbooks.synapse.SynapseServer;
import dev.provision.testbed.DebianHost;
import dev.provision.testkit.HostRuns;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The guide's starting point ({@link AdoptionStartingPoint}) with Synapse already on a local PostgreSQL database, the
 * one the topology expects ({@code synapse} owned by {@code synapse}), taken over on Debian sid: the database is kept
 * and dumped into the backup, and everything the users had still answers; a second apply changes nothing.
 */
class SynapsePostgresAdoptionIT {

    private static final Map<String, Object> VARS = Map.of("server_name", AdoptionStartingPoint.SERVER_NAME,
            "package_source", "debian", "redis_client", "stage_workers");

    private static DebianHost debian;
    private static AdoptionStartingPoint start;

    @BeforeAll
    static void theGuidesStartingPointOnPostgres() {
        debian = DebianHost.sid().start();
        start = AdoptionStartingPoint.on(debian, AdoptionStartingPoint.Database.POSTGRES);
    }

    @AfterAll
    static void stop() {
        if (debian != null) {
            debian.close();
        }
    }

    @Test
    void theDatabaseInUseIsKeptAndEverythingStillAnswers() {
        String users = start.psql("select count(*) from users");
        String events = start.psql("select count(*) from events");

        HostReport first = HostRuns.on(debian).withVars(VARS).apply(new SynapseServer());

        assertThat(first.failed()).as(HostRuns.describe(first)).isZero();
        assertThat(HostRuns.named(first, Status.CHANGED)).as("nothing to port").noneMatch(name -> name.contains("SQLite"));
        start.assertAdopted();
        assertThat(users).isEqualTo("2");
        assertThat(start.psql("select count(*) from events")).as("no event lost").isEqualTo(events);
        assertThat(start.run("pg_restore -l /var/backups/provision/*/synapse.pgdump | grep -c 'TABLE DATA'").strip())
                .as("the backup's dump holds the tables' data").isNotEqualTo("0");

        HostReport second = HostRuns.on(debian).withVars(VARS).apply(new SynapseServer());
        assertThat(HostRuns.named(second, Status.CHANGED)).as(HostRuns.describe(second)).isEmpty();
        start.assertTheOldDataAnswers();
    }
}
