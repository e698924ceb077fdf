package io.brook.log;

/** A record batch that is not a well-formed v2 batch: truncated, wrong sizes, wrong magic or a bad CRC. */
public final class CorruptRecordException extends LogException {
    private static final long serialVersionUID = 1L;

    public CorruptRecordException(String message) {
        super(message);
    }
}
