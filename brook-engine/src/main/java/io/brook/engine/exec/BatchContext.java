package io.brook.engine.exec;

import java.util.function.IntFunction;

/**
 * What the operators of one micro-batch share: its id, the output mode, the event-time watermark (microseconds, or
 * {@link Long#MIN_VALUE} before any), and each stateful operator's state by operator id. A bounded query runs as a
 * single batch with no state: its stateful operators keep everything in memory and emit the final result.
 */
public record BatchContext(
        long batchId, OutputMode outputMode, long watermarkMicros, IntFunction<KeyValueState> state) {
    /** The context of a bounded (batch) query. */
    public static BatchContext bounded() {
        return new BatchContext(0, OutputMode.COMPLETE, Long.MIN_VALUE, null);
    }

    public boolean streaming() {
        return state != null;
    }
}
