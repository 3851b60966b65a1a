package dev.provision.engine.connect;

import dev.provision.dsl.Secret;
import dev.provision.task.Shell;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Starting the shell as root through sudo. The shell announces itself on stderr before it reads
 * any script, so the password is written only when sudo prompts for it: it can never be read by
 * the shell as a command (NOPASSWD, cached credentials), and a refusal is told apart from a shell
 * that died.
 */
final class Sudo {

    private static final String PROMPT = "[provision-sudo-password]";
    private static final String READY = "provision-shell-ready";

    private Sudo() {
    }

    /** Without a password {@code -n}: sudo fails at once rather than wait for one. */
    static String command(Optional<Secret> password) {
        String sudo = password.isPresent() ? "sudo -S -p " + Shell.quote(PROMPT) : "sudo -n";
        return sudo + " -H sh -c " + Shell.quote("echo " + READY + " >&2; exec sh -s");
    }

    /**
     * Reads sudo's stderr until the shell is up, answering its prompt once.
     *
     * @param who   {@code user@host} for messages
     * @param abort ends the process or channel when sudo does not answer in time
     * @throws ConnectionException "sudo refused for USER@HOST: ..." with sudo's own words
     */
    static void awaitShell(InputStream stderr, OutputStream stdin, Optional<Secret> password, String who,
                           Duration timeout, Runnable abort) {
        FutureTask<Void> handshake = new FutureTask<>(() -> handshake(stderr, stdin, password, who), null);
        Thread thread = new Thread(handshake, "provision-sudo-" + who);
        thread.setDaemon(true);
        thread.start();
        try {
            handshake.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            abort.run();
            throw new ConnectionException("sudo on " + who + " did not start a shell within " + ShellSession.seconds(timeout));
        } catch (ExecutionException e) {
            abort.run();
            throw e.getCause() instanceof ConnectionException refusal ? refusal
                    : new ConnectionException("sudo on " + who + " failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abort.run();
            throw new ConnectionException("interrupted while starting sudo on " + who, e);
        }
    }

    private static void handshake(InputStream stderr, OutputStream stdin, Optional<Secret> password, String who) {
        ByteArrayOutputStream sincePrompt = new ByteArrayOutputStream();
        boolean answered = false;
        try {
            int b;
            while ((b = stderr.read()) >= 0) {
                sincePrompt.write(b);
                String text = sincePrompt.toString(StandardCharsets.UTF_8);
                if (text.endsWith(READY + "\n")) {
                    return;
                }
                if (password.isPresent() && text.endsWith(PROMPT)) {
                    if (answered) {
                        throw refused(who, text.replace(PROMPT, "").strip() + " (the become password is wrong)");
                    }
                    answered = true;
                    sincePrompt.reset();
                    stdin.write((password.get().reveal() + "\n").getBytes(StandardCharsets.UTF_8));
                    stdin.flush();
                }
            }
            throw refused(who, sincePrompt.toString(StandardCharsets.UTF_8).strip());
        } catch (IOException e) {
            throw new ConnectionException("lost " + who + " while starting sudo: " + e.getMessage(), e);
        }
    }

    private static ConnectionException refused(String who, String sudoSays) {
        return new ConnectionException("sudo refused for " + who + ": " + (sudoSays.isEmpty() ? "no reason given" : sudoSays));
    }
}
