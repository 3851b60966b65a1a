package dev.provision.it.tasks;

import dev.provision.dsl.InlinePlaybook;
import dev.provision.dsl.Secret;
import dev.provision.engine.report.HostReport;
import dev.provision.engine.report.TaskResult;
import dev.provision.tasks.files.Files;
import dev.provision.tasks.templates.Template;
import dev.provision.testbed.DebianHost;
import dev.provision.testbed.junit.TestHost;
import dev.provision.testkit.Converge;
import dev.provision.testkit.HostRuns;
import org.junit.jupiter.api.Test;

import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/** Files, directories, links and templated files on a real Debian host. */
class FilesIT {

    private static final Secret PASSWORD = Secret.of("it-secret-3f9a1c");

    @TestHost
    private static final DebianHost host = DebianHost.bookworm();

    private static final Consumer<InlinePlaybook> APP = p -> {
        p.step("app directory", Files.directory("/srv/app/conf").owner("nobody").group("nogroup").mode(0750));
        p.step("settings", Files.file("/srv/app/conf/app.env").content("LISTEN=127.0.0.1:8080\nWORKERS=4\n").owner("nobody").mode(0640));
        p.step("credentials", Files.file("/srv/app/conf/db.env")
                .content(Template.of("db.env.j2", "DB_USER={{ user }}\nDB_PASSWORD={{ password }}\n").with("user", "app").with("password", PASSWORD))
                .mode(0600));
        p.step("binary", Files.file("/srv/app/blob.bin").content(new byte[] {0, 1, 2, (byte) 0xfe, (byte) 0xff, '\n'}));
        p.step("current", Files.link("/srv/app/current").to("/srv/app/conf"));
        p.step("no stale file", Files.file("/srv/app/stale.txt").absent());
    };

    @Test
    void filesDirectoriesAndLinksConverge() {
        host.exec("mkdir -p /srv/app && echo old > /srv/app/stale.txt").requireSuccess();

        Converge.inline(APP).cycle(host).converges()
                .correctsDrift("echo WORKERS=8 >> /srv/app/conf/app.env")
                .correctsDrift("chmod 0644 /srv/app/conf/db.env")
                .correctsDrift("chown root /srv/app/conf/app.env")
                .correctsDrift("chmod 0755 /srv/app/conf")
                .correctsDrift("ln -sfn /tmp /srv/app/current")
                .correctsDrift("printf 'x' > /srv/app/blob.bin")
                .correctsDrift("touch /srv/app/stale.txt");

        assertThat(host.exec("stat -c '%U %G %a' /srv/app/conf /srv/app/conf/app.env /srv/app/conf/db.env").stdout())
                .isEqualTo("nobody nogroup 750\nnobody root 640\nroot root 600\n");
        assertThat(host.exec("cat /srv/app/conf/db.env").stdout()).isEqualTo("DB_USER=app\nDB_PASSWORD=it-secret-3f9a1c\n");
        assertThat(host.exec("readlink /srv/app/current").stdout().strip()).isEqualTo("/srv/app/conf");
        assertThat(host.exec("od -An -tx1 /srv/app/blob.bin").stdout().strip()).isEqualTo("00 01 02 fe ff 0a");
        assertThat(host.exec("ls -a /srv/app /srv/app/conf").stdout()).doesNotContain("provision");
    }

    @Test
    void aSecretInATemplateIsWrittenButNeverReported() {
        HostRuns converge = HostRuns.on(host);
        host.exec("mkdir -p /srv/app/conf && rm -f /srv/app/conf/db.env").requireSuccess();

        HostReport report = converge.apply(APP);

        TaskResult credentials = report.results().stream().filter(r -> r.name().equals("credentials")).findFirst().orElseThrow();
        assertThat(credentials.diffs()).singleElement().satisfies(diff -> assertThat(diff.unified())
                .contains("+DB_PASSWORD=********").doesNotContain("it-secret-3f9a1c"));
        assertThat(report.toString()).doesNotContain("it-secret-3f9a1c");
        assertThat(host.exec("grep -c it-secret-3f9a1c /srv/app/conf/db.env").stdout().strip()).isEqualTo("1");
    }

    @Test
    void aMissingParentDirectoryFailsWithTheReason() {
        HostReport report = HostRuns.on(host).apply(p -> p.step("orphan", Files.file("/nowhere/at/all.conf").content("x\n")));

        assertThat(report.results()).singleElement().satisfies(r -> assertThat(r.message())
                .hasValueSatisfying(m -> assertThat(m).contains("directory /nowhere/at does not exist: create it in an earlier step")));
        assertThat(host.exec("test -e /nowhere").succeeded()).isFalse();
    }
}
