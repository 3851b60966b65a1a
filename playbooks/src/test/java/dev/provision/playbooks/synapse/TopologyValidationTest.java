package dev.provision.playbooks.synapse;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** One test per rule; each asserts that the message names the problem and the fix. */
class TopologyValidationTest {

    private static SynapseTopology.Builder guide() {
        return SynapseTopology.forServer("example.com");
    }

    private static SynapseTopology.Builder workers(SynapseWorker... workers) {
        return guide().workers(List.of(workers));
    }

    private static List<String> problems(SynapseTopology.Builder topology) {
        return topology.build().validate().stream().map(TopologyProblem::toString).toList();
    }

    @Test
    void theGuideLayoutIsValid() {
        assertThat(guide().build().validate()).isEmpty();
        assertThat(guide().workers(GuideLayout.standard().allStreamsOn("streamwriter")).build().validate()).isEmpty();
        assertThat(guide().withoutWorkers().withoutPostgres().withoutRedis().build().validate()).isEmpty();
    }

    @Test
    void duplicateWorkerNames() {
        assertThat(problems(workers(SynapseWorker.named("sync").doing(Duty.NORMAL_SYNC), SynapseWorker.named("sync").doing(Duty.INITIAL_SYNC))))
                .containsExactly("Worker name 'sync' is used by 2 workers. Fix: Give each worker its own name: "
                        + "it is the worker's instance_map key, systemd instance and file name.");
    }

    @Test
    void mainAndMasterAreReserved() {
        assertThat(problems(workers(SynapseWorker.named("main").doing(Duty.PUSHER), SynapseWorker.named("master").doing(Duty.LOGIN))))
                .containsExactly(
                        "Worker name 'main' is reserved: 'main' is the main process in instance_map, and Synapse calls it 'master' inside. Fix: Rename the worker.",
                        "Worker name 'master' is reserved: 'main' is the main process in instance_map, and Synapse calls it 'master' inside. Fix: Rename the worker.");
    }

    @Test
    void namesMustBeSystemdInstanceAndFileNames() {
        assertThat(problems(workers(
                SynapseWorker.named("a/b").doing(Duty.PUSHER),
                SynapseWorker.named("..").doing(Duty.PUSHER),
                SynapseWorker.named("fed:1").doing(Duty.FEDERATION_SENDER))))
                .containsExactly(
                        "Worker name 'a/b' is not a valid systemd instance name and file name. Fix: Use letters, digits, '_', '.' and '-', starting with a letter or digit, at most 225 characters.",
                        "Worker name '..' is not a valid systemd instance name and file name. Fix: Use letters, digits, '_', '.' and '-', starting with a letter or digit, at most 225 characters.",
                        "Worker name 'fed:1' is not a valid systemd instance name and file name. Fix: Use letters, digits, '_', '.' and '-', starting with a letter or digit, at most 225 characters.");
    }

    @Test
    void aWorkerWithoutRoleDoesNothing() {
        assertThat(problems(workers(SynapseWorker.named("idle"))))
                .containsExactly("Worker 'idle' has no duty and writes no stream: it would run and do nothing. Fix: Give it a duty or a stream, or remove it.");
    }

    @Test
    void socketDirectoryMustBeUnderRun() {
        assertThat(problems(guide().socketDirectory("/var/lib/synapse-sockets")))
                .containsExactly("Socket directory '/var/lib/synapse-sockets' is not under /run: the Synapse units create it as their RuntimeDirectory=, "
                        + "which is relative to /run. Fix: Use a directory under /run, e.g. /run/matrix-synapse.");
    }

    @Test
    void socketPathsFitSunPath() {
        String name = "w".repeat(71);
        assertThat(problems(workers(SynapseWorker.named(name).writing(Stream.TYPING))))
                .containsExactly("Socket path '/run/matrix-synapse/replication_" + name + ".sock' is 108 bytes, but a UNIX socket path may have "
                        + "at most 107 (sun_path holds 108 bytes including the terminating NUL). Fix: Shorten the socket directory or the worker name.");
    }

    @Test
    void singleWriterStreamsHaveOneWriter() {
        assertThat(problems(workers(SynapseWorker.named("t1").writing(Stream.TYPING), SynapseWorker.named("t2").writing(Stream.TYPING),
                SynapseWorker.named("r1").writing(Stream.RECEIPTS), SynapseWorker.named("r2").writing(Stream.RECEIPTS))))
                .containsExactly("Stream 'typing' has 2 writers (t1, t2), but Synapse allows exactly one writer for it. Fix: Let one worker write typing.");
    }

    @Test
    void streamWritersNeedAReplicationListener() {
        assertThat(problems(workers(SynapseWorker.named("typing").writing(Stream.TYPING).withoutReplicationListener())))
                .containsExactly("Worker 'typing' writes typing but has no replication listener, so it has no instance_map entry and other processes "
                        + "cannot reach it. Fix: Remove withoutReplicationListener() from 'typing'.");
    }

    @Test
    void singleInstanceDutiesHaveOneWorker() {
        assertThat(problems(workers(
                SynapseWorker.named("dir1").doing(Duty.USER_DIRECTORY), SynapseWorker.named("dir2").doing(Duty.USER_DIRECTORY),
                SynapseWorker.named("bg1").doing(Duty.BACKGROUND_TASKS), SynapseWorker.named("bg2").doing(Duty.BACKGROUND_TASKS))))
                .containsExactly(
                        "Duty 'user_directory' is given to 2 workers (dir1, dir2), but Synapse runs it on a single instance. Fix: Give user_directory to one worker.",
                        "Duty 'background_tasks' is given to 2 workers (bg1, bg2), but Synapse runs it on a single instance. Fix: Give background_tasks to one worker.");
    }

    @Test
    void workersNeedPostgres() {
        assertThat(problems(guide().withoutPostgres()))
                .containsExactly("The topology has 16 workers but no PostgreSQL database: all processes share one database, and Synapse supports workers "
                        + "only on PostgreSQL. Fix: Set database(PostgresDatabase.named(...)), or remove the workers.");
    }

    @Test
    void workersNeedRedis() {
        assertThat(problems(guide().withoutRedis()))
                .containsExactly("The topology has 16 workers but no Redis: Synapse's processes replicate through Redis, which must be enabled when "
                        + "using workers. Fix: Set redisSocket(...), or remove the workers.");
    }

    @Test
    void theDatabaseSocketOnlyAdmitsThePeerRole() {
        assertThat(problems(guide().database(PostgresDatabase.named("synapse").on("/var/run/postgresql", 5432))))
                .containsExactly("The database host /var/run/postgresql is PostgreSQL's UNIX socket, where Debian's pg_hba.conf uses peer authentication: "
                        + "role 'synapse' would be refused to the OS user matrix-synapse. "
                        + "Fix: Connect over TCP with on(\"127.0.0.1\", 5432) and the passfile, or name the role matrix-synapse.");
        assertThat(problems(guide().database(PostgresDatabase.named("synapse").ownedBy("matrix-synapse").on("/var/run/postgresql", 5432)))).isEmpty();
    }

    @Test
    void everyMachineOfASpreadTopologyNeedsAnAddress() {
        assertThat(problems(guide().machine("hs1").workers(List.of(SynapseWorker.named("pusher").doing(Duty.PUSHER).on("hs2")))))
                .containsExactly(
                        "Machine 'hs1' (main, Redis, PostgreSQL, nginx) has no address, but the topology spans 2 machines: the other machines' "
                                + "firewalls admit it by address, and its listeners bind it. Fix: Give it its private address: machineAddress(\"hs1\", \"10.0.0.x\").",
                        "Machine 'hs2' (pusher) has no address, but the topology spans 2 machines: the other machines' firewalls admit it by address, "
                                + "and its listeners bind it. Fix: Give it its private address: machineAddress(\"hs2\", \"10.0.0.x\").");
        assertThat(problems(guide().machine("hs1").workers(List.of(SynapseWorker.named("pusher").doing(Duty.PUSHER).on("hs2")))
                .machineAddress("hs1", "10.0.0.1").machineAddress("hs2", "10.0.0.2"))).isEmpty();
    }

    @Test
    void nginxMustReachEveryWorkerServingHttp() {
        assertThat(problems(guide().machine("b").machineAddress("b", "10.0.0.2")
                .workers(List.of(SynapseWorker.named("sync1").doing(Duty.NORMAL_SYNC).on("c"), SynapseWorker.named("fed").doing(Duty.FEDERATION_SENDER).on("c")))))
                .containsExactly("Machine 'c' (sync1, fed) has no address, but the topology spans 2 machines: nginx on 'b' cannot reach the HTTP "
                        + "listeners of sync1; the other machines' firewalls admit it by address, and its listeners bind it. "
                        + "Fix: Give it its private address: machineAddress(\"c\", \"10.0.0.x\").");
    }

    @Test
    void addressesArePrivateLiteralsOfTheTopologysMachines() {
        SynapseTopology.Builder spread = guide().machine("b").databaseOn("a").machineAddress("b", "10.0.0.2");
        assertThat(problems(spread.machineAddress("a", "a.example.com")))
                .containsExactly("Machine 'a' has address 'a.example.com', which is no IP address: listeners bind it, firewalls match it, and nginx "
                        + "resolves names only when it loads. Fix: Give the machine's private IPv4 or IPv6 address.");
        assertThat(problems(spread.machineAddress("a", "0.0.0.0")))
                .containsExactly("Machine 'a' has address '0.0.0.0', which would bind every interface, the public ones included. Fix: Give the machine's private address.");
        assertThat(problems(spread.machineAddress("a", "::")))
                .containsExactly("Machine 'a' has address '::', which would bind every interface, the public ones included. Fix: Give the machine's private address.");
        assertThat(problems(spread.machineAddress("a", "203.0.113.7")))
                .containsExactly("Machine 'a' has address '203.0.113.7', which is not private (RFC 1918 or IPv6 unique local): replication and Redis "
                        + "travel unencrypted, and replication is unauthenticated without its secret. Fix: Use a private network between the machines, "
                        + "or allowAddress(\"203.0.113.7\") if this network is private nonetheless.");
        assertThat(problems(spread.machineAddress("a", "203.0.113.7").allowAddress("203.0.113.7"))).isEmpty();
        assertThat(problems(spread.machineAddress("a", "fd12:3456::1"))).isEmpty();
        assertThat(problems(spread.machineAddress("a", "172.16.0.1"))).isEmpty();
        assertThat(problems(spread.machineAddress("a", "172.32.0.1"))).hasSize(1);
        assertThat(problems(spread.machineAddress("a", "10.0.0.2")))
                .containsExactly("Machines 'b' and 'a' have the same address 10.0.0.2. Fix: Give each machine its own address.");
        assertThat(problems(spread.machineAddress("a", "10.0.0.1").machineAddress("z", "10.0.0.9")))
                .containsExactly("An address is given for machine 'z', which runs nothing of this topology (machines: b, a). "
                        + "Fix: Correct the machine's name, or drop its address.");
    }

    @Test
    void singleOwnersAndUniqueNamesHoldAcrossMachines() {
        SynapseTopology.Builder spread = guide().machine("b").machineAddress("b", "10.0.0.2").machineAddress("c", "10.0.0.3");
        assertThat(problems(spread.workers(List.of(SynapseWorker.named("t").writing(Stream.TYPING), SynapseWorker.named("t2").writing(Stream.TYPING).on("c"),
                SynapseWorker.named("bg").doing(Duty.BACKGROUND_TASKS).on("c"), SynapseWorker.named("bg2").doing(Duty.BACKGROUND_TASKS),
                SynapseWorker.named("s").doing(Duty.NORMAL_SYNC), SynapseWorker.named("s").doing(Duty.NORMAL_SYNC).on("c")))))
                .containsExactly(
                        "Worker name 's' is used by 2 workers. Fix: Give each worker its own name: it is the worker's instance_map key, systemd instance and file name.",
                        "Stream 'typing' has 2 writers (t, t2), but Synapse allows exactly one writer for it. Fix: Let one worker write typing.",
                        "Duty 'background_tasks' is given to 2 workers (bg, bg2), but Synapse runs it on a single instance. Fix: Give background_tasks to one worker.");
    }

    @Test
    void everyMachineIsAHostOfTheInventory() {
        SynapseTopology topology = MultiMachineLayoutFilesTest.threeMachines();
        assertThat(topology.validateAgainstInventory(List.of("a", "b", "c", "d"))).isEmpty();
        assertThat(topology.validateAgainstInventory(List.of("a", "b")).stream().map(TopologyProblem::toString))
                .containsExactly("Machine 'c' of the Synapse topology is no host of the inventory (a, b). "
                        + "Fix: Add host 'c' to the inventory, or place its processes on one of its hosts.");
    }

    @Test
    void workerCountsBelowZeroAreRejected() {
        assertThatThrownBy(() -> GuideLayout.standard().normalSyncWorkers(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("normalSyncWorkers is -1, but a worker count cannot be below zero: use 0 for none");
        assertThatThrownBy(() -> TopologyVars.read(new dev.provision.dsl.Host("hs1", java.util.Map.of("server_name", "example.com", "normal_sync_workers", -1))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("normal_sync_workers is -1 on host hs1, but a worker count cannot be below zero: set it to 0 for none, or remove it for the default 3");
        assertThat(TopologyVars.read(new dev.provision.dsl.Host("hs1", java.util.Map.of("server_name", "example.com", "normal_sync_workers", 0)))
                .workersDoing(Duty.NORMAL_SYNC)).isEmpty();
    }

    @Test
    void mediaWorkersShareOneMachine() {
        assertThat(problems(workers(SynapseWorker.named("media1").doing(Duty.MEDIA), SynapseWorker.named("media2").doing(Duty.MEDIA).on("hs2"))))
                .contains("Media workers are spread over several machines (media1 on localhost, media2 on hs2), but Synapse's media workers share one "
                        + "media store and must all run on the same machine. Fix: Put all media workers on one machine.");
    }

    @Test
    void mediaBackgroundJobsRunOnAMediaWorker() {
        assertThat(problems(guide().mediaBackgroundJobsOn("login")))
                .containsExactly("media_instance_running_background_jobs names 'login', which is not a media worker. Fix: Name one of the media workers: mediaworker.");
        assertThat(problems(guide().withoutWorkers().mediaBackgroundJobsOn("media1")))
                .containsExactly("media_instance_running_background_jobs names 'media1', which is not a media worker. Fix: Add a media worker named 'media1', or drop mediaBackgroundJobsOn.");
    }

    @Test
    void requireValidThrowsEveryProblemAtOnce() {
        SynapseTopology broken = guide().withoutRedis().withoutPostgres().build();
        assertThatThrownBy(broken::requireValid)
                .isInstanceOf(InvalidTopologyException.class)
                .hasMessageStartingWith("2 problem(s) in the Synapse topology:\n- The topology has 16 workers but no PostgreSQL database")
                .hasMessageContaining("\n- The topology has 16 workers but no Redis");
        assertThatThrownBy(() -> SynapseDeployment.of(broken)).isInstanceOf(InvalidTopologyException.class);
    }
}
