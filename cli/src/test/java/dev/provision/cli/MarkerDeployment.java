package dev.provision.cli;

import dev.provision.dsl.Deployment;
import dev.provision.dsl.Role;

/** Two roles of {@link Markers}: {@code second} after {@code first}, one host at a time. */
public class MarkerDeployment extends Deployment {

    @Override
    protected void define() {
        Role first = role("first", Markers::new);
        role("second", Markers::new).after(first).serial(1);
    }
}
