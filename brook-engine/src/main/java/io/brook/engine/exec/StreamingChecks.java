package io.brook.engine.exec;

import io.brook.engine.BrookException;
import io.brook.engine.ErrorCode;
import io.brook.engine.plan.Deduplicate;
import io.brook.engine.plan.EventTimeWatermark;
import io.brook.engine.plan.SessionAggregate;
import io.brook.engine.plan.WindowAssign;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.Filter;
import org.apache.calcite.rel.core.Join;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rel.core.Sort;
import org.apache.calcite.rel.core.Window;

/**
 * What a streaming query cannot do, found before it starts, each refusal saying why and what to change. Stateful
 * operators may be chained (an aggregation over an aggregation, a join of aggregations, an aggregation over a join) in
 * append mode, as in Spark 3.5, when each aggregation closes its groups by event time: then every row it emits is
 * final, and the next operator gets it with the watermark propagated to it (see {@link EventTime}). In update and
 * complete mode an aggregation may read another's rows, which change: the first emits a changelog (a retraction of each
 * replaced row, then the new one) and the next takes the retracted rows back (see AggregateOperator); no other stateful
 * operator can read them yet.
 */
final class StreamingChecks {
    private StreamingChecks() {}

    static void check(RelNode plan, OutputMode outputMode) {
        Map<Window, Long> topN = TopN.find(plan);
        checkOver(plan, outputMode, topN);
        throwIfStatefulOverTopN(plan, topN, false);
        int aggregations = countAggregations(plan);
        if (aggregations > 1 && outputMode != OutputMode.APPEND && hasSessionAggregate(plan)) {
            throw refuse("session windows cannot be chained with another streaming aggregation in " + mode(outputMode)
                    + " output mode: a session's rows change as it grows and merges, and Brook cannot take them back"
                    + " yet; use outputMode(\"append\") with withWatermark(...), or write the first aggregation to a"
                    + " topic and aggregate that in a second query");
        }
        if (outputMode != OutputMode.APPEND) {
            throwIfStatefulOverAggregation(plan, outputMode);
        }
        if (outputMode == OutputMode.APPEND) {
            checkAppendAggregations(plan, false, aggregations + statefulOthers(plan) > 1);
        }
        if (aggregations == 0 && outputMode == OutputMode.COMPLETE) {
            throw refuse("complete output mode is not supported when there are no streaming aggregations: the whole"
                    + " result would be every row ever read; use outputMode(\"append\")");
        }
        throwIfWatermarkAfterStatefulOperator(plan);
        checkSorts(plan, outputMode);
        if (outputMode != OutputMode.APPEND && joinsTwoStreamsOutsideAggregation(plan, topN)) {
            throw refuse("a join of two streams supports only append output mode (as in Spark): a joined row, once"
                    + " out, never changes; use outputMode(\"append\"), or aggregate the joined rows");
        }
    }

    /**
     * OVER aggregations over a stream, as Flink runs them: each orders by one event-time column, ascending, and its
     * frame ends at the current row (a row comes out once the watermark passes it); ranks are refused, but for a Top-N
     * (ROW_NUMBER with a filter on it, see {@link TopN}). Their rows are final, but an aggregation's rows below them are
     * not outside append mode.
     */
    private static void checkOver(RelNode rel, OutputMode outputMode, Map<Window, Long> topN) {
        if (!BoundedRunner.streaming(rel)) {
            return;
        }
        if (rel instanceof Window window && topN.containsKey(window)) {
            checkTopN(window, outputMode);
        } else if (rel instanceof Window window) {
            List<OverSpec> specs = OverSpec.of(window);
            Map<Integer, EventTime.TimeColumn> times = EventTime.columns(window.getInput());
            List<String> names = window.getInput().getRowType().getFieldNames();
            for (OverSpec spec : specs) {
                if (spec.hasRanks()) {
                    throw refuse("row_number, rank and dense_rank OVER a stream are not supported: a rank is known"
                            + " only once the whole partition is; in a stream, use sum, count, min, max or avg OVER"
                            + " (PARTITION BY ... ORDER BY an event-time column ...)");
                }
                List<String> order = spec.order().stream()
                        .map(collation -> names.get(collation.getFieldIndex())
                                + (collation.getDirection().isDescending() ? " DESC" : ""))
                        .toList();
                boolean byEventTime = spec.order().size() == 1
                        && !spec.order().get(0).getDirection().isDescending()
                        && times.containsKey(spec.order().get(0).getFieldIndex());
                if (!byEventTime) {
                    throw refuse("OVER over a stream must ORDER BY one event-time column (a column with"
                            + " withWatermark(...)), ascending, as in Flink; got "
                            + (order.isEmpty() ? "no ORDER BY" : "ORDER BY " + String.join(", ", order)));
                }
                if (!spec.endsAtCurrentRow()) {
                    throw refuse("OVER over a stream supports the frames ROWS or RANGE BETWEEN UNBOUNDED PRECEDING AND"
                            + " CURRENT ROW and ROWS BETWEEN n PRECEDING AND CURRENT ROW (a frame that reaches past"
                            + " the current row would hold it back); got " + spec.frameText());
                }
            }
            if (EventTime.overTimeColumn(window) == null) {
                throw refuse("the OVER windows of a query over a stream must all ORDER BY the same event-time column;"
                        + " got "
                        + specs.stream()
                                .map(spec -> names.get(spec.order().get(0).getFieldIndex()))
                                .distinct()
                                .toList());
            }
            if (outputMode != OutputMode.APPEND && countAggregations(window) > 0) {
                throw refuse(
                        "OVER over a streaming aggregation is not supported in " + mode(outputMode)
                                + " output mode: the aggregation's rows change from batch to batch; use"
                                + " outputMode(\"append\") with the aggregation over event-time windows and withWatermark(...)");
            }
        }
        for (RelNode input : rel.getInputs()) {
            checkOver(input, outputMode, topN);
        }
    }

    /**
     * A Top-N over a stream (ROW_NUMBER ... WHERE rn <= N) runs in update mode, as Flink's rank: a partition's first N
     * rows change as better rows come. Its input must be rows that never change.
     */
    private static void checkTopN(Window window, OutputMode outputMode) {
        if (outputMode != OutputMode.UPDATE) {
            throw refuse("a Top-N over a stream (ROW_NUMBER() OVER (PARTITION BY ... ORDER BY ...) with a filter on"
                    + " the row number) supports only update output mode: a partition's first rows change as better"
                    + " rows come; use outputMode(\"update\")");
        }
        if (countAggregations(window.getInput()) > 0) {
            throw refuse("a Top-N over a stream cannot rank the rows of a streaming aggregation yet: they change from"
                    + " batch to batch; rank the stream's own rows, or the rows of a join of streams");
        }
    }

    /** The rows of a Top-N change: no stateful operator can read them yet, as none takes back its retractions. */
    private static void throwIfStatefulOverTopN(RelNode rel, Map<Window, Long> topN, boolean statefulAbove) {
        if (!BoundedRunner.streaming(rel)) {
            return;
        }
        if (rel instanceof Window window && topN.containsKey(window) && statefulAbove) {
            throw refuse("the rows of a Top-N over a stream (ROW_NUMBER ... with a filter on the row number) cannot"
                    + " feed another stateful operator yet: they change as better rows come; write them to a sink");
        }
        boolean stateful = rel instanceof Aggregate
                || rel instanceof SessionAggregate
                || rel instanceof Deduplicate
                || rel instanceof Window
                || isStreamJoin(rel);
        for (RelNode input : rel.getInputs()) {
            throwIfStatefulOverTopN(input, topN, statefulAbove || stateful);
        }
    }

    private static String mode(OutputMode outputMode) {
        return outputMode.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** In update and complete mode an aggregation's rows change: no stateful operator can read them. */
    private static void throwIfStatefulOverAggregation(RelNode rel, OutputMode outputMode) {
        if ((isStreamJoin(rel) || rel instanceof Deduplicate) && countAggregations(rel) > 0) {
            String what = rel instanceof Deduplicate ? "dropDuplicates" : "a join of two streams";
            throw refuse(what + " over a streaming aggregation is not supported in " + mode(outputMode)
                    + " output mode: the aggregation's rows change from batch to batch; use outputMode(\"append\")"
                    + " with the aggregation over event-time windows and withWatermark(...)");
        }
        for (RelNode input : rel.getInputs()) {
            throwIfStatefulOverAggregation(input, outputMode);
        }
    }

    /**
     * In append mode every aggregation must close its groups by event time: a key with a watermark. Checked from the
     * sources up, so the first aggregation that cannot is named; the message says whether it feeds another stateful
     * operator or reads one's output, and what to group by.
     */
    private static void checkAppendAggregations(RelNode rel, boolean statefulAbove, boolean chained) {
        if (!BoundedRunner.streaming(rel)) {
            return;
        }
        boolean aggregation = rel instanceof Aggregate || rel instanceof SessionAggregate;
        boolean stateful = aggregation || isStreamJoin(rel) || rel instanceof Deduplicate || rel instanceof Window;
        for (RelNode input : rel.getInputs()) {
            checkAppendAggregations(input, statefulAbove || stateful, chained);
        }
        if (!aggregation || closesByEventTime(rel)) {
            return;
        }
        if (!chained) {
            throw refuse("append output mode is not supported when there are streaming aggregations without a"
                    + " watermark: a group's count may still change, so no row is final; use"
                    + " outputMode(\"update\") or \"complete\", or aggregate over event-time windows with"
                    + " withWatermark(...)");
        }
        if (statefulAbove) {
            throw refuse("an aggregation by " + keyNames(rel) + " without an event-time key cannot feed another"
                    + " stateful operator: its groups never become final, so append mode can emit none of them;"
                    + " group it by window(...) over a column with withWatermark(...) as well");
        }
        // The columns the aggregation could group by, before projections (RelBuilder prunes what it does not use).
        RelNode input = rel.getInput(0);
        Map<Integer, EventTime.TimeColumn> times = EventTime.columns(input);
        while (times.isEmpty()
                && (input instanceof Project || input instanceof Filter || input instanceof WindowAssign)) {
            input = input.getInput(0);
            times = EventTime.columns(input);
        }
        if (times.isEmpty()) {
            throw refuse("the aggregation by " + keyNames(rel) + " over the output of another stateful operator"
                    + " cannot close its groups: its input has no event-time column with a watermark (a join of two"
                    + " streams gives its output one only with a time range between its sides' event times, such as"
                    + " \"right.time BETWEEN left.time AND left.time + INTERVAL '1' MINUTE\")");
        }
        List<String> names = input.getRowType().getFieldNames();
        throw refuse("the aggregation by " + keyNames(rel) + " over the output of another stateful operator has no"
                + " event-time key, so its groups never become final; group it by an event-time column of its input"
                + " as well: "
                + times.keySet().stream().sorted().map(names::get).toList());
    }

    private static boolean closesByEventTime(RelNode rel) {
        if (rel instanceof Aggregate aggregate) {
            return EventTime.finalityKey(aggregate) >= 0;
        }
        SessionAggregate session = (SessionAggregate) rel;
        return EventTime.columns(session.getInput()).containsKey(session.timeColumn());
    }

    private static String keyNames(RelNode rel) {
        List<String> input = rel.getInput(0).getRowType().getFieldNames();
        List<String> names = new ArrayList<>();
        if (rel instanceof Aggregate aggregate) {
            for (int key : aggregate.getGroupSet().toArray()) {
                names.add(input.get(key));
            }
        } else {
            for (int key : ((SessionAggregate) rel).keys()) {
                names.add(input.get(key));
            }
        }
        return names.toString();
    }

    /**
     * A watermark declared on a stateful operator's output would take the query's watermark as late for rows the
     * operator emits late by design (a window is emitted once the watermark passes its end), and drop them. Refused, as
     * Spark 3.5 refuses redefining a watermark; the operator's event-time columns carry the propagated one.
     */
    private static void throwIfWatermarkAfterStatefulOperator(RelNode rel) {
        if (rel instanceof EventTimeWatermark watermark && statefulBelow(watermark.getInput())) {
            String column = watermark.getRowType().getFieldNames().get(watermark.column());
            throw refuse("withWatermark(\"" + column + "\", ...) after a stateful operator is not supported (as in"
                    + " Spark): its output is emitted as the query's watermark passes, so that watermark would drop"
                    + " it as late; declare the watermark on the source's event time only, and group or join by the"
                    + " stateful operator's event-time columns, which carry the watermark on");
        }
        for (RelNode input : rel.getInputs()) {
            throwIfWatermarkAfterStatefulOperator(input);
        }
    }

    private static boolean statefulBelow(RelNode rel) {
        if (!BoundedRunner.streaming(rel)) {
            return false;
        }
        if (rel instanceof Aggregate
                || rel instanceof SessionAggregate
                || rel instanceof Deduplicate
                || rel instanceof Window
                || isStreamJoin(rel)) {
            return true;
        }
        for (RelNode input : rel.getInputs()) {
            if (statefulBelow(input)) {
                return true;
            }
        }
        return false;
    }

    private static int statefulOthers(RelNode rel) {
        if (!BoundedRunner.streaming(rel)) {
            return 0;
        }
        int count = isStreamJoin(rel) || rel instanceof Deduplicate || rel instanceof Window ? 1 : 0;
        for (RelNode input : rel.getInputs()) {
            count += statefulOthers(input);
        }
        return count;
    }

    private static boolean isStreamJoin(RelNode rel) {
        return rel instanceof Join join
                && BoundedRunner.streaming(join.getLeft())
                && BoundedRunner.streaming(join.getRight());
    }

    /**
     * A join of two streams whose rows go to the sink without an aggregation or a Top-N between: in update or complete
     * mode the sink would expect a result by key. Its rows may feed an aggregation or a Top-N in those modes (Nexmark
     * q4, q9): they never change, so the operator takes them as it takes a source's.
     */
    private static boolean joinsTwoStreamsOutsideAggregation(RelNode rel, Map<Window, Long> topN) {
        if (rel instanceof Aggregate || rel instanceof SessionAggregate || topN.containsKey(rel)) {
            return false;
        }
        if (isStreamJoin(rel)) {
            return true;
        }
        for (RelNode input : rel.getInputs()) {
            if (joinsTwoStreamsOutsideAggregation(input, topN)) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasSessionAggregate(RelNode rel) {
        if (rel instanceof SessionAggregate) {
            return true;
        }
        for (RelNode input : rel.getInputs()) {
            if (hasSessionAggregate(input)) {
                return true;
            }
        }
        return false;
    }

    private static void checkSorts(RelNode rel, OutputMode outputMode) {
        if (!BoundedRunner.streaming(rel)) {
            return;
        }
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

    /** The aggregations of the streaming part of a plan (not those of a static Dataset a stream joins). */
    static int countAggregations(RelNode rel) {
        if (!BoundedRunner.streaming(rel)) {
            return 0;
        }
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
