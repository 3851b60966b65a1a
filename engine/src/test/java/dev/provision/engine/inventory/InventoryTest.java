package dev.provision.engine.inventory;

import dev.provision.dsl.Deployment;
import dev.provision.dsl.Host;
import dev.provision.dsl.Playbook;
import dev.provision.dsl.Role;
import dev.provision.dsl.Secret;
import dev.provision.dsl.engine.DeploymentDefinition;
import dev.provision.engine.DeploymentTarget;
import dev.provision.engine.HostTarget;
import dev.provision.engine.connect.ConnectionSettings;
import dev.provision.engine.report.Masking;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InventoryTest {

    @TempDir
    Path dir;

    public static class Empty extends Playbook {
        @Override
        protected void define(Host host) {
        }
    }

    private static final String EMPTY = Empty.class.getName();

    /** Two roles, app after db. */
    public static class TwoRoles extends Deployment {
        @Override
        protected void define() {
            Role db = role("db", Empty::new);
            role("app", Empty::new).after(db);
        }
    }

    private static final String HOSTS = """
            all:
              hosts: { db1: , app1: }
              groups:
                apps: { hosts: { app2: , app3: } }
            """;

    @Test
    void aDeploymentGivesEachRoleItsHostsAndGroupsInInventoryOrder() throws IOException {
        Inventory inventory = load(HOSTS + "deployments:\n  chat:\n    class: " + TwoRoles.class.getName()
                + "\n    roles: { db: db1, app: [apps, app1] }\n");

        InventoryDeployment chat = inventory.deployment("chat").orElseThrow();
        assertThat(chat.hostsByRole()).containsEntry("db", List.of("db1")).containsEntry("app", List.of("app1", "app2", "app3"));
        DeploymentTarget target = inventory.deploymentTarget(chat, PlaybookLoader.CLASSPATH);
        assertThat(target.definition().roles()).extracting(DeploymentDefinition.RoleEntry::name).containsExactly("db", "app");
        assertThat(target.hosts("app")).extracting(t -> t.host().name()).containsExactly("app1", "app2", "app3");
        assertThat(target.limited()).containsExactlyInAnyOrder("db1", "app1", "app2", "app3");
    }

    @Test
    void deploymentMistakesSayWhereAndWhat() throws IOException {
        assertThatThrownBy(() -> load(HOSTS + "deployments:\n  chat:\n    class: X\n    roles: { db: nobody }\n"))
                .hasMessage(file() + ":8:18: role db of deployment chat names nobody, which is no host or group of this inventory");
        assertThatThrownBy(() -> load(HOSTS + "deployments:\n  chat:\n    roles: { db: db1 }\n"))
                .hasMessage(file() + ":6:3: deployment chat has no class: set `class: CLASS`, a dev.provision.dsl.Deployment");
        assertThatThrownBy(() -> load(HOSTS + "deployments:\n  apps:\n    class: X\n    roles: { db: db1 }\n"))
                .hasMessageContaining("deployment apps has the name of a host or group; names must be unique");

        Inventory missingRole = load(HOSTS + "deployments:\n  chat:\n    class: " + TwoRoles.class.getName() + "\n    roles: { db: db1 }\n");
        assertThatThrownBy(() -> missingRole.deploymentTarget(missingRole.deployment("chat").orElseThrow(), PlaybookLoader.CLASSPATH))
                .hasMessageContaining("deployment chat declares the roles db, app, and the inventory gives hosts for db:"
                        + " give every declared role its hosts under `roles:`, and no other role");
        Inventory notADeployment = load(HOSTS + "deployments:\n  chat:\n    class: " + EMPTY + "\n    roles: { db: db1 }\n");
        assertThatThrownBy(() -> notADeployment.deploymentTarget(notADeployment.deployment("chat").orElseThrow(), PlaybookLoader.CLASSPATH))
                .hasMessageContaining("is not a deployment: it must extend dev.provision.dsl.Deployment");
    }

    private Path write(String yaml) throws IOException {
        return Files.writeString(dir.resolve("inventory.yaml"), yaml);
    }

    private Inventory load(String yaml) throws IOException {
        return Inventory.load(write(yaml), SshConfig.none());
    }

    private Inventory loadUnchecked(String yaml) {
        try {
            return load(yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InventoryHost host(Inventory inventory, String name) {
        return inventory.hosts().stream().filter(h -> h.name().equals(name)).findFirst().orElseThrow();
    }

    private String file() {
        return dir.resolve("inventory.yaml").toString();
    }

    @Test
    void hostWinsOverInnerGroupWinsOverOuterGroupWinsOverAll() throws IOException {
        Inventory inventory = load("""
                all:
                  vars: { level: all, from_all: 1 }
                  user: deploy
                  groups:
                    web:
                      vars: { level: web, from_web: 2 }
                      port: 2222
                      hosts:
                        web1:
                      groups:
                        canary:
                          vars: { level: canary }
                          hosts:
                            web2:
                            web3: { vars: { level: web3 }, user: root, address: 10.0.0.3 }
                """);
        assertThat(host(inventory, "web1").vars()).isEqualTo(Map.of("level", "web", "from_all", 1, "from_web", 2));
        assertThat(host(inventory, "web2").vars()).containsEntry("level", "canary").containsEntry("from_web", 2);
        assertThat(host(inventory, "web3").vars()).containsEntry("level", "web3");

        ConnectionSettings web2 = host(inventory, "web2").connection();
        assertThat(web2.describe()).isEqualTo("deploy@web2:2222");
        assertThat(host(inventory, "web3").connection().describe()).isEqualTo("root@10.0.0.3:2222");
        assertThat(host(inventory, "web3").groups()).containsExactly("web", "canary");
    }

    @Test
    void aHostInTwoUnrelatedGroupsThatDisagreeIsAnError() throws IOException {
        String yaml = """
                all:
                  groups:
                    web:
                      playbook: a.Web
                      hosts: { box: }
                    db:
                      playbook: b.Db
                      hosts: { box: }
                """;
        assertThatThrownBy(() -> load(yaml)).isInstanceOf(InventoryException.class)
                .hasMessage(file() + ":5:16: host box gets playbook from group web (" + file() + ":4:7) and from group db ("
                        + file() + ":7:7), neither inside the other: set it on the host or in one of them");
    }

    @Test
    void aHostInTwoGroupsThatAgreeOrThatItOverridesIsFine() throws IOException {
        Inventory inventory = load("""
                all:
                  groups:
                    web: { vars: { tz: UTC, role: web }, hosts: { box: } }
                    db: { vars: { tz: UTC, role: db }, hosts: { box: { vars: { role: both } } } }
                """);
        assertThat(host(inventory, "box").vars()).isEqualTo(Map.of("tz", "UTC", "role", "both"));
        assertThat(host(inventory, "box").groups()).containsExactly("web", "db");
    }

    @Test
    @SuppressWarnings("unchecked")
    void secretsByNameAndByTagAreSecretsAndNeverPrinted() throws IOException {
        Masking masking = new Masking();
        Inventory inventory = masking.watching(() -> loadUnchecked("""
                all:
                  hosts:
                    db1:
                      password: login-pass-1
                      become: yes
                      become_password: sudo-pass-1
                      vars:
                        db_password: db-pass-1
                        macaroon_secret_key: macaroon-1
                        nested: { api_token: token-1, plain: visible }
                        password_min_length: 12
                        contact: !secret tagged-1
                        name: db1.example.com
                """));
        InventoryHost db1 = host(inventory, "db1");
        assertThat(db1.vars().get("db_password")).isEqualTo(Secret.of("db-pass-1"));
        assertThat(db1.vars().get("macaroon_secret_key")).isInstanceOf(Secret.class);
        assertThat(db1.vars().get("contact")).isEqualTo(Secret.of("tagged-1"));
        assertThat(db1.vars().get("password_min_length")).isEqualTo(12);
        assertThat(db1.vars().get("name")).isEqualTo("db1.example.com");
        assertThat((Map<Object, Object>) db1.vars().get("nested")).containsEntry("plain", "visible").containsEntry("api_token", Secret.of("token-1"));
        assertThat(db1.connection().password()).contains(Secret.of("login-pass-1"));
        assertThat(db1.connection().become()).isTrue();
        assertThat(db1.connection().becomePassword()).contains(Secret.of("sudo-pass-1"));

        String printed = masking.mask(db1.toString() + " login-pass-1 sudo-pass-1 db-pass-1 macaroon-1 token-1 tagged-1");
        assertThat(printed).doesNotContain("pass-1", "macaroon-1", "token-1", "tagged-1");
    }

    @Test
    void invalidYamlNamesFileLineAndColumn() throws IOException {
        String yaml = """
                all:
                  hosts:
                    web1: { address: 10.0.0.5
                    web2:
                """;
        assertThatThrownBy(() -> load(yaml)).isInstanceOf(InventoryException.class)
                .hasMessageStartingWith(file() + ":4:")
                .hasMessageContaining("invalid YAML");
    }

    @Test
    void anUnknownKeyNamesTheKeyTheHostTheLineAndTheAllowedKeys() throws IOException {
        String yaml = """
                all:
                  hosts:
                    web1:
                      adress: 10.0.0.5
                """;
        assertThatThrownBy(() -> load(yaml)).isInstanceOf(InventoryException.class)
                .hasMessage(file() + ":4:7: unknown key 'adress' in host web1; allowed keys: address, port, user, connection,"
                        + " identity_file, password, become, become_password, known_hosts, playbook, vars");
    }

    @Test
    void anUnknownKeyInAGroupListsTheGroupKeys() throws IOException {
        assertThatThrownBy(() -> load("all:\n  groups:\n    web:\n      address: 1.2.3.4\n"))
                .hasMessageStartingWith(file() + ":4:7: unknown key 'address' in group web; allowed keys: hosts, groups, vars, port,");
        assertThatThrownBy(() -> load("al:\n  hosts: {}\n"))
                .hasMessage(file() + ":1:1: unknown key 'al' in the inventory; allowed keys: all, deployments");
    }

    @Test
    void badValuesSayWhatWasExpectedWhere() throws IOException {
        assertThatThrownBy(() -> load("all:\n  hosts:\n    web1: { port: 70000 }\n"))
                .hasMessage(file() + ":3:19: port of host web1: expected a port number from 1 to 65535");
        assertThatThrownBy(() -> load("all:\n  connection: telnet\n"))
                .hasMessage(file() + ":2:15: connection of group all: expected `local` or `ssh`");
        assertThatThrownBy(() -> load("all:\n  hosts:\n    web1: { vars: { x: } }\n"))
                .hasMessage(file() + ":3:21: variable x of host web1 has no value");
        assertThatThrownBy(() -> load("all:\n  hosts: [web1, web2]\n"))
                .hasMessage(file() + ":2:10: the hosts of group all must be a mapping (key: value lines)");
        assertThatThrownBy(() -> load("all:\n  hosts:\n    web1: { vars: { k: !secret [a, b] } }\n"))
                .hasMessage(file() + ":3:24: !secret applies to a single value, not to a list or mapping");
    }

    @Test
    void duplicatesAreErrors() throws IOException {
        assertThatThrownBy(() -> load("all:\n  hosts:\n    web1: { user: a, user: b }\n"))
                .hasMessage(file() + ":3:22: 'user' appears twice in host web1 (first at " + file() + ":3:13)");
        assertThatThrownBy(() -> load("all:\n  groups:\n    a: { hosts: { h: { user: x } } }\n    b: { hosts: { h: { user: x } } }\n"))
                .hasMessage(file() + ":4:24: host h sets user twice (also at " + file() + ":3:24)");
        assertThatThrownBy(() -> load("all:\n  groups:\n    a: { groups: { b: } }\n    c: { groups: { b: } }\n"))
                .hasMessageStartingWith(file() + ":4:20: group b is defined twice (first at " + file() + ":3:20)");
        assertThatThrownBy(() -> load("all:\n  hosts: { web: }\n  groups: { web: }\n"))
                .hasMessage(file() + ":2:12: web is the name of a host and of a group (" + file() + ":3:13); names must be unique");
    }

    @Test
    void patternsSelectByHostGroupGlobAndAllInInventoryOrder() throws IOException {
        Inventory inventory = load("""
                all:
                  hosts: { mail: }
                  groups:
                    web: { hosts: { web1:, web2: } }
                    db: { hosts: { db1: } }
                """);
        assertThat(names(inventory.select(List.of("db", "mail")))).containsExactly("mail", "db1");
        assertThat(names(inventory.select(List.of("web*")))).containsExactly("web1", "web2");
        assertThat(names(inventory.select(List.of("web2,db1")))).containsExactly("web2", "db1");
        assertThat(names(inventory.select(List.of("all")))).containsExactly("mail", "web1", "web2", "db1");
        assertThatThrownBy(() -> inventory.select(List.of("web3"))).isInstanceOf(InventoryException.class)
                .hasMessage("no host matches 'web3' in inventory " + file() + "; known hosts: mail, web1, web2, db1; groups: web, db");
    }

    private static List<String> names(List<InventoryHost> hosts) {
        return hosts.stream().map(InventoryHost::name).toList();
    }

    @Test
    void targetsCreateAFreshPlaybookPerRunWithTheHostsVars() throws IOException {
        Inventory inventory = load("all:\n  playbook: " + EMPTY + "\n  hosts:\n    web1: { vars: { a: 1 } }\n");
        HostTarget target = inventory.targets(List.of("web1")).get(0);
        assertThat(target.host()).isEqualTo(new Host("web1", Map.of("a", 1)));
        assertThat(target.playbook().get()).isInstanceOf(Empty.class).isNotSameAs(target.playbook().get());
    }

    @Test
    void playbookProblemsAreReportedBeforeAnythingRuns() throws IOException {
        Inventory inventory = load("""
                all:
                  hosts:
                    web1: { playbook: com.example.Missing }
                    web2: { playbook: java.lang.String }
                    web3:
                """);
        assertThatThrownBy(() -> inventory.targets(List.of("web1")))
                .hasMessageStartingWith(file() + ":3:13: playbook class com.example.Missing for host web1 not found on the classpath: ");
        assertThatThrownBy(() -> inventory.targets(List.of("web2")))
                .hasMessage(file() + ":4:13: playbook class java.lang.String for host web2 is not a playbook: it must extend dev.provision.dsl.Playbook");
        assertThatThrownBy(() -> inventory.targets(List.of("web3")))
                .hasMessage("host web3 has no playbook: set `playbook: CLASS` on the host or one of its groups in " + file());
    }

    @Test
    void localHostsUseThisMachinesShell() throws IOException {
        Inventory inventory = load("all:\n  hosts:\n    here: { connection: local, become: true }\n");
        ConnectionSettings here = host(inventory, "here").connection();
        assertThat(here.local()).isTrue();
        assertThat(here.become()).isTrue();
    }

    @Test
    void pathsStartAtTheInventoryFolderOrHome() throws IOException {
        Inventory inventory = load("all:\n  hosts:\n    h: { identity_file: [keys/h, ~/.ssh/id_h], known_hosts: kh }\n");
        ConnectionSettings h = host(inventory, "h").connection();
        assertThat(h.identityFiles()).containsExactly(dir.resolve("keys/h"), Path.of(System.getProperty("user.home"), ".ssh/id_h"));
        assertThat(h.knownHosts()).containsExactly(dir.resolve("kh"));
    }

    @Test
    void sshConfigFillsInWhatTheInventoryLeavesOut() throws IOException {
        SshConfig ssh = SshConfig.parse(Path.of("ssh_config"), """
                Host matrix
                  HostName 203.0.113.10
                  User admin
                  Port 2200
                  IdentityFile ~/.ssh/matrix
                """);
        Inventory inventory = Inventory.load(write("all:\n  hosts:\n    matrix: { user: root }\n    other:\n"), ssh);
        ConnectionSettings matrix = host(inventory, "matrix").connection();
        assertThat(matrix.describe()).isEqualTo("root@203.0.113.10:2200");
        assertThat(matrix.identityFiles()).containsExactly(Path.of(System.getProperty("user.home"), ".ssh/matrix"));
        assertThat(host(inventory, "other").connection().describe())
                .isEqualTo(System.getProperty("user.name") + "@other:22");
    }

    @Test
    void aMissingOrEmptyFileSaysSo() throws IOException {
        assertThatThrownBy(() -> Inventory.load(dir.resolve("nope.yaml"), SshConfig.none()))
                .hasMessage("inventory " + dir.resolve("nope.yaml") + " not found");
        assertThatThrownBy(() -> load("# nothing\n"))
                .hasMessage(file() + ": the inventory is empty; it starts with `all:`");
    }
}
