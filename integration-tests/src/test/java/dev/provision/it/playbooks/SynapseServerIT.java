package dev.provision.it.playbooks;

import dev.provision.engine.report.HostReport;
import dev.provision.engine.report.Status;
import dev.provision.engine.report.TaskResult;
import dev.provision.playbooks.synapse.PackageSource;
import dev.provision.playbooks.synapse.Route;
import dev.provision.playbooks.synapse.SynapseDeployment;
import dev.provision.playbooks.synapse.SynapseServer;
import dev.provision.playbooks.synapse.SynapseTopology;
import dev.provision.playbooks.synapse.SynapseWorker;
import dev.provision.task.Shell;
import dev.provision.testbed.DebianHost;
import dev.provision.testkit.HostRuns;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The Synapse playbook end to end on Debian sid over SSH, with Debian's package. One container for the
 * class: the first test converges it with {@code redis_client: stage_workers} (no txredisapi: Debian does
 * not package it and there is no PyPI here) and proves everything that runs without it; the second, only
 * when a txredisapi checkout is given, lets the playbook install it and proves every worker serves its
 * endpoints.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SynapseServerIT {

    private static final String SERVER_NAME = "demo.local";
    private static final Map<String, Object> STAGED = Map.of("server_name", SERVER_NAME, "package_source", "debian",
            "redis_client", "stage_workers");
    private static final SynapseTopology TOPOLOGY = SynapseTopology.forServer(SERVER_NAME).packagedBy(PackageSource.DEBIAN).build();
    private static final SynapseDeployment DEPLOYMENT = SynapseDeployment.of(TOPOLOGY);
    private static final String ACCESS_LOG = "/var/log/nginx/matrix-synapse.access.log";
    private static final Pattern UPSTREAM = Pattern.compile(" (\\d{3}) upstream=(.*)$");

    private static DebianHost debian;
    private static long classStarted;

    @BeforeAll
    static void start() {
        classStarted = System.nanoTime();
        debian = DebianHost.sid().start();
    }

    @AfterAll
    static void stop() {
        if (debian != null) {
            debian.close();
        }
        System.out.printf("[synapse] end to end, container included: %s%n", since(classStarted));
    }

    @Test
    @Order(1)
    void convergesWithStagedWorkersAndRoutesEveryEndpointGroup() {
        HostReport first = timed("first apply", () -> apply(STAGED));
        assertThat(first.failed()).as(HostRuns.describe(first)).isZero();
        assertThat(first.changed()).isPositive();
        HostReport second = timed("second apply", () -> apply(STAGED));
        assertThat(HostRuns.named(second, Status.CHANGED)).as(HostRuns.describe(second)).isEmpty();
        assertThat(HostRuns.named(check(STAGED), Status.CHANGED)).as("check on a converged host plans nothing").isEmpty();

        installCurl();
        redisListensOnItsSocketOnlyAndSynapseMayUseIt();
        theDatabaseHasCCollationAndRoomForEveryPool();
        mainAndEveryWorkerBelongToTheTarget();
        stagedWorkersWaitForTheClientWithoutFailing();
        synapseAcceptsTheMainAndEveryWorkerConfiguration();
        nginxSendsEverySampleRequestToItsSocket();
        mainAnswersThroughNginx();

        driftInMainsListenersRestartsMainAlone();
        aWorkerLeavingTheTopologyLeavesNoFilesBehind();
        requireFailsBeforeAnythingRestartsSynapse();
    }

    @Test
    @Order(2)
    void everyWorkerAnswersItsEndpoints() {
        Optional<Path> source = Optional.ofNullable(System.getProperty("provision.txredisapi"))
                .or(() -> Optional.ofNullable(System.getenv("PROVISION_TXREDISAPI"))).filter(s -> !s.isBlank()).map(Path::of);
        assumeTrue(source.isPresent(), "no txredisapi source given: set -Dprovision.txredisapi=PATH (a checkout of"
                + " github.com/IlyaSkriblovsky/txredisapi) to start every worker; Debian does not package it and CI has no PyPI");
        Map<String, Object> install = Map.of("server_name", SERVER_NAME, "package_source", "debian",
                "txredisapi_source", source.get().toString());

        HostReport installed = timed("apply installing txredisapi", () -> apply(install));
        assertThat(installed.failed()).as(HostRuns.describe(installed)).isZero();
        HostReport again = timed("apply with workers running", () -> apply(install));
        assertThat(HostRuns.named(again, Status.CHANGED)).as(HostRuns.describe(again)).isEmpty();
        everyWorkerRunsWithItsSocket();
        installCurl();

        Matrix matrix = new Matrix();
        matrix.expect("login", "GET", "/_matrix/client/v3/login", null);
        String token = field(matrix.expect("login", "POST", "/_matrix/client/v3/login",
                "{\"type\":\"m.login.password\",\"identifier\":{\"type\":\"m.id.user\",\"user\":\"alice\"},\"password\":\"" + matrix.password + "\"}"),
                "access_token");
        matrix.token = token;
        String since = field(matrix.expect(List.of("initial_sync1", "initial_sync2"), "GET", "/_matrix/client/v3/sync?timeout=0", null), "next_batch");
        matrix.expect(List.of("normal_sync1", "normal_sync2", "normal_sync3"), "GET", "/_matrix/client/v3/sync?timeout=0&since=" + since, null);
        matrix.expect("mediaworker", "GET", "/_matrix/client/v1/media/config", null);
        String user = "@alice:" + SERVER_NAME;
        String room = field(matrix.expect("main", "POST", "/_matrix/client/v3/createRoom", "{}"), "room_id");
        String event = field(matrix.expect("main", "PUT", "/_matrix/client/v3/rooms/" + room + "/send/m.room.message/t1",
                "{\"msgtype\":\"m.text\",\"body\":\"hello\"}"), "event_id");
        matrix.expect("typing", "PUT", "/_matrix/client/v3/rooms/" + room + "/typing/" + user, "{\"typing\":true,\"timeout\":3000}");
        matrix.expect("receipts", "POST", "/_matrix/client/v3/rooms/" + room + "/receipt/m.read/" + event.replace("$", "%24"), "{}");
        matrix.expect("accountdata", "PUT", "/_matrix/client/v3/user/" + user + "/account_data/org.example.test", "{\"a\":1}");
        matrix.expect("presence", "PUT", "/_matrix/client/v3/presence/" + user + "/status", "{\"presence\":\"online\"}");
        matrix.expect("push_rules", "GET", "/_matrix/client/v3/pushrules/", null);
        matrix.expect("todevice", "PUT", "/_matrix/client/v3/sendToDevice/m.test/t1", "{\"messages\":{}}");
        matrix.expect("userdir", "POST", "/_matrix/client/v3/user_directory/search", "{\"search_term\":\"alice\"}");

        driftInOneWorkerRestartsThatWorkerAlone(install);
        aStoppedWorkerLeavesWhenItLeavesTheTopology(install);
    }

    // ---- proofs, staged

    private void redisListensOnItsSocketOnlyAndSynapseMayUseIt() {
        assertThat(debian.exec("test -S /run/redis/redis-server.sock").succeeded()).as("Redis's socket exists").isTrue();
        // 18EB is port 6379, 0A is LISTEN: minbase has no ss or netstat
        assertThat(debian.exec("cat /proc/net/tcp /proc/net/tcp6 | awk '$2 ~ /:18EB$/ && $4 == \"0A\"'").stdout())
                .as("nothing listens on TCP port 6379").isBlank();
        assertThat(debian.exec("redis-cli -h 127.0.0.1 -p 6379 ping").stdout()).doesNotContain("PONG");
        assertThat(debian.exec("runuser -u matrix-synapse -- redis-cli -s /run/redis/redis-server.sock ping").stdout().trim())
                .as("matrix-synapse reaches Redis through the socket").isEqualTo("PONG");
    }

    private void theDatabaseHasCCollationAndRoomForEveryPool() {
        assertThat(psql("select datcollate, datctype, pg_get_userbyid(datdba) from pg_database where datname = 'synapse'"))
                .isEqualTo("C|C|synapse");
        assertThat(Integer.parseInt(psql("show max_connections"))).isGreaterThanOrEqualTo(DEPLOYMENT.databaseConnections());
        assertThat(debian.exec("runuser -u matrix-synapse -g matrix-synapse -- env PGPASSFILE=/etc/matrix-synapse/secrets/pgpass"
                + " psql -w -h 127.0.0.1 -U synapse -d synapse -Atc 'select current_user'").requireSuccess().stdout().trim())
                .as("Synapse's passfile logs in").isEqualTo("synapse");
    }

    private void mainAndEveryWorkerBelongToTheTarget() {
        assertThat(debian.exec("systemctl is-enabled matrix-synapse.target").stdout().trim()).isEqualTo("enabled");
        String wanted = debian.exec("systemctl list-dependencies --plain --no-pager matrix-synapse.target").requireSuccess().stdout();
        for (String unit : synapseUnits()) {
            assertThat(wanted).as("the target wants " + unit).contains(unit);
            Map<String, String> shown = show(unit, "LoadState", "UnitFileState", "PartOf");
            assertThat(shown.get("LoadState")).as(unit).isEqualTo("loaded");
            assertThat(shown.get("PartOf")).as(unit).isEqualTo(SynapseDeployment.TARGET);
            // workers have no [Install]: the enabled target starts them
            assertThat(shown.get("UnitFileState")).as(unit).isIn("enabled", "static");
        }
        assertThat(show(SynapseDeployment.MAIN_SERVICE, "UnitFileState").get("UnitFileState")).isEqualTo("enabled");
    }

    private void stagedWorkersWaitForTheClientWithoutFailing() {
        assertThat(debian.exec("cat /etc/matrix-synapse/conf.d/redis.yaml").stdout()).contains("enabled: false");
        for (SynapseWorker worker : TOPOLOGY.workers()) {
            Map<String, String> shown = show(SynapseDeployment.workerService(worker.name()), "ActiveState", "Result", "NRestarts");
            assertThat(shown).as(worker.name()).containsEntry("ActiveState", "inactive").containsEntry("Result", "exec-condition")
                    .containsEntry("NRestarts", "0");
        }
    }

    private void synapseAcceptsTheMainAndEveryWorkerConfiguration() {
        String config = "runuser -u matrix-synapse -g matrix-synapse -- python3 -m synapse.config read %s"
                + " -c /etc/matrix-synapse/homeserver.yaml -c /etc/matrix-synapse/conf.d/%s";
        assertThat(debian.exec(config.formatted("server.server_name", "")).requireSuccess().stdout())
                .contains("Config parses OK!", "server.server_name: " + SERVER_NAME);
        for (SynapseWorker worker : TOPOLOGY.workers()) {
            assertThat(debian.exec(config.formatted("worker.worker_name", " -c " + TOPOLOGY.workerConfigPath(worker.name())))
                    .requireSuccess().stdout()).as(worker.name()).contains("Config parses OK!", "worker.worker_name: " + worker.name());
        }
    }

    /**
     * The upstream nginx logs for each sample proves the routing; a 502 from a worker that is not running
     * is expected here. Once every server of an upstream has failed, nginx logs the upstream's name
     * ("no live upstreams"), which stands for its servers.
     */
    private void nginxSendsEverySampleRequestToItsSocket() {
        assertThat(debian.exec("nginx -t").succeeded()).isTrue();
        Map<String, List<String>> upstreams = upstreams();
        int before = logLines();
        StringBuilder requests = new StringBuilder();
        for (Route route : DEPLOYMENT.routes()) {
            requests.append(curl(route.request().method(), route.request().uri(), null, null)).append(" >/dev/null\n");
        }
        debian.exec(requests.toString()).requireSuccess();
        List<String> logged = debian.exec("tail -n +" + (before + 1) + " " + ACCESS_LOG).stdout().lines().toList();
        assertThat(logged).hasSize(DEPLOYMENT.routes().size());
        for (int i = 0; i < logged.size(); i++) {
            Route route = DEPLOYMENT.routes().get(i);
            Matcher line = UPSTREAM.matcher(logged.get(i));
            assertThat(line.find()).as(logged.get(i)).isTrue();
            List<String> addresses = Stream.of(line.group(2).split(", "))
                    .flatMap(address -> upstreams.getOrDefault(address, List.of(address)).stream()).toList();
            assertThat(addresses).as(route.request() + " -> " + route.processes() + ": " + logged.get(i)).isSubsetOf(route.upstreamAddresses());
        }
    }

    private void mainAnswersThroughNginx() {
        String versions = debian.exec(curl("GET", "/_matrix/client/versions", null, null)).requireSuccess().stdout();
        assertThat(versions).contains("\"versions\"").endsWith("200");
        assertThat(lastLogLine()).contains("upstream=unix:" + TOPOLOGY.mainInboundSocket());
    }

    private void driftInMainsListenersRestartsMainAlone() {
        String nginx = invocation("nginx.service");
        String redis = invocation(SynapseDeployment.REDIS);
        String main = invocation(SynapseDeployment.MAIN_SERVICE);
        debian.exec("echo '# drift' >> /etc/matrix-synapse/conf.d/listeners.yaml").requireSuccess();

        HostReport check = check(STAGED);
        assertThat(HostRuns.named(check, Status.CHANGED)).containsExactly(
                "Synapse's shared configuration (conf.d): PostgreSQL, Redis, secrets, workers, and main's listeners on UNIX sockets"
                        + " replacing Debian's 8448 and 8008",
                "restart main if older than its configuration");
        assertThat(changes(check)).anyMatch(change -> change.contains("listeners.yaml"));
        HostReport apply = apply(STAGED);
        assertThat(HostRuns.named(apply, Status.CHANGED)).isEqualTo(HostRuns.named(check, Status.CHANGED));
        assertThat(invocation(SynapseDeployment.MAIN_SERVICE)).isNotEqualTo(main);
        assertThat(invocation("nginx.service")).isEqualTo(nginx);
        assertThat(invocation(SynapseDeployment.REDIS)).isEqualTo(redis);
        assertThat(HostRuns.named(apply(STAGED), Status.CHANGED)).isEmpty();
    }

    private void aWorkerLeavingTheTopologyLeavesNoFilesBehind() {
        Map<String, Object> fewer = new HashMap<>(STAGED);
        fewer.put("normal_sync_workers", 2);
        HostReport report = apply(fewer);
        assertThat(report.failed()).as(HostRuns.describe(report)).isZero();
        assertThat(debian.exec("ls /etc/matrix-synapse/workers /etc/matrix-synapse/logconf.d").stdout()).doesNotContain("normal_sync3");
        assertThat(debian.exec("systemctl list-dependencies --plain --no-pager matrix-synapse.target").stdout()).doesNotContain("normal_sync3");
        assertThat(debian.exec("cat /etc/nginx/conf.d/matrix-synapse-upstreams.conf").stdout()).doesNotContain("normal_sync3");
        assertThat(apply(STAGED).failed()).isZero();
    }

    private void requireFailsBeforeAnythingRestartsSynapse() {
        Map<String, Object> required = new HashMap<>(STAGED);
        required.remove("redis_client");
        String main = invocation(SynapseDeployment.MAIN_SERVICE);

        HostReport report = apply(required);

        TaskResult failed = report.results().stream().filter(r -> r.status() == Status.FAILED).findFirst().orElseThrow();
        assertThat(failed.name()).isEqualTo("Synapse can use Redis (txredisapi is installed)");
        assertThat(failed.message()).hasValueSatisfying(message -> assertThat(message)
                .contains("needs txredisapi", "package_source: matrix_org", "txredisapi_source"));
        assertThat(report.changed()).isZero();
        assertThat(invocation(SynapseDeployment.MAIN_SERVICE)).isEqualTo(main);
    }

    // ---- proofs, with txredisapi

    private void everyWorkerRunsWithItsSocket() {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        List<String> waiting = new ArrayList<>();
        do {
            waiting.clear();
            for (SynapseWorker worker : TOPOLOGY.workers()) {
                boolean active = debian.exec("systemctl is-active --quiet " + SynapseDeployment.workerService(worker.name())).succeeded();
                boolean socket = !worker.hasInboundListener() || debian.exec("test -S " + TOPOLOGY.inboundSocket(worker.name())).succeeded();
                if (!active || !socket) {
                    waiting.add(worker.name());
                }
            }
        } while (!waiting.isEmpty() && System.nanoTime() < deadline && pause());
        assertThat(waiting).as("workers not running with their socket").isEmpty();
    }

    private void driftInOneWorkerRestartsThatWorkerAlone(Map<String, Object> vars) {
        String login = invocation(SynapseDeployment.workerService("login"));
        String typing = invocation(SynapseDeployment.workerService("typing"));
        String main = invocation(SynapseDeployment.MAIN_SERVICE);
        debian.exec("echo '# drift' >> " + TOPOLOGY.workerConfigPath("login")).requireSuccess();

        HostReport check = check(vars);
        assertThat(HostRuns.named(check, Status.CHANGED)).containsExactly(
                "every worker has its configuration (workers/<name>.yaml)", "restart worker login if older than its configuration");
        HostReport apply = apply(vars);
        assertThat(HostRuns.named(apply, Status.CHANGED)).isEqualTo(HostRuns.named(check, Status.CHANGED));
        assertThat(invocation(SynapseDeployment.workerService("login"))).isNotEqualTo(login);
        assertThat(invocation(SynapseDeployment.workerService("typing"))).isEqualTo(typing);
        assertThat(invocation(SynapseDeployment.MAIN_SERVICE)).isEqualTo(main);
    }

    private void aStoppedWorkerLeavesWhenItLeavesTheTopology(Map<String, Object> vars) {
        Map<String, Object> fewer = new HashMap<>(vars);
        fewer.put("normal_sync_workers", 2);
        HostReport report = apply(fewer);
        assertThat(report.failed()).as(HostRuns.describe(report)).isZero();
        assertThat(show(SynapseDeployment.workerService("normal_sync3"), "ActiveState")).containsEntry("ActiveState", "inactive");
        assertThat(apply(vars).failed()).isZero();
        everyWorkerRunsWithItsSocket();
    }

    /** A Matrix client inside the container, talking to nginx with the server's Host header. */
    private static final class Matrix {
        final String password = "correct horse battery staple";
        String token;

        /** Registers alice with the shared secret on the host, through nginx to main's admin API. */
        Matrix() {
            debian.exec("grep -q ' " + SERVER_NAME + "$' /etc/hosts || echo '127.0.0.1 " + SERVER_NAME + "' >> /etc/hosts").requireSuccess();
            debian.exec("synapse_register_new_matrix_user -c /etc/matrix-synapse/conf.d/secrets.yaml -u alice -p "
                    + Shell.quote(password) + " --no-admin --exists-ok http://" + SERVER_NAME).requireSuccess();
        }

        String expect(String process, String method, String uri, String body) {
            return expect(List.of(process), method, uri, body);
        }

        /** Sends the request; its status is not 502 and nginx logged one of the processes' inbound sockets. */
        String expect(List<String> processes, String method, String uri, String body) {
            String output = debian.exec(curl(method, uri, body, token)).requireSuccess().stdout();
            String status = output.substring(output.length() - 3);
            List<String> sockets = processes.stream()
                    .map(p -> "unix:" + (p.equals("main") ? TOPOLOGY.mainInboundSocket() : TOPOLOGY.inboundSocket(p))).toList();
            String logged = lastLogLine();
            Matcher line = UPSTREAM.matcher(logged);
            assertThat(line.find()).as(logged).isTrue();
            assertThat(line.group(2)).as(method + " " + uri + " answered by " + processes + ": " + logged).isIn(sockets);
            assertThat(status).as(method + " " + uri + ": " + output).startsWith("2");
            return output.substring(0, output.length() - 3);
        }
    }

    // ---- helpers

    /** After an apply: the playbook's package step has fetched the package lists. */
    private static void installCurl() {
        debian.exec("command -v curl || apt-get install -y -q curl").requireSuccess();
    }

    private static HostReport apply(Map<String, Object> vars) {
        return HostRuns.on(debian).withVars(vars).apply(new SynapseServer());
    }

    private static HostReport check(Map<String, Object> vars) {
        return HostRuns.on(debian).withVars(vars).check(new SynapseServer());
    }

    private static HostReport timed(String what, Supplier<HostReport> run) {
        long started = System.nanoTime();
        HostReport report = run.get();
        System.out.printf("[synapse] %s: %s, %d changed; slowest: %s%n", what, since(started), report.changed(),
                report.results().stream().sorted(Comparator.comparing(TaskResult::duration).reversed()).limit(4)
                        .map(r -> r.name() + " " + r.duration().toSeconds() + " s").toList());
        return report;
    }

    private static String since(long started) {
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
        return elapsed.toMinutes() + " min " + elapsed.toSecondsPart() + " s";
    }

    /** A curl command printing the body, then the status as the last three characters. */
    private static String curl(String method, String uri, String body, String token) {
        return "curl -sS -g --path-as-is -X " + method + " -H " + Shell.quote("Host: " + SERVER_NAME)
                + (token == null ? "" : " -H " + Shell.quote("Authorization: Bearer " + token))
                + (method.equals("GET") ? "" : " -H 'Content-Type: application/json' --data-binary " + Shell.quote(body == null ? "" : body))
                + " -w '%{http_code}' " + Shell.quote("http://127.0.0.1" + uri);
    }

    /** Each upstream's servers, from the rendered nginx configuration. */
    private static Map<String, List<String>> upstreams() {
        String config = DEPLOYMENT.files().stream().filter(file -> file.path().endsWith("/matrix-synapse-upstreams.conf"))
                .findFirst().orElseThrow().content();
        Map<String, List<String>> upstreams = new LinkedHashMap<>();
        Matcher upstream = Pattern.compile("upstream (\\S+) \\{([^}]*)}").matcher(config);
        while (upstream.find()) {
            upstreams.put(upstream.group(1), Pattern.compile("server (\\S+);").matcher(upstream.group(2)).results()
                    .map(server -> server.group(1)).toList());
        }
        return upstreams;
    }

    private static String field(String json, String name) {
        Matcher value = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]+)\"").matcher(json);
        assertThat(value.find()).as(name + " in " + json).isTrue();
        return value.group(1);
    }

    private static List<String> changes(HostReport report) {
        return report.results().stream().flatMap(r -> r.changes().stream()).toList();
    }

    private static List<String> synapseUnits() {
        List<String> units = new ArrayList<>(List.of(SynapseDeployment.MAIN_SERVICE));
        TOPOLOGY.workers().forEach(worker -> units.add(SynapseDeployment.workerService(worker.name())));
        return units;
    }

    private static Map<String, String> show(String unit, String... properties) {
        Map<String, String> shown = new LinkedHashMap<>();
        debian.exec("systemctl show -p " + String.join(",", properties) + " " + Shell.quote(unit)).requireSuccess().stdout().lines()
                .filter(line -> line.contains("="))
                .forEach(line -> shown.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1)));
        return shown;
    }

    private static String invocation(String unit) {
        return show(unit, "InvocationID").get("InvocationID");
    }

    private static String psql(String sql) {
        return debian.exec("cd / && runuser -u postgres -- psql -X -Atc " + Shell.quote(sql)).requireSuccess().stdout().trim();
    }

    private static int logLines() {
        return Integer.parseInt(debian.exec("cat " + ACCESS_LOG + " 2>/dev/null | wc -l").stdout().trim());
    }

    private static String lastLogLine() {
        return debian.exec("tail -n 1 " + ACCESS_LOG).stdout().trim();
    }

    private static boolean pause() {
        try {
            Thread.sleep(1000);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
