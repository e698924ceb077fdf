package io.brook.log;

/** An index file whose contents do not make sense; recovery rebuilds it from the log. */
public final class CorruptIndexException extends LogException {
    private static final long serialVersionUID = 1L;

    public CorruptIndexException(String message) {
        super(message);
    }

    public CorruptIndexException(String message, Throwable cause) {
        super(message, cause);
    }
}
