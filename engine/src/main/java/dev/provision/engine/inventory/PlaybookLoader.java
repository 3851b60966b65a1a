package dev.provision.engine.inventory;

/**
 * Where playbook classes are looked up by name.
 *
 * @param loader   the class loader that finds them
 * @param searches what it searches, for the message when a class is not there ("on the classpath")
 */
public record PlaybookLoader(ClassLoader loader, String searches) {

    /** The classes packaged with provision or put on its classpath. */
    public static final PlaybookLoader CLASSPATH = new PlaybookLoader(PlaybookLoader.class.getClassLoader(), "on the classpath");
}
