package io.brook.log;

/** A record batch larger than the topic's max.message.bytes. */
public final class RecordTooLargeException extends LogException {
    private static final long serialVersionUID = 1L;

    public RecordTooLargeException(String message) {
        super(message);
    }

    public RecordTooLargeException(String message, Throwable cause) {
        super(message, cause);
    }
}
