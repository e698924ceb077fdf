package io.brook.engine.exec;

/**
 * What the operators of one micro-batch share: its id, the output mode, the event-time watermark the batch runs with
 * and the one the batch before ran with (microseconds, {@link Long#MIN_VALUE} before there is one; each stateful
 * operator derives its own watermarks from the two, see {@link WatermarkBound}), the processing time the batch was triggered at (epoch
 * milliseconds, from the query's clock; 0 for a bounded query), each stateful operator's state by operator id, and an
 * observer for what the batch learns (event times seen, late rows dropped). A bounded query runs as a single batch with
 * no state and no watermark: its stateful operators keep everything in memory and emit the final result. With a state
 * TTL, the state an operator sees already hides the entries that expired by {@code batchTimestampMillis}.
 *
 * <p>The processing-time watermarks (microseconds) play the event-time watermarks' part for columns computed by
 * {@code PROCTIME()}: just below the batch's trigger time (every row of this batch and later ones has a processing time
 * at or after it), and the last batch's; past any time once every source has ended, as the event-time watermark.
 */
public record BatchContext(
        long batchId,
        OutputMode outputMode,
        long watermarkMicros,
        long previousWatermarkMicros,
        long processingWatermarkMicros,
        long previousProcessingWatermarkMicros,
        long batchTimestampMillis,
        StateAccess state,
        BatchObserver observer) {
    /** The state of each stateful operator's partitions in this batch. */
    @FunctionalInterface
    public interface StateAccess {
        KeyValueState open(int operatorId, int partition);
    }

    /** The state of one partition of a stateful operator; only for streaming contexts. */
    public KeyValueState state(int operatorId, int partition) {
        return state.open(operatorId, partition);
    }

    /** What operators report during a batch. */
    public interface BatchObserver {
        /** A watermark operator saw event times up to {@code maxEventTimeMicros}; its delay is {@code delayMicros}. */
        default void eventTime(int watermarkOperatorId, long maxEventTimeMicros, long delayMicros) {}

        /** A stateful operator dropped rows older than the watermark. */
        default void droppedByWatermark(int operatorId, long rows) {}
    }

    private static final BatchObserver IGNORE = new BatchObserver() {};

    /** The context of a bounded (batch) query, whose processing time is now. */
    public static BatchContext bounded() {
        return new BatchContext(
                0,
                OutputMode.COMPLETE,
                Long.MIN_VALUE,
                Long.MIN_VALUE,
                Long.MIN_VALUE,
                Long.MIN_VALUE,
                System.currentTimeMillis(),
                null,
                IGNORE);
    }

    /** The processing-time watermark of a batch triggered at {@code timestampMillis}: just below that time. */
    public static long processingWatermark(long timestampMillis) {
        return timestampMillis * 1000 - 1;
    }

    public boolean streaming() {
        return state != null;
    }

    public boolean hasWatermark() {
        return watermarkMicros != Long.MIN_VALUE;
    }
}
