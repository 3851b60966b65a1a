package dev.provision.demo;

import dev.provision.cli.DemoContainers;
import dev.provision.testbed.DebianHost;
import dev.provision.testkit.HostShell;
import dev.provision.testkit.HostVerify;

import java.util.function.Supplier;

/** The containers of {@code provision demo} and {@code provision test} are the testbed's {@link DebianHost}s. */
public final class TestbedContainers implements DemoContainers {

    @Override
    public DemoContainer start(String suite) {
        return withOwnClassLoader(() -> {
            DebianHost host = DebianHost.of(suite).start();
            Checks checks = (target, playbook, listener) -> withOwnClassLoader(() -> {
                HostVerify verify = new HostVerify(HostShell.of(host),
                        check -> listener.accept(new CheckOutcome(check.description(), check.failure())));
                playbook.verify(target, verify);
                return verify.checks().stream().map(check -> new CheckOutcome(check.description(), check.failure())).toList();
            });
            return new DemoContainer(host.containerName(), host.sshHost(), host.sshPort(), host.privateKeyPath(), host.knownHostsFile(),
                    checks, () -> withOwnClassLoader(() -> {
                        host.close();
                        return host;
                    }));
        });
    }

    /**
     * Testcontainers finds its Docker client strategies with {@link java.util.ServiceLoader} on the thread's context
     * class loader, which is provision.jar's, where they are not.
     */
    private static <T> T withOwnClassLoader(Supplier<T> action) {
        Thread thread = Thread.currentThread();
        ClassLoader caller = thread.getContextClassLoader();
        thread.setContextClassLoader(TestbedContainers.class.getClassLoader());
        try {
            return action.get();
        } finally {
            thread.setContextClassLoader(caller);
        }
    }
}
