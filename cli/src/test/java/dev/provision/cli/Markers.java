package dev.provision.cli;

import dev.provision.task.Change;
import dev.provision.task.Fact;
import dev.provision.task.Facts;
import dev.provision.dsl.Host;
import dev.provision.task.Plan;
import dev.provision.dsl.Playbook;
import dev.provision.dsl.Secret;
import dev.provision.task.Task;

import java.util.List;

/**
 * A playbook for {@link MarkerHost}: a step per name in the host variable {@code markers}
 * (comma-separated); a name starting with "broken" fails to plan. The variable {@code note}, if set,
 * is put into each change summary (revealed, if secret), so tests can see that output masks it.
 */
public class Markers extends Playbook {

    @Override
    protected void define(Host host) {
        for (String name : host.var("markers").split(",")) {
            step("mark " + name, marker(name, host.find("note").map(v -> v instanceof Secret s ? s.reveal() : v.toString()).orElse("")));
        }
    }

    private static Task marker(String name, String note) {
        Fact<Boolean> present = Fact.succeeds("has " + name);
        return new Task() {
            @Override public String describe() { return "marker " + name; }
            @Override public List<Fact<?>> facts() { return List.of(present); }
            @Override public Plan plan(Facts facts) {
                if (name.startsWith("broken")) {
                    return Plan.fail(name + " cannot be marked");
                }
                return facts.get(present) ? Plan.ok() : Plan.of(Change.of("mark " + name + (note.isEmpty() ? "" : " with " + note), "mark " + name));
            }
        };
    }
}
