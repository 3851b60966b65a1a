package dev.provision.it.playbooks;

import dev.provision.engine.report.HostReport;
import dev.provision.engine.report.Status;
import dev.provision.engine.report.TaskResult;
import dev.provision.playbooks.synapse.SynapseServer;
import dev.provision.testbed.DebianHost;
import dev.provision.testkit.HostRuns;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The guide's starting point ({@link AdoptionStartingPoint}) on SQLite, taken over on Debian sid. Without
 * {@code synapse_port_sqlite} the run stops before changing anything; with it the data moves to PostgreSQL and
 * everything the users had still answers, through main (without txredisapi the workers wait, see the skipped test).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SynapseAdoptionIT {

    private static final String SERVER_NAME = AdoptionStartingPoint.SERVER_NAME;
    private static final Map<String, Object> VARS = Map.of("server_name", SERVER_NAME, "package_source", "debian",
            "redis_client", "stage_workers");

    private static DebianHost debian;
    private static AdoptionStartingPoint start;

    @BeforeAll
    static void theGuidesStartingPoint() {
        debian = DebianHost.sid().start();
        start = AdoptionStartingPoint.on(debian, AdoptionStartingPoint.Database.SQLITE);
    }

    @AfterAll
    static void stop() {
        if (debian != null) {
            debian.close();
        }
    }

    @Test
    @Order(1)
    void withoutThePortingOptionTheRunStopsBeforeChangingAnything() {
        String before = run("find /etc -newer /etc/hostname -type f | sort | xargs sha256sum");
        String main = invocation("matrix-synapse.service");

        HostReport check = HostRuns.on(debian).withVars(VARS).check(new SynapseServer());
        HostReport apply = HostRuns.on(debian).withVars(VARS).apply(new SynapseServer());

        for (HostReport report : new HostReport[] {check, apply}) {
            TaskResult failed = report.results().stream().filter(r -> r.status() == Status.FAILED).findFirst().orElseThrow();
            assertThat(failed.name()).startsWith("a Synapse already here can be taken over");
            assertThat(failed.message()).hasValueSatisfying(message -> assertThat(message)
                    .contains("/var/lib/matrix-synapse/homeserver.db", "synapse_port_sqlite: true", "nothing has been changed"));
            assertThat(report.changed()).isZero();
        }
        assertThat(run("find /etc -newer /etc/hostname -type f | sort | xargs sha256sum")).isEqualTo(before);
        assertThat(invocation("matrix-synapse.service")).isEqualTo(main);
        assertThat(https("GET", "/_matrix/client/v3/account/whoami", null)).contains("@alice:" + SERVER_NAME);
    }

    @Test
    @Order(2)
    void withThePortingOptionTheDataMovesToPostgresAndEverythingStillAnswers() {
        Map<String, Object> porting = new HashMap<>(VARS);
        porting.put("synapse_port_sqlite", true);

        HostReport first = HostRuns.on(debian).withVars(porting).apply(new SynapseServer());

        assertThat(first.failed()).as(HostRuns.describe(first)).isZero();
        start.assertAdopted();

        HostReport second = HostRuns.on(debian).withVars(porting).apply(new SynapseServer());
        assertThat(HostRuns.named(second, Status.CHANGED)).as(HostRuns.describe(second)).isEmpty();
        assertThat(run("ls /var/backups/provision | wc -l").strip()).as("one backup, before the first change").isEqualTo("1");
    }

    @Test
    @Order(3)
    void theWorkersServeTheOldData() {
        Optional<String> source = Optional.ofNullable(System.getProperty("provision.txredisapi"))
                .or(() -> Optional.ofNullable(System.getenv("PROVISION_TXREDISAPI"))).filter(s -> !s.isBlank());
        assumeTrue(source.isPresent(), "no txredisapi source given: set -Dprovision.txredisapi=PATH (a checkout of"
                + " github.com/IlyaSkriblovsky/txredisapi); without it the workers wait for Synapse's Redis client, so the"
                + " media worker cannot serve the upload and only main's answers are proven");
        Map<String, Object> install = new HashMap<>(VARS);
        install.remove("redis_client");
        install.put("txredisapi_source", source.get());
        install.put("synapse_port_sqlite", true);
        HostReport report = HostRuns.on(debian).withVars(install).apply(new SynapseServer());
        assertThat(report.failed()).as(HostRuns.describe(report)).isZero();
        String download = "/_matrix/client/v1/media/download/" + SERVER_NAME + "/" + start.mediaId;
        String served = run("for i in $(seq 60); do curl -sfk --resolve " + SERVER_NAME + ":443:127.0.0.1 -H 'Authorization: Bearer " + start.token()
                + "' https://" + SERVER_NAME + download + " | sha256sum && exit 0; sleep 2; done; exit 1");
        assertThat(served.substring(0, 64)).isEqualTo(run("sha256sum < /root/upload.bin").substring(0, 64));
        assertThat(run("tail -n 1 /var/log/nginx/matrix-synapse.access.log")).contains("inbound_mediaworker.sock");
        assertThat(https("GET", "/_matrix/client/v3/sync?timeout=0", null)).contains("second message");
    }

    private static String https(String method, String uri, String body) {
        return start.https(method, uri, body);
    }

    private static String run(String command) {
        return start.run(command);
    }

    private static String invocation(String unit) {
        return run("systemctl show -P InvocationID " + unit).strip();
    }
}
