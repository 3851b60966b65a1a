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
    void workersRunOnMainsMachine() {
        assertThat(problems(guide().machine("hs1").workers(List.of(SynapseWorker.named("pusher").doing(Duty.PUSHER).on("hs2")))))
                .containsExactly("Worker 'pusher' is on machine 'hs2' but main is on 'hs1': this topology connects processes over UNIX sockets in "
                        + "/run/matrix-synapse, which only reach processes on the same machine. Fix: Put 'pusher' on 'hs1'.");
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
