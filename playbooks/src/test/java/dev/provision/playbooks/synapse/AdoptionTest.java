package dev.provision.playbooks.synapse;

import dev.provision.task.Change;
import dev.provision.task.CommandResult;
import dev.provision.task.Fact;
import dev.provision.task.Facts;
import dev.provision.task.Plan;
import dev.provision.task.Task;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/** Taking over a running server: each rule planned against what such a host answers. */
class AdoptionTest {

    private static final SynapseTopology TOPOLOGY = SynapseTopology.forServer("example.com").packagedBy(PackageSource.DEBIAN).build();
    private static final AdoptionOptions DEFAULTS = new AdoptionOptions(false, true);
    private static final AdoptionOptions PORTING = new AdoptionOptions(true, true);
    private static final String HS = ExistingServer.HOMESERVER_YAML;

    private static final String SITE = """
            server {
                listen 80;
                server_name example.com;
                return 301 https://$host$request_uri;
            }

            server {
                listen 443 ssl;
                server_name example.com;
                ssl_certificate /etc/ssl/certs/example.pem;
                ssl_certificate_key /etc/ssl/private/example.key;

                # federation delegation
                location /.well-known/matrix/server {
                    default_type application/json;
                    return 200 '{"m.server": "example.com:443"}';
                }

                location ~ ^(/_matrix|/_synapse/client) {
                    proxy_pass http://localhost:8008;
                    proxy_set_header X-Forwarded-For $remote_addr;
                }

                location /element {
                    root /var/www;
                }
            }
            """;

    /** What the fact command prints for a Debian host running Synapse on SQLite behind the site above. */
    private static String hostOutput(String extraConfig) {
        return "package\tmatrix-synapse\tinstalled\n"
                + "main\tactive\n"
                + "config\t/etc/matrix-synapse/conf.d/server_name.yaml\tserver_name\texample.com\n"
                + "config\t" + HS + "\tmedia_store_path\t/var/lib/matrix-synapse/media\n"
                + "config\t" + HS + "\tsigning_key_path\t/etc/matrix-synapse/homeserver.signing.key\n"
                + "config\t" + HS + "\tdatabase\t\n"
                + "config\t" + HS + "\tdatabase.name\tsqlite3\n"
                + "config\t" + HS + "\tdatabase.args.database\t/var/lib/matrix-synapse/homeserver.db\n"
                + "inline\t" + HS + "\tregistration_shared_secret\n"
                + extraConfig
                + "size\t/var/lib/matrix-synapse/homeserver.db\t2162688\n"
                + "site\t/etc/nginx/sites-available/matrix\troot\troot\t644\t"
                + Base64.getEncoder().encodeToString(SITE.getBytes(StandardCharsets.UTF_8)) + "\n";
    }

    private static ExistingServer server(String output) {
        return ExistingServer.parse(new CommandResult(0, output, ""));
    }

    /** Answers each distinct fact command of a task from the function. */
    private static Plan plan(Task task, Function<String, CommandResult> answers) {
        Facts given = new Facts() {
            @Override
            public <T> T get(Fact<T> fact) {
                return fact.parse(answers.apply(fact.command()));
            }
        };
        return task.plan(given);
    }

    private static Function<String, CommandResult> host(String serverOutput, Map<String, String> others) {
        return command -> command.equals(ExistingServer.command(TOPOLOGY.publicHostname())) ? new CommandResult(0, serverOutput, "")
                : new CommandResult(0, others.entrySet().stream().filter(e -> command.contains(e.getKey())).map(Map.Entry::getValue)
                .findFirst().orElse("absent\n"), "");
    }

    private static List<String> summaries(Plan plan) {
        return plan.changes().stream().map(Change::summary).toList();
    }

    @Test
    void theFactReadsTheEffectiveConfigurationAsSynapseMergesIt() {
        ExistingServer now = server(hostOutput("config\t/etc/matrix-synapse/conf.d/zz.yaml\tmedia_store_path\t/srv/media\n"));

        assertThat(now.installedPackage()).contains("matrix-synapse");
        assertThat(now.mainActive()).isTrue();
        assertThat(now.configuredBefore()).isFalse();
        assertThat(now.value("server_name")).contains("example.com");
        assertThat(now.value("media_store_path")).as("a later conf.d file wins").contains("/srv/media");
        assertThat(now.database()).hasValueSatisfying(db -> assertThat(db.engine()).isEqualTo("sqlite3"));
        assertThat(now.sqliteWithData()).contains("/var/lib/matrix-synapse/homeserver.db");
        assertThat(now.inlineSecretFile("registration_shared_secret")).contains(HS);
        assertThat(now.sites()).singleElement().satisfies(site -> assertThat(site.content()).isEqualTo(SITE));
    }

    @Test
    void theConfigurationIsReadOnTheHostWithoutASecretValue(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("homeserver.yaml");
        Files.writeString(config, """
                # comment
                server_name: "example.com"
                signing_key_path: '/etc/matrix-synapse/homeserver.signing.key'
                media_store_path: /var/lib/matrix-synapse/media # trailing comment
                registration_shared_secret: "s3cr3t;value"
                macaroon_secret_key: ~
                database:
                  args:
                    database: /var/lib/matrix-synapse/homeserver.db
                    password: hunter2
                  name: "sqlite3"
                thumbnail_sizes:
                - width: 32
                """);
        String out = run("awk", "-v", "f=" + config, ExistingServer.CONFIG_AWK, config.toString());

        assertThat(out).doesNotContain("s3cr3t", "hunter2").contains(
                "config\t" + config + "\tserver_name\texample.com\n",
                "config\t" + config + "\tsigning_key_path\t/etc/matrix-synapse/homeserver.signing.key\n",
                "config\t" + config + "\tmedia_store_path\t/var/lib/matrix-synapse/media\n",
                "inline\t" + config + "\tregistration_shared_secret\n",
                "config\t" + config + "\tdatabase.name\tsqlite3\n",
                "config\t" + config + "\tdatabase.args.database\t/var/lib/matrix-synapse/homeserver.db\n",
                "config\t" + config + "\tdatabase.args.password\t(set)\n");
        assertThat(out).doesNotContain("macaroon_secret_key");
        ExistingServer now = server(out.replace(config.toString(), HS));
        assertThat(now.database()).hasValueSatisfying(db -> assertThat(db.args()).containsEntry("database", "/var/lib/matrix-synapse/homeserver.db"));
    }

    @Test
    void anInlineValueIsTakenWhole(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("homeserver.yaml");
        Files.writeString(config, "form_secret: plain.value:with#hash # comment\nregistration_shared_secret: \"a;b:c=d~e@f\"\n"
                + "macaroon_secret_key: 'x y'\n");

        assertThat(run("awk", "-v", "k=form_secret", AdoptedSecret.VALUE_AWK, config.toString())).isEqualTo("plain.value:with#hash\n");
        assertThat(run("awk", "-v", "k=registration_shared_secret", AdoptedSecret.VALUE_AWK, config.toString())).isEqualTo("a;b:c=d~e@f\n");
        assertThat(run("awk", "-v", "k=macaroon_secret_key", AdoptedSecret.VALUE_AWK, config.toString())).isEqualTo("x y\n");
    }

    @Test
    void aDifferentServerNameIsRefusedWithTheOneInUse() {
        SynapseTopology other = SynapseTopology.forServer("example.org").publicHostname("example.com").packagedBy(PackageSource.DEBIAN).build();

        Plan plan = new AdoptionCheck(other, PORTING).planFor(server(hostOutput("")));

        assertThat(plan.failure()).hasValueSatisfying(message -> assertThat(message)
                .contains("server_name is example.com", "/etc/matrix-synapse/conf.d/server_name.yaml", "cannot change", "set server_name: example.com"));
    }

    @Test
    void sqliteWithDataStopsTheRunUnlessPortingIsAllowed() {
        ExistingServer now = server(hostOutput(""));

        assertThat(new AdoptionCheck(TOPOLOGY, DEFAULTS).planFor(now).failure()).hasValueSatisfying(message -> assertThat(message)
                .contains("/var/lib/matrix-synapse/homeserver.db", "synapse_port_sqlite: true", "nothing has been changed"));
        assertThat(new AdoptionCheck(TOPOLOGY, PORTING).planFor(now).isEmpty()).isTrue();
        assertThat(new AdoptionCheck(SynapseTopology.forServer("example.com").packagedBy(PackageSource.DEBIAN).withoutPostgres()
                .withoutRedis().withoutWorkers().build(), DEFAULTS).planFor(now).isEmpty()).as("a monolith stays on SQLite").isTrue();
    }

    @Test
    void aSqliteDatabaseWithTheSchemaAloneIsNoDataAndOneWhoseRowsCannotBeCountedIs() {
        String db = "/var/lib/matrix-synapse/homeserver.db";

        assertThat(server(hostOutput("") + "rows\t" + db + "\t0\n").sqliteWithData()).as("Synapse started once, nobody registered").isEmpty();
        assertThat(new AdoptionCheck(TOPOLOGY, DEFAULTS).planFor(server(hostOutput("") + "rows\t" + db + "\t0\n")).isEmpty()).isTrue();
        assertThat(server(hostOutput("") + "rows\t" + db + "\t3\n").sqliteWithData()).contains(db);
        assertThat(server(hostOutput("") + "rows\t" + db + "\t-1\n").sqliteWithData()).as("not counted").contains(db);
        assertThat(ExistingServer.command("matrix.example.com")).contains("rows\\t%s\\t%s", "SELECT COUNT(*) FROM", "mode=ro");
    }

    @Test
    void anotherPostgresDatabaseIsRefusedAndTheSameOneKept() {
        String postgres = "config\t/etc/matrix-synapse/conf.d/db.yaml\tdatabase\t\n"
                + "config\t/etc/matrix-synapse/conf.d/db.yaml\tdatabase.name\tpsycopg2\n"
                + "config\t/etc/matrix-synapse/conf.d/db.yaml\tdatabase.args.user\tsynapse_user\n"
                + "config\t/etc/matrix-synapse/conf.d/db.yaml\tdatabase.args.database\tsynapse\n"
                + "config\t/etc/matrix-synapse/conf.d/db.yaml\tdatabase.args.host\tlocalhost\n"
                + "config\t/etc/matrix-synapse/conf.d/db.yaml\tdatabase.args.password\t(set)\n";
        ExistingServer now = server(hostOutput(postgres));

        assertThat(now.sqliteWithData()).as("conf.d replaces homeserver.yaml's database").isEmpty();
        assertThat(new AdoptionCheck(TOPOLOGY, DEFAULTS).planFor(now).failure()).hasValueSatisfying(message -> assertThat(message)
                .contains("user synapse_user (the topology: synapse)", "database_user").doesNotContain("dbname"));
        SynapseTopology same = SynapseTopology.forServer("example.com").packagedBy(PackageSource.DEBIAN)
                .database(PostgresDatabase.named("synapse").ownedBy("synapse_user")).build();
        assertThat(new AdoptionCheck(same, DEFAULTS).planFor(now).isEmpty()).isTrue();
    }

    @Test
    void aDatabaseOnAnotherMachineIsComparedAsMainsMachineReachesIt() {
        String onA = "config\t/etc/matrix-synapse/conf.d/database.yaml\tdatabase\t\n"
                + "config\t/etc/matrix-synapse/conf.d/database.yaml\tdatabase.name\tpsycopg2\n"
                + "config\t/etc/matrix-synapse/conf.d/database.yaml\tdatabase.args.user\tsynapse\n"
                + "config\t/etc/matrix-synapse/conf.d/database.yaml\tdatabase.args.dbname\tsynapse\n"
                + "config\t/etc/matrix-synapse/conf.d/database.yaml\tdatabase.args.host\t10.0.0.1\n";
        SynapseTopology cluster = MultiMachineLayoutFilesTest.threeMachines();

        assertThat(new AdoptionCheck(cluster, DEFAULTS).planFor(server(hostOutput(onA))).failure().orElse(""))
                .as("the package and site differ from this host; the database does not").doesNotContain("database");
        assertThat(new AdoptionCheck(cluster, DEFAULTS).planFor(server(hostOutput(onA.replace("10.0.0.1", "10.0.0.9")))).failure())
                .hasValueSatisfying(message -> assertThat(message).contains("host 10.0.0.9 (the topology: 10.0.0.1)"));
    }

    @Test
    void anotherPackageIsRefusedAndAFreshHostPasses() {
        ExistingServer now = server(hostOutput("").replace("package\tmatrix-synapse\t", "package\tmatrix-synapse-py3\t"));

        assertThat(new AdoptionCheck(TOPOLOGY, PORTING).planFor(now).failure()).hasValueSatisfying(message -> assertThat(message)
                .contains("matrix-synapse-py3", "package_source to matrix_org"));
        assertThat(new AdoptionCheck(TOPOLOGY, DEFAULTS).planFor(server("main\tinactive\n")).isEmpty()).isTrue();
    }

    @Test
    void theSiteKeepsItsCertificateAndOwnLocationsAndLosesOnlySynapsesOnes() {
        AdoptedSite site = AdoptedSite.of(SITE, "example.com");

        String adopted = site.content();

        assertThat(site.problem()).isEmpty();
        assertThat(site.replaced()).containsExactly("~ ^(/_matrix|/_synapse/client)");
        assertThat(adopted).contains("ssl_certificate /etc/ssl/certs/example.pem;", "return 301 https://$host$request_uri;",
                "location /.well-known/matrix/server {\n        default_type application/json;\n        return 200 '{\"m.server\": \"example.com:443\"}';\n    }",
                "location /element {", "    access_log /var/log/nginx/matrix-synapse.access.log matrix_synapse_routing;\n    "
                        + AdoptedSite.INCLUDE + "\n\n    location /element");
        assertThat(adopted).doesNotContain("8008", "/_matrix");
        assertThat(adopted.indexOf(AdoptedSite.INCLUDE)).as("only in the block that proxied").isEqualTo(adopted.lastIndexOf(AdoptedSite.INCLUDE))
                .isGreaterThan(adopted.indexOf("listen 443"));
        assertThat(AdoptedSite.of(adopted, "example.com").content()).as("taken over once").isEqualTo(adopted);
        assertThat(AdoptedSite.of(adopted, "example.com").problem()).isEmpty();
    }

    @Test
    void aSiteLocationTheRoutingNeedsIsNamedBeforeAnythingChanges() {
        AdoptedSite clash = AdoptedSite.of(SITE.replace("location /element", "location /"), "example.com");
        AdoptedSite unrelated = AdoptedSite.of("server {\n    server_name example.com;\n    root /var/www;\n}\n", "example.com");

        assertThat(clash.problem()).hasValueSatisfying(problem -> assertThat(problem).contains("location / is the site's own"));
        assertThat(unrelated.problem()).hasValueSatisfying(problem -> assertThat(problem).contains("proxies to Synapse"));
        assertThat(new AdoptionCheck(TOPOLOGY, PORTING).planFor(server(hostOutput("").replace(
                Base64.getEncoder().encodeToString(SITE.getBytes(StandardCharsets.UTF_8)),
                Base64.getEncoder().encodeToString(SITE.replace("location /element", "location /").getBytes(StandardCharsets.UTF_8)))))
                .failure()).hasValueSatisfying(message -> assertThat(message).contains("/etc/nginx/sites-available/matrix", "location /"));
    }

    @Test
    void theAdoptedSiteChangeSaysWhatItReplacesAndRemovesThePlaybooksOwnBlock() {
        NginxSite task = new NginxSite(TOPOLOGY, dev.provision.tasks.files.Files.file(NginxConfig.SITE).content("server {}\n"));

        Plan plan = plan(task, host(hostOutput(""), Map.of(NginxConfig.SITE, "type=file\nowner=root\ngroup=root\nmode=644\nsize=10\nsha256=x\n")));

        assertThat(summaries(plan)).hasSize(2);
        assertThat(summaries(plan).get(0)).contains("take over /etc/nginx/sites-available/matrix", "replace location ~ ^(/_matrix|/_synapse/client)",
                "port 8008", "certificate and other locations stay");
        assertThat(plan.changes().get(0).script()).contains("nginx -t");
        assertThat(summaries(plan).get(1)).isEqualTo("remove");
        assertThat(plan(task, host("main\tinactive\n", Map.of(NginxConfig.SITE, "type=absent\n"))).changes().get(0).diff().orElseThrow().path()).isEqualTo(NginxConfig.SITE);
    }

    @Test
    void anInlineSecretMovesWithItsValueAndTheMacaroonKeyFollowsTheRegistrationSecret() {
        SynapseDeployment deployment = SynapseDeployment.of(TOPOLOGY);
        SecretFile registration = deployment.secretFiles().get(0);
        SecretFile macaroon = deployment.secretFiles().get(1);
        SecretFile form = deployment.secretFiles().get(2);
        Function<String, CommandResult> answers = host(hostOutput(""), Map.of());

        Plan moved = plan(new AdoptedSecret(TOPOLOGY, "registration_shared_secret", registration), answers);
        Plan followed = plan(new AdoptedSecret(TOPOLOGY, "macaroon_secret_key", macaroon), answers);
        Plan generated = plan(new AdoptedSecret(TOPOLOGY, "form_secret", form), answers);

        assertThat(summaries(moved)).singleElement().asString().contains("move registration_shared_secret from " + HS,
                registration.path(), "same value", "delete its line from " + HS);
        assertThat(moved.changes().get(0).script()).contains("grep -v '^registration_shared_secret:' " + HS, "mv -f");
        assertThat(summaries(followed)).singleElement().asString().contains("write from " + registration.path());
        assertThat(summaries(generated)).singleElement().asString().startsWith("generate");
        Plan afterwards = plan(new AdoptedSecret(TOPOLOGY, "macaroon_secret_key", macaroon),
                host("main\tactive\n", Map.of(macaroon.path(), "current\nroot matrix-synapse 640\n")));
        assertThat(afterwards.isEmpty()).as("kept on later runs").isTrue();
    }

    @Test
    void thePortStopsSynapseComparesRowCountsAndOnlyThenSwitches() {
        List<RenderedFile> files = SynapseDeployment.of(TOPOLOGY).files();
        RenderedFile databaseYaml = files.get(0);
        RenderedFile dropIn = files.stream().filter(file -> file.path().equals(SystemdUnits.MAIN_DROP_IN)).findFirst().orElseThrow();
        ExistingServer now = server(hostOutput(""));

        Plan port = new SqlitePort(TOPOLOGY, databaseYaml, dropIn, PORTING).planFor(now);
        String script = port.changes().get(0).script();

        assertThat(new SqlitePort(TOPOLOGY, databaseYaml, dropIn, DEFAULTS).planFor(now).isEmpty()).isTrue();
        assertThat(databaseYaml.path()).endsWith("conf.d/database.yaml");
        assertThat(summaries(port)).singleElement().asString().contains("synapse_port_db", "users, rooms, events, access_tokens");
        assertThat(script).containsSubsequence("background_updates", "systemctl stop matrix-synapse.service",
                "synapse_port_db --sqlite-database /var/lib/matrix-synapse/homeserver.db", "select count(*) from ",
                "users rooms events access_tokens || exit 1", "workers.conf", "systemctl daemon-reload", "database.yaml",
                "systemctl start matrix-synapse.service");
        assertThat(script).contains("trap 'rm -rf \"$work\"; systemctl start matrix-synapse.service' EXIT",
                dev.provision.task.Shell.pipe(("server_name: example.com\nsigning_key_path: /etc/matrix-synapse/homeserver.signing.key\n"
                        + databaseYaml.content()).getBytes(StandardCharsets.UTF_8), "cat > \"$work/port.yaml\""));
        assertThat(new SqlitePort(TOPOLOGY, databaseYaml, dropIn, PORTING).planFor(server(hostOutput("").replace("2162688", "0"))).isEmpty())
                .as("an empty file has nothing to port").isTrue();
    }

    @Test
    void theFirstTakeoverIsBackedUpWithADumpAndLaterRunsAreNot() {
        String postgres = "config\t" + HS + "\tdatabase\t\nconfig\t" + HS + "\tdatabase.name\tpsycopg2\nconfig\t" + HS + "\tdatabase.args.dbname\tsynapse\n";
        List<String> rendered = SynapseDeployment.of(TOPOLOGY).files().stream().map(RenderedFile::path).toList();

        Plan first = new TakeoverBackup(TOPOLOGY, rendered, DEFAULTS).planFor(server(hostOutput(postgres)));
        Plan withoutDump = new TakeoverBackup(TOPOLOGY, rendered, new AdoptionOptions(false, false)).planFor(server(hostOutput(postgres)));

        assertThat(summaries(first)).singleElement().asString().contains("/etc/matrix-synapse", "/etc/redis/redis.conf",
                "/etc/nginx/sites-available/matrix", NginxConfig.UPSTREAMS, "pg_dump of database synapse", "/var/backups/provision/<UTC time>/");
        assertThat(first.changes().get(0).script()).contains("cp -a --parents", "pg_dump -Fc -d synapse", "chmod 0700");
        assertThat(summaries(withoutDump)).singleElement().asString().doesNotContain("pg_dump");
        assertThat(new TakeoverBackup(TOPOLOGY, rendered, DEFAULTS).planFor(server(hostOutput("") + "configured\n")).isEmpty()).isTrue();
        assertThat(new TakeoverBackup(TOPOLOGY, rendered, DEFAULTS).planFor(server("main\tinactive\n")).isEmpty()).as("a fresh host").isTrue();
    }

    @Test
    void theSigningKeyAndMediaStoreAreLeftWhereTheyAre() {
        assertThat(SynapseDeployment.of(TOPOLOGY).files()).allSatisfy(file -> assertThat(file.content())
                .doesNotContain("signing_key_path", "media_store_path", "server_name:"));
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(out).isZero();
        return out;
    }
}
