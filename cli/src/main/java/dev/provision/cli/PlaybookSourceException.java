package dev.provision.cli;

/** Playbook sources that cannot be used: they do not compile, or there is no compiler. Nothing ran. */
final class PlaybookSourceException extends RuntimeException {

    PlaybookSourceException(String message) {
        super(message);
    }
}
