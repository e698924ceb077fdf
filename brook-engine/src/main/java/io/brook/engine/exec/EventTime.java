package io.brook.engine.exec;

import io.brook.engine.plan.Deduplicate;
import io.brook.engine.plan.EventTimeWatermark;
import io.brook.engine.plan.SessionAggregate;
import io.brook.engine.plan.WindowAssign;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.Filter;
import org.apache.calcite.rel.core.Join;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rel.core.Sort;
import org.apache.calcite.rel.core.Union;
import org.apache.calcite.rel.core.Window;
import org.apache.calcite.rex.RexNode;

/**
 * Which columns of a plan carry event time, and the watermark each has at every operator: the column a watermark is
 * defined on, the window bounds computed from it, those columns as they pass through projections, filters and joins,
 * and the keys of a stateful operator that closes groups by event time (an aggregation's window bounds, a session's
 * end). A stateful operator grouping by such a column knows when a group is final: when the column's watermark passes
 * it.
 *
 * <p>Each column's watermark is a {@link WatermarkBound} of the query's watermark, worked out here once at plan time
 * (Spark 3.5's watermark propagation; Brook's per column, as window starts and ends differ by the window size). Rules:
 * a source column declared by {@code withWatermark} has the query's watermark W(N); a stateless operator passes its
 * input's on (union: the smaller); an event-time aggregation emits in batch N the groups closed by its input watermark
 * W', those above W' one batch earlier, so its output's watermark for late rows is the earlier one; a stream–stream
 * join's output times are bounded by its time range condition (see the join rule below).
 */
final class EventTime {
    /** How a column relates to the watermark: it is the event time, or a window's start or end over it. */
    enum Kind {
        EVENT_TIME,
        WINDOW_START,
        WINDOW_END
    }

    /**
     * An event-time column of a plan's output. Rows of micro-batch N at or below {@code late} are late (from a source,
     * they are dropped; an operator emits none); rows of later batches are all above {@code closed}. When
     * {@code tiedTo >= 0} the column equals column {@code tiedTo} of the same output plus {@code tieOffset} in every
     * row (a window's start is its end minus its size).
     */
    record TimeColumn(Kind kind, WatermarkBound late, WatermarkBound closed, int tiedTo, long tieOffset) {
        TimeColumn {
            java.util.Objects.requireNonNull(kind, "kind is null");
            java.util.Objects.requireNonNull(late, "late is null");
            java.util.Objects.requireNonNull(closed, "closed is null");
        }

        static TimeColumn untied(Kind kind, WatermarkBound late, WatermarkBound closed) {
            return new TimeColumn(kind, late, closed, -1, 0);
        }

        TimeColumn tied(int column, long offset) {
            return new TimeColumn(kind, late, closed, column, offset);
        }

        TimeColumn untied() {
            return tied(-1, 0);
        }

        /** The same column plus {@code micros}. */
        TimeColumn plus(long micros) {
            return new TimeColumn(kind, late.plus(micros), closed.plus(micros), tiedTo, tieOffset + micros);
        }
    }

    /**
     * How a stream–stream join relates its two sides' event times: a time column of each side (the base of the
     * columns tied to it; {@code rightBase} indexes the join's row) and the bounds its condition puts on
     * {@code right - left}; bases are -1 when a side has no event-time column.
     */
    record JoinTime(int leftBase, int rightBase, TimeColumn left, TimeColumn right, JoinTimeBounds bounds) {
        static final JoinTime NONE = new JoinTime(-1, -1, null, null, JoinTimeBounds.NONE);
    }

    private EventTime() {}

    /** The event-time columns of a plan's output, by index. */
    static Map<Integer, TimeColumn> columns(RelNode rel) {
        Map<Integer, TimeColumn> result = new HashMap<>();
        if (rel instanceof EventTimeWatermark watermark) {
            result.putAll(columns(watermark.getInput()));
            result.put(
                    watermark.column(),
                    TimeColumn.untied(Kind.EVENT_TIME, WatermarkBound.CURRENT, WatermarkBound.CURRENT));
        } else if (rel instanceof WindowAssign window) {
            Map<Integer, TimeColumn> input = columns(window.getInput());
            result.putAll(input);
            TimeColumn time = input.get(window.timeColumn());
            if (time != null) {
                // start <= time < end = start + size: the end is above whatever the time is above, the start above it
                // minus the size.
                int fields = window.getInput().getRowType().getFieldCount();
                TimeColumn end = TimeColumn.untied(Kind.WINDOW_END, time.late(), time.closed());
                result.put(fields + 1, end);
                result.put(
                        fields,
                        new TimeColumn(
                                Kind.WINDOW_START,
                                end.late().plus(-window.sizeMicros()),
                                end.closed().plus(-window.sizeMicros()),
                                fields + 1,
                                -window.sizeMicros()));
            }
        } else if (rel instanceof Project project) {
            project(project, result);
        } else if (rel instanceof Filter || rel instanceof Sort || rel instanceof Deduplicate) {
            // Rows pass unchanged (a deduplication drops some): what held for the input holds for the output.
            result.putAll(columns(rel.getInput(0)));
        } else if (rel instanceof Aggregate aggregate) {
            aggregate(aggregate, result);
        } else if (rel instanceof SessionAggregate session) {
            TimeColumn time = columns(session.getInput()).get(session.timeColumn());
            if (time != null) {
                // A session closes once its end is at or below the time's watermark; like a window aggregation's.
                result.put(
                        session.keys().size() + 1,
                        TimeColumn.untied(Kind.WINDOW_END, emittedLate(time), time.closed()));
            }
        } else if (rel instanceof Join join) {
            join(join, result);
        } else if (rel instanceof Window window) {
            over(window, result);
        } else if (rel instanceof Union union) {
            union(union, result);
        }
        return result;
    }

    /**
     * What a stateful operator that closes groups by this column emits in a batch is above: its groups still open
     * after the batch before (above {@code closed} then) and the groups of this batch's rows that were not late.
     */
    private static WatermarkBound emittedLate(TimeColumn key) {
        return key.closed().previous().min(key.late());
    }

    /** The column of a stateful operator's output that carries this key on: above what the operator emits. */
    static TimeColumn emitted(TimeColumn key) {
        return TimeColumn.untied(key.kind(), emittedLate(key), key.closed());
    }

    /**
     * OVER aggregations in a stream order by an event-time column and emit a row once the watermark passes it, as an
     * aggregation emits a window: that column keeps event time, with one step of emitted watermarks per window group
     * (see PhysicalPlanner). Other columns lose it: their rows come out later than they came in.
     */
    private static void over(Window window, Map<Integer, TimeColumn> result) {
        Map<Integer, TimeColumn> input = columns(window.getInput());
        Integer column = overTimeColumn(window);
        TimeColumn time = column == null ? null : input.get(column);
        if (time == null) {
            return;
        }
        for (int i = 0; i < window.groups.size(); i++) {
            time = emitted(time);
        }
        result.put(column, time);
    }

    /** The one column every group of a Window orders by, alone and ascending; null when there is none. */
    static Integer overTimeColumn(Window window) {
        Integer column = null;
        for (Window.Group group : window.groups) {
            List<org.apache.calcite.rel.RelFieldCollation> order = group.orderKeys.getFieldCollations();
            if (order.size() != 1 || order.get(0).getDirection().isDescending()) {
                return null;
            }
            if (column != null && column != order.get(0).getFieldIndex()) {
                return null;
            }
            column = order.get(0).getFieldIndex();
        }
        return column;
    }

    private static void project(Project project, Map<Integer, TimeColumn> result) {
        Map<Integer, TimeColumn> input = columns(project.getInput());
        List<RexNode> projects = project.getProjects();
        // Where each input column is projected as is (first occurrence), to keep ties between output columns.
        Map<Integer, Integer> plain = new HashMap<>();
        for (int i = 0; i < projects.size(); i++) {
            JoinTimeBounds.Linear linear = JoinTimeBounds.linear(projects.get(i));
            if (linear != null && linear.micros() == 0) {
                plain.putIfAbsent(linear.column(), i);
            }
        }
        for (int i = 0; i < projects.size(); i++) {
            if (isProcessingTime(projects.get(i))) {
                result.put(
                        i,
                        TimeColumn.untied(
                                Kind.EVENT_TIME, WatermarkBound.PROCESSING_TIME, WatermarkBound.PROCESSING_TIME));
                continue;
            }
            JoinTimeBounds.Linear linear = JoinTimeBounds.linear(projects.get(i));
            TimeColumn column = linear == null ? null : input.get(linear.column());
            if (column == null) {
                continue;
            }
            TimeColumn shifted = column.plus(linear.micros());
            Integer self = plain.get(linear.column());
            Integer target = column.tiedTo() < 0 ? null : plain.get(column.tiedTo());
            if (self != null && self != i) {
                result.put(i, shifted.tied(self, linear.micros()));
            } else if (target != null) {
                result.put(i, shifted.tied(target, column.tieOffset() + linear.micros()));
            } else {
                result.put(i, shifted.untied());
            }
        }
    }

    /** Whether an expression is {@code PROCTIME()}: a processing-time attribute, as in Flink. */
    static boolean isProcessingTime(RexNode expression) {
        return expression instanceof org.apache.calcite.rex.RexCall call
                && call.getOperator() == BrookOperators.PROCTIME;
    }

    /** Whether a time column's watermark is the processing time's rather than the event time's. */
    static boolean processingTime(TimeColumn column) {
        return column.closed().processingTime();
    }

    private static void aggregate(Aggregate aggregate, Map<Integer, TimeColumn> result) {
        Map<Integer, TimeColumn> input = columns(aggregate.getInput());
        int[] keys = aggregate.getGroupSet().toArray();
        int finality = finalityKey(input, keys);
        if (finality < 0) {
            return;
        }
        TimeColumn key = input.get(keys[finality]);
        TimeColumn emitted = TimeColumn.untied(key.kind(), emittedLate(key), key.closed());
        result.put(finality, emitted);
        // Other keys keep event time only where they equal the finality key plus a constant (a window's start).
        for (int i = 0; i < keys.length; i++) {
            TimeColumn other = input.get(keys[i]);
            if (i == finality || other == null) {
                continue;
            }
            Long offset = null;
            if (other.tiedTo() == keys[finality]) {
                offset = other.tieOffset();
            } else if (key.tiedTo() == keys[i]) {
                offset = -key.tieOffset();
            } else if (key.tiedTo() >= 0 && key.tiedTo() == other.tiedTo()) {
                offset = other.tieOffset() - key.tieOffset();
            }
            if (offset != null) {
                result.put(
                        i,
                        new TimeColumn(
                                other.kind(),
                                emitted.late().plus(offset),
                                emitted.closed().plus(offset),
                                finality,
                                offset));
            }
        }
    }

    /**
     * A stream–stream join (see StreamJoinOperator): a left row leaves the state once {@code left + upper} is at or
     * below the right side's closed watermark, and a new one is dropped only if it is late and would leave at once.
     * So the rows of batch N pair left rows above the smaller of the left's late watermark and the right's closed one
     * of batch N-1 minus {@code upper}; later batches' left rows are above the smaller of the left's closed watermark
     * and the right's minus {@code upper}. The right side alike, with {@code -lower}. A side without such a bound (no
     * time range) has no event time in the output. A join with a bounded side passes the stream's times on.
     */
    private static void join(Join join, Map<Integer, TimeColumn> result) {
        int offset = join.getLeft().getRowType().getFieldCount();
        Map<Integer, TimeColumn> left = columns(join.getLeft());
        Map<Integer, TimeColumn> right = columns(join.getRight());
        if (!BoundedRunner.streaming(join.getLeft()) || !BoundedRunner.streaming(join.getRight())) {
            result.putAll(left);
            right.forEach((index, column) -> result.put(offset + index, shiftTie(column, offset)));
            return;
        }
        JoinTime time = joinTime(join, left, right);
        if (time.leftBase() < 0) {
            return;
        }
        long upper = time.bounds().upperMicros();
        long lower = time.bounds().lowerMicros();
        if (upper != Long.MAX_VALUE) {
            TimeColumn base = time.left();
            WatermarkBound late =
                    base.late().min(time.right().closed().previous().plus(-upper));
            WatermarkBound closed = base.closed().min(time.right().closed().plus(-upper));
            tiedGroup(left, time.leftBase())
                    .forEach((index, tie) -> result.put(
                            index,
                            new TimeColumn(
                                    left.get(index).kind(),
                                    late.plus(tie),
                                    closed.plus(tie),
                                    index == time.leftBase() ? -1 : time.leftBase(),
                                    tie)));
        }
        if (lower != Long.MIN_VALUE) {
            TimeColumn base = time.right();
            WatermarkBound late =
                    base.late().min(time.left().closed().previous().plus(lower));
            WatermarkBound closed = base.closed().min(time.left().closed().plus(lower));
            int rightBase = time.rightBase() - offset;
            tiedGroup(right, rightBase)
                    .forEach((index, tie) -> result.put(
                            offset + index,
                            new TimeColumn(
                                    right.get(index).kind(),
                                    late.plus(tie),
                                    closed.plus(tie),
                                    index == rightBase ? -1 : time.rightBase(),
                                    tie)));
        }
    }

    private static TimeColumn shiftTie(TimeColumn column, int offset) {
        return column.tiedTo() < 0 ? column : column.tied(column.tiedTo() + offset, column.tieOffset());
    }

    /** A base column and the columns tied to it, each with its offset from the base. */
    private static Map<Integer, Long> tiedGroup(Map<Integer, TimeColumn> columns, int base) {
        Map<Integer, Long> group = new LinkedHashMap<>();
        group.put(base, 0L);
        columns.forEach((index, column) -> {
            if (column.tiedTo() == base) {
                group.put(index, column.tieOffset());
            }
        });
        return group;
    }

    /**
     * The event times a stream–stream join relates: of each side's base columns (event-time columns not tied to
     * another), the pair whose time range the condition bounds best (both bounds, else one); conjuncts on a column tied
     * to a base count as on the base, so {@code bid.time >= window_start} bounds the time by the window's end.
     */
    static JoinTime joinTime(Join join) {
        return joinTime(join, columns(join.getLeft()), columns(join.getRight()));
    }

    private static JoinTime joinTime(Join join, Map<Integer, TimeColumn> left, Map<Integer, TimeColumn> right) {
        int offset = join.getLeft().getRowType().getFieldCount();
        JoinTime best = JoinTime.NONE;
        int bestScore = -1;
        for (int leftBase : bases(left)) {
            for (int rightBase : bases(right)) {
                if (processingTime(left.get(leftBase)) != processingTime(right.get(rightBase))) {
                    // An event time and a processing time bound nothing about each other.
                    continue;
                }
                Map<Integer, Long> rightGroup = new HashMap<>();
                tiedGroup(right, rightBase).forEach((index, tie) -> rightGroup.put(offset + index, tie));
                JoinTimeBounds bounds = JoinTimeBounds.of(join.getCondition(), tiedGroup(left, leftBase), rightGroup);
                int score = (bounds.lowerMicros() != Long.MIN_VALUE ? 1 : 0)
                        + (bounds.upperMicros() != Long.MAX_VALUE ? 1 : 0);
                if (score > bestScore) {
                    bestScore = score;
                    best = new JoinTime(leftBase, offset + rightBase, left.get(leftBase), right.get(rightBase), bounds);
                }
            }
        }
        return best;
    }

    /** The untied event-time columns, window ends first, then event times, then the rest, each by index. */
    private static List<Integer> bases(Map<Integer, TimeColumn> columns) {
        List<Integer> bases = new ArrayList<>();
        for (Kind kind : List.of(Kind.WINDOW_END, Kind.EVENT_TIME, Kind.WINDOW_START)) {
            columns.entrySet().stream()
                    .filter(entry ->
                            entry.getValue().tiedTo() < 0 && entry.getValue().kind() == kind)
                    .map(Map.Entry::getKey)
                    .sorted()
                    .forEach(bases::add);
        }
        return bases;
    }

    private static void union(Union union, Map<Integer, TimeColumn> result) {
        result.putAll(columns(union.getInput(0)));
        for (RelNode input : union.getInputs().subList(1, union.getInputs().size())) {
            Map<Integer, TimeColumn> other = columns(input);
            for (Integer index : List.copyOf(result.keySet())) {
                TimeColumn mine = result.get(index);
                TimeColumn theirs = other.get(index);
                if (theirs == null || theirs.kind() != mine.kind() || processingTime(theirs) != processingTime(mine)) {
                    result.remove(index);
                    continue;
                }
                boolean sameTie = mine.tiedTo() == theirs.tiedTo() && mine.tieOffset() == theirs.tieOffset();
                TimeColumn merged = TimeColumn.untied(
                        mine.kind(),
                        mine.late().min(theirs.late()),
                        mine.closed().min(theirs.closed()));
                result.put(index, sameTie ? merged.tied(mine.tiedTo(), mine.tieOffset()) : merged);
            }
        }
    }

    /**
     * The position among an aggregation's group keys of the key that says when a group is final (a window end, else
     * the event time itself, else a window start), or -1 when no key carries event time.
     */
    static int finalityKey(Aggregate aggregate) {
        Map<Integer, TimeColumn> input = columns(aggregate.getInput());
        int[] keys = aggregate.getGroupSet().toArray();
        return finalityKey(input, keys);
    }

    static int finalityKey(Map<Integer, TimeColumn> input, int[] keys) {
        int eventTime = -1;
        int windowStart = -1;
        for (int i = 0; i < keys.length; i++) {
            TimeColumn column = input.get(keys[i]);
            if (column == null) {
                continue;
            }
            if (column.kind() == Kind.WINDOW_END) {
                return i;
            }
            if (column.kind() == Kind.EVENT_TIME) {
                eventTime = i;
            } else if (column.kind() == Kind.WINDOW_START && windowStart < 0) {
                windowStart = i;
            }
        }
        return eventTime >= 0 ? eventTime : windowStart;
    }

    static boolean hasWatermark(RelNode rel) {
        if (rel instanceof EventTimeWatermark) {
            return true;
        }
        for (RelNode input : rel.getInputs()) {
            if (hasWatermark(input)) {
                return true;
            }
        }
        return false;
    }
}
