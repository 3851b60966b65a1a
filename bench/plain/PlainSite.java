import dev.provision.dsl.Host;
import dev.provision.dsl.Playbook;
import dev.provision.tasks.apt.Apt;
import dev.provision.tasks.edits.LineInFile;
import dev.provision.tasks.files.Files;
import dev.provision.tasks.systemd.Systemd;
import dev.provision.tasks.users.Users;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * A plain user playbook of 20 steps: 2 packages (one step), a user, 3 directories, 3 line edits,
 * 10 files and 2 services. Its no-change run shows provision's fixed cost (JVM, SSH, one
 * fact batch) rather than a cost per task. bench/plain/site.yml is the same in Ansible, task for task;
 * both read the file contents from bench/fleet/files (the inventory variable fleet_dir).
 */
public final class PlainSite extends Playbook {

    /** Each file: its source in bench/fleet/files, path, owner, group and mode. */
    private static final String FILES = """
            app.env           /etc/app/app.env                   root app  0640
            10-database.conf  /etc/app/conf.d/10-database.conf   root app  0640
            20-cache.conf     /etc/app/conf.d/20-cache.conf      root app  0640
            30-mail.conf      /etc/app/conf.d/30-mail.conf       root app  0640
            healthcheck.sh    /opt/tools/healthcheck.sh          root root 0755
            worker.sh         /opt/tools/worker.sh               root root 0755
            cleanup.sh        /opt/tools/cleanup.sh              root root 0755
            logrotate-app     /etc/logrotate.d/app               root root 0644
            cron-app          /etc/cron.d/app                    root root 0644
            motd              /etc/motd                          root root 0644
            """;

    private Path files;

    @Override
    protected void define(Host host) {
        files = Path.of(host.var("fleet_dir")).resolve("files");
        step("packages nginx, cron", Apt.present("nginx", "cron"));
        step("user app", Users.user("app").system().home("/srv/app").shell("/usr/sbin/nologin"));
        step("dir /etc/app", Files.directory("/etc/app").owner("root").group("app").mode("0750"));
        step("dir /etc/app/conf.d", Files.directory("/etc/app/conf.d").owner("root").group("app").mode("0750"));
        step("dir /opt/tools", Files.directory("/opt/tools").owner("root").group("root").mode("0755"));
        step("APP_ENV in /etc/environment", LineInFile.at("/etc/environment").line("APP_ENV=production").matching("^APP_ENV="));
        step("APP_HOME in /etc/environment", LineInFile.at("/etc/environment").line("APP_HOME=/srv/app").matching("^APP_HOME="));
        step("cron log level", LineInFile.at("/etc/default/cron").line("EXTRA_OPTS=\"-L 5\"").matching("^#?\\s*EXTRA_OPTS="));
        FILES.lines().map(String::trim).map(line -> line.split("\\s+"))
                .forEach(file -> file(file[0], file[1], file[2], file[3], file[4]));
        step("nginx runs", Systemd.service("nginx").enabled().started());
        step("cron runs", Systemd.service("cron").enabled().started());
    }

    private void file(String source, String path, String owner, String group, String mode) {
        String content;
        try {
            content = java.nio.file.Files.readString(files.resolve(source));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        step("file " + path, Files.file(path).content(content).owner(owner).group(group).mode(mode));
    }
}
