package dev.provision.dsl;

/**
 * A playbook that says how to tell it worked: after {@code provision test} (or the test kit's {@code Converge}) has
 * applied it to a throwaway host, and applied it again to see that nothing changes, {@link #verify} checks the result.
 *
 * <pre>{@code
 * public class WebServer extends Playbook implements Verifiable {
 *     protected void define(Host host) { ... }
 *
 *     public void verify(Host host, Verify verify) {
 *         verify.unitActive("nginx").listens(80).http("http://localhost/", 200, "hello from " + host.name());
 *     }
 * }
 * }</pre>
 *
 * <p>{@code apply} and {@code plan} never call it.
 */
public interface Verifiable {

    /** The checks of a host this playbook converged; {@code host} is the one {@link Playbook#definition} was given. */
    void verify(Host host, Verify verify);
}
