package dev.provision.engine.report;

import java.util.ArrayList;
import java.util.List;

/** The summary at the end of a run, a line per host, like Ansible's PLAY RECAP. */
public final class Recap {

    private Recap() {
    }

    /** {@code PLAY RECAP} and {@code web1 : ok=3 changed=0 unreachable=0 failed=0 skipped=0} per host. */
    public static List<String> lines(RunReport report, boolean colour) {
        Ansi ansi = new Ansi(colour);
        int width = report.hosts().stream().mapToInt(host -> host.label().length()).max().orElse(0);
        List<String> lines = new ArrayList<>();
        lines.add(ansi.paint(Ansi.BOLD, "PLAY RECAP" + (report.check() ? " (check mode: nothing was changed)" : "")));
        for (HostReport host : report.hosts()) {
            long unreachable = host.unreachable().isPresent() ? 1 : 0;
            lines.add(ansi.paint(colourOf(host), pad(host.label(), width)) + " : "
                    + count(ansi, "ok", host.ok(), Ansi.GREEN) + " "
                    + count(ansi, "changed", host.changed(), Ansi.YELLOW) + " "
                    + count(ansi, "unreachable", unreachable, Ansi.RED) + " "
                    + count(ansi, "failed", failed(host), Ansi.RED) + " "
                    + count(ansi, "skipped", host.skipped(), Ansi.CYAN));
        }
        return lines;
    }

    /** Failed tasks, and the run itself where it broke off outside any task. */
    static long failed(HostReport host) {
        return host.failed() + (host.failure().isPresent() ? 1 : 0);
    }

    private static String colourOf(HostReport host) {
        if (!host.succeeded()) {
            return Ansi.RED;
        }
        return host.changed() > 0 ? Ansi.YELLOW : Ansi.GREEN;
    }

    private static String count(Ansi ansi, String label, long count, String colour) {
        String text = label + "=" + count;
        return count == 0 ? text : ansi.paint(colour, text);
    }

    static String pad(String text, int width) {
        return text + " ".repeat(Math.max(0, width - text.length()));
    }
}
