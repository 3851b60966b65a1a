package dev.provision.tasks.users;

import dev.provision.task.CommandResult;
import dev.provision.task.FactException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AccountsTest {

    static final String GETENT = """
            root:x:0:0:root:/root:/bin/bash
            www-data:x:33:33:www-data:/var/www:/usr/sbin/nologin
            matrix-synapse:x:105:110::/var/lib/matrix-synapse:/usr/sbin/nologin
            deploy:x:1000:1000::/home/deploy:/bin/bash
            --groups--
            root:x:0:
            sudo:x:27:deploy
            redis:x:108:
            adm:x:4:deploy,matrix-synapse
            matrix-synapse:x:110:
            deploy:x:1000:
            """;

    private final Accounts accounts = Accounts.parse(new CommandResult(0, GETENT, ""));

    @Test
    void readsUsersWithHomeShellAndPrimaryGroup() {
        Accounts.Account synapse = accounts.user("matrix-synapse").orElseThrow();
        assertThat(synapse.uid()).isEqualTo(105);
        assertThat(synapse.gid()).isEqualTo(110);
        assertThat(synapse.home()).isEqualTo("/var/lib/matrix-synapse");
        assertThat(synapse.shell()).isEqualTo("/usr/sbin/nologin");
    }

    @Test
    void supplementaryGroupsAreTheGroupsListingTheUser() {
        assertThat(accounts.supplementaryGroups("deploy")).containsExactly("adm", "sudo");
        assertThat(accounts.supplementaryGroups("www-data")).isEmpty();
        assertThat(accounts.group("redis").orElseThrow().members()).isEmpty();
    }

    @Test
    void aListWithoutGroupsIsNotUnderstood() {
        assertThatThrownBy(() -> Accounts.parse(new CommandResult(127, "", "getent: not found")))
                .isInstanceOf(FactException.class);
    }
}
