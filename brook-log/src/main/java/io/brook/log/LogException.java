package io.brook.log;

/** A request the log refuses; the broker turns each subclass into the matching Kafka protocol error. */
public class LogException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public LogException(String message) {
        super(message);
    }

    public LogException(String message, Throwable cause) {
        super(message, cause);
    }
}
