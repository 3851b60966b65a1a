package dev.provision.it.performance;

import dev.provision.dsl.InlinePlaybook;
import dev.provision.engine.report.HostReport;
import dev.provision.tasks.apt.Apt;
import dev.provision.tasks.edits.ConfigFile;
import dev.provision.tasks.files.Files;
import dev.provision.tasks.systemd.Systemd;
import dev.provision.tasks.users.Users;
import dev.provision.testbed.DebianHost;
import dev.provision.testbed.junit.TestHost;
import dev.provision.testkit.HostRuns;
import org.junit.jupiter.api.Test;

import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A no-change run costs the same few round trips whatever the number of resources: facts travel
 * in one batch, and nothing else is sent when nothing differs. This fails if a task starts asking
 * the host once per resource.
 */
class RoundTripsIT {

    @TestHost
    private static final DebianHost host = DebianHost.bookworm();

    /** {@code resources} resources of the common kinds: files, directories, users, key-value edits, units. */
    private static Consumer<InlinePlaybook> playbook(int resources) {
        return p -> {
            p.step("packages", Apt.present("cron"));
            for (int i = 0; i < resources - 1; i++) {
                String dir = "/srv/bench/" + (i / 5);
                switch (i % 5) {
                    case 0 -> p.step("dir " + i, Files.directory(dir).mode("0755"));
                    case 1 -> p.step("file " + i, Files.file(dir + "/f" + i).content("resource " + i + "\n").mode("0640"));
                    case 2 -> p.step("user " + i, Users.user("bench" + i).system());
                    case 3 -> p.step("setting " + i, ConfigFile.at(dir + "/settings.conf").create().set("key" + i, "value" + i));
                    default -> p.step("service " + i, Systemd.service("cron").enabled().started());
                }
            }
        };
    }

    private static int noChangeRoundTrips(int resources) {
        HostRuns converge = HostRuns.on(host);
        HostReport first = converge.apply(playbook(resources));
        assertThat(first.failed()).as(HostRuns.describe(first)).isZero();
        HostReport again = converge.apply(playbook(resources));
        assertThat(again.changed()).as(HostRuns.describe(again)).isZero();
        assertThat(again.results()).hasSize(resources);
        return again.roundTrips();
    }

    @Test
    void aNoChangeRunDoesNotAskTheHostOncePerResource() {
        int ten = noChangeRoundTrips(10);
        int hundred = noChangeRoundTrips(100);
        System.out.printf("no-change round trips: 10 resources -> %d, 100 resources -> %d%n", ten, hundred);
        assertThat(hundred).as("round trips for 100 resources vs 10").isEqualTo(ten);
        assertThat(hundred).as("the target: at most 10 round trips per host").isLessThanOrEqualTo(10);
    }
}
