package io.brook.engine.exec;

/**
 * A watermark of one column of one operator's input, as a function of the query's watermark: in micro-batch N it is
 * {@code min(W(N) + currentOffset, W(N-1) + previousOffset)}, where W(N) is the watermark batch N runs with and W(N-1)
 * the one the batch before ran with; {@link #ABSENT} leaves a term out. Before the query has a watermark (a term's W is
 * {@link Long#MIN_VALUE}) the value is {@link Long#MIN_VALUE}: nothing is late and nothing is final.
 *
 * <p>Why the previous batch's watermark: a stateful operator emits in batch N the rows the watermark W(N) has made
 * final, so the next operator receives in batch N rows whose event time lies between W(N-1) and W(N). For that
 * operator those rows are not late, and they are final by the end of the batch: it drops as late what is at or below
 * W(N-1) and closes what is at or below W(N). Spark 3.5 does the same (its watermark "for late events" is the previous
 * batch's); Brook keeps W(N) for rows read from a source, so single-operator queries behave as before.
 *
 * <p>A bound of a processing-time column ({@code PROCTIME()}) has the same form over the processing-time watermark
 * instead: just below the time batch N was triggered at, as every row of batch N and later has a processing time at or
 * after it (see {@link BatchContext#processingWatermarkMicros}). The two clocks never mix in one bound.
 */
record WatermarkBound(long currentOffset, long previousOffset, boolean processingTime) {
    /** A term left out. */
    static final long ABSENT = Long.MAX_VALUE;

    /** The query's watermark itself, as for a column declared by {@code withWatermark}. */
    static final WatermarkBound CURRENT = new WatermarkBound(0, ABSENT);

    /** The processing-time watermark itself, as for a column computed by {@code PROCTIME()}. */
    static final WatermarkBound PROCESSING_TIME = new WatermarkBound(0, ABSENT, true);

    WatermarkBound {
        if (currentOffset == ABSENT && previousOffset == ABSENT) {
            throw new IllegalArgumentException("a watermark bound needs at least one term");
        }
    }

    /** A bound of the event-time watermark. */
    WatermarkBound(long currentOffset, long previousOffset) {
        this(currentOffset, previousOffset, false);
    }

    /** This bound's value for a micro-batch; {@link Long#MIN_VALUE} while there is no watermark. */
    long at(BatchContext context) {
        return processingTime
                ? at(context.processingWatermarkMicros(), context.previousProcessingWatermarkMicros())
                : at(context.watermarkMicros(), context.previousWatermarkMicros());
    }

    long at(long watermark, long previousWatermark) {
        long value = Long.MAX_VALUE;
        if (currentOffset != ABSENT) {
            value = Math.min(value, plus(watermark, currentOffset));
        }
        if (previousOffset != ABSENT) {
            value = Math.min(value, plus(previousWatermark, previousOffset));
        }
        return value;
    }

    private static long plus(long watermark, long offset) {
        if (watermark == Long.MIN_VALUE) {
            return Long.MIN_VALUE;
        }
        long sum = watermark + offset;
        // Saturate rather than wrap: far-off watermarks stay ordered.
        if (((watermark ^ sum) & (offset ^ sum)) < 0) {
            return offset > 0 ? Long.MAX_VALUE - 1 : Long.MIN_VALUE + 1;
        }
        return sum;
    }

    /** This bound moved by {@code micros}: the bound of {@code column + micros}. */
    WatermarkBound plus(long micros) {
        return new WatermarkBound(shift(currentOffset, micros), shift(previousOffset, micros), processingTime);
    }

    private static long shift(long offset, long micros) {
        return offset == ABSENT ? ABSENT : offset + micros;
    }

    /** The smaller of two bounds, term by term (exact, as both grow with the same two watermarks). */
    WatermarkBound min(WatermarkBound other) {
        if (processingTime != other.processingTime) {
            throw new IllegalArgumentException(
                    "an event-time bound and a processing-time bound do not compare: " + this + ", " + other);
        }
        return new WatermarkBound(
                Math.min(currentOffset, other.currentOffset),
                Math.min(previousOffset, other.previousOffset),
                processingTime);
    }

    /**
     * This bound one batch earlier: W(N) becomes W(N-1). Only for a bound of the current watermark alone (what the
     * rows of later batches are above), which is the form every "closed" bound has.
     */
    WatermarkBound previous() {
        if (previousOffset != ABSENT) {
            throw new IllegalStateException("no earlier form of " + this);
        }
        return new WatermarkBound(ABSENT, currentOffset, processingTime);
    }
}
