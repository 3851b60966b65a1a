package dev.provision.engine;

import dev.provision.task.CommandResult;
import dev.provision.task.Fact;
import dev.provision.task.Facts;
import dev.provision.task.Change;
import dev.provision.task.Plan;
import dev.provision.task.Task;
import dev.provision.engine.connect.Batch;
import dev.provision.engine.connect.Connection;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A host made of named values, reached through a connection that understands four commands:
 * {@code get KEY} (prints the value, exit 1 when unset), {@code set KEY VALUE}, {@code generate KEY}
 * (sets {@code generated-KEY-value}, as a host makes a secret the controller never sends) and
 * {@code fail MESSAGE}.
 * Enough to pin down what the engine does with facts, plans, changes and handlers.
 */
final class FakeHost implements Connection {

    final Map<String, String> values = new LinkedHashMap<>();
    final List<String> executed = new ArrayList<>();
    private int roundTrips;

    @Override
    public List<CommandResult> send(Batch batch) {
        List<String> commands = batch.commands();
        roundTrips++;
        List<CommandResult> results = new ArrayList<>();
        for (String command : commands) {
            results.add(execute(command));
        }
        return results;
    }

    private CommandResult execute(String script) {
        for (String line : script.lines().toList()) {
            String[] words = line.trim().split(" ", 3);
            switch (words[0]) {
                case "get" -> {
                    String value = values.get(words[1]);
                    return value == null ? new CommandResult(1, "", "") : new CommandResult(0, value, "");
                }
                case "set" -> {
                    executed.add(line.trim());
                    values.put(words[1], words[2]);
                }
                case "generate" -> {
                    executed.add(line.trim());
                    values.put(words[1], generated(words[1]));
                }
                case "fail" -> {
                    return new CommandResult(1, "", line.substring(5));
                }
                default -> {
                }
            }
        }
        return new CommandResult(0, "", "");
    }

    @Override
    public int roundTrips() {
        return roundTrips;
    }

    @Override
    public String describe() {
        return "fake";
    }

    @Override
    public void close() {
    }

    static String generated(String key) {
        return "generated-" + key + "-value";
    }

    /** A task that makes the host generate {@code key} once. */
    static Task generating(String key) {
        return new Task() {
            @Override public String describe() { return "generated " + key; }
            @Override public List<Fact<?>> facts() { return List.of(value(key)); }
            @Override public Plan plan(Facts facts) {
                return facts.get(value(key)).isPresent() ? Plan.ok() : Plan.of(Change.of("generate " + key, "generate " + key));
            }
        };
    }

    static Fact<Optional<String>> value(String key) {
        return Fact.of("get " + key, r -> r.succeeded() ? Optional.of(r.stdout()) : Optional.empty());
    }

    /** A task that makes {@code key} hold {@code value}. */
    static Task setting(String key, String value) {
        return new Task() {
            @Override public String describe() { return "value " + key; }
            @Override public List<Fact<?>> facts() { return List.of(value(key)); }
            @Override public Plan plan(Facts facts) {
                return facts.get(value(key)).filter(value::equals).isPresent()
                        ? Plan.ok()
                        : Plan.of(Change.of(key + " = " + value, "set " + key + " " + value));
            }
        };
    }

    /** A handler-style task: always runs its action. */
    static Task action(String name) {
        return new Task() {
            @Override public String describe() { return "action " + name; }
            @Override public List<Fact<?>> facts() { return List.of(); }
            @Override public Plan plan(Facts facts) { return Plan.of(Change.of(name, "set ran." + name + " yes")); }
        };
    }

    static Task failingApply(String message) {
        return new Task() {
            @Override public String describe() { return "breaks"; }
            @Override public List<Fact<?>> facts() { return List.of(); }
            @Override public Plan plan(Facts facts) { return Plan.of(Change.of("break", "fail " + message)); }
        };
    }
}
