package io.brook.engine.connector;

/**
 * How much one micro-batch may read from a source: everything available, or at most a number of rows (Kafka's
 * {@code maxOffsetsPerTrigger}) or files ({@code maxFilesPerTrigger}), so a backlog never makes one huge batch.
 */
public record ReadLimit(long maxRows, long maxFiles) {
    public static final ReadLimit ALL = new ReadLimit(Long.MAX_VALUE, Long.MAX_VALUE);

    public ReadLimit {
        if (maxRows <= 0) {
            throw new IllegalArgumentException("maxRows must be > 0, was " + maxRows);
        }
        if (maxFiles <= 0) {
            throw new IllegalArgumentException("maxFiles must be > 0, was " + maxFiles);
        }
    }

    public static ReadLimit maxRows(long maxRows) {
        return new ReadLimit(maxRows, Long.MAX_VALUE);
    }

    public static ReadLimit maxFiles(long maxFiles) {
        return new ReadLimit(Long.MAX_VALUE, maxFiles);
    }
}
