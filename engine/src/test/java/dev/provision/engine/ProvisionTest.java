package dev.provision.engine;

import dev.provision.dsl.Host;
import dev.provision.dsl.InlinePlaybook;
import dev.provision.engine.connect.Connection;
import dev.provision.engine.connect.ConnectionException;
import dev.provision.engine.connect.ConnectionSettings;
import dev.provision.engine.report.HostReport;
import dev.provision.engine.report.RunListener;
import dev.provision.engine.report.RunReport;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProvisionTest {

    private final Map<String, FakeHost> hosts = Map.of("a", new FakeHost(), "c", new FakeHost());
    private final List<String> connected = new ArrayList<>();

    private final Connector connector = target -> {
        connected.add(target.host().name());
        FakeHost host = hosts.get(target.host().name());
        if (host == null) {
            throw new ConnectionException("connection refused: " + target.connection().address());
        }
        return host;
    };

    private static HostTarget target(String name, InlinePlaybook playbook) {
        return new HostTarget(Host.named(name), ConnectionSettings.ssh(name, 22, "root"), () -> playbook);
    }

    @Test
    void anUnreachableHostDoesNotStopTheOthers() {
        RunReport report = new Provision(connector, RunOptions.apply(), RunListener.NONE).run(List.of(
                target("a", InlinePlaybook.of(p -> p.step("x", FakeHost.setting("x", "1")))),
                target("b", InlinePlaybook.of(p -> p.step("x", FakeHost.setting("x", "1")))),
                target("c", InlinePlaybook.of(p -> p.step("x", FakeHost.setting("x", "1"))))));

        assertThat(report.hosts()).extracting(HostReport::host).containsExactly("a", "b", "c");
        assertThat(report.hosts().get(1).unreachable()).hasValue("connection refused: b");
        assertThat(report.hosts().get(0).changed()).isEqualTo(1);
        assertThat(report.hosts().get(2).changed()).isEqualTo(1);
        assertThat(report.succeeded()).isFalse();
    }

    @Test
    void aPlaybookThatRejectsItsConfigurationOnOneHostStopsTheRunBeforeAnyHostConnects() {
        InlinePlaybook valid = InlinePlaybook.of(p -> p.step("x", FakeHost.setting("x", "1")));
        InlinePlaybook invalid = InlinePlaybook.of(p -> {
            throw new IllegalArgumentException("worker name 'a/b' is not a valid systemd instance name: use letters, digits, _ . -");
        });
        Provision provision = new Provision(connector, RunOptions.apply(), RunListener.NONE);

        assertThatThrownBy(() -> provision.run(List.of(target("a", valid), target("c", invalid))))
                .isInstanceOfSatisfying(PlaybookRejectedException.class, e -> assertThat(e.reasonByHost()).containsOnlyKeys("c"))
                .hasMessage("the playbook of c rejects its configuration: worker name 'a/b' is not a valid systemd instance name:"
                        + " use letters, digits, _ . -\nnothing ran on any host");
        assertThat(connected).isEmpty();
        assertThat(hosts.get("a").values).isEmpty();
    }
}
