package dev.provision.engine.lock;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Who holds a host's lock, as its owner file records it on one line:
 * {@code shell=4711 start=98765 controller=ci-1 controller_pid=4242 since=2025-05-01T10:00:00Z run=3f9a...}.
 * The shell (its pid and, where {@code /proc} tells it, its start time) is the persistent shell of the
 * holding run on the host; it dies with that run's connection, which is how a stale lock is told.
 */
record LockOwner(String shellPid, String controller, String controllerPid, String since) {

    /** The owner in a record line; empty when the line is not one (a foreign or damaged lock). */
    static Optional<LockOwner> parse(String line) {
        Map<String, String> fields = new HashMap<>();
        for (String field : line.strip().split(" ")) {
            int equals = field.indexOf('=');
            if (equals > 0) {
                fields.put(field.substring(0, equals), field.substring(equals + 1));
            }
        }
        if (!fields.keySet().containsAll(List.of("shell", "controller", "controller_pid", "since"))) {
            return Optional.empty();
        }
        return Optional.of(new LockOwner(fields.get("shell"), fields.get("controller"), fields.get("controller_pid"), fields.get("since")));
    }

    /** {@code pid 4242 on ci-1 since 2025-05-01T10:00:00Z}: the controller's pid, as a user would look for it. */
    String describe() {
        return "pid " + controllerPid + " on " + controller + " since " + since;
    }
}
