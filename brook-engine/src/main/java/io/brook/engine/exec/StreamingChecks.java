package io.brook.engine.exec;

import io.brook.engine.BrookException;
import io.brook.engine.ErrorCode;
import io.brook.engine.plan.SessionAggregate;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.Sort;

/** What a streaming query cannot do, found before it starts, each refusal saying why and what to change. */
final class StreamingChecks {
    private StreamingChecks() {}

    static void check(RelNode plan, OutputMode outputMode) {
        int aggregations = countAggregations(plan);
        if (aggregations > 1) {
            throw refuse("multiple streaming aggregations are not supported (as in Spark); aggregate once, or"
                    + " write the first aggregation to a topic and aggregate that in a second query");
        }
        if (aggregations == 1 && outputMode == OutputMode.APPEND && !aggregatesOverEventTime(plan)) {
            throw refuse("append output mode is not supported when there are streaming aggregations without a"
                    + " watermark: a group's count may still change, so no row is final; use outputMode(\"update\")"
                    + " or \"complete\", or aggregate over event-time windows with withWatermark(...)");
        }
        if (aggregations == 0 && outputMode == OutputMode.COMPLETE) {
            throw refuse("complete output mode is not supported when there are no streaming aggregations: the whole"
                    + " result would be every row ever read; use outputMode(\"append\")");
        }
        checkSorts(plan, outputMode);
        if (joinsTwoStreams(plan) && outputMode != OutputMode.APPEND) {
            throw refuse("a join of two streams supports only append output mode (as in Spark): a joined row, once"
                    + " out, never changes; use outputMode(\"append\")");
        }
    }

    private static boolean joinsTwoStreams(RelNode rel) {
        if (rel instanceof org.apache.calcite.rel.core.Join join
                && BoundedRunner.streaming(join.getLeft())
                && BoundedRunner.streaming(join.getRight())) {
            return true;
        }
        for (RelNode input : rel.getInputs()) {
            if (joinsTwoStreams(input)) {
                return true;
            }
        }
        return false;
    }

    private static boolean aggregatesOverEventTime(RelNode rel) {
        if (rel instanceof Aggregate aggregate) {
            return EventTime.finalityKey(aggregate) >= 0;
        }
        if (rel instanceof SessionAggregate session) {
            return EventTime.columns(session.getInput()).get(session.timeColumn()) == EventTime.Kind.EVENT_TIME;
        }
        for (RelNode input : rel.getInputs()) {
            if (aggregatesOverEventTime(input)) {
                return true;
            }
        }
        return false;
    }

    private static void checkSorts(RelNode rel, OutputMode outputMode) {
        if (rel instanceof Sort sort) {
            boolean hasAggregateBelow = countAggregations(sort.getInput()) > 0;
            if (outputMode != OutputMode.COMPLETE || !hasAggregateBelow) {
                String what = sort.getCollation().getFieldCollations().isEmpty() ? "limit" : "sorting";
                throw refuse(what + " is not supported on streaming Datasets except after an aggregation in complete"
                        + " output mode (as in Spark); aggregate first and use outputMode(\"complete\"), or sort in"
                        + " the sink's reader");
            }
        }
        for (RelNode input : rel.getInputs()) {
            checkSorts(input, outputMode);
        }
    }

    private static int countAggregations(RelNode rel) {
        int count = rel instanceof Aggregate || rel instanceof SessionAggregate ? 1 : 0;
        for (RelNode input : rel.getInputs()) {
            count += countAggregations(input);
        }
        return count;
    }

    private static BrookException refuse(String message) {
        return new BrookException(ErrorCode.UNSUPPORTED_IN_STREAMING, message);
    }
}
