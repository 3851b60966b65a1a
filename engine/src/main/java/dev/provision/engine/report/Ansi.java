package dev.provision.engine.report;

/** ANSI colours for the console, or the plain text when colour is off. */
final class Ansi {

    static final String RED = "31";
    static final String GREEN = "32";
    static final String YELLOW = "33";
    static final String CYAN = "36";
    static final String BOLD = "1";
    static final String DIM = "2";

    private final boolean enabled;

    Ansi(boolean enabled) {
        this.enabled = enabled;
    }

    String paint(String code, String text) {
        return enabled && !text.isEmpty() ? "\033[" + code + "m" + text + "\033[0m" : text;
    }

    static String of(Status status) {
        return switch (status) {
            case OK -> GREEN;
            case CHANGED -> YELLOW;
            case FAILED -> RED;
            case SKIPPED -> CYAN;
        };
    }
}
