package dev.provision.tasks.users;

import dev.provision.task.Change;
import dev.provision.task.Fact;
import dev.provision.task.Facts;
import dev.provision.task.Plan;
import dev.provision.task.Shell;
import dev.provision.task.Task;
import dev.provision.tasks.users.Accounts.Account;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A user that should exist with the given home, shell and groups. Its primary group is the one
 * named by {@link #primaryGroup}, else a group of the user's own name (created with the user unless
 * it exists). Supplementary groups are added to what the user has ({@link #inGroups}, like
 * {@code adduser user group}) or set exactly ({@link #onlyInGroups}). Groups must exist when the
 * change runs: create them in an earlier step or let a package create them.
 */
public final class UserAccount implements Task {

    private final String name;
    private boolean system;
    private Optional<String> home = Optional.empty();
    private Optional<String> shell = Optional.empty();
    private Optional<String> primaryGroup = Optional.empty();
    private final Set<String> groups = new LinkedHashSet<>();
    private boolean exactGroups;

    UserAccount(String name) {
        this.name = name;
    }

    /** A system account: id from the system range, no aging, no mail spool. */
    public UserAccount system() {
        this.system = true;
        return this;
    }

    /** The home directory, created (from /etc/skel) with a new user. */
    public UserAccount home(String path) {
        this.home = Optional.of(path);
        return this;
    }

    public UserAccount shell(String path) {
        this.shell = Optional.of(path);
        return this;
    }

    public UserAccount primaryGroup(String group) {
        this.primaryGroup = Optional.of(group);
        return this;
    }

    /** Adds the user to these groups, keeping any other memberships. */
    public UserAccount inGroups(String... groups) {
        this.groups.addAll(List.of(groups));
        return this;
    }

    /** The user's supplementary groups are exactly these: other memberships are dropped. */
    public UserAccount onlyInGroups(String... groups) {
        this.groups.clear();
        this.groups.addAll(List.of(groups));
        this.exactGroups = true;
        return this;
    }

    @Override
    public String describe() {
        return "user " + name;
    }

    @Override
    public List<Fact<?>> facts() {
        return List.of(Accounts.FACT);
    }

    @Override
    public Plan plan(Facts facts) {
        Accounts accounts = facts.get(Accounts.FACT);
        return accounts.user(name).map(account -> planUpdate(account, accounts)).orElseGet(() -> planCreate(accounts));
    }

    private Plan planCreate(Accounts accounts) {
        String group = primaryGroup.orElse(name);
        StringBuilder command = new StringBuilder("useradd");
        List<String> details = new ArrayList<>();
        if (system) {
            command.append(" --system");
        }
        home.ifPresent(path -> {
            command.append(" --home-dir ").append(Shell.quote(path)).append(" --create-home");
            details.add("home " + path);
        });
        shell.ifPresent(path -> {
            command.append(" --shell ").append(Shell.quote(path));
            details.add("shell " + path);
        });
        if (primaryGroup.isPresent() || accounts.group(name).isPresent()) {
            command.append(" --gid ").append(Shell.quote(group));
        } else {
            command.append(" --user-group");
        }
        details.add("group " + group);
        if (!groups.isEmpty()) {
            command.append(" --groups ").append(Shell.quote(String.join(",", groups)));
            details.add("in " + String.join(", ", groups));
        }
        command.append(' ').append(Shell.quote(name)).append('\n');
        return Plan.of(Change.of("create " + (system ? "system " : "") + "user " + name + " (" + String.join(", ", details) + ")",
                command.toString()));
    }

    private Plan planUpdate(Account account, Accounts accounts) {
        List<Change> changes = new ArrayList<>();
        home.filter(path -> !path.equals(account.home())).ifPresent(path -> changes.add(usermod(
                "home of " + name + " " + account.home() + " -> " + path, "--home " + Shell.quote(path))));
        shell.filter(path -> !path.equals(account.shell())).ifPresent(path -> changes.add(usermod(
                "shell of " + name + " " + account.shell() + " -> " + path, "--shell " + Shell.quote(path))));
        primaryGroup.filter(group -> accounts.group(group).filter(g -> g.gid() == account.gid()).isEmpty())
                .ifPresent(group -> changes.add(usermod("primary group of " + name + " -> " + group, "--gid " + Shell.quote(group))));
        Set<String> current = accounts.supplementaryGroups(name);
        Set<String> missing = new TreeSet<>(groups);
        missing.removeAll(current);
        if (exactGroups) {
            Set<String> extra = new TreeSet<>(current);
            extra.removeAll(groups);
            if (!missing.isEmpty() || !extra.isEmpty()) {
                changes.add(usermod("groups of " + name + " " + current + " -> " + new TreeSet<>(groups),
                        "--groups " + Shell.quote(String.join(",", groups))));
            }
        } else if (!missing.isEmpty()) {
            changes.add(usermod("add " + name + " to " + String.join(", ", missing),
                    "--append --groups " + Shell.quote(String.join(",", missing))));
        }
        return Plan.of(changes);
    }

    private Change usermod(String summary, String options) {
        return Change.of(summary, "usermod " + options + " " + Shell.quote(name) + "\n");
    }
}
