package dev.provision.demo;

import dev.provision.cli.DemoContainers;
import dev.provision.testbed.DebianHost;

import java.util.function.Supplier;

/** The demo's containers are the testbed's {@link DebianHost}s. */
public final class TestbedContainers implements DemoContainers {

    @Override
    public DemoContainer start(String suite) {
        return withOwnClassLoader(() -> {
            DebianHost host = DebianHost.of(suite).start();
            return new DemoContainer(host.containerName(), host.sshHost(), host.sshPort(), host.privateKeyPath(), host.knownHostsFile(),
                    () -> withOwnClassLoader(() -> {
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
