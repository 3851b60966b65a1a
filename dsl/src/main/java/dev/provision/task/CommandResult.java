package dev.provision.task;

/** What one remote command left behind: its exit code and everything it printed. */
public record CommandResult(int exitCode, String stdout, String stderr) {

    public boolean succeeded() {
        return exitCode == 0;
    }

    /** Stderr if there is any, else stdout: the text to show when a command failed. */
    public String errorText() {
        String text = stderr.isBlank() ? stdout : stderr;
        return text.strip();
    }
}
