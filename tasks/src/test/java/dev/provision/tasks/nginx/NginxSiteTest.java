package dev.provision.tasks.nginx;

import dev.provision.task.Change;
import dev.provision.task.Plan;
import dev.provision.tasks.files.FileProbe;
import dev.provision.tasks.support.StubFacts;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

class NginxSiteTest {

    private static final String AVAILABLE = "/etc/nginx/sites-available/matrix";
    private static final String ENABLED = "/etc/nginx/sites-enabled/matrix";
    private static final String SITE = "server { listen 8008; }\n";

    private static String file(String content) {
        return "type=file\nowner=root\ngroup=root\nmode=644\nsize=" + content.length() + "\ncontent="
                + Base64.getEncoder().encodeToString(content.getBytes(StandardCharsets.UTF_8)) + "\n";
    }

    private static Plan plan(NginxSite site, String available, String enabled) {
        return site.plan(new StubFacts().answer(FileProbe.at(AVAILABLE), available).answer(FileProbe.at(ENABLED), enabled));
    }

    @Test
    void aNewSiteIsWrittenThenLinkedAndTested() {
        Plan plan = plan(Nginx.site("matrix").content(SITE), "type=absent\n", "type=absent\n");
        assertThat(plan.changes()).extracting(Change::summary).containsExactly("create, mode 0644",
                "enable matrix (link " + ENABLED + " → " + AVAILABLE + ")");
        assertThat(plan.changes().get(0).script()).contains("if ! out=$(nginx -t 2>&1); then");
        assertThat(plan.changes().get(1).script())
                .startsWith("ln -sfn -- " + AVAILABLE + " " + ENABLED + " || exit 1\nif ! out=$(nginx -t 2>&1); then\n  rm -f -- " + ENABLED + "\n");
    }

    @Test
    void aChangedSiteIsTestedInPlaceAndNeedsNoNewLink() {
        Plan plan = plan(Nginx.site("matrix").content(SITE), file("server { listen 80; }\n"), "type=link\ntarget=" + AVAILABLE + "\n");
        assertThat(plan.changes()).singleElement().satisfies(change -> {
            assertThat(change.script()).contains("mv -fT -- \"$old\" /etc/nginx/sites-available/matrix");
            assertThat(change.diff()).isPresent();
        });
    }

    @Test
    void nothingToDoForALiveSiteWithItsContent() {
        assertThat(plan(Nginx.site("matrix").content(SITE), file(SITE), "type=link\ntarget=" + AVAILABLE + "\n").isEmpty()).isTrue();
    }

    @Test
    void aLinkPointingElsewhereIsRepointedAndRestoredOnFailure() {
        Plan plan = plan(Nginx.site("matrix").content(SITE), file(SITE), "type=link\ntarget=/srv/old\n");
        assertThat(plan.changes().get(0).script()).contains("  ln -sfn -- /srv/old " + ENABLED + "\n");
    }

    @Test
    void disablingRemovesOnlyTheLink() {
        NginxSite site = Nginx.site("default").disabled();
        Plan plan = site.plan(new StubFacts().answer(FileProbe.at("/etc/nginx/sites-enabled/default"),
                "type=link\ntarget=/etc/nginx/sites-available/default\n"));
        assertThat(plan.changes()).extracting(Change::script).containsExactly("rm -f -- /etc/nginx/sites-enabled/default\n");
    }

    @Test
    void aFileInPlaceOfTheLinkIsNotOverwritten() {
        assertThat(plan(Nginx.site("matrix").content(SITE), file(SITE), file(SITE)).failure())
                .hasValueSatisfying(m -> assertThat(m).contains("is a file, not a link"));
    }

    @Test
    void configFilesAreTestedInPlaceAndReloadTestsFirst() {
        assertThat(Nginx.confD("gzip.conf").path()).isEqualTo("/etc/nginx/conf.d/gzip.conf");
        assertThat(Nginx.snippet("tls.conf").path()).isEqualTo("/etc/nginx/snippets/tls.conf");
        assertThat(Nginx.reload().describe()).isEqualTo("unit nginx.service");
    }
}
