package dev.provision.it.testkit;

import dev.provision.dsl.InlinePlaybook;
import dev.provision.tasks.files.Files;
import dev.provision.testbed.DebianHost;
import dev.provision.testbed.junit.TestHost;
import dev.provision.testkit.Converge;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.Network;

import static dev.provision.testkit.ProvisionAssertions.assertThat;

/** Two hosts on a network the test made converge together, each under its hostname, and reach each other by it. */
class DeploymentConvergeIT {

    private static final Network network = Network.newNetwork();

    @TestHost
    private static final DebianHost db = DebianHost.bookworm().onNetwork(network, "db");
    @TestHost
    private static final DebianHost web = DebianHost.bookworm().onNetwork(network, "web");

    @Test
    void eachHostConvergesUnderItsHostnameAndReachesTheOther() {
        Converge.playbook(() -> InlinePlaybook.forHost((p, host) -> p.step("the peer",
                        Files.file("/etc/peer").content((host.name().equals("web") ? "db" : "web") + "\n"))))
                .drift(host -> host.exec("rm /etc/peer").requireSuccess())
                .on(db, web);

        assertThat(web).hasFileContent("/etc/peer", "db\n").runsSuccessfully("getent hosts db");
        assertThat(db).hasFileContent("/etc/peer", "web\n").runsSuccessfully("getent hosts web");
    }
}
