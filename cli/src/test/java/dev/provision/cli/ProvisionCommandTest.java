package dev.provision.cli;

import dev.provision.engine.connect.ConnectionSettings;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ProvisionCommandTest {

    @TempDir
    Path dir;

    /** Hosts by address; an address without a host refuses the connection. */
    private final Map<String, MarkerHost> hosts = new HashMap<>();
    private TestCli cli;

    @BeforeEach
    void cli() {
        cli = new TestCli(hosts::get, dir.resolve("cache"));
    }

    private int provision(String... args) {
        return cli.run(args);
    }

    private String out() {
        return cli.out();
    }

    private String err() {
        return cli.err();
    }

    private String inventory(String yaml) throws IOException {
        return Files.writeString(dir.resolve("inventory.yaml"), yaml).toString();
    }

    private String twoHosts() throws IOException {
        hosts.put("10.0.0.1", new MarkerHost());
        hosts.put("10.0.0.2", new MarkerHost());
        return inventory("""
                all:
                  playbook: dev.provision.cli.Markers
                  vars: { markers: "a,b" }
                  groups:
                    web:
                      hosts:
                        web1: { address: 10.0.0.1 }
                        web2: { address: 10.0.0.2, vars: { markers: c } }
                """);
    }

    @Test
    void applyChangesWhatDiffersAndASecondApplyNothing() throws IOException {
        String inventory = twoHosts();
        assertThat(provision("apply", "-i", inventory, "--detailed-exitcodes", "web")).isEqualTo(ExitCodes.CHANGED);
        assertThat(out()).contains("web1 | changed  mark a", "web1 |          ~ mark a", "web2 | changed  mark c",
                "PLAY RECAP", "web1 : ok=0 changed=2 unreachable=0 failed=0 skipped=0",
                "web2 : ok=0 changed=1 unreachable=0 failed=0 skipped=0");
        assertThat(hosts.get("10.0.0.1").markers).containsExactly("a", "b");

        assertThat(provision("apply", "-i", inventory, "--detailed-exitcodes", "all")).isEqualTo(ExitCodes.OK);
        assertThat(out()).contains("web1 : ok=2 changed=0");
    }

    private String deployed() throws IOException {
        hosts.put("10.0.0.1", new MarkerHost());
        hosts.put("10.0.0.2", new MarkerHost());
        hosts.put("10.0.0.3", new MarkerHost());
        return inventory("""
                all:
                  vars: { markers: "a" }
                  hosts:
                    one: { address: 10.0.0.1 }
                    two: { address: 10.0.0.2 }
                    three: { address: 10.0.0.3 }
                deployments:
                  pair:
                    class: dev.provision.cli.MarkerDeployment
                    roles: { first: one, second: [two, three] }
                """);
    }

    @Test
    void aDeploymentRunsItsStagesInOrderAndPlanShowsThemFirst() throws IOException {
        String inventory = deployed();

        assertThat(provision("plan", "-i", inventory, "pair")).isEqualTo(ExitCodes.OK);
        assertThat(out()).startsWith("""
                DEPLOYMENT pair (dev.provision.cli.MarkerDeployment)
                  stage 1: first on one
                  stage 2: second on two, three, after first, 1 at a time
                """).contains("one [first]    : ok=0 changed=1", "three [second] : ok=0 changed=1");
        assertThat(hosts.get("10.0.0.2").markers).isEmpty();

        assertThat(provision("apply", "-i", inventory, "--limit", "two", "pair")).isEqualTo(ExitCodes.OK);
        assertThat(out()).contains("two [second] : ok=0 changed=1").doesNotContain("one [first]");
        assertThat(hosts.get("10.0.0.2").markers).containsExactly("a");
        assertThat(hosts.get("10.0.0.1").markers).isEmpty();

        assertThat(provision("hosts", "-i", inventory)).isEqualTo(ExitCodes.OK);
        assertThat(out()).contains("ROLES").containsPattern("one +.* pair/first\n").containsPattern("three +.* pair/second\n");
    }

    @Test
    void withoutDetailedExitCodesChangesExitZero() throws IOException {
        assertThat(provision("apply", "-i", twoHosts(), "web1")).isEqualTo(ExitCodes.OK);
        assertThat(out()).as("one host: no prefix, a header").startsWith("HOST web1\nchanged  mark a\n");
    }

    @Test
    void planAndCheckChangeNothing() throws IOException {
        String inventory = twoHosts();
        assertThat(provision("plan", "-i", inventory, "--detailed-exitcodes", "web1")).isEqualTo(ExitCodes.CHANGED);
        assertThat(out()).contains("changed  mark a", "PLAY RECAP (check mode: nothing was changed)");
        assertThat(provision("apply", "--check", "-i", inventory, "web1")).isEqualTo(ExitCodes.OK);
        assertThat(hosts.get("10.0.0.1").marked).isEmpty();
    }

    @Test
    void limitNarrowsTheHosts() throws IOException {
        assertThat(provision("apply", "-i", twoHosts(), "all", "--limit", "web2")).isEqualTo(ExitCodes.OK);
        assertThat(hosts.get("10.0.0.1").marked).isEmpty();
        assertThat(hosts.get("10.0.0.2").marked).containsExactly("c");
    }

    @Test
    void aFailedTaskExitsOne() throws IOException {
        hosts.put("10.0.0.1", new MarkerHost());
        String inventory = inventory("all:\n  hosts:\n    web1: { address: 10.0.0.1, playbook: dev.provision.cli.Markers, vars: { markers: \"a,broken,c\" } }\n");
        assertThat(provision("apply", "-i", inventory, "web1")).isEqualTo(ExitCodes.TASK_FAILED);
        assertThat(out()).contains("failed   mark broken\n         broken cannot be marked\n");
        assertThat(hosts.get("10.0.0.1").marked).containsExactly("a");
    }

    @Test
    void anUnreachableHostExitsThreeAndTheOthersStillRun() throws IOException {
        hosts.put("10.0.0.1", new MarkerHost());
        String inventory = inventory("""
                all:
                  playbook: dev.provision.cli.Markers
                  vars: { markers: a }
                  hosts:
                    web1: { address: 10.0.0.1 }
                    gone: { address: 10.0.0.9, user: root }
                """);
        assertThat(provision("apply", "-i", inventory, "all")).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(out()).contains("gone | unreachable\n", "connection refused by root@10.0.0.9:22",
                "gone : ok=0 changed=0 unreachable=1 failed=0 skipped=0");
        assertThat(hosts.get("10.0.0.1").marked).containsExactly("a");
    }

    @Test
    void inventoryAndSelectionErrorsExitFourBeforeAnythingRuns() throws IOException {
        String inventory = twoHosts();
        assertThat(provision("apply", "-i", inventory, "web3")).isEqualTo(ExitCodes.USAGE);
        assertThat(err()).isEqualTo("provision: no host matches 'web3' in inventory " + inventory + "; known hosts: web1, web2; groups: web\n");

        assertThat(provision("apply", "-i", inventory, "web1", "--limit", "web2")).isEqualTo(ExitCodes.USAGE);
        assertThat(err()).contains("no host matches both web1 and --limit web2");

        String broken = inventory("all:\n  hosts:\n    web1: { address: 10.0.0.1\n");
        assertThat(provision("plan", "-i", broken, "web1")).isEqualTo(ExitCodes.USAGE);
        assertThat(err()).startsWith("provision: " + broken + ":4:1: invalid YAML");

        String missing = inventory("all:\n  hosts:\n    web1: { playbook: com.example.Nope }\n");
        assertThat(provision("apply", "-i", missing, "web1")).isEqualTo(ExitCodes.USAGE);
        assertThat(err()).contains("playbook class com.example.Nope for host web1 not found on the classpath");

        assertThat(provision("apply", "-i", dir.resolve("none.yaml").toString(), "web1")).isEqualTo(ExitCodes.USAGE);
        assertThat(cli.connected).isEmpty();
    }

    @Test
    void badArgumentsExitFour() throws IOException {
        String inventory = twoHosts();
        assertThat(provision("apply", "-i", inventory)).isEqualTo(ExitCodes.USAGE);
        assertThat(err()).contains("Missing required parameter: 'HOST'");
        assertThat(provision("apply", "-i", inventory, "--forks", "0", "web1")).isEqualTo(ExitCodes.USAGE);
        assertThat(err()).contains("--forks must be at least 1");
        assertThat(provision("apply", "-i", inventory, "--lock-wait", "-1", "web1")).isEqualTo(ExitCodes.USAGE);
        assertThat(err()).contains("--lock-wait must be 0 or more seconds");
        assertThat(provision("apply", "-i", inventory, "--persist", "-1", "web1")).isEqualTo(ExitCodes.USAGE);
        assertThat(err()).contains("--persist must be 0 or more seconds");
        assertThat(provision("apply", "-i", inventory, "--json", dir.resolve("no/such/dir/r.json").toString(), "web1")).isEqualTo(ExitCodes.USAGE);
        assertThat(provision("apply", "--frobnicate", "web1")).isEqualTo(ExitCodes.USAGE);
        assertThat(provision("launch")).isEqualTo(ExitCodes.USAGE);
        assertThat(provision()).isEqualTo(ExitCodes.USAGE);
        assertThat(err()).contains("Missing command");
        assertThat(cli.connected).isEmpty();
    }

    @Test
    void jsonReportIsWritten() throws IOException {
        Path json = dir.resolve("report.json");
        assertThat(provision("apply", "-i", twoHosts(), "--json", json.toString(), "web2")).isEqualTo(ExitCodes.OK);
        assertThat(Files.readString(json)).contains("\"host\": \"web2\"", "\"status\": \"changed\"", "\"changes\": [\n            \"mark c\"");
    }

    @Test
    void secretsAreMaskedInEverythingPrinted() throws IOException {
        hosts.put("10.0.0.1", new MarkerHost());
        String inventory = inventory("""
                all:
                  hosts:
                    web1:
                      address: 10.0.0.1
                      playbook: dev.provision.cli.Markers
                      vars: { markers: a, note: !secret cli-secret-42 }
                """);
        Path json = dir.resolve("report.json");
        assertThat(provision("apply", "-vv", "-i", inventory, "--json", json.toString(), "web1")).isEqualTo(ExitCodes.OK);
        assertThat(out()).contains("~ mark a with ********").doesNotContain("cli-secret-42");
        assertThat(Files.readString(json)).contains("mark a with ********").doesNotContain("cli-secret-42");
    }

    @Test
    void veryVerboseLogsEveryRemoteCommand() throws IOException {
        assertThat(provision("apply", "-vv", "-i", twoHosts(), "web2")).isEqualTo(ExitCodes.OK);
        assertThat(out()).contains("changed  mark c [marker c]", "$ [exit 1] has c", "$ [exit 0] (", "$ mark c");
    }

    @Test
    void acceptNewHostKeysReachesTheConnection() throws IOException {
        String inventory = twoHosts();
        provision("apply", "-i", inventory, "web1");
        provision("apply", "-i", inventory, "--accept-new-host-keys", "web1");
        assertThat(cli.connected).extracting(ConnectionSettings::acceptNewHostKeys).containsExactly(false, true);
    }

    @Test
    void persistReachesTheConnection() throws IOException {
        String inventory = twoHosts();
        provision("apply", "-i", inventory, "web1");
        provision("apply", "-i", inventory, "--persist", "600", "web1");
        assertThat(cli.connected).extracting(ConnectionSettings::persist).containsExactly(Duration.ZERO, Duration.ofSeconds(600));
    }

    @Test
    void hostsListsConnectionPlaybookAndGroups() throws IOException {
        String inventory = inventory("""
                all:
                  hosts:
                    matrix.example.com: { address: 203.0.113.10, user: root, playbook: dev.provision.cli.Markers, become: true }
                  groups:
                    web: { hosts: { web1: { address: 10.0.0.5, user: deploy } } }
                """);
        assertThat(provision("hosts", "-i", inventory)).isEqualTo(ExitCodes.OK);
        assertThat(out()).isEqualTo("""
                HOST                CONNECTION                     PLAYBOOK                   GROUPS
                matrix.example.com  root@203.0.113.10:22 (become)  dev.provision.cli.Markers  -
                web1                deploy@10.0.0.5:22             -                          web
                """);
        assertThat(provision("hosts", "-i", inventory, "nope")).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void helpListsTheExitCodesAndVersionPrints() {
        assertThat(provision("apply", "--help")).isEqualTo(ExitCodes.OK);
        assertThat(out()).contains("Exit codes:", "3   a host was unreachable", "--detailed-exitcodes", "--no-force-handlers");
        assertThat(provision("demo", "--help")).isEqualTo(ExitCodes.OK);
        assertThat(out()).contains("--keep", "--suite", "DemoPlaybook");
        assertThat(provision("--version")).isEqualTo(ExitCodes.OK);
        assertThat(out()).startsWith("provision ");
        for (String command : new String[] {"plan", "facts", "hosts", "init", "completion"}) {
            assertThat(provision(command, "--help")).as(command).isEqualTo(ExitCodes.OK);
            assertThat(out()).as(command).contains("Usage: provision " + command, "Exit codes:");
        }
    }

    @Test
    void aRunHoldsOnlyTheCommandItNamesAndHelpAndErrorsAllOfThem() {
        assertThat(ProvisionCommand.commandsFor("apply", "-i", "inventory.yaml", "all")).containsExactly(ApplyCommand.class);
        assertThat(ProvisionCommand.commandsFor("--version", "hosts")).containsExactly(HostsCommand.class);
        assertThat(ProvisionCommand.commandsFor("--version")).isEmpty();
        for (String[] args : new String[][] {{}, {"--help"}, {"-h", "apply"}, {"aply"}, {"completion", "bash"}}) {
            assertThat(ProvisionCommand.commandsFor(args)).as(String.join(" ", args)).hasSize(8);
        }
        assertThat(provision("--help")).isEqualTo(ExitCodes.OK);
        assertThat(out()).contains("apply", "plan", "facts", "hosts", "init", "demo", "test", "completion");
        assertThat(provision("aply")).isEqualTo(ExitCodes.USAGE);
        assertThat(err()).contains("Unmatched argument at index 0: 'aply'", "apply");
    }

    @Test
    void completionPrintsABashScriptForEveryCommand() {
        assertThat(provision("completion", "bash")).isEqualTo(ExitCodes.OK);
        assertThat(out()).contains("complete -F _complete_provision", "apply plan facts hosts init demo test completion", "--detailed-exitcodes");
        assertThat(provision("completion", "fish")).isEqualTo(ExitCodes.USAGE);
        assertThat(err()).contains("Invalid value for positional parameter at index 0 (SHELL): expected one of [bash]");
    }

    @Test
    void demoRejectsAnUnknownSuiteOrPlaybookBeforeStartingAContainer() {
        assertThat(provision("demo", "--suite", "buster")).isEqualTo(ExitCodes.USAGE);
        assertThat(err()).contains("--suite must be one of bookworm, trixie, sid, not buster");
        assertThat(provision("demo", "--playbook", "com.example.Nope")).isEqualTo(ExitCodes.USAGE);
        assertThat(err()).contains("--playbook: playbook class com.example.Nope for host demo not found on the classpath");
    }

    @Test
    void demoSaysHowToBuildItsContainersWhenTheirJarIsMissing() {
        assertThat(provision("demo", "--suite", "bookworm")).isEqualTo(ExitCodes.USAGE);
        assertThat(err()).contains("the demo's containers are missing: " + TestCli.NO_DEMO_JAR + " does not exist",
                "mvn -B -DskipTests -pl cli,demo -am install");
    }

    @Test
    void testListsItsOwnExitCodes() {
        assertThat(provision("test", "--help")).isEqualTo(ExitCodes.OK);
        assertThat(out()).contains("Usage: provision test", "--keep", "--suite", "--json", "test_suite",
                "1   a test failed: a task failed, the second run changed something, or a", "3   a container could not be reached over SSH");
    }

    @Test
    void testChecksSuitesAndPlaybooksBeforeStartingAContainer() throws IOException {
        String inventory = inventory("""
                all:
                  hosts:
                    old: { playbook: dev.provision.playbooks.demo.DemoPlaybook, vars: { test_suite: buster } }
                    typo: { playbook: com.example.Nope }
                """);

        assertThat(provision("test", "-i", inventory, "--suite", "buster", "old")).isEqualTo(ExitCodes.USAGE);
        assertThat(err()).contains("--suite must be one of bookworm, trixie, sid, not buster");
        assertThat(provision("test", "-i", inventory, "old")).isEqualTo(ExitCodes.USAGE);
        assertThat(err()).contains("host old: test_suite must be one of bookworm, trixie, sid, not buster");
        assertThat(provision("test", "-i", inventory, "typo")).isEqualTo(ExitCodes.USAGE);
        assertThat(err()).contains("playbook class com.example.Nope for host typo not found");
        assertThat(provision("test", "-i", inventory, "--suite", "bookworm", "old")).isEqualTo(ExitCodes.USAGE);
        assertThat(err()).contains("the demo's containers are missing: " + TestCli.NO_DEMO_JAR + " does not exist");
    }
}
