package dev.provision.it.reliability;

import dev.provision.dsl.Host;
import dev.provision.dsl.engine.Definition;
import dev.provision.it.playbooks.AdoptionStartingPoint;
import dev.provision.playbooks.synapse.SynapseServer;
import dev.provision.testbed.DebianHost;
import dev.provision.testbed.junit.TestHost;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The guide's starting point ({@link AdoptionStartingPoint}) on SQLite, adopted with {@code synapse_port_sqlite: true},
 * the controller killed with SIGKILL at random points of the adoption run ({@code -Dprovision.killLoop=N}, default 3;
 * {@code -Dprovision.killSeed} repeats a sequence). SQLite with the port is the start that touches the data most: main
 * stops, the data is copied and the database switched, where a start already on PostgreSQL only dumps it. Three kills
 * in four land at or before the port (the adoption check, the backup, the PostgreSQL role, database and passfile, the
 * port itself), the rest anywhere later. After each kill, once the host has finished what the dead run sent it, the
 * server serves its old data through nginx; then a re-run converges, the next changes nothing, and the data is there.
 */
class SynapseAdoptionFaultsIT {

    private static final Map<String, String> VARS = Map.of("server_name", AdoptionStartingPoint.SERVER_NAME,
            "package_source", "debian", "redis_client", "stage_workers", "synapse_port_sqlite", "true");
    private static final String PORT_STEP = "a SQLite database with data moves to PostgreSQL";

    @TestHost
    private static final DebianHost host = DebianHost.sid();
    @TempDir
    static Path dir;
    private static Path inventory;
    private static AdoptionStartingPoint start;
    private static int runs;

    @BeforeAll
    static void theGuidesStartingPoint() {
        start = AdoptionStartingPoint.on(host, AdoptionStartingPoint.Database.SQLITE);
        inventory = TestInventory.create().host("synapse", host, SynapseServer.class.getName(), VARS)
                .writeTo(dir.resolve("inventory.yaml"));
    }

    private static Controller provision(String... options) {
        runs++;
        List<String> args = new ArrayList<>(List.of("apply", "-vv", "-i", inventory.toString()));
        args.addAll(List.of(options));
        args.add("synapse");
        return Controller.start(dir.resolve("run-" + runs + ".log"), args.toArray(String[]::new));
    }

    @Test
    @Disabled("finds a fault not yet fixed: killed right after nginx's switch (seed 26240141272937), main does not answer"
            + " through nginx within a minute, likely because main's restart still waits in the handlers (RELIABILITY.md)")
    void killedAtRandomPointsBiasedEarlyTheServerServesItsOldDataAndAReRunConverges() throws Exception {
        long seed = Long.getLong("provision.killSeed", System.nanoTime());
        Random random = new Random(seed);
        List<Definition.StepEntry> steps = new SynapseServer().definition(new Host("synapse", Map.copyOf(VARS))).steps();
        int port = IntStream.range(0, steps.size()).filter(i -> steps.get(i).name().startsWith(PORT_STEP)).findFirst().orElseThrow();
        System.out.printf("[adoption kill loop] %d kills, seed %d (-Dprovision.killSeed=%d repeats them), %d steps, the port is step %d%n",
                KillPoint.KILLS, seed, seed, steps.size(), port + 1);
        // a kill after n finished tasks plus a jitter lands in task n+1; 0..port lands in the check, the backup, ... the port
        int[] points = IntStream.range(0, KillPoint.KILLS).map(i -> random.nextInt(4) < 3 ? random.nextInt(port + 1)
                : port + 1 + random.nextInt(steps.size() - port - 1)).sorted().toArray();
        for (int kill = 1; kill <= KillPoint.KILLS; kill++) {
            String when = KillPoint.kill("adoption kill loop", provision(), kill, points[kill - 1], random.nextInt(2000));
            KillPoint.awaitRemoteShellGone(host);
            awaitMainAnswers(when);
            start.assertTheOldDataAnswers();
        }

        long started = System.nanoTime();
        Controller converge = provision();
        assertThat(converge.await(KillPoint.RUN_LIMIT)).as(converge.output()).isZero();
        System.out.printf("[adoption kill loop] the re-run converged in %.1f s:%n%s%n", (System.nanoTime() - started) / 1e9,
                KillPoint.recap(converge.output()));
        Controller again = provision("--detailed-exitcodes");
        assertThat(again.await(KillPoint.RUN_LIMIT)).as("the run after changes nothing:\n" + again.output()).isZero();
        start.assertAdopted();
    }

    /** A main the dead run's last command restarted gets a minute to answer the saved token through nginx, as after any restart. */
    private static void awaitMainAnswers(String when) {
        assertThat(host.exec("for i in $(seq 60); do curl -sfk -o /dev/null --resolve " + AdoptionStartingPoint.SERVER_NAME
                + ":443:127.0.0.1 -H 'Authorization: Bearer " + start.token() + "' https://" + AdoptionStartingPoint.SERVER_NAME
                + "/_matrix/client/v3/account/whoami && exit 0; sleep 1; done; exit 1").exitCode())
                .as("main answers within a minute, " + when).isZero();
    }
}
