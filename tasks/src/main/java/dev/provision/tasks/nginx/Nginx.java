package dev.provision.tasks.nginx;

import dev.provision.tasks.files.FileTask;
import dev.provision.tasks.files.Files;
import dev.provision.tasks.systemd.Systemd;
import dev.provision.tasks.systemd.UnitState;

/**
 * nginx configuration as Debian lays it out. Every file is tested with {@code nginx -t} where it
 * goes live, and put back as it was when the test fails; nginx itself is only reloaded by the
 * {@link #reload} handler, which tests again first.
 *
 * <pre>{@code
 * Handler reload = handler("reload nginx", Nginx.reload());
 * step("synapse site", Nginx.site("matrix").content(site)).notifies(reload);
 * step("no default site", Nginx.site("default").disabled()).notifies(reload);
 * step("tls settings", Nginx.snippet("tls.conf").content(tls)).notifies(reload);
 * }</pre>
 */
public final class Nginx {

    static final String CONFIG_TEST = "nginx -t";
    static final String DIRECTORY = "/etc/nginx";

    private Nginx() {
    }

    /** {@code /etc/nginx/sites-available/<name>}, enabled by a link in sites-enabled. */
    public static NginxSite site(String name) {
        return new NginxSite(name);
    }

    /** {@code /etc/nginx/conf.d/<name>}: included in the http block (name it {@code *.conf}). */
    public static FileTask confD(String name) {
        return config("conf.d/" + name);
    }

    /** {@code /etc/nginx/snippets/<name>}: included where a site says so. */
    public static FileTask snippet(String name) {
        return config("snippets/" + name);
    }

    /** Tests the configuration, then reloads nginx (or starts it when it is not running). */
    public static UnitState reload() {
        return Systemd.service("nginx").reloaded().checkConfigWith(CONFIG_TEST);
    }

    private static FileTask config(String relativePath) {
        return Files.file(DIRECTORY + "/" + relativePath).mode(0644).validateInPlace(CONFIG_TEST);
    }
}
