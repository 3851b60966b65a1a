package dev.provision.engine.connect;

/** The host could not be reached, refused us, or its shell went away. The message says what to do. */
public class ConnectionException extends RuntimeException {

    public ConnectionException(String message) {
        super(message);
    }

    public ConnectionException(String message, Throwable cause) {
        super(message, cause);
    }
}
