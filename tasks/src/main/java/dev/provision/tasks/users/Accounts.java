package dev.provision.tasks.users;

import dev.provision.task.CommandResult;
import dev.provision.task.Fact;
import dev.provision.task.FactException;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** Every user and group on the host, from one {@code getent} that all user and group tasks share. */
public record Accounts(Map<String, Account> users, Map<String, Group> groups) {

    private static final String GROUPS_FOLLOW = "--groups--";

    public static final Fact<Accounts> FACT = Fact.of(
            "getent passwd; echo " + GROUPS_FOLLOW + "; getent group", Accounts::parse);

    public record Account(String name, int uid, int gid, String home, String shell) {
    }

    public record Group(String name, int gid, List<String> members) {
    }

    public Optional<Account> user(String name) {
        return Optional.ofNullable(users.get(name));
    }

    public Optional<Group> group(String name) {
        return Optional.ofNullable(groups.get(name));
    }

    /** The supplementary groups that list the user as a member (not its primary group). */
    public Set<String> supplementaryGroups(String user) {
        Set<String> names = new TreeSet<>();
        groups.values().stream().filter(group -> group.members().contains(user)).forEach(group -> names.add(group.name()));
        return names;
    }

    static Accounts parse(CommandResult result) {
        Map<String, Account> users = new HashMap<>();
        Map<String, Group> groups = new HashMap<>();
        boolean inGroups = false;
        for (String line : result.stdout().split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            if (line.equals(GROUPS_FOLLOW)) {
                inGroups = true;
                continue;
            }
            String[] fields = line.split(":", -1);
            try {
                if (!inGroups && fields.length == 7) {
                    // the first entry wins, as in NSS lookups
                    users.putIfAbsent(fields[0], new Account(fields[0], Integer.parseInt(fields[2]), Integer.parseInt(fields[3]), fields[5], fields[6]));
                } else if (inGroups && fields.length == 4) {
                    List<String> members = fields[3].isEmpty() ? List.of() : List.of(fields[3].split(","));
                    groups.putIfAbsent(fields[0], new Group(fields[0], Integer.parseInt(fields[2]), members));
                } else {
                    throw new FactException("unexpected getent line: " + line);
                }
            } catch (NumberFormatException e) {
                throw new FactException("unexpected getent line: " + line);
            }
        }
        if (!inGroups) {
            throw new FactException("getent printed no group list: " + result.errorText());
        }
        return new Accounts(Map.copyOf(users), Map.copyOf(groups));
    }
}
