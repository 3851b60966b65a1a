package dev.provision.it.reliability;

import dev.provision.it.support.InProcessCli;
import dev.provision.it.support.InProcessCli.Outcome;
import dev.provision.playbooks.synapse.SynapseServer;
import dev.provision.testbed.DebianHost;
import dev.provision.testbed.junit.TestHost;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad input of every kind, through the provision command as a user gives it: each case has its exit code and a fragment
 * of the message the user reads. Whatever the input, the message says what is wrong, the exit code is not zero, and
 * nothing changes beyond the steps that had completed. RELIABILITY.md lists the same table; the last test keeps the two
 * in step.
 */
class BadInputCatalogueIT {

    private static final int TASK_FAILED = 1;
    private static final int UNREACHABLE = 3;
    private static final int USAGE = 4;
    private static final Path RELIABILITY_MD = Path.of("..", "RELIABILITY.md");

    @TestHost
    private static final DebianHost host = DebianHost.bookworm();

    @TempDir
    static Path dir;

    private static InProcessCli cli;
    private static int closedPort;
    private static Path strangerKey;

    /** One bad input: what is wrong, the exit code, and a fragment of the message ({port}, {closed} and {dir} filled in). */
    record Case(String id, String input, int exit, String message, Scenario scenario) {
    }

    @FunctionalInterface
    interface Scenario {
        Outcome run(String id) throws Exception;
    }

    @BeforeAll
    static void prepare() throws Exception {
        cli = new InProcessCli(dir.resolve("cache"));
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        strangerKey = dir.resolve("stranger_key");
        assertThat(new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", strangerKey.toString()).start().waitFor()).isZero();
    }

    private static final List<Case> CASES = List.of(
            // the command line
            new Case("no-command", "`provision` alone", USAGE, "Missing command: one of apply, plan",
                    id -> cli.run()),
            new Case("unknown-option", "`apply --frobnicate`", USAGE, "Unknown option: '--frobnicate'",
                    id -> cli.run("apply", "--frobnicate", "box")),
            new Case("no-host-argument", "`apply` without HOST", USAGE, "Missing required parameter: 'HOST'",
                    id -> cli.run("apply", "-i", boxInventory(id, "unknown-package").toString())),
            new Case("forks-zero", "`--forks 0`", USAGE, "--forks must be at least 1, not 0",
                    id -> cli.run("apply", "--forks", "0", "-i", boxInventory(id, "unknown-package").toString(), "box")),
            new Case("timeout-zero", "`--timeout 0`", USAGE, "--timeout must be at least 1 second, not 0",
                    id -> cli.run("apply", "--timeout", "0", "-i", boxInventory(id, "unknown-package").toString(), "box")),
            new Case("json-folder-missing", "`--json` into a folder that does not exist", USAGE, "the folder {dir}/no/such does not exist",
                    id -> cli.run("apply", "--json", dir.resolve("no/such/report.json").toString(), "-i",
                            boxInventory(id, "unknown-package").toString(), "box")),
            // the inventory
            new Case("inventory-missing", "an inventory file that does not exist", USAGE, "inventory {dir}/none.yaml not found",
                    id -> cli.run("apply", "-i", dir.resolve("none.yaml").toString(), "box")),
            new Case("inventory-invalid-yaml", "inventory YAML that does not parse", USAGE,
                    "{dir}/inventory-invalid-yaml.yaml:4:1: invalid YAML (while parsing a flow mapping): expected ',' or '}'",
                    id -> apply(id, "all:\n  hosts:\n    box: { address: 10.0.0.1\n", "box")),
            new Case("inventory-unknown-key", "a misspelt key (`adress`)", USAGE, "{dir}/inventory-unknown-key.yaml:3:12: unknown key 'adress' in host box; allowed keys: address, port",
                    id -> apply(id, "all:\n  hosts:\n    box: { adress: 10.0.0.1, playbook: " + Faults.class.getName() + " }\n", "box")),
            new Case("inventory-without-all", "no `all` at the top", USAGE,
                    "{dir}/inventory-without-all.yaml:1:1: unknown key 'hosts' in the inventory; allowed keys: all",
                    id -> apply(id, "hosts:\n  box: { address: 10.0.0.1 }\n", "box")),
            new Case("inventory-bad-port", "`port: http`", USAGE, "{dir}/inventory-bad-port.yaml:3:18: port of host box: expected a port number from 1 to 65535",
                    id -> apply(id, "all:\n  hosts:\n    box: { port: http, playbook: " + Faults.class.getName() + " }\n", "box")),
            new Case("inventory-bad-connection", "`connection: telnet`", USAGE, "{dir}/inventory-bad-connection.yaml:3:24: connection of host box: expected `local` or `ssh`",
                    id -> apply(id, "all:\n  hosts:\n    box: { connection: telnet, playbook: " + Faults.class.getName() + " }\n", "box")),
            new Case("inventory-conflicting-groups", "two groups give one host different users", USAGE,
                    "host box gets user from group web ({dir}/inventory-conflicting-groups.yaml:4:12) and from group db",
                    id -> apply(id, """
                            all:
                              playbook: %s
                              groups:
                                web: { user: deploy, hosts: { box: } }
                                db: { user: postgres, hosts: { box: } }
                            """.formatted(Faults.class.getName()), "box")),
            new Case("unknown-host", "a HOST the inventory does not have", USAGE, "no host matches 'nope' in inventory",
                    id -> cli.run("apply", "-i", boxInventory(id, "unknown-package").toString(), "nope")),
            new Case("limit-matches-nothing", "`--limit` that leaves no host", USAGE, "no host matches both box and --limit web",
                    id -> apply(id, """
                            all:
                              playbook: %s
                              hosts: { box: }
                              groups: { web: { hosts: { web1: } } }
                            """.formatted(Faults.class.getName()), "box", "--limit", "web")),
            new Case("no-playbook", "a host without `playbook`", USAGE, "host box has no playbook",
                    id -> apply(id, "all:\n  hosts:\n    box: { address: 10.0.0.1 }\n", "box")),
            new Case("playbook-class-missing", "`playbook:` names a class that does not exist", USAGE,
                    "playbook class com.example.Nope for host box not found",
                    id -> apply(id, "all:\n  hosts:\n    box: { playbook: com.example.Nope }\n", "box")),
            new Case("playbook-not-a-playbook", "`playbook:` names a class that is no playbook", USAGE,
                    "playbook class java.lang.String for host box is not a playbook",
                    id -> apply(id, "all:\n  hosts:\n    box: { playbook: java.lang.String }\n", "box")),
            new Case("playbook-without-no-argument-constructor", "a playbook class without a no-argument constructor", USAGE,
                    "has no public constructor without arguments",
                    id -> apply(id, "all:\n  hosts:\n    box: { playbook: " + BadPlaybooks.NeedsAnArgument.class.getName() + " }\n", "box")),
            new Case("playbook-compile-error", "a playbook source beside the inventory that does not compile", USAGE,
                    "{dir}/compile/Typo.java:6:26: error: cannot find symbol",
                    id -> compileError()),
            new Case("missing-variable", "a playbook reads a variable the inventory does not set", USAGE,
                    "host box has no variable 'admin_email': set it under the host or one of its groups in the inventory",
                    id -> apply(id, box(Map.of("playbook", BadPlaybooks.NeedsAVariable.class.getName()), Map.of()), "box")),
            // the Synapse playbook's own checks: every rule of the topology validation, then its host variables
            topology("topology-duplicate-names", "two workers named `sync`", BadTopologies.DuplicateNames.class,
                    "Worker name 'sync' is used by 2 workers."),
            topology("topology-reserved-name", "a worker named `main`", BadTopologies.ReservedName.class,
                    "Worker name 'main' is reserved: 'main' is the main process in instance_map"),
            topology("topology-invalid-name", "a worker named `a/b`", BadTopologies.InvalidName.class,
                    "Worker name 'a/b' is not a valid systemd instance name and file name."),
            topology("topology-idle-worker", "a worker with no duty and no stream", BadTopologies.IdleWorker.class,
                    "Worker 'idle' has no duty and writes no stream: it would run and do nothing."),
            topology("topology-sockets-outside-run", "a socket directory outside /run", BadTopologies.SocketsOutsideRun.class,
                    "Socket directory '/var/lib/synapse-sockets' is not under /run"),
            topology("topology-socket-path-too-long", "a worker name that makes a socket path of 108 bytes",
                    BadTopologies.SocketPathTooLong.class, "is 108 bytes, but a UNIX socket path may have at most 107"),
            topology("topology-two-stream-writers", "two writers of the typing stream", BadTopologies.TwoWritersOfOneStream.class,
                    "Stream 'typing' has 2 writers (t1, t2), but Synapse allows exactly one writer for it."),
            topology("topology-writer-without-replication", "a stream writer without a replication listener",
                    BadTopologies.WriterWithoutReplication.class, "Worker 'typing' writes typing but has no replication listener"),
            topology("topology-single-instance-duty-twice", "user_directory on two workers", BadTopologies.SingleInstanceDutyTwice.class,
                    "Duty 'user_directory' is given to 2 workers (dir1, dir2), but Synapse runs it on a single instance."),
            topology("topology-workers-without-postgres", "workers without PostgreSQL", BadTopologies.WorkersWithoutPostgres.class,
                    "workers but no PostgreSQL database"),
            topology("topology-workers-without-redis", "workers without Redis", BadTopologies.WorkersWithoutRedis.class,
                    "workers but no Redis"),
            topology("topology-database-socket-role", "PostgreSQL's UNIX socket with a role other than matrix-synapse",
                    BadTopologies.DatabaseSocketForeignRole.class, "role 'synapse' would be refused to the OS user matrix-synapse"),
            topology("topology-worker-on-another-machine", "a worker on another machine, without machine addresses", BadTopologies.WorkerOnAnotherMachine.class,
                    "Machine 'hs2' (pusher) has no address"),
            topology("topology-media-on-two-machines", "media workers on two machines", BadTopologies.MediaOnTwoMachines.class,
                    "Media workers are spread over several machines (media1 on localhost, media2 on hs2)"),
            topology("topology-media-jobs-elsewhere", "media background jobs on a worker that does no media",
                    BadTopologies.MediaJobsOnANonMediaWorker.class, "media_instance_running_background_jobs names 'login', which is not a media worker."),
            new Case("synapse-no-server-name", "SynapseServer without `server_name`", USAGE, "host box has no variable 'server_name'",
                    id -> synapse(id, Map.of("package_source", "debian"))),
            new Case("synapse-package-source", "`package_source: nonsense`", USAGE, "package_source is 'nonsense': use matrix_org or debian",
                    id -> synapse(id, Map.of("server_name", "example.com", "package_source", "nonsense"))),
            new Case("synapse-redis-client", "`redis_client: sometimes`", USAGE,
                    "redis_client is 'sometimes': use require, install (with txredisapi_source) or stage_workers",
                    id -> synapse(id, Map.of("server_name", "example.com", "package_source", "debian", "redis_client", "sometimes"))),
            new Case("synapse-matrix-org-key", "packages.matrix.org without its signing key", USAGE,
                    "package_source matrix_org needs packages.matrix.org's signing key",
                    id -> synapse(id, Map.of("server_name", "example.com"))),
            // reaching the host
            new Case("connection-refused", "nothing listens on the port", UNREACHABLE, "cannot connect to 127.0.0.1:{closed}: Connection refused",
                    id -> apply(id, box(Map.of("port", "" + closedPort), Map.of("fault", "unknown-package")), "box")),
            new Case("unknown-address", "an address that does not resolve", UNREACHABLE, "cannot connect to no-such-host.invalid:22: no address is known for this name (DNS)",
                    id -> apply(id, box(Map.of("address", "no-such-host.invalid", "port", "22"), Map.of("fault", "unknown-package")), "box")),
            new Case("authentication-failed", "a key the host does not accept", UNREACHABLE,
                    "authentication failed for root@127.0.0.1 (tried: key {dir}/stranger_key)",
                    id -> apply(id, box(Map.of("identity_file", strangerKey.toString()), Map.of("fault", "unknown-package")), "box")),
            new Case("wrong-password", "a wrong password", UNREACHABLE, "authentication failed for deploy@127.0.0.1 (tried: key {dir}/stranger_key, password)",
                    id -> apply(id, box(Map.of("user", "deploy", "identity_file", strangerKey.toString(), "password", "wrong-password-7"),
                            Map.of("fault", "unknown-package")), "box")),
            new Case("host-key-unknown", "a host key known_hosts does not have", UNREACHABLE,
                    "host key for [127.0.0.1]:{port} is not known",
                    id -> apply(id, box(Map.of("known_hosts", Files.writeString(dir.resolve(id + ".known_hosts"), "").toString()),
                            Map.of("fault", "unknown-package")), "box")),
            new Case("host-key-changed", "a host key that differs from known_hosts", UNREACHABLE,
                    "host key for [127.0.0.1]:{port} has CHANGED",
                    BadInputCatalogueIT::changedHostKey),
            new Case("no-sudo-rights", "`become` for a user sudo refuses", UNREACHABLE,
                    "sudo refused for ********@127.0.0.1: sudo: a password is required",
                    id -> apply(id, box(Map.of("user", "nopriv", "password", "nopriv", "become", "true", "identity_file", strangerKey.toString()),
                            Map.of("fault", "unknown-package")), "box")),
            new Case("wrong-become-password", "a wrong `become_password`", UNREACHABLE,
                    "sudo refused for ********@127.0.0.1: Sorry, try again. (the become password is wrong)",
                    id -> apply(id, box(Map.of("user", "deploy", "password", "deploy", "become", "true", "become_password", "wrong-sudo-7",
                            "identity_file", strangerKey.toString()), Map.of("fault", "unknown-package")), "box")),
            // on the host
            new Case("unknown-package", "a package apt does not know", TASK_FAILED, "package provision-no-such-package is not known to apt on",
                    id -> fault(id)),
            new Case("missing-directory", "a managed file whose directory is missing", TASK_FAILED,
                    "directory /nowhere/at does not exist: create it in an earlier step",
                    id -> fault(id)),
            new Case("directory-in-the-way", "a managed file where a directory is", TASK_FAILED,
                    "/root/catalogue is a directory, not a regular file",
                    id -> fault(id)),
            new Case("unknown-owner", "a file owner that does not exist", TASK_FAILED, "chown: invalid user: 'no-such-user'",
                    id -> fault(id)),
            new Case("unknown-service", "a service that does not exist", TASK_FAILED,
                    "Failed to enable unit: Unit file no-such-service.service does not exist",
                    id -> fault(id)),
            new Case("failing-command", "a command that fails", TASK_FAILED, "exit 3: no such table: users",
                    id -> fault(id)),
            new Case("undefined-template-variable", "a template that uses an undefined variable", TASK_FAILED,
                    "file /root/catalogue/greeting: template greeting.j2, line 2: 'nmae' is undefined",
                    id -> fault(id)),
            new Case("invalid-yaml", "a template that renders invalid YAML, checked by a validator", TASK_FAILED,
                    "validation failed, /root/catalogue/app.yaml left as it was",
                    BadInputCatalogueIT::invalidYaml),
            new Case("disk-full", "a file bigger than the free space", TASK_FAILED,
                    "writing the new content of /mnt/small/data.bin failed (disk full?)",
                    BadInputCatalogueIT::diskFull),
            new Case("command-hangs", "a command that never ends (`--timeout 3`)", TASK_FAILED,
                    "command timed out after 3s on root@127.0.0.1:{port}: sleep 600 ... (the connection was closed; the command may still be running on the host)",
                    BadInputCatalogueIT::hang));

    @TestFactory
    Stream<DynamicTest> everyBadInputSaysWhatIsWrongAndExitsNonZero() {
        return CASES.stream().map(c -> DynamicTest.dynamicTest(c.id(), () -> {
            Outcome outcome = c.scenario().run(c.id());
            System.out.printf("---- %s: exit %d%n%s%n", c.id(), outcome.exitCode(),
                    outcome.printed().lines().limit(12).collect(Collectors.joining("\n")));
            assertThat(outcome.exitCode()).as(outcome.printed()).isEqualTo(c.exit());
            assertThat(outcome.printed()).contains(expand(c.message()));
            if (c.exit() == USAGE) {
                assertThat(outcome.connected()).as("nothing connects on bad usage or input, or a playbook that rejects it").isEmpty();
            }
        }));
    }

    @Test
    void reliabilityMdListsThisCatalogue() throws IOException {
        String table = CASES.stream().map(c -> "| `" + c.id() + "` | " + c.input() + " | " + c.exit() + " | " + code(c.message()) + " |")
                .collect(Collectors.joining("\n", "| case | input | exit | message (fragment) |\n| --- | --- | --- | --- |\n", "\n"));
        assertThat(Files.readString(RELIABILITY_MD)).as("RELIABILITY.md must hold this table:\n" + table).contains(table);
    }

    /** A Markdown code span, with double backticks around text that has backticks of its own. */
    private static String code(String text) {
        return text.contains("`") ? "`` " + text + " ``" : "`" + text + "`";
    }

    private static String expand(String message) {
        return message.replace("{port}", "" + host.sshPort()).replace("{closed}", "" + closedPort).replace("{dir}", dir.toString());
    }

    private static Outcome apply(String id, String inventory, String... args) throws IOException {
        Path file = Files.writeString(dir.resolve(id + ".yaml"), inventory);
        String[] all = Stream.concat(Stream.of("apply", "-i", file.toString()), Stream.of(args)).toArray(String[]::new);
        return cli.run(all);
    }

    /** The container as root with the test key, its settings replaced by {@code settings}, the Faults playbook unless replaced. */
    private static String box(Map<String, String> settings, Map<String, String> vars) {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("address", host.sshHost());
        all.put("port", "" + host.sshPort());
        all.put("user", "root");
        all.put("identity_file", host.privateKeyPath().toString());
        all.put("known_hosts", host.knownHostsFile().toString());
        all.put("playbook", Faults.class.getName());
        all.putAll(settings);
        String lines = all.entrySet().stream().map(e -> "      " + e.getKey() + ": " + e.getValue() + "\n").collect(Collectors.joining());
        String varLines = vars.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue()).collect(Collectors.joining(", ", "{ ", " }"));
        return "all:\n  hosts:\n    box:\n" + lines + "      vars: " + varLines + "\n";
    }

    /** A rule of the Synapse topology broken by a server class of one's own: the playbook refuses it before connecting. */
    private static Case topology(String id, String input, Class<? extends SynapseServer> server, String problem) {
        return new Case(id, "Synapse: " + input, USAGE, problem,
                caseId -> apply(caseId, box(Map.of("playbook", server.getName()), Map.of()), "box"));
    }

    /** SynapseServer as it is, configured by host variables. */
    private static Outcome synapse(String id, Map<String, String> vars) throws IOException {
        return apply(id, box(Map.of("playbook", SynapseServer.class.getName()), vars), "box");
    }

    private static Path boxInventory(String id, String fault) throws IOException {
        return Files.writeString(dir.resolve(id + ".yaml"), box(Map.of(), Map.of("fault", fault)));
    }

    /** A fault on the host: the step before it leaves its trace, the step after it never runs. */
    private static Outcome fault(String id, String... options) throws IOException {
        String[] args = Stream.concat(Stream.of(options), Stream.of("box")).toArray(String[]::new);
        Outcome outcome = apply(id, box(Map.of(), Map.of("fault", id)), args);
        assertThat(host.exec("cat " + Faults.TRACES + "/" + id + ".before").stdout()).isEqualTo("done\n");
        assertThat(host.exec("test -e " + Faults.TRACES + "/" + id + ".after").succeeded()).isFalse();
        return outcome;
    }

    private static Outcome compileError() throws IOException {
        Path project = Files.createDirectories(dir.resolve("compile"));
        Files.writeString(project.resolve("Typo.java"), """
                import dev.provision.dsl.*;
                import dev.provision.tasks.apt.Apt;

                public class Typo extends Playbook {
                    protected void define(Host host) {
                        step("nginx", Apt.presnt("nginx"));
                    }
                }
                """);
        Path inventory = Files.writeString(project.resolve("inventory.yaml"), box(Map.of("playbook", "Typo"), Map.of()));
        return cli.run("apply", "-i", inventory.toString(), "box");
    }

    /** Nothing runs on a host whose key changed: no login, no lock, no trace. */
    private static Outcome changedHostKey(String id) throws IOException {
        Path knownHosts = Files.writeString(dir.resolve(id + ".known_hosts"), "[127.0.0.1]:" + host.sshPort()
                + " ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMblqtrlyM2FfXPmEC5LRT1yFntjwUxxaPvpXAJDsGfB\n");
        int loginsBefore = acceptedLogins();

        Outcome outcome = apply(id, box(Map.of("known_hosts", knownHosts.toString()), Map.of("fault", "unknown-package")), "box");

        assertThat(acceptedLogins()).as("no login").isEqualTo(loginsBefore);
        assertThat(host.exec("test -e /run/lock/provision.lock || test -e " + Faults.TRACES + "/unknown-package.before").succeeded())
                .as("no lock, no trace").isFalse();
        return outcome;
    }

    private static int acceptedLogins() {
        return Integer.parseInt(host.exec("journalctl -u ssh --no-pager -o cat | grep -c '^Accepted' || true").stdout().strip());
    }

    /** The live file stays as it was, byte for byte, and no candidate is left beside it. */
    private static Outcome invalidYaml(String id) throws IOException {
        host.exec("mkdir -p " + Faults.TRACES + " && printf 'listeners: []\\n' > " + Faults.TRACES + "/app.yaml").requireSuccess();
        Outcome outcome = fault(id);
        assertThat(outcome.printed()).contains("yaml.parser.ParserError: while parsing a flow sequence", "expected ',' or ']'")
                .doesNotContain("Traceback");
        assertThat(host.exec("cat " + Faults.TRACES + "/app.yaml").stdout()).isEqualTo("listeners: []\n");
        assertThat(host.exec("ls -a " + Faults.TRACES).stdout()).doesNotContain("provision");
        return outcome;
    }

    /** A 64 KiB tmpfs: the old file survives whole and no temporary file is left behind. */
    private static Outcome diskFull(String id) throws IOException {
        host.exec("mkdir -p " + Faults.SMALL_DISK + " && mount -t tmpfs -o size=64k tmpfs " + Faults.SMALL_DISK
                + " && printf 'old\\n' > " + Faults.SMALL_DISK + "/data.bin").requireSuccess();
        try {
            Outcome outcome = fault(id);
            assertThat(host.exec("cat " + Faults.SMALL_DISK + "/data.bin").stdout()).isEqualTo("old\n");
            assertThat(host.exec("ls -A " + Faults.SMALL_DISK).stdout()).isEqualTo("data.bin\n");
            return outcome;
        } finally {
            host.exec("umount " + Faults.SMALL_DISK).requireSuccess();
        }
    }

    /** The timed-out command keeps the host's lock while it runs; it is ended here so the next case need not wait. */
    private static Outcome hang(String id) throws IOException {
        try {
            return fault(id, "--timeout", "3");
        } finally {
            host.exec("pkill -x sleep || true").requireSuccess();
        }
    }
}
