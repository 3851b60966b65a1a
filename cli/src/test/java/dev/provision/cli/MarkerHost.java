package dev.provision.cli;

import dev.provision.task.CommandResult;
import dev.provision.engine.connect.Batch;
import dev.provision.engine.connect.Connection;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A host that holds a set of markers and understands two commands: {@code has MARKER} (exit 1 when
 * absent) and {@code mark MARKER}. {@link Markers} playbooks run against it.
 */
final class MarkerHost implements Connection {

    final Set<String> markers = new TreeSet<>();
    final List<String> marked = new ArrayList<>();
    private int roundTrips;

    @Override
    public synchronized List<CommandResult> send(Batch batch) {
        List<String> commands = batch.commands();
        roundTrips++;
        List<CommandResult> results = new ArrayList<>();
        for (String command : commands) {
            String[] words = command.strip().replaceAll("[()|]|exit \\$\\?", " ").strip().split("\\s+");
            boolean present = words[0].equals("has") && markers.contains(words[1]);
            if (words[0].equals("mark")) {
                markers.add(words[1]);
                marked.add(words[1]);
            }
            CommandResult result = new CommandResult(words[0].equals("has") && !present ? 1 : 0, "", "");
            results.add(result);
        }
        return results;
    }

    @Override
    public int roundTrips() {
        return roundTrips;
    }

    @Override
    public String describe() {
        return "markers";
    }

    @Override
    public void close() {
    }
}
