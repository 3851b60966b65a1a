package dev.provision.it.reliability;

import dev.provision.dsl.Host;
import dev.provision.dsl.Playbook;

/** Playbook classes the CLI must refuse before it connects. */
public final class BadPlaybooks {

    private BadPlaybooks() {
    }

    /** The engine creates playbooks with their no-argument constructor; this one has none. */
    public static class NeedsAnArgument extends Playbook {

        public NeedsAnArgument(String name) {
        }

        @Override
        protected void define(Host host) {
        }
    }

    /** Reads a variable the inventory does not set. */
    public static class NeedsAVariable extends Playbook {

        @Override
        protected void define(Host host) {
            host.var("admin_email");
        }
    }
}
