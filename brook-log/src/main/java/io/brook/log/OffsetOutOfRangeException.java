package io.brook.log;

/** An offset outside the log's range [log start offset, log end offset]. */
public final class OffsetOutOfRangeException extends LogException {
    private static final long serialVersionUID = 1L;

    public OffsetOutOfRangeException(String message) {
        super(message);
    }

    public OffsetOutOfRangeException(String message, Throwable cause) {
        super(message, cause);
    }
}
