package io.brook.engine.exec;

import io.brook.engine.BrookException;
import io.brook.engine.ErrorCode;
import io.brook.engine.batch.ColumnType;
import io.brook.engine.batch.Field;
import io.brook.engine.batch.Schema;
import io.brook.engine.plan.RelTypes;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.apache.calcite.rel.RelFieldCollation;
import org.apache.calcite.rel.core.Window;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexWindowBound;
import org.apache.calcite.rex.RexWindowExclusion;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.type.SqlTypeFamily;

/**
 * One group of a Calcite {@link Window} (the OVER calls that share a PARTITION BY, an ORDER BY and a frame) as Brook
 * runs it: the partition keys, the order, the frame as rows before and after the current one, and the calls. Made at
 * plan time; refuses, saying what is supported, the frames and functions Brook cannot compute. Each group becomes one
 * {@link OverAggregateOperator}, whose output is its input plus one column per call.
 */
record OverSpec(
        int[] partitionKeys,
        List<RelFieldCollation> order,
        Frame frame,
        long preceding,
        long following,
        List<Call> calls,
        Schema input,
        Schema output) {
    /** How far a frame reaches. */
    enum Frame {
        /** From the partition's first row to the current row (ROWS) or its last peer (RANGE). */
        ROWS_RUNNING,
        RANGE_RUNNING,
        /** The whole partition (no ORDER BY, or UNBOUNDED FOLLOWING). */
        PARTITION,
        /** {@code preceding} rows before the current row to {@code following} rows after it. */
        ROWS_SLIDING
    }

    /** What a call computes: an aggregate over the frame, or a rank over the order. */
    enum Kind {
        AGGREGATE,
        ROW_NUMBER,
        RANK,
        DENSE_RANK
    }

    /** One OVER call; {@code accumulator} makes its aggregate (null for a rank). */
    record Call(Kind kind, String name, Supplier<Accumulator> accumulator) {
        Call {
            java.util.Objects.requireNonNull(kind, "kind is null");
            java.util.Objects.requireNonNull(name, "name is null");
        }
    }

    OverSpec {
        partitionKeys = partitionKeys.clone();
        order = List.copyOf(order);
        calls = List.copyOf(calls);
    }

    @Override
    public int[] partitionKeys() {
        return partitionKeys.clone();
    }

    private static final String SUPPORTED_FRAMES = "supported: ROWS or RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT"
            + " ROW, ROWS BETWEEN n PRECEDING AND CURRENT ROW (or m FOLLOWING), UNBOUNDED PRECEDING AND UNBOUNDED"
            + " FOLLOWING, and no ORDER BY (the whole partition)";

    /** The groups of a Window node, in its order; the output of group i is the input of group i + 1. */
    static List<OverSpec> of(Window window) {
        List<OverSpec> specs = new ArrayList<>();
        Schema windowSchema = RelTypes.toSchema(window.getRowType());
        int inputCount = window.getInput().getRowType().getFieldCount();
        // Each call's column has the call's own type, nullable: Calcite's Window row type may mark a SUM NOT NULL
        // where it wraps it in "CASE WHEN COUNT(x) > 0".
        List<Field> fields = new ArrayList<>(windowSchema.fields().subList(0, inputCount));
        for (Window.Group group : window.groups) {
            Schema input = Schema.of(fields.toArray(new Field[0]));
            for (Window.RexWinAggCall call : group.aggCalls) {
                Field declared = windowSchema.field(fields.size());
                Field own = RelTypes.field(declared.name(), call.getType()).withNullable(true);
                if (own.type() != declared.type()) {
                    throw new IllegalStateException("OVER call " + call + " is " + own.type() + " but its column '"
                            + declared.name() + "' is " + declared.type() + " in " + window.getRowType());
                }
                fields.add(own);
            }
            specs.add(of(window, group, input, Schema.of(fields.toArray(new Field[0]))));
        }
        return specs;
    }

    private static OverSpec of(Window window, Window.Group group, Schema input, Schema output) {
        if (group.exclude != RexWindowExclusion.EXCLUDE_NO_OTHER) {
            throw unsupported("OVER windows with " + group.exclude + " are not supported yet");
        }
        List<RelFieldCollation> order = group.orderKeys.getFieldCollations();
        RexWindowBound lower = group.lowerBound;
        RexWindowBound upper = group.upperBound;
        Frame frame;
        long preceding = 0;
        long following = 0;
        if (lower.isUnbounded() && lower.isPreceding() && upper.isUnbounded() && upper.isFollowing()) {
            frame = Frame.PARTITION;
        } else if (lower.isUnbounded() && lower.isPreceding() && upper.isCurrentRow()) {
            frame = group.isRows ? Frame.ROWS_RUNNING : order.isEmpty() ? Frame.PARTITION : Frame.RANGE_RUNNING;
        } else if (group.isRows
                && (lower.isCurrentRow() || (lower.isPreceding() && !lower.isUnbounded()))
                && (upper.isCurrentRow() || (upper.isFollowing() && !upper.isUnbounded()))) {
            frame = Frame.ROWS_SLIDING;
            preceding = lower.isCurrentRow() ? 0 : offset(window, lower.getOffset());
            following = upper.isCurrentRow() ? 0 : offset(window, upper.getOffset());
        } else {
            throw unsupported("the OVER frame " + (group.isRows ? "ROWS" : "RANGE") + " BETWEEN "
                    + boundText(window, lower) + " AND " + boundText(window, upper) + " is not supported yet; "
                    + SUPPORTED_FRAMES);
        }
        List<Call> calls = new ArrayList<>();
        for (Window.RexWinAggCall call : group.aggCalls) {
            calls.add(call(call, input));
        }
        return new OverSpec(group.keys.toArray(), order, frame, preceding, following, calls, input, output);
    }

    /** A bound as SQL writes it, its offset read from the Window's constants. */
    private static String boundText(Window window, RexWindowBound bound) {
        if (bound.isCurrentRow()) {
            return "CURRENT ROW";
        }
        String side = bound.isPreceding() ? " PRECEDING" : " FOLLOWING";
        if (bound.isUnbounded()) {
            return "UNBOUNDED" + side;
        }
        RexNode value = constant(window, bound.getOffset());
        if (!(value instanceof RexLiteral literal) || literal.getValueAs(BigDecimal.class) == null) {
            return value + side;
        }
        BigDecimal number = literal.getValueAs(BigDecimal.class);
        SqlTypeFamily family = literal.getType().getSqlTypeName().getFamily();
        if (family == SqlTypeFamily.INTERVAL_YEAR_MONTH) {
            return "INTERVAL '" + number.toPlainString() + "' MONTH" + side;
        }
        if (family == SqlTypeFamily.INTERVAL_DAY_TIME) {
            // Calcite keeps day-time intervals in milliseconds.
            boolean seconds = number.remainder(BigDecimal.valueOf(1000)).signum() == 0;
            return "INTERVAL '" + (seconds ? number.divide(BigDecimal.valueOf(1000)) : number).toPlainString() + "' "
                    + (seconds ? "SECOND" : "MILLISECOND") + side;
        }
        return number.toPlainString() + side;
    }

    private static RexNode constant(Window window, RexNode offset) {
        int inputCount = window.getInput().getRowType().getFieldCount();
        if (offset instanceof RexInputRef ref && ref.getIndex() >= inputCount) {
            return window.getConstants().get(ref.getIndex() - inputCount);
        }
        return offset;
    }

    private static long offset(Window window, RexNode offset) {
        RexNode value = constant(window, offset);
        BigDecimal number = value instanceof RexLiteral literal ? literal.getValueAs(BigDecimal.class) : null;
        if (number == null
                || number.signum() < 0
                || number.scale() > 0 && number.stripTrailingZeros().scale() > 0) {
            throw unsupported("an OVER frame needs a constant whole number of rows; got " + offset);
        }
        return number.longValueExact();
    }

    private static Call call(Window.RexWinAggCall call, Schema input) {
        SqlKind kind = call.getOperator().getKind();
        String name = call.getOperator().getName().toLowerCase(Locale.ROOT);
        if (call.distinct) {
            throw unsupported(name + "(DISTINCT ...) OVER is not supported yet; supported: " + FUNCTIONS);
        }
        switch (kind) {
            case ROW_NUMBER:
                return new Call(Kind.ROW_NUMBER, name, null);
            case RANK:
                return new Call(Kind.RANK, name, null);
            case DENSE_RANK:
                return new Call(Kind.DENSE_RANK, name, null);
            default:
                break;
        }
        if (kind == SqlKind.COUNT && call.getOperands().isEmpty()) {
            return new Call(Kind.AGGREGATE, name, () -> new Accumulators.Count(-1));
        }
        if (call.getOperands().size() != 1
                || !(call.getOperands().get(0) instanceof RexInputRef ref)
                || ref.getIndex() >= input.size()) {
            throw unsupported(name + " OVER of " + call.getOperands() + " is not supported; supported: " + FUNCTIONS
                    + ", each of one column");
        }
        int column = ref.getIndex();
        ColumnType type = input.field(column).type();
        if (!type.isScalar() && kind != SqlKind.COUNT) {
            throw unsupported("cannot compute " + name + " OVER of " + type + " column '"
                    + input.field(column).name() + "'");
        }
        Supplier<Accumulator> accumulator = switch (kind) {
            case COUNT -> () -> new Accumulators.Count(column);
            case SUM, SUM0 -> () -> new Accumulators.Sum(column, type == ColumnType.DOUBLE, kind == SqlKind.SUM0);
            case AVG -> () -> new Accumulators.Avg(column);
            case MIN, MAX -> {
                boolean max = kind == SqlKind.MAX;
                if (type == ColumnType.BOOLEAN) {
                    throw unsupported(name + " OVER of BOOLEAN column '"
                            + input.field(column).name() + "' is not supported");
                }
                yield type.storedAsBytes()
                        ? () -> new Accumulators.VarcharExtreme(column, max)
                        : type == ColumnType.DOUBLE
                                ? () -> new Accumulators.DoubleExtreme(column, max)
                                : () -> new Accumulators.LongExtreme(column, max);
            }
            default -> throw unsupported(name + " OVER is not supported yet; supported: " + FUNCTIONS);
        };
        return new Call(Kind.AGGREGATE, name, accumulator);
    }

    private static final String FUNCTIONS = "sum, count, min, max, avg, row_number, rank, dense_rank";

    /** Whether the frame ends at the current row (or its last peer), as a stream needs. */
    boolean endsAtCurrentRow() {
        return frame == Frame.ROWS_RUNNING
                || frame == Frame.RANGE_RUNNING
                || (frame == Frame.ROWS_SLIDING && following == 0);
    }

    boolean hasRanks() {
        return calls.stream().anyMatch(call -> call.kind() != Kind.AGGREGATE);
    }

    /** How the frame reads in SQL, for messages and state signatures. */
    String frameText() {
        return switch (frame) {
            case ROWS_RUNNING -> "ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW";
            case RANGE_RUNNING -> "RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW";
            case PARTITION -> "the whole partition";
            case ROWS_SLIDING ->
                "ROWS BETWEEN " + (preceding == 0 ? "CURRENT ROW" : preceding + " PRECEDING") + " AND "
                        + (following == 0 ? "CURRENT ROW" : following + " FOLLOWING");
        };
    }

    private static BrookException unsupported(String message) {
        return new BrookException(ErrorCode.UNSUPPORTED_OPERATION, message);
    }
}
