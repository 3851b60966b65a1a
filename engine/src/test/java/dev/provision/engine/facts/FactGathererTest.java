package dev.provision.engine.facts;

import dev.provision.task.CommandResult;
import dev.provision.task.Fact;
import dev.provision.task.FactBatch;
import dev.provision.engine.connect.Batch;
import dev.provision.engine.connect.Connection;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class FactGathererTest {

    private static final Map<String, String> HOST = Map.of("a", "1", "b", "2", "c", "3");

    /** Answers {@code get KEY} and {@code get-all KEY...} (one line per key); {@code get-all} "fails" when told to. */
    private static final class Host implements Connection {
        final List<List<String>> batches = new ArrayList<>();
        boolean garbleBatches;

        @Override
        public List<CommandResult> send(Batch batch) {
            List<String> commands = batch.commands();
            batches.add(commands);
            return commands.stream().map(this::answer).toList();
        }

        private CommandResult answer(String command) {
            String[] words = command.split(" ");
            if (words[0].equals("get-all")) {
                return garbleBatches ? new CommandResult(1, "", "no")
                        : new CommandResult(0, String.join("\n", Arrays.stream(words).skip(1).map(HOST::get).toList()), "");
            }
            return new CommandResult(0, HOST.get(words[1]), "");
        }

        @Override public int roundTrips() { return batches.size(); }
        @Override public String describe() { return "test host"; }
        @Override public void close() { }
    }

    private static final FactBatch<String> GET_ALL = new FactBatch<>() {
        @Override
        public String command(List<String> keys) {
            return "get-all " + String.join(" ", keys);
        }

        @Override
        public Optional<List<CommandResult>> split(CommandResult result, List<String> keys) {
            return result.succeeded()
                    ? Optional.of(result.stdout().lines().map(line -> new CommandResult(0, line, "")).toList())
                    : Optional.empty();
        }
    };

    private static Fact<String> value(String key) {
        return Fact.batched(GET_ALL, key, "get " + key, CommandResult::stdout);
    }

    private final Host host = new Host();
    private final FactGatherer gatherer = new FactGatherer(host, Duration.ofSeconds(1));

    @Test
    void factsOfOneKindGoOutAsItsOneCommandAndEachReadsItsOwnAnswer() {
        Fact<Boolean> alone = Fact.succeeds("get c");
        GatheredFacts facts = gatherer.gather(List.of(value("a"), alone, value("b"), value("a")));

        assertThat(host.batches).containsExactly(List.of("get-all a b", "get c"));
        assertThat(facts.get(value("a"))).isEqualTo("1");
        assertThat(facts.get(value("b"))).isEqualTo("2");
        assertThat(facts.get(alone)).isTrue();
    }

    @Test
    void aKindWithOneFactRunsThatFactsOwnCommand() {
        GatheredFacts facts = gatherer.gather(List.of(value("c")));

        assertThat(host.batches).containsExactly(List.of("get c"));
        assertThat(facts.get(value("c"))).isEqualTo("3");
    }

    @Test
    void anAnswerThatDoesNotSplitRunsItsFactsAloneInASecondRoundTrip() {
        host.garbleBatches = true;
        GatheredFacts facts = gatherer.gather(List.of(value("a"), value("b")));

        assertThat(host.batches).containsExactly(List.of("get-all a b"), List.of("get a", "get b"));
        assertThat(facts.get(value("a"))).isEqualTo("1");
        assertThat(facts.get(value("b"))).isEqualTo("2");
    }
}
