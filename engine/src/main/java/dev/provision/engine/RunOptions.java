package dev.provision.engine;

import java.time.Duration;

/**
 * How to run.
 *
 * @param check          plan only: report what apply would do and change nothing
 * @param diff           collect content diffs for the report
 * @param forceHandlers  run handlers that were notified before a failure (the default, so a
 *                       changed config is not left unapplied); false leaves them for the next run
 * @param commandTimeout how long one remote command (a fact batch or one task's change) may take
 * @param forks          how many hosts run at once
 * @param lockWait       how long to wait for a host another run holds locked; zero refuses at once
 */
public record RunOptions(boolean check, boolean diff, boolean forceHandlers, Duration commandTimeout, int forks, Duration lockWait) {

    public static RunOptions apply() {
        return new RunOptions(false, false, true, Duration.ofMinutes(20), 10, Duration.ofMinutes(10));
    }

    public static RunOptions checkOnly() {
        return apply().withCheck(true);
    }

    public RunOptions withCheck(boolean check) {
        return new RunOptions(check, diff, forceHandlers, commandTimeout, forks, lockWait);
    }

    public RunOptions withDiff(boolean diff) {
        return new RunOptions(check, diff, forceHandlers, commandTimeout, forks, lockWait);
    }

    public RunOptions withForceHandlers(boolean forceHandlers) {
        return new RunOptions(check, diff, forceHandlers, commandTimeout, forks, lockWait);
    }

    public RunOptions withCommandTimeout(Duration timeout) {
        return new RunOptions(check, diff, forceHandlers, timeout, forks, lockWait);
    }

    public RunOptions withForks(int forks) {
        return new RunOptions(check, diff, forceHandlers, commandTimeout, forks, lockWait);
    }

    public RunOptions withLockWait(Duration wait) {
        return new RunOptions(check, diff, forceHandlers, commandTimeout, forks, wait);
    }
}
