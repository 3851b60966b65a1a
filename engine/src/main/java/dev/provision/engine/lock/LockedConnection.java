package dev.provision.engine.lock;

import dev.provision.dsl.CommandResult;
import dev.provision.engine.connect.Connection;
import dev.provision.engine.connect.ConnectionException;
import dev.provision.engine.lock.HostLock.Answer;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * A connection that holds its host's {@link HostLock} from its first command until it closes, so two
 * runs on one host never interleave. The lock is tried in the same round trip as the first batch of
 * facts; a first command that changes the host waits for its own attempt. While another run holds the
 * lock, this says so, waits up to the lock wait, and then gathers the facts again, since those from
 * the first batch describe a host the other run was changing. The release goes out with the end of
 * the session. Check mode takes the lock too: its plan is exact only if no run changes the host
 * while the facts are read.
 */
public final class LockedConnection implements Connection {

    /** How much longer than the lock wait the waiting command may take before the host counts as lost. */
    private static final Duration WAIT_MARGIN = Duration.ofSeconds(30);

    private final Connection shell;
    private final HostLock lock;
    private final String host;
    private final Duration wait;
    private final Consumer<String> notices;
    private volatile boolean held;

    LockedConnection(Connection shell, HostLock lock, String host, Duration wait, Consumer<String> notices) {
        this.shell = shell;
        this.lock = lock;
        this.host = host;
        this.wait = wait;
        this.notices = notices;
    }

    /**
     * @param host    the host's inventory name, for messages
     * @param wait    how long to wait for a lock another run holds; zero refuses at once
     * @param notices receives "waiting for the lock ..." and "cleared a stale lock ..." as they happen
     */
    public static Connection around(Connection shell, String host, Duration wait, Consumer<String> notices) {
        return new LockedConnection(shell, HostLock.forThisProcess(), host, wait, notices);
    }

    @Override
    public synchronized List<CommandResult> runReadOnly(List<String> commands, Duration timeout) {
        if (held) {
            return shell.runReadOnly(commands, timeout);
        }
        List<CommandResult> results = shell.runThenRead(lock.attempt(Duration.ZERO), commands, timeout);
        if (take(results.get(0))) {
            return results.subList(1, results.size());
        }
        return shell.runReadOnly(commands, timeout);
    }

    @Override
    public synchronized List<CommandResult> run(List<String> commands, Duration timeout) {
        if (!held) {
            take(shell.run(lock.attempt(Duration.ZERO), timeout));
        }
        return shell.run(commands, timeout);
    }

    /** Holds the lock after this, or throws; true if it was free at the first attempt. */
    private boolean take(CommandResult firstAttempt) {
        Answer answer = lock.read(firstAttempt);
        boolean atOnce = !(answer instanceof Answer.Held);
        if (answer instanceof Answer.Held busy && !wait.isZero()) {
            notices.accept("waiting for the lock on " + host + " held by " + holder(busy) + " (up to " + wait.toSeconds() + " s)");
            answer = lock.read(shell.run(lock.attempt(wait), wait.plus(WAIT_MARGIN)));
        }
        if (answer instanceof Answer.Held busy) {
            throw new ConnectionException("the lock on " + host + " is held by " + holder(busy) + " (waited " + wait.toSeconds()
                    + " s): another provision run is changing this host. If that run is gone, remove " + busy.path() + " on the host");
        }
        if (answer instanceof Answer.Failed failed) {
            throw new ConnectionException("cannot take the lock on " + host + ": " + failed.reason());
        }
        held = true;
        ((Answer.Acquired) answer).cleared().forEach(stale -> notices.accept("cleared a stale lock on " + host + " left by "
                + stale.map(LockOwner::describe).orElse("an unknown run") + ": its shell is gone"));
        return atOnce;
    }

    private static String holder(Answer.Held busy) {
        return busy.holder().map(LockOwner::describe).orElse("an unknown run (" + busy.path() + " has no owner record)");
    }

    @Override
    public void close() {
        if (held) {
            shell.closeAfter(lock.release());
        } else {
            shell.close();
        }
    }

    @Override
    public void logCommands(Consumer<String> logger) {
        shell.logCommands(logger);
    }

    @Override
    public int roundTrips() {
        return shell.roundTrips();
    }

    @Override
    public String describe() {
        return shell.describe();
    }
}
