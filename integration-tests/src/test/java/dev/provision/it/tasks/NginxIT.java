package dev.provision.it.tasks;

import dev.provision.dsl.Handler;
import dev.provision.dsl.InlinePlaybook;
import dev.provision.engine.report.HostReport;
import dev.provision.engine.report.Status;
import dev.provision.tasks.apt.Apt;
import dev.provision.tasks.nginx.Nginx;
import dev.provision.tasks.systemd.Systemd;
import dev.provision.testbed.DebianHost;
import dev.provision.testbed.junit.TestHost;
import dev.provision.testkit.Converge;
import dev.provision.testkit.HostRuns;
import org.junit.jupiter.api.Test;

import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

class NginxIT {

    private static final String SITE = """
            server {
                listen 8080;
                include snippets/hello.conf;
            }
            """;

    @TestHost
    private static final DebianHost host = DebianHost.bookworm();

    private static Consumer<InlinePlaybook> web(String name, String site) {
        return p -> {
            Handler reload = p.handler("reload nginx", Nginx.reload());
            p.step("nginx", Apt.present("nginx"));
            p.step("hello snippet", Nginx.snippet("hello.conf").content("location / { return 200 \"hello\\n\"; }\n")).notifies(reload);
            p.step("tokens", Nginx.confD("tokens.conf").content("server_tokens off;\n")).notifies(reload);
            p.step("site", Nginx.site(name).content(site)).notifies(reload);
            p.step("no default site", Nginx.site("default").disabled()).notifies(reload);
            p.step("nginx running", Systemd.service("nginx").enabled().started());
        };
    }

    @Test
    void sitesSnippetsAndConfDConverge() {
        Converge.inline(web("hello", SITE)).cycle(host).converges()
                .correctsDrift("sed -i 's/8080/8081/' /etc/nginx/sites-available/hello")
                .correctsDrift("ln -s /etc/nginx/sites-available/default /etc/nginx/sites-enabled/default");
        assertThat(host.exec("readlink /etc/nginx/sites-enabled/hello").stdout().trim()).isEqualTo("/etc/nginx/sites-available/hello");
        assertThat(host.exec("test -e /etc/nginx/sites-enabled/default").succeeded()).isFalse();
        assertThat(host.exec("nginx -T 2>/dev/null | grep -c 'listen 8080'").stdout().trim()).isEqualTo("1");
    }

    @Test
    void aCandidateNginxRejectsLeavesTheLiveFileByteForByte() {
        HostRuns converge = HostRuns.on(host);
        String candidate = SITE.replace("8080", "8090");
        assertThat(converge.apply(web("candidate", candidate)).failed()).isZero();
        String before = host.exec("sha256sum /etc/nginx/sites-available/candidate; stat -c %i /etc/nginx/sites-available/candidate").stdout();
        String pid = host.exec("systemctl show -p MainPID --value nginx").stdout().trim();

        HostReport report = converge.apply(web("candidate", candidate.replace("listen 8090;", "listen 8090; no_such_directive on;")));

        assertThat(HostRuns.named(report, Status.FAILED)).containsExactly("site");
        assertThat(report.results().stream().filter(r -> r.name().equals("site")).findFirst().orElseThrow().message())
                .hasValueSatisfying(m -> assertThat(m).contains("unknown directive \"no_such_directive\""));
        assertThat(host.exec("sha256sum /etc/nginx/sites-available/candidate; stat -c %i /etc/nginx/sites-available/candidate").stdout())
                .isEqualTo(before);
        assertThat(host.exec("ls -a /etc/nginx/sites-available").stdout()).doesNotContain("provision");
        assertThat(host.exec("systemctl show -p MainPID --value nginx").stdout().trim()).isEqualTo(pid);
        assertThat(host.exec("nginx -t").succeeded()).isTrue();
    }
}
