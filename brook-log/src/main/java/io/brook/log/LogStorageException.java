package io.brook.log;

/** An I/O failure inside the log; the partition cannot serve until the broker restarts. */
public final class LogStorageException extends LogException {
    private static final long serialVersionUID = 1L;

    public LogStorageException(String message) {
        super(message);
    }

    public LogStorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
