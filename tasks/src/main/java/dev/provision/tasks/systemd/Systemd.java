package dev.provision.tasks.systemd;

import dev.provision.tasks.files.FileTask;
import dev.provision.tasks.files.Files;

import java.util.List;

/**
 * systemd units, their files and drop-ins:
 *
 * <pre>{@code
 * Handler reload = handler("reload systemd", Systemd.daemonReload());
 * step("unit", Systemd.unitFile("matrix-synapse.service").content(unit)).notifies(reload, restart);
 * step("limits", Systemd.dropIn("nginx", "limits").content("[Service]\nLimitNOFILE=65536\n")).notifies(reload);
 * flushHandlers();
 * step("run synapse", Systemd.service("matrix-synapse").enabled().started());
 * handler("restart synapse", Systemd.service("matrix-synapse").restarted());
 * }</pre>
 *
 * Changed unit files are best loaded by one {@code daemon-reload} handler that they notify and a
 * {@code flushHandlers()} before the services start; a unit step also reloads by itself when it
 * finds systemd's view of its unit out of date (files changed by hand).
 */
public final class Systemd {

    private Systemd() {
    }

    /** A service: {@code nginx} means {@code nginx.service}; {@code getty@tty2} is a template instance. */
    public static UnitState service(String name) {
        return new UnitState(unitName(name));
    }

    /** Any unit, named with its type: {@code certbot.timer}, {@code synapse.target}. */
    public static UnitState unit(String name) {
        return new UnitState(name);
    }

    /** A unit file in /etc/systemd/system, including templates such as {@code synapse-worker@.service}. */
    public static FileTask unitFile(String name) {
        return Files.file(UnitFiles.DIRECTORY + "/" + name).mode(0644);
    }

    public static DropIn dropIn(String unit, String name) {
        return new DropIn(unitName(unit), name);
    }

    /**
     * Reloads systemd: always when no units are named (as a handler), else only if any of these
     * units' files changed since systemd last read them.
     */
    public static DaemonReload daemonReload(String... units) {
        return new DaemonReload(List.of(units).stream().map(Systemd::unitName).toList());
    }

    private static String unitName(String name) {
        return name.matches(".*\\.(service|socket|target|timer|path|mount|automount|swap|slice|scope|device)$") ? name : name + ".service";
    }
}
