package dev.provision.cli;

import dev.provision.engine.report.RunReport;

import java.util.LinkedHashMap;
import java.util.Map;

/** What provision's exit code means; every command's --help lists these. */
public final class ExitCodes {

    /** Every host succeeded (with --detailed-exitcodes: and nothing changed). */
    public static final int OK = 0;
    /** A task failed on some host; this outranks an unreachable host, which may be passing. */
    public static final int TASK_FAILED = 1;
    /** With --detailed-exitcodes: every host succeeded and something changed. */
    public static final int CHANGED = 2;
    /** A host could not be reached: refused connection, failed authentication, rejected host key. */
    public static final int UNREACHABLE = 3;
    /** Nothing ran: bad arguments, inventory or playbook (bad YAML, unknown host, class not found, a playbook that rejects its configuration). */
    public static final int USAGE = 4;

    private ExitCodes() {
    }

    static int of(RunReport report, boolean detailed) {
        if (report.hosts().stream().anyMatch(host -> host.failed() > 0)) {
            return TASK_FAILED;
        }
        if (report.anyUnreachable()) {
            return UNREACHABLE;
        }
        return detailed && report.changed() > 0 ? CHANGED : OK;
    }

    static Map<String, String> help() {
        Map<String, String> help = new LinkedHashMap<>();
        help.put(OK + "", "success (with --detailed-exitcodes: nothing changed)");
        help.put(TASK_FAILED + "", "a task failed");
        help.put(CHANGED + "", "with --detailed-exitcodes: success, and something changed");
        help.put(UNREACHABLE + "", "a host was unreachable (refused, authentication failed, host key rejected)");
        help.put(USAGE + "", "usage, inventory or playbook error: nothing ran");
        return help;
    }
}
