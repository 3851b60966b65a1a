package dev.provision.engine.lock;

import dev.provision.task.CommandResult;
import dev.provision.task.Shell;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The scripts of the lock that keeps two runs off one host: a directory on the host holding one
 * owner file, named after the run that holds it (see {@link LockOwner}). It is taken atomically: a
 * temporary directory with the owner file already in it is renamed onto the lock's path, which fails
 * while another lock is there, so no one ever sees a lock without its owner. A lock whose shell is no
 * longer alive on the host (checked with {@code kill -0}, and against the shell's start time where
 * {@code /proc} has it, so a reused pid does not count) is stale. Both clearing a stale lock and
 * releasing one's own remove that run's owner file by its unique name and then the directory only if
 * it is empty: two runs clearing the same stale lock, or a run taking the lock in between, can never
 * make one of them remove a lock that another has just taken.
 *
 * <p>The lock lives under {@code /run/lock} (emptied at boot, so a reboot frees it), or under
 * {@code /tmp} on a host without {@code /run/lock}.
 */
final class HostLock {

    static final String PATH = "/run/lock/provision.lock";
    static final String FALLBACK = "/tmp/provision.lock";
    /** The attempt's exit code when a live run holds the lock (EX_TEMPFAIL). */
    static final int HELD = 75;

    /*
     * Three processes when the lock is free (mkdir, date, mv): the attempt rides in every run's first
     * batch, on every host, so its cost is paid on each no-change run. The start time is read from
     * /proc with builtins, and the time to give up is only worked out once the lock turns out held.
     */
    private static final String ATTEMPT = """
            lock=@PATH@; [ -d "${lock%/*}" ] || lock=@FALLBACK@
            started() { t=; { read -r t <"/proc/$1/stat" && t=${t##*) } && set -- $t && shift 19 && t=$1; } 2>/dev/null || t=; }
            alive() {
              p=${1#shell=} s=${1#* start=}; p=${p%% *} s=${s%% *}
              case $p in ''|*[!0-9]*) return 0 ;; esac
              { kill -0 "$p" || [ -d "/proc/$p" ]; } 2>/dev/null || return 1
              started "$p"; [ -z "$s" ] || [ "$t" = "$s" ]
            }
            started $$; me="shell=$$ start=$t @IDENTITY@" new="$lock.new.@RUN@" end= q=0
            echo "lock $lock"
            while :; do
              mkdir -m 755 "$new" 2>/dev/null || { rm -rf "$new"; mkdir -m 755 "$new"; } || exit 2
              date -u +"$me since=%Y-%m-%dT%H:%M:%SZ run=@RUN@" >"$new/owner-@RUN@" || exit 2
              if mv -T "$new" "$lock" 2>/dev/null; then echo acquired; exit 0; fi
              rm -rf "$new"; held=$(cat "$lock"/owner-* 2>/dev/null)
              if [ -n "$held" ] && ! alive "$held"; then
                if rm "$lock/owner-${held##* run=}" 2>/dev/null; then rmdir "$lock" 2>/dev/null; echo "cleared $held"; fi
                [ $((q += 1)) -gt 9 ] || continue
              elif [ ! -e "$lock" ] && [ $((q += 1)) -le 9 ]; then continue
              fi
              now=$(date +%s); : "${end:=$((now + @WAIT@))}"
              [ "$now" -lt "$end" ] || { echo "held $held"; exit @HELD@; }
              sleep 1
            done
            """;

    private static final String RELEASE = """
            lock=@PATH@; [ -d "${lock%/*}" ] || lock=@FALLBACK@
            rm "$lock/owner-@RUN@" 2>/dev/null && rmdir "$lock"
            """;

    private final String path;
    private final String fallback;
    private final String identity;
    private final String run = HexFormat.of().formatHex(randomBytes());

    HostLock(String path, String fallback, String controller, long controllerPid) {
        this.path = path;
        this.fallback = fallback;
        this.identity = "controller=" + controller.replaceAll("[^A-Za-z0-9._-]", "_") + " controller_pid=" + controllerPid;
    }

    /** A lock taken by this process for one run on one host. */
    static HostLock forThisProcess() {
        return new HostLock(PATH, FALLBACK, controllerName(), ProcessHandle.current().pid());
    }

    /** Takes the lock, clearing a stale one; while a live run holds it, retries each second for up to {@code wait}. */
    String attempt(Duration wait) {
        return fill(ATTEMPT).replace("@WAIT@", Long.toString(wait.toSeconds())).replace("@HELD@", Integer.toString(HELD));
    }

    /** Removes the lock if it is still this run's. */
    String release() {
        return fill(RELEASE);
    }

    private String fill(String script) {
        return script.replace("@PATH@", Shell.quote(path)).replace("@FALLBACK@", Shell.quote(fallback))
                .replace("@IDENTITY@", identity).replace("@RUN@", run);
    }

    /** What an {@link #attempt} answered. */
    sealed interface Answer {
        /** The lock is this run's; {@code cleared} are the stale locks removed on the way. */
        record Acquired(List<Optional<LockOwner>> cleared) implements Answer {
        }

        /** A live run holds the lock at {@code path}; its owner is empty when the lock has no readable record. */
        record Held(String path, Optional<LockOwner> holder) implements Answer {
        }

        /** The lock could not be taken at all (no permission, no space). */
        record Failed(String reason) implements Answer {
        }
    }

    Answer read(CommandResult result) {
        String lockPath = path;
        List<Optional<LockOwner>> cleared = new ArrayList<>();
        for (String line : result.stdout().lines().toList()) {
            if (line.startsWith("lock ")) {
                lockPath = line.substring(5);
            } else if (line.startsWith("cleared ")) {
                cleared.add(LockOwner.parse(line.substring(8)));
            } else if (line.startsWith("held ") && result.exitCode() == HELD) {
                return new Answer.Held(lockPath, LockOwner.parse(line.substring(5)));
            }
        }
        if (result.exitCode() == HELD) {
            return new Answer.Held(lockPath, Optional.empty());
        }
        return result.succeeded() ? new Answer.Acquired(cleared) : new Answer.Failed(result.errorText());
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[8];
        new SecureRandom().nextBytes(bytes);
        return bytes;
    }

    private static String controllerName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown-host";
        }
    }
}
