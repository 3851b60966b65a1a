package dev.provision.tasks.users;

import dev.provision.task.Change;
import dev.provision.task.Plan;
import dev.provision.task.Task;
import dev.provision.tasks.support.StubFacts;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class UserAccountTest {

    private static Plan plan(Task task) {
        return task.plan(new StubFacts().answer(Accounts.FACT, AccountsTest.GETENT));
    }

    @Test
    void createsASystemUserWithItsOwnGroupHomeAndShell() {
        Plan plan = plan(Users.user("redis-user").system().home("/var/lib/redis-user").shell("/usr/sbin/nologin").inGroups("redis"));
        assertThat(plan.changes()).singleElement().satisfies(change -> {
            assertThat(change.summary()).isEqualTo("create system user redis-user (home /var/lib/redis-user, shell /usr/sbin/nologin, group redis-user, in redis)");
            assertThat(change.script()).isEqualTo("useradd --system --home-dir /var/lib/redis-user --create-home --shell /usr/sbin/nologin "
                    + "--user-group --groups redis redis-user\n");
        });
    }

    @Test
    void aNewUserJoinsAnExistingGroupOfItsName() {
        assertThat(plan(Users.user("redis")).changes().get(0).script()).isEqualTo("useradd --gid redis redis\n");
    }

    @Test
    void inGroupsAddsMissingMembershipsAndKeepsTheOthers() {
        Plan plan = plan(Users.user("matrix-synapse").inGroups("redis", "adm"));
        assertThat(plan.changes()).extracting(Change::summary).containsExactly("add matrix-synapse to redis");
        assertThat(plan.changes().get(0).script()).isEqualTo("usermod --append --groups redis matrix-synapse\n");
        assertThat(plan(Users.user("deploy").inGroups("sudo")).isEmpty()).isTrue();
    }

    @Test
    void onlyInGroupsSetsTheExactList() {
        Plan plan = plan(Users.user("deploy").onlyInGroups("sudo", "redis"));
        assertThat(plan.changes()).extracting(Change::summary).containsExactly("groups of deploy [adm, sudo] -> [redis, sudo]");
        assertThat(plan.changes().get(0).script()).isEqualTo("usermod --groups sudo,redis deploy\n");
        assertThat(plan(Users.user("deploy").onlyInGroups()).changes().get(0).script()).isEqualTo("usermod --groups '' deploy\n");
        assertThat(plan(Users.user("deploy").onlyInGroups("adm", "sudo")).isEmpty()).isTrue();
    }

    @Test
    void correctsShellHomeAndPrimaryGroupDrift() {
        Plan plan = plan(Users.user("matrix-synapse").home("/srv/synapse").shell("/bin/sh").primaryGroup("redis"));
        assertThat(plan.changes()).extracting(Change::script).containsExactly(
                "usermod --home /srv/synapse matrix-synapse\n", "usermod --shell /bin/sh matrix-synapse\n", "usermod --gid redis matrix-synapse\n");
        assertThat(plan(Users.user("matrix-synapse").home("/var/lib/matrix-synapse").primaryGroup("matrix-synapse")).isEmpty()).isTrue();
    }

    @Test
    void groupsAreCreatedOnce() {
        assertThat(plan(Users.group("redis").system()).isEmpty()).isTrue();
        assertThat(plan(Users.group("synapse-admins").system()).changes().get(0).script()).isEqualTo("groupadd --system synapse-admins\n");
    }
}
