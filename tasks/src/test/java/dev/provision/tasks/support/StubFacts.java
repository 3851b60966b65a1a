package dev.provision.tasks.support;

import dev.provision.task.CommandResult;
import dev.provision.task.Fact;
import dev.provision.task.Facts;

import java.util.HashMap;
import java.util.Map;

/** Facts answered by the test instead of a host: what each fact command would have printed. */
public final class StubFacts implements Facts {

    private final Map<String, CommandResult> answers = new HashMap<>();

    public StubFacts answer(Fact<?> fact, String stdout) {
        return answer(fact, 0, stdout);
    }

    public StubFacts answer(Fact<?> fact, int exitCode, String stdout) {
        answers.put(fact.command(), new CommandResult(exitCode, stdout, exitCode == 0 ? "" : "failed"));
        return this;
    }

    @Override
    public <T> T get(Fact<T> fact) {
        CommandResult result = answers.get(fact.command());
        if (result == null) {
            throw new IllegalStateException("the test gave no answer to " + fact);
        }
        return fact.parse(result);
    }
}
