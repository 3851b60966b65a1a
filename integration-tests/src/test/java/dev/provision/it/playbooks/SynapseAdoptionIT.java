package dev.provision.it.playbooks;

import dev.provision.engine.report.HostReport;
import dev.provision.engine.report.Status;
import dev.provision.engine.report.TaskResult;
import dev.provision.playbooks.synapse.SynapseServer;
import dev.provision.task.Shell;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The guide's starting point taken over on Debian sid: Debian's matrix-synapse as one process on localhost:8008 with
 * its SQLite database and inline secrets, behind an nginx TLS site (self-signed) with a /.well-known/matrix/server
 * location; two users, a room with messages, an uploaded file and a saved access token. Without
 * {@code synapse_port_sqlite} the run stops before changing anything; with it the data moves to PostgreSQL and
 * everything the users had still answers, through main (without txredisapi the workers wait, see the skipped test).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SynapseAdoptionIT {

    private static final String SERVER_NAME = "adopt.local";
    private static final String REGISTRATION_SECRET = "reg;secret:1=2~3@4";
    private static final String MACAROON_KEY = "mac.secret-5";
    private static final Map<String, Object> VARS = Map.of("server_name", SERVER_NAME, "package_source", "debian",
            "redis_client", "stage_workers");
    private static final String SIGNING_KEY = "/etc/matrix-synapse/homeserver.signing.key";
    private static final String SITE = "/etc/nginx/sites-available/matrix";

    private static DebianHost debian;
    private static String token;
    private static String room;
    private static String mediaId;
    private static String signingKeySha;
    private static String mediaStoreSums;
    private static String siteCertificateSha;

    @BeforeAll
    static void theGuidesStartingPoint() {
        debian = DebianHost.sid().start();
        run("echo 'matrix-synapse matrix-synapse/server-name string " + SERVER_NAME + "' | debconf-set-selections"
                + " && echo 'matrix-synapse matrix-synapse/report-stats boolean false' | debconf-set-selections"
                + " && apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q matrix-synapse nginx openssl curl >/dev/null");
        run("cat > /etc/matrix-synapse/homeserver.yaml <<'EOF'\n"
                + "pid_file: \"/var/run/matrix-synapse.pid\"\n"
                + "log_config: \"/etc/matrix-synapse/log.yaml\"\n"
                + "media_store_path: \"/var/lib/matrix-synapse/media\"\n"
                + "signing_key_path: \"" + SIGNING_KEY + "\"\n"
                + "registration_shared_secret: \"" + REGISTRATION_SECRET + "\"\n"
                + "macaroon_secret_key: '" + MACAROON_KEY + "'\n"
                + "report_stats: false\n"
                + "database:\n  name: \"sqlite3\"\n  args:\n    database: \"/var/lib/matrix-synapse/homeserver.db\"\n"
                + "listeners:\n  - port: 8008\n    tls: false\n    bind_addresses: ['127.0.0.1']\n    type: http\n    x_forwarded: true\n"
                + "    resources:\n      - names: [client, federation]\n        compress: false\n"
                + "EOF\n"
                + "systemctl restart matrix-synapse && for i in $(seq 60); do curl -sf http://127.0.0.1:8008/health && break; sleep 1; done");
        run("openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=" + SERVER_NAME
                + " -keyout /etc/ssl/private/adopt.key -out /etc/ssl/certs/adopt.pem 2>/dev/null\n"
                + "cat > " + SITE + " <<'EOF'\n"
                + "server {\n"
                + "    listen 443 ssl;\n"
                + "    server_name " + SERVER_NAME + ";\n"
                + "    ssl_certificate /etc/ssl/certs/adopt.pem;\n"
                + "    ssl_certificate_key /etc/ssl/private/adopt.key;\n\n"
                + "    location /.well-known/matrix/server {\n"
                + "        default_type application/json;\n"
                + "        return 200 '{\"m.server\": \"" + SERVER_NAME + ":443\"}';\n"
                + "    }\n\n"
                + "    location ~ ^(/_matrix|/_synapse/client) {\n"
                + "        proxy_pass http://localhost:8008;\n"
                + "        proxy_set_header X-Forwarded-For $remote_addr;\n"
                + "        proxy_set_header X-Forwarded-Proto $scheme;\n"
                + "        proxy_set_header Host $host;\n"
                + "        client_max_body_size 50M;\n"
                + "    }\n"
                + "}\n"
                + "EOF\n"
                + "ln -sf " + SITE + " /etc/nginx/sites-enabled/matrix && grep -q ' " + SERVER_NAME + "$' /etc/hosts || echo '127.0.0.1 " + SERVER_NAME
                + "' >> /etc/hosts; nginx -t 2>/dev/null && systemctl reload nginx");
        for (String user : new String[] {"alice", "bob"}) {
            run("synapse_register_new_matrix_user -c /etc/matrix-synapse/homeserver.yaml -u " + user + " -p 'pw of " + user
                    + "' --no-admin http://127.0.0.1:8008");
        }
        token = field(https("POST", "/_matrix/client/v3/login",
                "{\"type\":\"m.login.password\",\"identifier\":{\"type\":\"m.id.user\",\"user\":\"alice\"},\"password\":\"pw of alice\"}"), "access_token");
        room = field(https("POST", "/_matrix/client/v3/createRoom", "{\"invite\":[\"@bob:" + SERVER_NAME + "\"]}"), "room_id");
        https("PUT", "/_matrix/client/v3/rooms/" + room + "/send/m.room.message/m1", "{\"msgtype\":\"m.text\",\"body\":\"first message\"}");
        https("PUT", "/_matrix/client/v3/rooms/" + room + "/send/m.room.message/m2", "{\"msgtype\":\"m.text\",\"body\":\"second message\"}");
        run("head -c 4096 /dev/urandom > /root/upload.bin");
        String uploaded = run("curl -sSk --resolve " + SERVER_NAME + ":443:127.0.0.1 -H 'Authorization: Bearer " + token + "'"
                + " -H 'Content-Type: application/octet-stream' --data-binary @/root/upload.bin https://" + SERVER_NAME
                + "/_matrix/media/v3/upload?filename=upload.bin");
        mediaId = field(uploaded, "content_uri").substring(("mxc://" + SERVER_NAME + "/").length());
        run("for i in $(seq 180); do n=$(runuser -u matrix-synapse -- python3 -c \"import sqlite3; print(sqlite3.connect("
                + "'file:/var/lib/matrix-synapse/homeserver.db?mode=ro', uri=True).execute('select count(*) from background_updates')"
                + ".fetchone()[0])\"); [ \"$n\" = 0 ] && exit 0; sleep 1; done; echo \"$n background updates left\" >&2; exit 1");
        signingKeySha = run("sha256sum " + SIGNING_KEY);
        mediaStoreSums = run("cd /var/lib/matrix-synapse/media && find . -type f -path '*local_content*' -exec sha256sum {} + | sort");
        siteCertificateSha = run("sha256sum /etc/ssl/certs/adopt.pem /etc/ssl/private/adopt.key");
        assertThat(mediaStoreSums).as("the upload is in the media store").contains(mediaId.substring(4));
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
        assertThat(run("cat /etc/matrix-synapse/conf.d/database.yaml")).contains("psycopg2");
        assertThat(psql("select count(*) from users")).isEqualTo("2");
        assertThat(https("GET", "/_matrix/client/v3/account/whoami", null)).as("the saved access token").contains("@alice:" + SERVER_NAME);
        assertThat(https("GET", "/_matrix/client/v3/rooms/" + room + "/messages?dir=b&limit=20", null))
                .contains("first message", "second message");
        assertThat(run("cd /var/lib/matrix-synapse/media && find . -type f -path '*local_content*' -exec sha256sum {} + | sort")).isEqualTo(mediaStoreSums);
        assertThat(psql("select count(*) from local_media_repository where media_id = '" + mediaId + "'")).isEqualTo("1");
        assertThat(run("sha256sum " + SIGNING_KEY)).as("the signing key").isEqualTo(signingKeySha);
        assertThat(run("cat /etc/matrix-synapse/secrets/registration_shared_secret").strip()).isEqualTo(REGISTRATION_SECRET);
        assertThat(run("cat /etc/matrix-synapse/secrets/macaroon_secret_key").strip()).isEqualTo(MACAROON_KEY);
        assertThat(run("cat /etc/matrix-synapse/homeserver.yaml")).doesNotContain("registration_shared_secret", "macaroon_secret_key");
        assertThat(https("GET", "/.well-known/matrix/server", null)).contains("\"m.server\": \"" + SERVER_NAME + ":443\"");
        assertThat(run("sha256sum /etc/ssl/certs/adopt.pem /etc/ssl/private/adopt.key")).isEqualTo(siteCertificateSha);
        assertThat(run("cat " + SITE)).contains("ssl_certificate /etc/ssl/certs/adopt.pem;", "location /.well-known/matrix/server",
                "include /etc/nginx/snippets/matrix-synapse-locations.conf;").doesNotContain("8008");
        assertThat(run("test ! -e /etc/nginx/conf.d/matrix-synapse.conf && echo none")).contains("none");
        assertThat(run("cat /var/backups/provision/*/etc/matrix-synapse/homeserver.yaml")).as("the backup holds the original")
                .contains("registration_shared_secret: \"" + REGISTRATION_SECRET + "\"", "sqlite3");

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
        String download = "/_matrix/client/v1/media/download/" + SERVER_NAME + "/" + mediaId;
        String served = run("for i in $(seq 60); do curl -sfk --resolve " + SERVER_NAME + ":443:127.0.0.1 -H 'Authorization: Bearer " + token
                + "' https://" + SERVER_NAME + download + " | sha256sum && exit 0; sleep 2; done; exit 1");
        assertThat(served.substring(0, 64)).isEqualTo(run("sha256sum < /root/upload.bin").substring(0, 64));
        assertThat(run("tail -n 1 /var/log/nginx/matrix-synapse.access.log")).contains("inbound_mediaworker.sock");
        assertThat(https("GET", "/_matrix/client/v3/sync?timeout=0", null)).contains("second message");
    }

    private static String https(String method, String uri, String body) {
        return run("curl -sSk --fail-with-body --resolve " + SERVER_NAME + ":443:127.0.0.1 -X " + method
                + (token == null ? "" : " -H " + Shell.quote("Authorization: Bearer " + token))
                + (body == null ? "" : " -H 'Content-Type: application/json' --data-binary " + Shell.quote(body))
                + " " + Shell.quote("https://" + SERVER_NAME + uri));
    }

    private static String run(String command) {
        return debian.exec(command).requireSuccess().stdout();
    }

    private static String psql(String sql) {
        return run("cd / && runuser -u postgres -- psql -X -d synapse -Atc " + Shell.quote(sql)).strip();
    }

    private static String invocation(String unit) {
        return run("systemctl show -P InvocationID " + unit).strip();
    }

    private static String field(String json, String name) {
        Matcher value = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]+)\"").matcher(json);
        assertThat(value.find()).as(name + " in " + json).isTrue();
        return value.group(1);
    }
}
