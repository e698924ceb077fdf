package io.brook.bench;

import static java.util.Objects.requireNonNull;

import io.brook.bench.EngineRunOutput.Batch;
import io.brook.bench.EngineRunOutput.Step;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * Decides whether an engine kept up with a rate source at one rate (a {@link Step} of the throughput ladder), from the
 * progress reports after the warm-up. Both engines' rate sources stamp each row with the time it is due, so the lag of
 * a batch, its end minus the largest event time it processed, is how far behind the offered stream the query is. The
 * step is sustained when:
 *
 * <ul>
 *   <li>the query ran to the end of the step without failing;
 *   <li>at least {@link #MIN_BATCHES} batches with rows started after the warm-up;
 *   <li>their median duration (triggerExecution) is at most the trigger interval;
 *   <li>the lag does not grow: its least-squares slope over the batches' end times is at most {@link #MAX_LAG_SLOPE}
 *       (the processed event time advances at least 90 % as fast as the clock, i.e. processed rows are at least about
 *       90 % of the offered rows). A slope rather than first-versus-last lag, because Spark's rate source offers rows
 *       in whole seconds and so its lag saw-tooths by up to a second.
 * </ul>
 */
final class SustainedRate {
    static final int MIN_BATCHES = 3;
    static final double MAX_LAG_SLOPE = 0.10;

    private SustainedRate() {}

    /** The judgement of one step, with the figures it rests on (NaN where there were too few batches to tell). */
    record Verdict(
            long rate,
            boolean sustained,
            int batches,
            double medianBatchMillis,
            double maxBatchMillis,
            double lagSlope,
            double processedRowsPerSecond,
            String reason) {
        Verdict {
            requireNonNull(reason, "reason is null");
        }

        /** One line for the report: rate, figures, verdict. */
        String describe() {
            return String.format(
                    Locale.ROOT,
                    "%,11d rows/s: %3d batches, median %6.0f ms, max %6.0f ms, lag %+6.3f s/s, processed %,11.0f rows/s:"
                            + " %s",
                    rate,
                    batches,
                    medianBatchMillis,
                    maxBatchMillis,
                    lagSlope,
                    processedRowsPerSecond,
                    sustained ? "sustained" : "NOT sustained (" + reason + ")");
        }
    }

    /** Judges {@code step}, ignoring batches that started less than {@code warmupMillis} after it. */
    static Verdict judge(Step step, long warmupMillis, long intervalMillis) {
        long from = step.startMillis() + warmupMillis;
        List<Batch> measured = step.batches().stream()
                .filter(batch -> batch.timestampMillis() >= from && batch.rows() > 0)
                .sorted(Comparator.comparingLong(Batch::timestampMillis))
                .toList();
        double median = measured.isEmpty()
                ? Double.NaN
                : Percentiles.median(measured.stream().map(Batch::triggerMillis).toList());
        double max = measured.stream().mapToLong(Batch::triggerMillis).max().orElse(-1);
        double processed = processedRowsPerSecond(measured);
        List<Batch> timed = measured.stream().filter(Batch::hasEventTime).toList();
        double slope = timed.size() >= 2 ? lagSlope(timed) : Double.NaN;
        String reason;
        if (step.failed()) {
            reason = "query failed: " + step.failure();
        } else if (measured.size() < MIN_BATCHES) {
            reason = "only " + measured.size() + " batches with rows after the " + warmupMillis + " ms warm-up";
        } else if (median > intervalMillis) {
            reason =
                    String.format(Locale.ROOT, "median batch %.0f ms > trigger interval %d ms", median, intervalMillis);
        } else if (timed.size() < MIN_BATCHES) {
            reason = "only " + timed.size() + " batches report an event time";
        } else if (slope > MAX_LAG_SLOPE) {
            reason = String.format(
                    Locale.ROOT, "falling behind: the lag grows %.2f s per second (max %.2f)", slope, MAX_LAG_SLOPE);
        } else {
            reason = "";
        }
        return new Verdict(
                step.rate(),
                reason.isEmpty(),
                measured.size(),
                median,
                max < 0 ? Double.NaN : max,
                slope,
                processed,
                reason);
    }

    /**
     * The highest rate sustained with every lower step sustained too: the ladder stops counting at its first failure,
     * so one lucky step above a failing one does not count. Empty when the lowest step already failed.
     */
    static OptionalLong highestSustained(List<Verdict> verdicts) {
        OptionalLong highest = OptionalLong.empty();
        for (Verdict verdict : verdicts.stream()
                .sorted(Comparator.comparingLong(Verdict::rate))
                .toList()) {
            if (!verdict.sustained()) {
                break;
            }
            highest = OptionalLong.of(verdict.rate());
        }
        return highest;
    }

    /** Rows of every batch but the first over the time from the first batch's start to the last one's. */
    private static double processedRowsPerSecond(List<Batch> measured) {
        if (measured.size() < 2) {
            return Double.NaN;
        }
        long rows = measured.stream().skip(1).mapToLong(Batch::rows).sum();
        long millis = measured.get(measured.size() - 1).timestampMillis()
                - measured.get(0).timestampMillis();
        return millis <= 0 ? Double.NaN : rows * 1000.0 / millis;
    }

    private static double lagSlope(List<Batch> timed) {
        double[] ends = new double[timed.size()];
        double[] lags = new double[timed.size()];
        for (int i = 0; i < timed.size(); i++) {
            Batch batch = timed.get(i);
            ends[i] = batch.endMillis();
            lags[i] = batch.endMillis() - batch.maxEventMillis();
        }
        return Percentiles.slope(ends, lags);
    }
}
