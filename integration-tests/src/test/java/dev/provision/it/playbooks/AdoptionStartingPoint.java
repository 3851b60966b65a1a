package dev.provision.it.playbooks;

import dev.provision.task.Shell;
import dev.provision.testbed.DebianHost;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The guide's starting point on a Debian host: Debian's matrix-synapse as one process on localhost:8008 with inline
 * secrets, behind an nginx TLS site (self-signed) with a /.well-known/matrix/server location; two users, a room with
 * messages, an uploaded file and a saved access token. Its database is SQLite, or a local PostgreSQL database
 * {@code synapse} owned by role {@code synapse} (the topology's defaults) reached over TCP with a password.
 * {@link #assertTheOldDataAnswers()} is what an adoption must keep.
 */
public final class AdoptionStartingPoint {

    public enum Database { SQLITE, POSTGRES }

    public static final String SERVER_NAME = "adopt.local";
    static final String SIGNING_KEY = "/etc/matrix-synapse/homeserver.signing.key";
    static final String SITE = "/etc/nginx/sites-available/matrix";
    static final String REGISTRATION_SECRET = "reg;secret:1=2~3@4";
    static final String MACAROON_KEY = "mac.secret-5";
    private static final String DB_PASSWORD = "db-pw-6";
    private static final String MEDIA_SUMS = "cd /var/lib/matrix-synapse/media && find . -type f -path '*local_content*' -exec sha256sum {} + | sort";
    private static final String SITE_CERTIFICATE_SHA = "sha256sum /etc/ssl/certs/adopt.pem /etc/ssl/private/adopt.key";

    final DebianHost host;
    final Database database;
    private String token;
    final String room;
    final String mediaId;
    private final String signingKeySha;
    private final String mediaStoreSums;
    private final String siteCertificateSha;

    private AdoptionStartingPoint(DebianHost host, Database database) {
        this.host = host;
        this.database = database;
        run("echo 'matrix-synapse matrix-synapse/server-name string " + SERVER_NAME + "' | debconf-set-selections"
                + " && echo 'matrix-synapse matrix-synapse/report-stats boolean false' | debconf-set-selections"
                + " && apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q matrix-synapse nginx openssl curl"
                + (database == Database.POSTGRES ? " postgresql python3-psycopg2" : "") + " >/dev/null");
        if (database == Database.POSTGRES) {
            run("cd / && runuser -u postgres -- psql -X -q -c \"CREATE ROLE synapse LOGIN PASSWORD '" + DB_PASSWORD + "'\""
                    + " && runuser -u postgres -- createdb -E UTF8 --locale=C -T template0 -O synapse synapse");
        }
        String databaseSection = database == Database.POSTGRES
                ? "database:\n  name: psycopg2\n  args:\n    user: synapse\n    password: \"" + DB_PASSWORD + "\"\n    dbname: synapse\n"
                        + "    host: localhost\n    cp_min: 5\n    cp_max: 10\n"
                : "database:\n  name: \"sqlite3\"\n  args:\n    database: \"/var/lib/matrix-synapse/homeserver.db\"\n";
        run("cat > /etc/matrix-synapse/homeserver.yaml <<'EOF'\n"
                + "pid_file: \"/var/run/matrix-synapse.pid\"\n"
                + "log_config: \"/etc/matrix-synapse/log.yaml\"\n"
                + "media_store_path: \"/var/lib/matrix-synapse/media\"\n"
                + "signing_key_path: \"" + SIGNING_KEY + "\"\n"
                + "registration_shared_secret: \"" + REGISTRATION_SECRET + "\"\n"
                + "macaroon_secret_key: '" + MACAROON_KEY + "'\n"
                + "report_stats: false\n"
                + databaseSection
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
        if (database == Database.SQLITE) {
            run("for i in $(seq 180); do n=$(runuser -u matrix-synapse -- python3 -c \"import sqlite3; print(sqlite3.connect("
                    + "'file:/var/lib/matrix-synapse/homeserver.db?mode=ro', uri=True).execute('select count(*) from background_updates')"
                    + ".fetchone()[0])\"); [ \"$n\" = 0 ] && exit 0; sleep 1; done; echo \"$n background updates left\" >&2; exit 1");
        }
        signingKeySha = run("sha256sum " + SIGNING_KEY);
        mediaStoreSums = run(MEDIA_SUMS);
        siteCertificateSha = run(SITE_CERTIFICATE_SHA);
        assertThat(mediaStoreSums).as("the upload is in the media store").contains(mediaId.substring(4));
    }

    /** Builds the starting point on a started host. */
    public static AdoptionStartingPoint on(DebianHost host, Database database) {
        return new AdoptionStartingPoint(host, database);
    }

    /** The saved token, the messages, the media file, the signing key, the certificate and .well-known, through nginx. */
    public void assertTheOldDataAnswers() {
        assertThat(https("GET", "/_matrix/client/v3/account/whoami", null)).as("the saved access token").contains("@alice:" + SERVER_NAME);
        assertThat(https("GET", "/_matrix/client/v3/rooms/" + room + "/messages?dir=b&limit=20", null))
                .contains("first message", "second message");
        assertThat(run(MEDIA_SUMS)).as("the media store").isEqualTo(mediaStoreSums);
        assertThat(run("sha256sum " + SIGNING_KEY)).as("the signing key").isEqualTo(signingKeySha);
        assertThat(https("GET", "/.well-known/matrix/server", null)).contains("\"m.server\": \"" + SERVER_NAME + ":443\"");
        assertThat(run(SITE_CERTIFICATE_SHA)).as("the site's certificate and key").isEqualTo(siteCertificateSha);
    }

    /** What the adoption wrote: PostgreSQL with the file's row, the secrets moved out, the site's routing replaced. */
    public void assertAdopted() {
        // main restarts in the run's last handlers and no step waits for its /health on one machine (RELIABILITY.md):
        // until it has started, nginx answers 502
        run("for i in $(seq 60); do curl -sfk --resolve " + SERVER_NAME + ":443:127.0.0.1 -o /dev/null -H "
                + Shell.quote("Authorization: Bearer " + token) + " https://" + SERVER_NAME + "/_matrix/client/v3/account/whoami"
                + " && exit 0; sleep 1; done; exit 1");
        assertTheOldDataAnswers();
        assertThat(run("cat /etc/matrix-synapse/conf.d/database.yaml")).contains("psycopg2");
        assertThat(psql("select count(*) from users")).isEqualTo("2");
        assertThat(psql("select count(*) from local_media_repository where media_id = '" + mediaId + "'")).isEqualTo("1");
        assertThat(run("cat /etc/matrix-synapse/secrets/registration_shared_secret").strip()).isEqualTo(REGISTRATION_SECRET);
        assertThat(run("cat /etc/matrix-synapse/secrets/macaroon_secret_key").strip()).isEqualTo(MACAROON_KEY);
        assertThat(run("cat /etc/matrix-synapse/homeserver.yaml")).doesNotContain("registration_shared_secret", "macaroon_secret_key");
        assertThat(run("cat " + SITE)).contains("ssl_certificate /etc/ssl/certs/adopt.pem;", "location /.well-known/matrix/server",
                "include /etc/nginx/snippets/matrix-synapse-locations.conf;").doesNotContain("8008");
        assertThat(run("test ! -e /etc/nginx/conf.d/matrix-synapse.conf && echo none")).contains("none");
        assertThat(run("cat /var/backups/provision/*/etc/matrix-synapse/homeserver.yaml")).as("the backup holds the original")
                .contains("registration_shared_secret: \"" + REGISTRATION_SECRET + "\"", database == Database.POSTGRES ? "psycopg2" : "sqlite3");
    }

    String https(String method, String uri, String body) {
        return run("curl -sSk --fail-with-body --resolve " + SERVER_NAME + ":443:127.0.0.1 -X " + method
                + (token == null ? "" : " -H " + Shell.quote("Authorization: Bearer " + token))
                + (body == null ? "" : " -H 'Content-Type: application/json' --data-binary " + Shell.quote(body))
                + " " + Shell.quote("https://" + SERVER_NAME + uri));
    }

    public String token() {
        return token;
    }

    public String run(String command) {
        return host.exec(command).requireSuccess().stdout();
    }

    String psql(String sql) {
        return run("cd / && runuser -u postgres -- psql -X -d synapse -Atc " + Shell.quote(sql)).strip();
    }

    private static String field(String json, String name) {
        Matcher value = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]+)\"").matcher(json);
        assertThat(value.find()).as(name + " in " + json).isTrue();
        return value.group(1);
    }
}
