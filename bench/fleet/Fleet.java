import dev.provision.dsl.Handler;
import dev.provision.dsl.Host;
import dev.provision.dsl.Playbook;
import dev.provision.tasks.apt.Apt;
import dev.provision.tasks.edits.LineInFile;
import dev.provision.tasks.files.Files;
import dev.provision.tasks.nginx.Nginx;
import dev.provision.tasks.systemd.Systemd;
import dev.provision.tasks.templates.Template;
import dev.provision.tasks.users.Users;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The benchmark's generic server: 50 steps over packages, groups, users, directories, files, templates,
 * line edits, systemd units and services. bench/fleet/site.yml is the same in Ansible, task for task, and
 * both read their file contents and templates from bench/fleet/files and bench/fleet/templates
 * (the inventory variable fleet_dir), so the converged hosts can be compared byte for byte.
 */
public final class Fleet extends Playbook {

    private Path dir;

    @Override
    protected void define(Host host) {
        dir = Path.of(host.var("fleet_dir"));
        Map<String, Object> vars = Map.of("host_name", host.name(), "environment_name", "production", "workers", 4,
                "features", List.of("search", "uploads", "metrics"));
        Handler daemonReload = handler("systemd reloads its units", Systemd.daemonReload());
        Handler reloadNginx = handler("reload nginx", Nginx.reload());
        Handler restartWorker = handler("restart the worker", Systemd.service("app-worker").restarted());

        // packages (5)
        for (String name : List.of("nginx", "cron", "rsync", "logrotate", "jq")) {
            step("package " + name, Apt.present(name));
        }
        // groups (3) and users (4)
        step("group app", Users.group("app").system());
        step("group ops", Users.group("ops"));
        step("group monitoring", Users.group("monitoring"));
        step("user app", Users.user("app").system().primaryGroup("app").home("/srv/app").shell("/usr/sbin/nologin"));
        step("user alice", Users.user("alice").primaryGroup("ops").home("/home/alice").shell("/bin/bash").inGroups("monitoring", "adm"));
        step("user bob", Users.user("bob").primaryGroup("ops").home("/home/bob").shell("/bin/bash").inGroups("app"));
        step("user metrics", Users.user("metrics").system().primaryGroup("monitoring").home("/var/lib/metrics").shell("/usr/sbin/nologin"));
        // directories (8)
        step("dir /srv/app", Files.directory("/srv/app").owner("app").group("app").mode("0755"));
        step("dir /srv/app/releases", Files.directory("/srv/app/releases").owner("app").group("app").mode("0755"));
        step("dir /srv/app/shared", Files.directory("/srv/app/shared").owner("app").group("app").mode("0755"));
        step("dir /srv/app/shared/log", Files.directory("/srv/app/shared/log").owner("app").group("adm").mode("2750"));
        step("dir /etc/app", Files.directory("/etc/app").owner("root").group("app").mode("0750"));
        step("dir /etc/app/conf.d", Files.directory("/etc/app/conf.d").owner("root").group("app").mode("0750"));
        step("dir /var/lib/app", Files.directory("/var/lib/app").owner("app").group("app").mode("0750"));
        step("dir /opt/tools", Files.directory("/opt/tools").owner("root").group("root").mode("0755"));
        // files (13)
        file("app.env", "/etc/app/app.env", "root", "app", "0640").notifies(restartWorker);
        file("10-database.conf", "/etc/app/conf.d/10-database.conf", "root", "app", "0640").notifies(restartWorker);
        file("20-cache.conf", "/etc/app/conf.d/20-cache.conf", "root", "app", "0640").notifies(restartWorker);
        file("30-mail.conf", "/etc/app/conf.d/30-mail.conf", "root", "app", "0640").notifies(restartWorker);
        file("healthcheck.sh", "/opt/tools/healthcheck.sh", "root", "root", "0755");
        file("worker.sh", "/opt/tools/worker.sh", "root", "root", "0755").notifies(restartWorker);
        file("cleanup.sh", "/opt/tools/cleanup.sh", "root", "root", "0755");
        file("logrotate-app", "/etc/logrotate.d/app", "root", "root", "0644");
        file("cron-app", "/etc/cron.d/app", "root", "root", "0644");
        file("motd", "/etc/motd", "root", "root", "0644");
        file("sysctl-app.conf", "/etc/sysctl.d/90-app.conf", "root", "root", "0644");
        file("limits-app.conf", "/etc/security/limits.d/app.conf", "root", "root", "0644");
        file("robots.txt", "/srv/app/shared/robots.txt", "app", "app", "0644");
        // templates (5, the nginx site among them)
        template("app.yaml.j2", "/etc/app/app.yaml", "root", "app", "0640", vars).notifies(restartWorker);
        template("index.html.j2", "/srv/app/shared/index.html", "app", "app", "0644", vars);
        template("host.json.j2", "/etc/app/host.json", "root", "app", "0640", vars);
        template("issue.j2", "/etc/issue.net", "root", "root", "0644", vars);
        step("no default nginx site", Nginx.site("default").disabled()).notifies(reloadNginx);
        step("nginx site app", Nginx.site("app").content(Template.of("nginx-site.j2", read("templates/nginx-site.j2")).with(vars)))
                .notifies(reloadNginx);
        // line edits (2)
        step("APP_ENV in /etc/environment", LineInFile.at("/etc/environment").line("APP_ENV=production").matching("^APP_ENV="));
        step("cron log level", LineInFile.at("/etc/default/cron").line("EXTRA_OPTS=\"-L 5\"").matching("^#?\\s*EXTRA_OPTS="));
        // systemd units (4)
        step("unit app-worker.service", Systemd.unitFile("app-worker.service").content(read("files/app-worker.service")))
                .notifies(daemonReload).notifies(restartWorker);
        step("unit app-cleanup.service", Systemd.unitFile("app-cleanup.service").content(read("files/app-cleanup.service")))
                .notifies(daemonReload);
        step("unit app-cleanup.timer", Systemd.unitFile("app-cleanup.timer").content(read("files/app-cleanup.timer")))
                .notifies(daemonReload);
        step("nginx limits", Systemd.dropIn("nginx", "limits").content(read("files/nginx-limits.conf")))
                .notifies(daemonReload);
        flushHandlers();
        // services (5)
        step("nginx runs", Systemd.service("nginx").enabled().started());
        step("cron runs", Systemd.service("cron").enabled().started());
        step("ssh runs", Systemd.service("ssh").enabled().started());
        step("the worker runs", Systemd.service("app-worker").enabled().started());
        step("the cleanup timer runs", Systemd.unit("app-cleanup.timer").enabled().started());
    }

    private dev.provision.dsl.Step file(String source, String path, String owner, String group, String mode) {
        return step("file " + path, Files.file(path).content(read("files/" + source)).owner(owner).group(group).mode(mode));
    }

    private dev.provision.dsl.Step template(String source, String path, String owner, String group, String mode,
                                            Map<String, Object> vars) {
        return step("template " + path, Files.file(path).content(Template.of(source, read("templates/" + source)).with(vars))
                .owner(owner).group(group).mode(mode));
    }

    private String read(String relative) {
        try {
            return java.nio.file.Files.readString(dir.resolve(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
