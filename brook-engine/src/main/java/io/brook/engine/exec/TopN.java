package io.brook.engine.exec;

import java.math.BigDecimal;
import java.util.IdentityHashMap;
import java.util.Map;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Filter;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rel.core.Window;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlKind;

/**
 * Finds Top-N queries in a plan, as Flink's planner does: a Window with one {@code ROW_NUMBER() OVER (PARTITION BY ...
 * ORDER BY ...)} call, under a filter that keeps row numbers up to N ({@code rn <= N}, {@code rn < N + 1} or
 * {@code rn = 1}), through projections that pass the row number on. Over a stream such a Window runs as a
 * {@link TopNOperator}, which keeps only the first N rows of each partition; the filter stays above it.
 */
final class TopN {
    private TopN() {}

    /** The Top-N windows of a plan and their N. */
    static Map<Window, Long> find(RelNode plan) {
        Map<Window, Long> found = new IdentityHashMap<>();
        find(plan, found);
        return found;
    }

    private static void find(RelNode rel, Map<Window, Long> found) {
        if (rel instanceof Filter filter) {
            match(filter, found);
        }
        for (RelNode input : rel.getInputs()) {
            find(input, found);
        }
    }

    private static void match(Filter filter, Map<Window, Long> found) {
        for (RexNode conjunct : RelOptUtil.conjunctions(filter.getCondition())) {
            if (!(conjunct instanceof RexCall call)
                    || call.getOperands().size() != 2
                    || !(call.getOperands().get(0) instanceof RexInputRef ref)
                    || !(call.getOperands().get(1) instanceof RexLiteral literal)
                    || !(literal.getValue() instanceof BigDecimal bound)) {
                continue;
            }
            long limit = switch (call.getKind()) {
                case LESS_THAN_OR_EQUAL -> bound.longValue();
                case LESS_THAN -> bound.longValue() - 1;
                case EQUALS -> bound.longValue() == 1 ? 1 : -1;
                default -> -1;
            };
            Window window = rowNumberWindow(filter.getInput(), ref.getIndex());
            if (limit >= 1 && window != null) {
                found.merge(window, limit, Math::min);
            }
        }
    }

    /** The Window whose only call, ROW_NUMBER, column {@code column} of {@code rel} is, or null. */
    private static Window rowNumberWindow(RelNode rel, int column) {
        RelNode input = rel;
        int index = column;
        while (input instanceof Project project) {
            if (!(project.getProjects().get(index) instanceof RexInputRef ref)) {
                return null;
            }
            index = ref.getIndex();
            input = project.getInput();
        }
        if (!(input instanceof Window window)
                || window.groups.size() != 1
                || window.groups.get(0).aggCalls.size() != 1
                || window.groups.get(0).aggCalls.get(0).getKind() != SqlKind.ROW_NUMBER
                || window.groups.get(0).orderKeys.getFieldCollations().isEmpty()) {
            return null;
        }
        return index == window.getInput().getRowType().getFieldCount() ? window : null;
    }

    /** The columns that identify a Top-N row: its partition keys, and its row number unless N is 1. */
    static int[] keys(Window window, long limit) {
        int[] partition = window.groups.get(0).keys.toArray();
        if (limit == 1) {
            return partition;
        }
        int[] keys = java.util.Arrays.copyOf(partition, partition.length + 1);
        keys[partition.length] = window.getInput().getRowType().getFieldCount();
        return keys;
    }
}
