package dev.provision.engine;

import dev.provision.engine.connect.Connection;
import dev.provision.engine.connect.ConnectionException;

/** Opens a host's shell; the run puts its layers (lock, command log) around it. */
@FunctionalInterface
public interface Connector {

    /** @throws ConnectionException when the host cannot be reached */
    Connection open(HostTarget target);
}
