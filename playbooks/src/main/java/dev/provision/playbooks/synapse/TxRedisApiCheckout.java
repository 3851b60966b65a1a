package dev.provision.playbooks.synapse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A checkout of txredisapi (github.com/IlyaSkriblovsky/txredisapi) on the controller: its one module and
 * the version its setup.py declares. Read when the playbook is defined, so a wrong path stops the run
 * before the host is touched.
 */
record TxRedisApiCheckout(Path directory, byte[] module, String version) {

    /** Synapse's requirement ({@code txredisapi>=1.4.7} in its package metadata). */
    private static final int[] OLDEST = {1, 4, 7};
    private static final Pattern VERSION = Pattern.compile("version\\s*=\\s*[\"']([0-9]+(?:\\.[0-9]+)*)[\"']");

    static TxRedisApiCheckout read(Path directory) {
        Path module = directory.resolve("txredisapi.py");
        Path setup = directory.resolve("setup.py");
        if (!Files.isRegularFile(module) || !Files.isRegularFile(setup)) {
            throw new IllegalArgumentException("txredisapi_source " + directory + " is not a txredisapi checkout: it needs txredisapi.py"
                    + " and setup.py (git clone https://github.com/IlyaSkriblovsky/txredisapi)");
        }
        try {
            Matcher version = VERSION.matcher(Files.readString(setup));
            if (!version.find()) {
                throw new IllegalArgumentException(setup + " declares no version=\"...\"");
            }
            if (!atLeastOldest(version.group(1))) {
                throw new IllegalArgumentException("txredisapi " + version.group(1) + " in " + directory + " is older than 1.4.7, which Synapse requires");
            }
            return new TxRedisApiCheckout(directory, Files.readAllBytes(module), version.group(1));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the txredisapi checkout " + directory + ": " + e.getMessage(), e);
        }
    }

    /**
     * The distribution's metadata as pip would write it, so that {@code importlib.metadata} finds the
     * version Synapse checks.
     */
    String metadata() {
        return "Metadata-Version: 2.1\nName: txredisapi\nVersion: " + version + "\nRequires-Dist: six\nRequires-Dist: twisted\n";
    }

    private static boolean atLeastOldest(String version) {
        String[] parts = version.split("\\.");
        for (int i = 0; i < OLDEST.length; i++) {
            int part = i < parts.length ? Integer.parseInt(parts[i]) : 0;
            if (part != OLDEST[i]) {
                return part > OLDEST[i];
            }
        }
        return true;
    }
}
