package com.example;

import dev.provision.testbed.DebianHost;
import dev.provision.testbed.junit.TestHost;
import dev.provision.testkit.Converge;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.provision.testkit.ProvisionAssertions.assertThat;

/**
 * MyServer on a throwaway Debian container, started before the test and removed after it (@TestHost).
 * A failure names the task at fault and shows its diff.
 */
class MyServerTest {

    @TestHost
    static final DebianHost host = DebianHost.bookworm();

    @Test
    void convergesCorrectsDriftAndServesTheHomePage() {
        Converge.playbook(MyServer::new)
                .vars(Map.of("greeting", "Hello"))
                .drift(host -> host.exec("rm /var/www/html/index.html"))   // a change made by hand: check reports it, apply undoes it
                .drift("systemctl stop nginx")
                .on(host);                                                   // apply, apply again, drifts, then MyServer.verify

        assertThat(host).answersHttp("http://localhost/", 200, "Hello from " + host.hostname());
    }
}
