package dev.provision.it.tasks;

import dev.provision.dsl.InlinePlaybook;
import dev.provision.tasks.users.Users;
import dev.provision.testbed.DebianHost;
import dev.provision.testbed.junit.TestHost;
import dev.provision.testkit.Converge;
import org.junit.jupiter.api.Test;

import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

class UsersIT {

    @TestHost
    private static final DebianHost host = DebianHost.bookworm();

    @Test
    void systemUsersAndMembershipsConverge() {
        Consumer<InlinePlaybook> playbook = p -> {
            p.step("cache group", Users.group("cache").system());
            p.step("service user", Users.user("synapse").system().home("/var/lib/synapse").shell("/usr/sbin/nologin")
                    .inGroups("cache"));
            p.step("admin", Users.user("deploy").inGroups("cache"));
            p.step("exact", Users.user("nopriv").onlyInGroups("cache"));
        };
        host.exec("usermod -a -G adm deploy && usermod -a -G adm nopriv").requireSuccess();
        Converge.inline(playbook).cycle(host).converges()
                .correctsDrift("gpasswd -d synapse cache && usermod -s /bin/bash synapse")
                .correctsDrift("usermod -a -G users nopriv");
        assertThat(host.exec("id -nG deploy").stdout()).contains("adm").contains("cache");
        assertThat(host.exec("id -nG nopriv").stdout().trim()).isEqualTo("nopriv cache");
        assertThat(host.exec("getent passwd synapse").stdout()).contains(":/var/lib/synapse:/usr/sbin/nologin");
        assertThat(host.exec("test -d /var/lib/synapse").succeeded()).isTrue();
    }
}
