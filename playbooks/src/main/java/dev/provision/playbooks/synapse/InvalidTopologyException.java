package dev.provision.playbooks.synapse;

import java.util.List;
import java.util.stream.Collectors;

/** A topology with problems; the message lists every one of them with its fix. */
public class InvalidTopologyException extends IllegalStateException {

    private final transient List<TopologyProblem> problems;

    public InvalidTopologyException(List<TopologyProblem> problems) {
        super(problems.size() + " problem(s) in the Synapse topology:\n"
                + problems.stream().map(p -> "- " + p).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    public List<TopologyProblem> problems() {
        return problems;
    }
}
