package dev.provision.tasks.users;

/**
 * Users and groups: {@code Users.user("matrix-synapse").system().home("/var/lib/matrix-synapse").inGroups("redis")},
 * {@code Users.group("redis").system()}.
 */
public final class Users {

    private Users() {
    }

    public static UserAccount user(String name) {
        return new UserAccount(name);
    }

    public static UserGroup group(String name) {
        return new UserGroup(name);
    }
}
