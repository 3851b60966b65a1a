package dev.provision.engine.facts;

import dev.provision.dsl.CommandResult;
import dev.provision.dsl.Fact;
import dev.provision.engine.connect.Connection;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Gathers facts in one round trip: the commands of every fact asked for, each sent once however
 * many tasks share it, in a single batch over the host's shell.
 */
public final class FactGatherer {

    private final Connection connection;
    private final Duration timeout;

    public FactGatherer(Connection connection, Duration timeout) {
        this.connection = connection;
        this.timeout = timeout;
    }

    public GatheredFacts gather(List<Fact<?>> facts) {
        List<String> commands = facts.stream().map(Fact::command).distinct().toList();
        if (commands.isEmpty()) {
            return new GatheredFacts(Map.of());
        }
        List<CommandResult> results = connection.runReadOnly(new ArrayList<>(commands), timeout);
        Map<String, CommandResult> byCommand = new LinkedHashMap<>();
        for (int i = 0; i < commands.size(); i++) {
            byCommand.put(commands.get(i), results.get(i));
        }
        return new GatheredFacts(byCommand);
    }
}
