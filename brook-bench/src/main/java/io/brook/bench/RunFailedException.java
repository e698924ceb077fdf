package io.brook.bench;

/** A benchmark run that produced no figures; the message says why, in one line, for the report. */
final class RunFailedException extends Exception {
    private static final long serialVersionUID = 1L;

    RunFailedException(String message) {
        super(message);
    }

    RunFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
