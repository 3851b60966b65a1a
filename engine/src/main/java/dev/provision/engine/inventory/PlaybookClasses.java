package dev.provision.engine.inventory;

import dev.provision.dsl.Deployment;
import dev.provision.dsl.Playbook;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.util.Locale;
import java.util.function.Supplier;

/** Playbooks and deployments named by class: found and checked up front, so a typo fails before any host is touched. */
public final class PlaybookClasses {

    private PlaybookClasses() {
    }

    /**
     * A supplier of fresh instances of the playbook class {@code className}, found on the classpath.
     *
     * @param host      the host it is for, for messages
     * @param definedAt where the name was given ({@code inventory.yaml:7:15}, {@code --playbook}), for messages
     * @throws InventoryException when the class is missing, is no playbook, or cannot be instantiated with no arguments
     */
    public static Supplier<Playbook> supplier(String className, String host, String definedAt) {
        return supplier(className, host, definedAt, PlaybookLoader.CLASSPATH);
    }

    /** Like {@link #supplier(String, String, String)}, with the class found by {@code playbooks}. */
    public static Supplier<Playbook> supplier(String className, String host, String definedAt, PlaybookLoader playbooks) {
        return supplier(Playbook.class, definedAt + ": playbook class " + className + " for host " + host, className, playbooks);
    }

    /**
     * A supplier of fresh instances of the deployment class {@code className}.
     *
     * @throws InventoryException when the class is missing, is no deployment, or cannot be instantiated with no arguments
     */
    public static Supplier<Deployment> deployment(InventoryDeployment deployment, PlaybookLoader playbooks) {
        return supplier(Deployment.class, deployment.definedAt() + ": deployment class " + deployment.className() + " of "
                + deployment.name(), deployment.className(), playbooks);
    }

    private static <T> Supplier<T> supplier(Class<T> kind, String problem, String className, PlaybookLoader playbooks) {
        Class<?> type;
        try {
            type = Class.forName(className, false, playbooks.loader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new InventoryException(problem + " not found " + playbooks.searches() + ": check the package and spelling,"
                    + " and that the jar holding it is on the classpath");
        }
        if (!kind.isAssignableFrom(type)) {
            throw new InventoryException(problem + " is not a " + kind.getSimpleName().toLowerCase(Locale.ROOT)
                    + ": it must extend " + kind.getName());
        }
        if (!Modifier.isPublic(type.getModifiers()) || Modifier.isAbstract(type.getModifiers())) {
            throw new InventoryException(problem + " must be a public, non-abstract class");
        }
        Constructor<? extends T> constructor;
        try {
            constructor = type.asSubclass(kind).getConstructor();
        } catch (NoSuchMethodException e) {
            throw new InventoryException(problem + " has no public constructor without arguments");
        }
        return () -> instantiate(constructor);
    }

    private static <T> T instantiate(Constructor<? extends T> constructor) {
        try {
            return constructor.newInstance();
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("creating " + constructor.getDeclaringClass().getName() + " failed: "
                    + e.getCause().getMessage(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot create " + constructor.getDeclaringClass().getName() + ": " + e.getMessage(), e);
        }
    }
}
