package dev.provision.dsl;

import dev.provision.task.Fact;

import java.util.Optional;

/**
 * A value a role's hosts make and later roles receive.
 *
 * @param name what it is, for messages ("replication secret")
 * @param role the role whose hosts make it
 * @param fact how it is read on a host of that role; empty while the host has not made it yet
 */
public record Product<T>(String name, String role, Fact<Optional<T>> fact) {
}
