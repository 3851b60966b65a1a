package dev.provision.tasks.files;

/** The desired content of a file cannot be made: a template error, a missing resource, a file too large to edit. */
public class ContentException extends RuntimeException {

    public ContentException(String message) {
        super(message);
    }

    public ContentException(String message, Throwable cause) {
        super(message, cause);
    }
}
