package dev.provision.engine;

import dev.provision.dsl.Host;
import dev.provision.dsl.Playbook;
import dev.provision.engine.connect.ConnectionSettings;

import java.util.function.Supplier;

/** A host to run: who it is, how to reach it, and which playbook it gets (a fresh instance per run). */
public record HostTarget(Host host, ConnectionSettings connection, Supplier<? extends Playbook> playbook) {
}
