package dev.provision.tasks.systemd;

import java.util.List;

/** Where the administrator's unit files and drop-ins live. */
final class UnitFiles {

    static final String DIRECTORY = "/etc/systemd/system";

    private UnitFiles() {
    }

    /** {@code foo@bar.service} is an instance of the template {@code foo@.service}; other units are their own. */
    static String template(String unit) {
        int at = unit.indexOf('@');
        int dot = unit.lastIndexOf('.');
        return at < 0 || dot < at ? unit : unit.substring(0, at + 1) + unit.substring(dot);
    }

    /** The unit's own drop-in directory and, for an instance, its template's. */
    static List<String> dropInDirectories(String unit) {
        String template = template(unit);
        return template.equals(unit)
                ? List.of(DIRECTORY + "/" + unit + ".d")
                : List.of(DIRECTORY + "/" + unit + ".d", DIRECTORY + "/" + template + ".d");
    }
}
