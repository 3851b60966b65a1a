package dev.provision.engine.facts;

import dev.provision.task.CommandResult;
import dev.provision.task.Fact;
import dev.provision.task.FactBatch;
import dev.provision.engine.connect.Connection;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Gathers facts in one round trip: the commands of every fact asked for, each sent once however
 * many tasks share it, in a single batch over the host's shell. Facts of one {@link FactBatch} kind
 * go out as that kind's one command; should its answer not split, those facts run alone in a second
 * round trip.
 */
public final class FactGatherer {

    private final Connection connection;
    private final Duration timeout;

    public FactGatherer(Connection connection, Duration timeout) {
        this.connection = connection;
        this.timeout = timeout;
    }

    public GatheredFacts gather(List<Fact<?>> facts) {
        Map<String, Fact<?>> byCommand = new LinkedHashMap<>();
        facts.forEach(fact -> byCommand.putIfAbsent(fact.command(), fact));
        Map<FactBatch<?>, List<Fact<?>>> kinds = new LinkedHashMap<>();
        byCommand.values().forEach(fact -> fact.batch().ifPresent(b -> kinds.computeIfAbsent(b.kind(), k -> new ArrayList<>()).add(fact)));
        kinds.values().removeIf(members -> members.size() < 2);

        List<Request> requests = new ArrayList<>();
        for (Fact<?> fact : byCommand.values()) {
            Optional<FactBatch<?>> kind = fact.batch().<FactBatch<?>>map(Fact.Batched::kind).filter(kinds::containsKey);
            if (kind.isEmpty()) {
                requests.add(new Alone(fact));
            } else if (kinds.get(kind.get()).get(0) == fact) {
                requests.add(Together.of(kind.get(), kinds.get(kind.get())));
            }
        }
        Map<String, CommandResult> results = new LinkedHashMap<>();
        if (requests.isEmpty()) {
            return new GatheredFacts(results);
        }
        List<CommandResult> answers = connection.runReadOnly(requests.stream().map(Request::command).toList(), timeout);
        List<Fact<?>> unsplit = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            if (!requests.get(i).answer(answers.get(i), results)) {
                unsplit.addAll(requests.get(i).facts());
            }
        }
        if (!unsplit.isEmpty()) {
            List<CommandResult> alone = connection.runReadOnly(unsplit.stream().map(Fact::command).toList(), timeout);
            for (int i = 0; i < unsplit.size(); i++) {
                results.put(unsplit.get(i).command(), alone.get(i));
            }
        }
        return new GatheredFacts(results);
    }

    private sealed interface Request permits Alone, Together {
        String command();

        List<Fact<?>> facts();

        /** Files the answer under each fact's command; false when it could not. */
        boolean answer(CommandResult result, Map<String, CommandResult> results);
    }

    private record Alone(Fact<?> fact) implements Request {
        @Override public String command() { return fact.command(); }
        @Override public List<Fact<?>> facts() { return List.of(fact); }

        @Override
        public boolean answer(CommandResult result, Map<String, CommandResult> results) {
            results.put(fact.command(), result);
            return true;
        }
    }

    private record Together<A>(FactBatch<A> kind, List<Fact<?>> facts, List<A> arguments) implements Request {

        @SuppressWarnings("unchecked") // every member's batch() names this kind, so its argument is an A
        static <A> Together<A> of(FactBatch<A> kind, List<Fact<?>> members) {
            return new Together<>(kind, members, members.stream().map(f -> (A) f.batch().orElseThrow().argument()).toList());
        }

        @Override
        public String command() {
            return kind.command(arguments);
        }

        @Override
        public boolean answer(CommandResult result, Map<String, CommandResult> results) {
            Optional<List<CommandResult>> split = kind.split(result, arguments).filter(parts -> parts.size() == facts.size());
            split.ifPresent(parts -> {
                for (int i = 0; i < facts.size(); i++) {
                    results.put(facts.get(i).command(), parts.get(i));
                }
            });
            return split.isPresent();
        }
    }
}
