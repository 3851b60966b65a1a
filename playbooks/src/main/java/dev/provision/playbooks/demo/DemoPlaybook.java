package dev.provision.playbooks.demo;

import dev.provision.dsl.Handler;
import dev.provision.dsl.Host;
import dev.provision.dsl.Playbook;
import dev.provision.tasks.apt.Apt;
import dev.provision.tasks.files.Files;
import dev.provision.tasks.nginx.Nginx;
import dev.provision.tasks.systemd.Systemd;

/**
 * The smallest useful playbook: nginx serving one static page. It shows the shape every playbook
 * has: a package, a directory, a file with content, a service enabled and started, and a handler
 * that reloads the service only when its configuration changed.
 */
public final class DemoPlaybook extends Playbook {

    @Override
    protected void define(Host host) {
        Handler reloadNginx = handler("reload nginx", Nginx.reload());

        step("nginx is installed", Apt.present("nginx"));
        step("the site has a home", Files.directory("/srv/demo").owner("root").group("www-data").mode("0755"));
        step("the home page says where it is", Files.file("/srv/demo/index.html")
                .content("<h1>" + host.var("greeting", "Provisioned by provision") + " on " + host.name() + "</h1>\n")
                .mode("0644"));
        step("nginx serves the site", Nginx.site("demo").content("""
                server {
                    listen 8080 default_server;
                    root /srv/demo;
                    index index.html;
                }
                """)).notifies(reloadNginx);
        step("nginx runs and starts at boot", Systemd.service("nginx").enabled().started());
    }
}
