package dev.provision.it.reliability;

import dev.provision.dsl.Host;
import dev.provision.playbooks.synapse.PackageSource;
import dev.provision.playbooks.synapse.RenderedFile;
import dev.provision.playbooks.synapse.SecretFile;
import dev.provision.playbooks.synapse.SynapseDeployment;
import dev.provision.playbooks.synapse.SynapseServer;
import dev.provision.playbooks.synapse.SynapseTopology;
import dev.provision.testbed.DebianHost;
import dev.provision.testbed.junit.TestHost;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Synapse playbook on Debian sid, its controller killed with SIGKILL at random points of the first run, over and
 * over ({@code -Dprovision.killLoop=N}, default 3; {@code -Dprovision.killSeed} repeats a sequence). After every kill,
 * and again once the host has finished what the dead run had sent it, each managed file holds a whole version: absent,
 * what it held before that run, what the playbook renders, or what its package shipped; never a part of one. Then a
 * re-run converges and the next changes nothing. Every run is {@code -vv --diff --json}, and no secret value from the
 * host's secret files may appear in any of that output, in root's shell history or in the journal.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SynapseFaultsIT {

    private static final Map<String, Object> VARS = Map.of("server_name", "demo.local", "package_source", "debian",
            "redis_client", "stage_workers");
    private static final SynapseDeployment DEPLOYMENT = SynapseDeployment.of(
            SynapseTopology.forServer("demo.local").packagedBy(PackageSource.DEBIAN).build());
    private static final String REDIS_CONF = "/etc/redis/redis.conf";

    @TestHost
    private static final DebianHost host = DebianHost.sid();
    @TempDir
    static Path dir;
    private static Path inventory;
    private static final List<Path> outputs = new ArrayList<>();
    private static int runs;

    /** Every file's sha256 and md5 ("-" when absent) at one moment, and the md5 of each conffile as its package shipped it. */
    record Snapshot(String moment, Map<String, String> sha256, Map<String, String> md5, Map<String, String> shipped) {
    }

    @BeforeAll
    static void writeTheInventory() {
        inventory = TestInventory.create().host("synapse", host, SynapseServer.class.getName(),
                VARS.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().toString())))
                .writeTo(dir.resolve("inventory.yaml"));
    }

    private static Controller provision(String... options) {
        runs++;
        Path log = dir.resolve("run-" + runs + ".log");
        outputs.add(log);
        Path json = dir.resolve("run-" + runs + ".json");
        outputs.add(json);
        List<String> args = new ArrayList<>(List.of("apply", "-vv", "--diff", "--json", json.toString(), "-i", inventory.toString()));
        args.addAll(List.of(options));
        args.add("synapse");
        return Controller.start(log, args.toArray(String[]::new));
    }

    @Test
    @Order(1)
    void killedAtRandomPointsTheFirstRunLeavesEveryFileWholeAndAReRunConverges() throws Exception {
        long seed = Long.getLong("provision.killSeed", System.nanoTime());
        Random random = new Random(seed);
        int steps = new SynapseServer().definition(new Host("synapse", VARS)).entries().size();
        System.out.printf("[kill loop] %d kills, seed %d (-Dprovision.killSeed=%d repeats them), %d steps%n", KillPoint.KILLS, seed, seed, steps);
        // each run after a kill passes the finished steps quickly and goes on: later points land further into the first run's work
        int[] points = random.ints(KillPoint.KILLS, 1, steps).sorted().toArray();
        List<Snapshot> snapshots = new ArrayList<>(List.of(snapshot("before the first run")));
        for (int kill = 1; kill <= KillPoint.KILLS; kill++) {
            String when = KillPoint.kill("kill loop", provision(), kill, points[kill - 1], random.nextInt(1000));
            snapshots.add(snapshot(when + ", at once"));
            KillPoint.awaitRemoteShellGone(host);
            snapshots.add(snapshot(when + ", once the host finished"));
            assertThat(host.exec("find /etc -name '.*.provision-*' -o -name '.secret-*'").stdout()).as("no temporary file left").isEmpty();
        }

        long started = System.nanoTime();
        Controller converge = provision();
        assertThat(converge.await(KillPoint.RUN_LIMIT)).as(converge.output()).isZero();
        System.out.printf("[kill loop] the re-run converged in %.1f s:%n%s%n", (System.nanoTime() - started) / 1e9, KillPoint.recap(converge.output()));
        Controller again = provision("--detailed-exitcodes");
        assertThat(again.await(KillPoint.RUN_LIMIT)).as("the run after changes nothing:\n" + again.output()).isZero();

        Snapshot converged = snapshot("converged");
        for (int i = 1; i < snapshots.size(); i++) {
            Snapshot previousSettled = snapshots.get(i % 2 == 1 ? i - 1 : i - 2);
            assertWhole(snapshots.get(i), previousSettled, converged);
        }
    }

    @Test
    @Order(2)
    void noSecretValueAppearsInAnyOutputReportHistoryOrTheJournal() throws IOException {
        List<String> secrets = secretValues();
        assertThat(secrets).isNotEmpty();
        String everything = outputs.stream().filter(Files::exists).map(SynapseFaultsIT::read).collect(Collectors.joining("\n"));
        assertThat(everything).contains("$ [exit 0]", "\"status\"");
        String history = host.exec("cat /root/.sh_history /root/.bash_history /root/.ash_history 2>/dev/null || true").stdout();
        String journal = host.exec("journalctl --no-pager -o cat").stdout();
        System.out.printf("[secrets] %d values searched in %d KiB of output and reports, %d B of shell history, %d KiB of journal%n",
                secrets.size(), everything.length() / 1024, history.length(), journal.length() / 1024);
        for (String secret : secrets) {
            assertThat(everything).as("output and reports").doesNotContain(secret);
            assertThat(history).as("shell history").doesNotContain(secret);
            assertThat(journal).as("journal").doesNotContain(secret);
        }
    }

    private static List<String> managedFiles() {
        return Stream.of(DEPLOYMENT.files().stream().map(RenderedFile::path), DEPLOYMENT.secretFiles().stream().map(SecretFile::path),
                Stream.of(REDIS_CONF)).flatMap(s -> s).distinct().toList();
    }

    private static Snapshot snapshot(String moment) {
        String files = managedFiles().stream().map(f -> "'" + f + "'").collect(Collectors.joining(" "));
        String out = host.exec("for f in " + files + "; do if [ -f \"$f\" ]; then printf '%s %s %s\\n' \"$(sha256sum < \"$f\" | cut -c1-64)\""
                + " \"$(md5sum < \"$f\" | cut -c1-32)\" \"$f\"; else echo \"- - $f\"; fi; done;"
                + " dpkg-query -W -f='${Conffiles}\\n' 2>/dev/null | awk 'NF >= 2 { print \"shipped\", $2, $1 }'").requireSuccess().stdout();
        Map<String, String> sha256 = new LinkedHashMap<>();
        Map<String, String> md5 = new LinkedHashMap<>();
        Map<String, String> shipped = new LinkedHashMap<>();
        for (String line : out.lines().toList()) {
            String[] fields = line.split(" ", 3);
            if (fields[0].equals("shipped")) {
                shipped.put(fields[2], fields[1]);
            } else {
                sha256.put(fields[2], fields[0]);
                md5.put(fields[2], fields[1]);
            }
        }
        return new Snapshot(moment, sha256, md5, shipped);
    }

    /** Every managed file is absent, as before the run, as rendered, as converged, or as its package shipped it. */
    private static void assertWhole(Snapshot snapshot, Snapshot before, Snapshot converged) {
        Map<String, String> rendered = DEPLOYMENT.files().stream()
                .collect(Collectors.toMap(RenderedFile::path, file -> sha256(file.content()), (a, b) -> a));
        for (String file : managedFiles()) {
            String now = snapshot.sha256().get(file);
            Set<String> whole = Stream.of("-", before.sha256().get(file), converged.sha256().get(file), rendered.get(file))
                    .filter(s -> s != null).collect(Collectors.toSet());
            boolean asShipped = snapshot.md5().get(file).equals(snapshot.shipped().get(file));
            assertThat(whole.contains(now) || asShipped).as(file + " " + snapshot.moment() + ": sha256 " + now
                    + " is none of absent, before the run, rendered, converged, or as its package shipped it").isTrue();
        }
    }

    /** The values in the host's secret files, without their prefixes. */
    private static List<String> secretValues() {
        List<String> values = new ArrayList<>();
        for (SecretFile file : DEPLOYMENT.secretFiles()) {
            String content = host.exec("cat '" + file.path() + "'").requireSuccess().stdout().strip();
            values.add(content.substring(file.contentPrefix().length()));
        }
        return values;
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
