package dev.provision.engine.inventory;

import java.nio.file.Path;

/** Paths as people write them in config files. */
final class Paths {

    private Paths() {
    }

    /** {@code ~} and {@code ~/x} in the user's home; anything else as it is. */
    static Path expandHome(String path) {
        if (path.equals("~") || path.startsWith("~/")) {
            return Path.of(System.getProperty("user.home") + path.substring(1));
        }
        return Path.of(path);
    }

    /** Like {@link #expandHome}, with relative paths taken from {@code base}. */
    static Path resolve(Path base, String path) {
        return base.resolve(expandHome(path));
    }
}
