package dev.provision.engine.report;

import dev.provision.task.Diff;
import dev.provision.dsl.Secret;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.provision.engine.report.Results.changed;
import static dev.provision.engine.report.Results.failed;
import static dev.provision.engine.report.Results.host;
import static dev.provision.engine.report.Results.unreachable;
import static org.assertj.core.api.Assertions.assertThat;

class JsonReportTest {

    @Test
    void quotesEscapeWhatJsonRequires() {
        assertThat(JsonReport.quote("say \"hi\"\\ \n\r\t\b\f \u0001 \u007f \u2028 é ☃"))
                .isEqualTo("\"say \\\"hi\\\"\\\\ \\n\\r\\t\\b\\f \\u0001 \\u007f \\u2028 é ☃\"");
    }

    @Test
    void aReportHasHostsTotalsTasksAndDiffs() {
        RunReport report = new RunReport(List.of(
                host("web1", changed("config", "write /etc/app.conf", new Diff("/etc/app.conf", "a\n", "a\nb\n"))),
                unreachable("db1", "connection refused")), false);
        String json = JsonReport.render(report, new Masking());
        assertThat(json).startsWith("{\n  \"check\": false,\n  \"succeeded\": false,\n  \"changed\": 1,\n  \"hosts\": [\n    {\n      \"host\": \"web1\",");
        assertThat(json).contains("\"roundTrips\": 2", "\"durationMs\": 2500", "\"status\": \"changed\"",
                "\"changes\": [\n            \"write /etc/app.conf\"\n          ]",
                "\"unified\": \"--- /etc/app.conf (before)\\n+++ /etc/app.conf (after)\\n@@ -1,1 +1,2 @@\\n a\\n+b\\n\"",
                "\"unreachable\": \"connection refused\"",
                "\"totals\": {\n        \"ok\": 0,\n        \"changed\": 0,\n        \"unreachable\": 1,",
                "\"message\": null", "\"tasks\": []");
    }

    @Test
    void secretsAreMaskedEvenWhereTheEngineMissedThem() {
        Masking masking = Masking.of(Secret.of("json-secret-value"));
        String json = JsonReport.render(new RunReport(List.of(host("web1", failed("login", "bad password json-secret-value"))), false), masking);
        assertThat(json).doesNotContain("json-secret-value").contains("bad password ********");
    }

    @Test
    void secretsAreMaskedInChangesAndDiffsToo() {
        Masking masking = Masking.of(Secret.of("json-list-secret"));
        String json = JsonReport.render(new RunReport(List.of(host("web1", changed("config", "set json-list-secret",
                new Diff("/etc/app.conf", "", "password json-list-secret\n")))), false), masking);
        assertThat(json).doesNotContain("json-list-secret").contains("\"set ********\"", "+password ********");
    }
}
