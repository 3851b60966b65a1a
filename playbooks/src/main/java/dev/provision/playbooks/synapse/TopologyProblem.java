package dev.provision.playbooks.synapse;

/** Something wrong with a topology, found before any host is touched, and how to fix it. */
public record TopologyProblem(String problem, String fix) {

    @Override
    public String toString() {
        return problem + " Fix: " + fix;
    }
}
