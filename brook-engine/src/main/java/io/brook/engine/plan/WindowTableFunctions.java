package io.brook.engine.plan;

import io.brook.engine.BrookException;
import io.brook.engine.ErrorCode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.AggregateCall;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rel.core.TableFunctionScan;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlWindowTableFunction;

/**
 * Turns Calcite's window table functions into Brook's window nodes. {@code TUMBLE} and {@code HOP} become a
 * {@link WindowAssign} (each row once per window that holds it, with {@code window_start} and {@code window_end}).
 * {@code SESSION} cannot give a row its window on arrival (a later row may extend the session), so it is accepted only
 * under an aggregation grouped by {@code window_start} and {@code window_end} (and its partition keys), which becomes a
 * {@link SessionAggregate}.
 */
final class WindowTableFunctions {
    private static final long MICROS_PER_MILLI = 1000;

    private WindowTableFunctions() {}

    static RelNode rewrite(RelNode rel) {
        RelNode rewritten = rewriteTree(rel);
        refuseLeftoverSessions(rewritten);
        return rewritten;
    }

    private static RelNode rewriteTree(RelNode rel) {
        if (rel instanceof Aggregate aggregate) {
            RelNode session = sessionAggregate(aggregate);
            if (session != null) {
                return session;
            }
        }
        List<RelNode> inputs = new ArrayList<>();
        boolean changed = false;
        for (RelNode input : rel.getInputs()) {
            RelNode rewritten = rewriteTree(input);
            inputs.add(rewritten);
            changed |= rewritten != input;
        }
        RelNode current = changed ? rel.copy(rel.getTraitSet(), inputs) : rel;
        if (current instanceof TableFunctionScan scan) {
            SqlKind kind = windowKind(scan);
            if (kind == SqlKind.TUMBLE || kind == SqlKind.HOP) {
                return windowAssign(scan, kind);
            }
        }
        return current;
    }

    private static SqlKind windowKind(TableFunctionScan scan) {
        if (scan.getCall() instanceof RexCall call && call.getOperator() instanceof SqlWindowTableFunction function) {
            return kindOf(function);
        }
        return SqlKind.OTHER;
    }

    /** The window function's kind by its name (Calcite gives its window table functions no kinds of their own). */
    static SqlKind kindOf(SqlOperator function) {
        return switch (function.getName().toUpperCase(java.util.Locale.ROOT)) {
            case "TUMBLE" -> SqlKind.TUMBLE;
            case "HOP" -> SqlKind.HOP;
            case "SESSION" -> SqlKind.SESSION;
            default -> SqlKind.OTHER;
        };
    }

    private static RelNode windowAssign(TableFunctionScan scan, SqlKind kind) {
        RexCall call = (RexCall) scan.getCall();
        List<RexNode> operands = call.getOperands();
        RelNode input = scan.getInputs().get(0);
        int time = descriptorColumn(operands.get(0), input, call);
        long size;
        long slide;
        int offsetOperand;
        if (kind == SqlKind.TUMBLE) {
            size = intervalMicros(operands.get(1), "TUMBLE's size");
            slide = size;
            offsetOperand = 2;
        } else {
            slide = intervalMicros(operands.get(1), "HOP's slide");
            size = intervalMicros(operands.get(2), "HOP's size");
            offsetOperand = 3;
        }
        if (operands.size() > offsetOperand && intervalMicros(operands.get(offsetOperand), "the offset") != 0) {
            throw new BrookException(
                    ErrorCode.UNSUPPORTED_OPERATION,
                    call.getOperator().getName() + " with an offset is not supported yet; windows are aligned to the"
                            + " epoch");
        }
        if (slide > size) {
            throw new BrookException(
                    ErrorCode.INVALID_EXPRESSION,
                    "HOP's slide (" + slide / MICROS_PER_MILLI + " ms) is longer than its size ("
                            + size / MICROS_PER_MILLI + " ms): rows between windows would belong to none");
        }
        RelNode assigned = WindowAssign.create(input, time, size, slide);
        return RelOptUtil.createCastRel(assigned, scan.getRowType(), true);
    }

    /**
     * An aggregation over {@code SESSION(...)} grouped by the window bounds (and any other keys) becomes one
     * {@link SessionAggregate}; null when the aggregation is over something else.
     */
    private static RelNode sessionAggregate(Aggregate aggregate) {
        RelNode below = aggregate.getInput();
        Project project = below instanceof Project p ? p : null;
        RelNode scanNode = project == null ? below : project.getInput();
        if (!(scanNode instanceof TableFunctionScan scan) || windowKind(scan) != SqlKind.SESSION) {
            return null;
        }
        RexCall call = (RexCall) scan.getCall();
        RelNode input = rewriteTree(scan.getInputs().get(0));
        int inputFields = input.getRowType().getFieldCount();
        List<RexNode> operands = call.getOperands();
        int time = descriptorColumn(operands.get(0), input, call);
        List<Integer> partitionKeys = new ArrayList<>();
        RexNode gapOperand = operands.get(operands.size() - 1);
        if (operands.size() == 3) {
            for (RexNode key : ((RexCall) operands.get(1)).getOperands()) {
                if (!(key instanceof RexInputRef ref)) {
                    throw sessionShape("PARTITION BY takes columns of the table; got " + key);
                }
                partitionKeys.add(ref.getIndex());
            }
        }
        long gap = intervalMicros(gapOperand, "SESSION's gap");
        if (aggregate.getGroupSets().size() != 1) {
            throw sessionShape("grouping sets are not supported over SESSION");
        }
        // Map the aggregation's group keys and call arguments through the optional project onto the scan's columns.
        List<Integer> keys = new ArrayList<>();
        boolean start = false;
        boolean end = false;
        List<Integer> keyOrder = new ArrayList<>();
        for (int key : aggregate.getGroupSet()) {
            int column = scanColumn(project, key);
            if (column == inputFields) {
                start = true;
                keyOrder.add(-1);
            } else if (column == inputFields + 1) {
                end = true;
                keyOrder.add(-2);
            } else if (column >= 0) {
                keys.add(column);
                keyOrder.add(column);
            } else {
                throw sessionShape("group by columns of the SESSION table, not expressions");
            }
        }
        if (!start || !end) {
            throw sessionShape("group by both window_start and window_end");
        }
        for (int key : partitionKeys) {
            if (!keys.contains(key)) {
                throw sessionShape("group by the PARTITION BY column '"
                        + input.getRowType().getFieldNames().get(key) + "' too");
            }
        }
        List<AggregateCall> calls = new ArrayList<>();
        // Arguments that are expressions (sum(CASE ...)) are computed below the session aggregation, as extra
        // columns after the input's own; they may not use the window bounds, which exist only above it.
        RexBuilder rex = aggregate.getCluster().getRexBuilder();
        List<RexNode> extra = new ArrayList<>();
        for (AggregateCall aggregateCall : aggregate.getAggCallList()) {
            List<Integer> arguments = new ArrayList<>();
            for (int argument : aggregateCall.getArgList()) {
                int column = scanColumn(project, argument);
                if (column < 0 && project != null) {
                    RexNode expression = project.getProjects().get(argument);
                    if (usesColumnAtOrAfter(expression, inputFields)) {
                        throw sessionShape("aggregate over columns of the SESSION table, not its window bounds");
                    }
                    column = inputFields + extra.size();
                    extra.add(expression);
                } else if (column >= inputFields) {
                    throw sessionShape("aggregate over columns of the SESSION table, not its window bounds");
                }
                arguments.add(column);
            }
            if (aggregateCall.filterArg >= 0) {
                throw sessionShape("FILTER clauses are not supported over SESSION yet");
            }
            calls.add(aggregateCall.copy(arguments, -1, aggregateCall.distinctKeys, aggregateCall.collation));
        }
        if (!extra.isEmpty()) {
            List<RexNode> columns = new ArrayList<>();
            for (int i = 0; i < inputFields; i++) {
                columns.add(rex.makeInputRef(input, i));
            }
            columns.addAll(extra);
            input = org.apache.calcite.rel.logical.LogicalProject.create(
                    input, List.of(), columns, (List<String>) null, java.util.Set.of());
        }
        SessionAggregate session = SessionAggregate.create(input, keys, time, gap, calls);
        // SessionAggregate gives keys, session_start, session_end, calls; the aggregation gave its keys in input order.
        List<RexNode> outputs = new ArrayList<>();
        for (int key : keyOrder) {
            int position = key == -1 ? keys.size() : key == -2 ? keys.size() + 1 : keys.indexOf(key);
            outputs.add(rex.makeInputRef(session, position));
        }
        for (int i = 0; i < calls.size(); i++) {
            outputs.add(rex.makeInputRef(session, keys.size() + 2 + i));
        }
        RelNode projected = org.apache.calcite.rel.logical.LogicalProject.create(
                session, List.of(), outputs, aggregate.getRowType().getFieldNames(), java.util.Set.of());
        return RelOptUtil.createCastRel(projected, aggregate.getRowType(), true);
    }

    private static boolean usesColumnAtOrAfter(RexNode expression, int first) {
        for (int column : org.apache.calcite.plan.RelOptUtil.InputFinder.bits(expression)) {
            if (column >= first) {
                return true;
            }
        }
        return false;
    }

    /** The scan column a project's output is (-1 when it is an expression); the column itself without a project. */
    private static int scanColumn(Project project, int index) {
        if (project == null) {
            return index;
        }
        RexNode expression = project.getProjects().get(index);
        return expression instanceof RexInputRef ref ? ref.getIndex() : -1;
    }

    private static BrookException sessionShape(String what) {
        return new BrookException(
                ErrorCode.UNSUPPORTED_OPERATION,
                "SESSION(...) is supported under GROUP BY window_start, window_end and its partition keys: " + what);
    }

    private static void refuseLeftoverSessions(RelNode rel) {
        if (rel instanceof TableFunctionScan scan && windowKind(scan) == SqlKind.SESSION) {
            throw sessionShape("a session's end is known only once it closes, so its rows cannot be listed one by one");
        }
        for (RelNode input : rel.getInputs()) {
            refuseLeftoverSessions(input);
        }
    }

    private static int descriptorColumn(RexNode operand, RelNode input, RexCall call) {
        if (operand instanceof RexCall descriptor
                && descriptor.getOperands().size() == 1
                && descriptor.getOperands().get(0) instanceof RexInputRef ref) {
            if (!SqlPlanner.isTimestamp(ref.getType())) {
                throw new BrookException(
                        ErrorCode.TYPE_MISMATCH,
                        call.getOperator().getName() + " needs a TIMESTAMP column in DESCRIPTOR(...); '"
                                + input.getRowType().getFieldNames().get(ref.getIndex()) + "' is " + ref.getType());
            }
            return ref.getIndex();
        }
        throw new BrookException(
                ErrorCode.INVALID_EXPRESSION,
                call.getOperator().getName() + " takes one time column in DESCRIPTOR(...); got " + operand);
    }

    private static long intervalMicros(RexNode operand, String what) {
        if (operand instanceof RexLiteral literal && literal.getValueAs(BigDecimal.class) != null) {
            long micros = literal.getValueAs(BigDecimal.class).longValueExact() * MICROS_PER_MILLI;
            if (micros <= 0) {
                throw new BrookException(ErrorCode.INVALID_EXPRESSION, what + " must be positive; got " + operand);
            }
            return micros;
        }
        throw new BrookException(ErrorCode.INVALID_EXPRESSION, what + " must be an INTERVAL literal; got " + operand);
    }
}
