import dev.provision.dsl.Handler;
import dev.provision.dsl.Host;
import dev.provision.dsl.Playbook;
import dev.provision.dsl.Verifiable;
import dev.provision.dsl.Verify;
import dev.provision.tasks.apt.Apt;
import dev.provision.tasks.files.Files;
import dev.provision.tasks.nginx.Nginx;
import dev.provision.tasks.systemd.Systemd;

/**
 * The playbook of the hosts whose inventory entry says {@code playbook: MyServer}. provision compiles
 * this file itself (it needs a JDK); there is no project to build.
 *
 *   provision plan my.server     what would change, with diffs; changes nothing
 *   provision apply my.server    change it; a second apply changes nothing
 *   provision test my.server     all of it on a throwaway Docker container, twice, then the checks in verify
 *
 * Steps run in the order they are written. A handler runs once, after the steps, and only when a
 * step that notifies it changed something.
 */
public class MyServer extends Playbook implements Verifiable {

    @Override
    protected void define(Host host) {
        Handler reloadNginx = handler("reload nginx", Nginx.reload());

        step("packages are installed", Apt.present("nginx", "curl"));
        step("the home page greets", Files.file("/var/www/html/index.html")
                .content("<h1>" + host.var("greeting", "Hello") + " from " + host.name() + "</h1>\n")
                .mode("0644"));
        step("nginx does not show its version", Nginx.confD("hide-version.conf").content("server_tokens off;\n"))
                .notifies(reloadNginx);
        step("nginx runs and starts at boot", Systemd.service("nginx").enabled().started());
    }

    /** What `provision test` checks once the playbook has converged on its container (`apply` never calls it). */
    @Override
    public void verify(Host host, Verify verify) {
        verify.unitActive("nginx")
                .listens(80)
                .fileMode("/var/www/html/index.html", "0644")
                .http("http://localhost/", 200, host.var("greeting", "Hello") + " from " + host.name());
    }
}
