package dev.provision.engine.lock;

import dev.provision.task.CommandResult;
import dev.provision.engine.connect.Batch;
import dev.provision.engine.connect.ConnectionException;
import dev.provision.engine.connect.Layer;
import dev.provision.engine.lock.HostLock.Answer;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * Holds the host's {@link HostLock} from a connection's first batch until it closes, so two runs on
 * one host never interleave. The lock is tried in the same round trip as the first batch of facts; a
 * first batch that changes the host waits for its own attempt. While another run holds the lock, this
 * says so, waits up to the lock wait, and then gathers the facts again, since those from the first
 * batch describe a host the other run was changing. The release goes out with the end of the session.
 * Check mode takes the lock too: its plan is exact only if no run changes the host while the facts
 * are read.
 */
public final class HostLockLayer implements Layer {

    /** How much longer than the lock wait the waiting command may take before the host counts as lost. */
    private static final Duration WAIT_MARGIN = Duration.ofSeconds(30);

    private final HostLock lock;
    private final String host;
    private final Duration wait;
    private final Consumer<String> notices;
    private boolean held;

    HostLockLayer(HostLock lock, String host, Duration wait, Consumer<String> notices) {
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
    public static HostLockLayer forThisProcess(String host, Duration wait, Consumer<String> notices) {
        return new HostLockLayer(HostLock.forThisProcess(), host, wait, notices);
    }

    @Override
    public synchronized List<CommandResult> send(Batch batch, Chain chain) {
        if (batch.closes()) {
            return chain.proceed(held ? batch.after(lock.release()) : batch);
        }
        if (held) {
            return chain.proceed(batch);
        }
        if (batch.inOrder().isEmpty()) {
            List<CommandResult> results = chain.proceed(batch.after(lock.attempt(Duration.ZERO)));
            if (take(results.get(0), chain)) {
                return results.subList(1, results.size());
            }
            return chain.proceed(batch);
        }
        take(attempt(Duration.ZERO, batch.timeout(), chain), chain);
        return chain.proceed(batch);
    }

    private CommandResult attempt(Duration lockWait, Duration timeout, Chain chain) {
        return chain.proceed(Batch.of(List.of(lock.attempt(lockWait)), timeout)).get(0);
    }

    /** Holds the lock after this, or throws; true if it was free at the first attempt. */
    private boolean take(CommandResult firstAttempt, Chain chain) {
        Answer answer = lock.read(firstAttempt);
        boolean atOnce = !(answer instanceof Answer.Held);
        if (answer instanceof Answer.Held busy && !wait.isZero()) {
            notices.accept("waiting for the lock on " + host + " held by " + holder(busy) + " (up to " + wait.toSeconds() + " s)");
            answer = lock.read(attempt(wait, wait.plus(WAIT_MARGIN), chain));
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
}
