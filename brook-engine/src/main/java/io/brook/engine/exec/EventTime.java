package io.brook.engine.exec;

import io.brook.engine.plan.Deduplicate;
import io.brook.engine.plan.EventTimeWatermark;
import io.brook.engine.plan.SessionAggregate;
import io.brook.engine.plan.WindowAssign;
import java.util.HashMap;
import java.util.Map;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.Filter;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rel.core.Sort;
import org.apache.calcite.rel.core.Union;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexNode;

/**
 * Which columns of a plan carry event time: the column a watermark is defined on, the window bounds computed from it,
 * and those columns as they pass through projections, filters and aggregations. A stateful operator grouping by such a
 * column knows when a group is final: when the watermark passes its event time (for a window: its end).
 */
final class EventTime {
    /** How a column relates to the watermark: it is the event time, or a window's start or end over it. */
    enum Kind {
        EVENT_TIME,
        WINDOW_START,
        WINDOW_END
    }

    private EventTime() {}

    /** The event-time columns of a plan's output, by index. */
    static Map<Integer, Kind> columns(RelNode rel) {
        Map<Integer, Kind> result = new HashMap<>();
        if (rel instanceof EventTimeWatermark watermark) {
            result.putAll(columns(watermark.getInput()));
            result.put(watermark.column(), Kind.EVENT_TIME);
        } else if (rel instanceof WindowAssign window) {
            Map<Integer, Kind> input = columns(window.getInput());
            result.putAll(input);
            if (input.get(window.timeColumn()) == Kind.EVENT_TIME) {
                int fields = window.getInput().getRowType().getFieldCount();
                result.put(fields, Kind.WINDOW_START);
                result.put(fields + 1, Kind.WINDOW_END);
            }
        } else if (rel instanceof Project project) {
            Map<Integer, Kind> input = columns(project.getInput());
            for (int i = 0; i < project.getProjects().size(); i++) {
                RexNode expression = project.getProjects().get(i);
                if (expression instanceof RexInputRef ref && input.containsKey(ref.getIndex())) {
                    result.put(i, input.get(ref.getIndex()));
                }
            }
        } else if (rel instanceof Filter || rel instanceof Sort || rel instanceof Deduplicate) {
            result.putAll(columns(rel.getInput(0)));
        } else if (rel instanceof Aggregate aggregate) {
            Map<Integer, Kind> input = columns(aggregate.getInput());
            int[] keys = aggregate.getGroupSet().toArray();
            for (int i = 0; i < keys.length; i++) {
                if (input.containsKey(keys[i])) {
                    result.put(i, input.get(keys[i]));
                }
            }
        } else if (rel instanceof SessionAggregate session) {
            Map<Integer, Kind> input = columns(session.getInput());
            for (int i = 0; i < session.keys().size(); i++) {
                if (input.containsKey(session.keys().get(i))) {
                    result.put(i, input.get(session.keys().get(i)));
                }
            }
            if (input.get(session.timeColumn()) == Kind.EVENT_TIME) {
                result.put(session.keys().size(), Kind.WINDOW_START);
                result.put(session.keys().size() + 1, Kind.WINDOW_END);
            }
        } else if (rel instanceof org.apache.calcite.rel.core.Join join) {
            result.putAll(columns(join.getLeft()));
            int offset = join.getLeft().getRowType().getFieldCount();
            columns(join.getRight()).forEach((index, kind) -> result.put(offset + index, kind));
        } else if (rel instanceof Union union) {
            result.putAll(columns(union.getInput(0)));
            for (RelNode input : union.getInputs()) {
                result.entrySet().retainAll(columns(input).entrySet());
            }
        }
        return result;
    }

    /**
     * The position among an aggregation's group keys of the key that says when a group is final (a window end, else
     * the event time itself), or -1 when no key carries event time.
     */
    static int finalityKey(Aggregate aggregate) {
        Map<Integer, Kind> input = columns(aggregate.getInput());
        int[] keys = aggregate.getGroupSet().toArray();
        int eventTime = -1;
        for (int i = 0; i < keys.length; i++) {
            Kind kind = input.get(keys[i]);
            if (kind == Kind.WINDOW_END) {
                return i;
            }
            if (kind == Kind.EVENT_TIME) {
                eventTime = i;
            }
        }
        return eventTime;
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
