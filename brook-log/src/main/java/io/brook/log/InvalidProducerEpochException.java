package io.brook.log;

/** A batch from a producer epoch older than the one the log knows: the producer was fenced. */
public final class InvalidProducerEpochException extends LogException {
    private static final long serialVersionUID = 1L;

    public InvalidProducerEpochException(String message) {
        super(message);
    }

    public InvalidProducerEpochException(String message, Throwable cause) {
        super(message, cause);
    }
}
