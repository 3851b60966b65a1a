package dev.provision.testbed.junit;

import dev.provision.testbed.DebianHost;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.ReflectionSupport;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.Deque;

/** Starts the hosts in a test class's {@link TestHost} fields before its tests and removes them after. */
final class TestHostExtension implements BeforeAllCallback, AfterAllCallback {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(TestHostExtension.class);
    private static final String HOSTS = "hosts";

    @Override
    public void beforeAll(ExtensionContext context) {
        Class<?> testClass = context.getRequiredTestClass();
        Deque<DebianHost> hosts = new ArrayDeque<>();
        context.getStore(NAMESPACE).put(HOSTS, hosts);
        for (Field field : AnnotationSupport.findAnnotatedFields(testClass, TestHost.class)) {
            DebianHost host = hostIn(field);
            // pushed first: start() can fail after its container is up, and afterAll must still remove it
            hosts.push(host);
            host.start();
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public void afterAll(ExtensionContext context) {
        Deque<DebianHost> hosts = context.getStore(NAMESPACE).remove(HOSTS, Deque.class);
        if (hosts == null) {
            return;
        }
        RuntimeException failure = null;
        for (DebianHost host : hosts) {
            try {
                host.close();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static DebianHost hostIn(Field field) {
        String where = "@TestHost " + field.getDeclaringClass().getSimpleName() + "." + field.getName();
        if (!Modifier.isStatic(field.getModifiers())) {
            throw new ExtensionConfigurationException(where + " must be static: a host lives as long as its test class");
        }
        if (!DebianHost.class.isAssignableFrom(field.getType())) {
            throw new ExtensionConfigurationException(where + " must be a DebianHost, not a " + field.getType().getName());
        }
        Object host = ReflectionSupport.tryToReadFieldValue(field, null)
                .getOrThrow(e -> new ExtensionConfigurationException("cannot read " + where, e));
        if (host == null) {
            throw new ExtensionConfigurationException(where + " is null: give it a host such as DebianHost.bookworm()");
        }
        return (DebianHost) host;
    }
}
