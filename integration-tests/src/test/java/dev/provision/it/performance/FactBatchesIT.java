package dev.provision.it.performance;

import dev.provision.engine.connect.Connection;
import dev.provision.engine.connect.Connections;
import dev.provision.engine.facts.FactGatherer;
import dev.provision.engine.facts.GatheredFacts;
import dev.provision.task.CommandResult;
import dev.provision.task.Fact;
import dev.provision.tasks.apt.Apt;
import dev.provision.tasks.apt.AptCache;
import dev.provision.tasks.files.FileProbe;
import dev.provision.tasks.files.FileState;
import dev.provision.tasks.systemd.Systemd;
import dev.provision.testbed.DebianHost;
import dev.provision.testbed.junit.TestHost;
import dev.provision.testkit.HostRuns;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Facts gathered together ({@code FactBatch}: all file probes in one find, all unit facts in one
 * systemctl show, all install tasks' package checks in one dpkg-query) read exactly what each fact's
 * own command reads, for every kind of path, unit and package, and in one round trip.
 */
class FactBatchesIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TestHost
    private static final DebianHost host = DebianHost.bookworm();

    private static final List<String> PATHS = List.of("/srv/fb/small", "/srv/fb/empty", "/srv/fb/big", "/srv/fb/binary",
            "/srv/fb/dir", "/srv/fb/link", "/srv/fb/dangling", "/srv/fb/fifo", "/srv/fb/orphan", "/srv/fb/absent",
            "/srv/fb/missing/absent", "/srv/fb/with space", "/srv/fb/it's", "/srv/fb/limit", "/srv/fb/over-limit");

    @BeforeAll
    static void shapeTheHost() {
        var setup = host.exec("set -e; mkdir -p /srv/fb/dir /etc/systemd/system/getty@.service.d; cd /srv/fb; "
                + "printf 'hello\\n' > small; chown root:adm small; chmod 0640 small; : > empty; "
                + "head -c 300000 /dev/urandom > big; printf 'a\\000b\\377' > binary; chmod 2750 dir; "
                + "ln -s small link; ln -s /nope dangling; mkfifo fifo; echo x > orphan; chown 12345:12345 orphan; "
                + "echo spaced > 'with space'; echo quoted > \"it's\"; "
                + "head -c " + FileProbe.CONTENT_LIMIT + " /dev/zero > limit; head -c " + (FileProbe.CONTENT_LIMIT + 1) + " /dev/zero > over-limit; "
                + "printf '[Service]\\nEnvironment=X=1\\n' > /etc/systemd/system/getty@.service.d/x.conf");
        assertThat(setup.exitCode()).as(setup.stderr()).isZero();
    }

    private static List<Fact<?>> facts() {
        List<Fact<?>> facts = new ArrayList<>();
        PATHS.forEach(path -> facts.add(FileProbe.at(path)));
        Stream.of("ssh.service", "cron.service", "no-such-unit.service", "getty@tty1.service")
                .forEach(unit -> facts.addAll(Systemd.unit(unit).enabled().facts()));
        facts.addAll(Apt.present("cron", "no-such-package-here").facts());
        facts.addAll(Apt.present("openssh-server", "tree").facts());
        return facts;
    }

    @Test
    void batchedFactsReadWhatTheirOwnCommandsRead() {
        try (Connection connection = Connections.open(HostRuns.on(host).settings())) {
            List<Fact<?>> facts = facts();
            GatheredFacts together = new FactGatherer(connection, TIMEOUT).gather(facts);
            assertThat(connection.roundTrips()).as("every batch split; none ran its facts again alone").isEqualTo(1);

            List<CommandResult> alone = connection.run(facts.stream().map(Fact::command).toList(), TIMEOUT);
            for (int i = 0; i < facts.size(); i++) {
                Fact<?> fact = facts.get(i);
                assertThat(comparable(together.get(fact))).as(fact.command()).isEqualTo(comparable(fact.parse(alone.get(i))));
            }
        }
    }

    /**
     * FileState carries its content as bytes, compared by identity in a record: compare what the bytes hash to.
     * AptCache carries the host's clock, which may tick between the two reads: compare all but that.
     */
    private static Object comparable(Object value) {
        if (value instanceof FileState s) {
            return List.of(s.path(), s.type(), s.owner(), s.group(), s.mode(), s.size(), s.sha256(), s.target(), s.content().isPresent());
        }
        if (value instanceof AptCache c) {
            return List.of(c.updated(), c.indexes(), c.newerSources());
        }
        return value;
    }
}
