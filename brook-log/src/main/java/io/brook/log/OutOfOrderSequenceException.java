package io.brook.log;

/** An idempotent producer's batch whose sequence number does not follow the last one written. */
public final class OutOfOrderSequenceException extends LogException {
    private static final long serialVersionUID = 1L;

    public OutOfOrderSequenceException(String message) {
        super(message);
    }

    public OutOfOrderSequenceException(String message, Throwable cause) {
        super(message, cause);
    }
}
