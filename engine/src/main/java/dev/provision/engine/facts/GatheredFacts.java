package dev.provision.engine.facts;

import dev.provision.task.CommandResult;
import dev.provision.task.Fact;
import dev.provision.task.FactException;
import dev.provision.task.Facts;

import java.util.Map;

/** Facts as a batch brought them back: raw results by command, parsed when a task asks. */
public final class GatheredFacts implements Facts {

    private final Map<String, CommandResult> results;

    GatheredFacts(Map<String, CommandResult> results) {
        this.results = Map.copyOf(results);
    }

    @Override
    public <T> T get(Fact<T> fact) {
        CommandResult result = results.get(fact.command());
        if (result == null) {
            throw new IllegalStateException("fact was not gathered; a task must list every fact it reads in facts(): " + fact);
        }
        try {
            return fact.parse(result);
        } catch (FactException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new FactException("could not read the answer to `" + fact.command() + "`: " + e.getClass().getName() + ": " + e.getMessage()
                    + "\n" + result.stdout().lines().limit(5).reduce("", (a, b) -> a + "\n  " + b));
        }
    }
}
