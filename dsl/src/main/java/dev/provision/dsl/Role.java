package dev.provision.dsl;

import dev.provision.dsl.engine.DeploymentDefinition;
import dev.provision.dsl.engine.DeploymentDefinition.Rollout;
import dev.provision.task.Fact;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/** A role of a {@link Deployment}: the playbook its hosts get, the roles it waits for, how it rolls out. */
public final class Role {

    private final String name;
    private final Supplier<? extends Playbook> playbook;
    private final List<String> after = new ArrayList<>();
    private final List<Product<?>> products = new ArrayList<>();
    private Rollout rollout = Rollout.ALL_AT_ONCE;

    Role(String name, Supplier<? extends Playbook> playbook) {
        this.name = name;
        this.playbook = playbook;
    }

    /** This role starts on its hosts once these roles have finished on all of theirs. */
    public Role after(Role... roles) {
        for (Role role : roles) {
            after.add(role.name);
        }
        return this;
    }

    /** Runs {@code hosts} hosts of the role at a time, batch after batch, as Ansible's {@code serial: N}. */
    public Role serial(int hosts) {
        rollout = rollout.withBatch(DeploymentDefinition.Share.hosts(hosts));
        return this;
    }

    /** Runs {@code percent}% of the role's hosts at a time (at least one), as Ansible's {@code serial: "30%"}. */
    public Role serialPercent(int percent) {
        rollout = rollout.withBatch(DeploymentDefinition.Share.percent(percent));
        return this;
    }

    /**
     * Stops the role, its later batches skipped, once more than {@code hosts} hosts of a batch failed.
     * The roles after it go on while no more than {@code hosts} of all its hosts failed or were skipped.
     */
    public Role maxFailures(int hosts) {
        rollout = rollout.withTolerated(DeploymentDefinition.Share.hosts(hosts));
        return this;
    }

    /**
     * Stops the role once more than {@code percent}% of a batch failed, as Ansible's {@code max_fail_percentage}.
     * The roles after it go on while no more than {@code percent}% of all its hosts failed or were skipped.
     */
    public Role maxFailPercent(int percent) {
        rollout = rollout.withTolerated(DeploymentDefinition.Share.percent(percent));
        return this;
    }

    /**
     * A value each host of this role makes, read with {@code fact} on that host once the role has
     * finished there: a secret it generated, a key, its private address. Roles that come after this
     * one receive it ({@link Host#received}); it travels through the controller's memory only.
     */
    public <T> Product<T> produces(String product, Fact<Optional<T>> fact) {
        Product<T> made = new Product<>(product, name, fact);
        products.add(made);
        return made;
    }

    String name() {
        return name;
    }

    DeploymentDefinition.RoleEntry entry() {
        return new DeploymentDefinition.RoleEntry(name, playbook, after, products, rollout);
    }
}
