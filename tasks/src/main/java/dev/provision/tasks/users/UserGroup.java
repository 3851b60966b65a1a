package dev.provision.tasks.users;

import dev.provision.task.Change;
import dev.provision.task.Fact;
import dev.provision.task.Facts;
import dev.provision.task.Plan;
import dev.provision.task.Shell;
import dev.provision.task.Task;

import java.util.List;

/** A group that should exist; a system group gets its id from the system range. */
public final class UserGroup implements Task {

    private final String name;
    private boolean system;

    UserGroup(String name) {
        this.name = name;
    }

    public UserGroup system() {
        this.system = true;
        return this;
    }

    @Override
    public String describe() {
        return "group " + name;
    }

    @Override
    public List<Fact<?>> facts() {
        return List.of(Accounts.FACT);
    }

    @Override
    public Plan plan(Facts facts) {
        if (facts.get(Accounts.FACT).group(name).isPresent()) {
            return Plan.ok();
        }
        return Plan.of(Change.of("create " + (system ? "system " : "") + "group " + name,
                "groupadd " + (system ? "--system " : "") + Shell.quote(name) + "\n"));
    }
}
