package dev.provision.it.reliability;

import dev.provision.testbed.DebianHost;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;

/** An inventory file for test containers, reached as root with the test key and their own known_hosts. */
final class TestInventory {

    private final StringBuilder hosts = new StringBuilder();

    static TestInventory create() {
        return new TestInventory();
    }

    /** A host named {@code name}: the container, its playbook class and its variables. */
    TestInventory host(String name, DebianHost container, String playbook, Map<String, String> vars) {
        return host(name, container, playbook, vars, container.knownHostsFile());
    }

    TestInventory host(String name, DebianHost container, String playbook, Map<String, String> vars, Path knownHosts) {
        hosts.append("    ").append(name).append(":\n")
                .append("      address: ").append(container.sshHost()).append('\n')
                .append("      port: ").append(container.sshPort()).append('\n')
                .append("      user: root\n")
                .append("      identity_file: ").append(container.privateKeyPath()).append('\n')
                .append("      known_hosts: ").append(knownHosts).append('\n')
                .append("      playbook: ").append(playbook).append('\n')
                .append("      vars: {").append(vars.entrySet().stream().map(v -> " " + v.getKey() + ": '" + v.getValue() + "'")
                        .collect(Collectors.joining(","))).append(" }\n");
        return this;
    }

    Path writeTo(Path file) {
        try {
            return Files.writeString(file, "all:\n  hosts:\n" + hosts);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
