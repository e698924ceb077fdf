package io.brook.engine.exec;

import java.math.BigDecimal;
import java.util.Map;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.type.SqlTypeFamily;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * The time range a stream–stream join condition allows between its two event times, as bounds on
 * {@code rightTime - leftTime}: from conjuncts such as {@code rightTime >= leftTime} and
 * {@code rightTime <= leftTime + INTERVAL '1' HOUR} (or BETWEEN), and from equalities of time columns (joining two
 * window aggregations on their window ends bounds the range to 0). A conjunct may name a column tied to a side's time
 * by a constant (a window's start is its end minus the size). With the watermarks, the bounds tell when a buffered row
 * can match no future row of the other side and may leave the state.
 */
record JoinTimeBounds(long lowerMicros, long upperMicros) {
    static final JoinTimeBounds NONE = new JoinTimeBounds(Long.MIN_VALUE, Long.MAX_VALUE);

    /** A column reference plus a constant offset, {@code column + micros}. */
    record Linear(int column, long micros) {}

    /**
     * The bounds in a join condition on {@code right - left}, where {@code left} and {@code right} map the columns
     * (indexes into the join's row type) that stand for each side's time to their offset from it ({@code 0} for the
     * time column itself); NONE where the condition says nothing.
     */
    static JoinTimeBounds of(RexNode condition, Map<Integer, Long> left, Map<Integer, Long> right) {
        long lower = Long.MIN_VALUE;
        long upper = Long.MAX_VALUE;
        for (RexNode conjunct : RelOptUtil.conjunctions(condition)) {
            if (!(conjunct instanceof RexCall call) || call.getOperands().size() != 2) {
                continue;
            }
            SqlKind kind = call.getKind();
            boolean greater = kind == SqlKind.GREATER_THAN || kind == SqlKind.GREATER_THAN_OR_EQUAL;
            boolean less = kind == SqlKind.LESS_THAN || kind == SqlKind.LESS_THAN_OR_EQUAL;
            boolean equal = kind == SqlKind.EQUALS;
            if (!greater && !less && !equal) {
                continue;
            }
            Linear x = linear(call.getOperands().get(0));
            Linear y = linear(call.getOperands().get(1));
            if (x == null || y == null) {
                continue;
            }
            // Normalise to "x >= y" (an equality is that both ways).
            if (less) {
                Linear swap = x;
                x = y;
                y = swap;
            }
            for (int direction = 0; direction < (equal ? 2 : 1); direction++) {
                if (direction == 1) {
                    Linear swap = x;
                    x = y;
                    y = swap;
                }
                if (right.containsKey(x.column()) && left.containsKey(y.column())) {
                    // right + ox + cx >= left + oy + cy  =>  right - left >= oy + cy - ox - cx
                    long bound = left.get(y.column()) + y.micros() - right.get(x.column()) - x.micros();
                    lower = Math.max(lower, bound);
                } else if (left.containsKey(x.column()) && right.containsKey(y.column())) {
                    // left + ox + cx >= right + oy + cy  =>  right - left <= ox + cx - oy - cy
                    long bound = left.get(x.column()) + x.micros() - right.get(y.column()) - y.micros();
                    upper = Math.min(upper, bound);
                }
            }
        }
        return new JoinTimeBounds(lower, upper);
    }

    /**
     * An expression as {@code column + micros}: a column, a column plus or minus a day-time interval literal, or a
     * cast of such a timestamp to a timestamp; null for anything else.
     */
    static Linear linear(RexNode node) {
        if (node instanceof RexInputRef ref) {
            return new Linear(ref.getIndex(), 0);
        }
        if (node instanceof RexCall call
                && call.getKind() == SqlKind.CAST
                && call.getType().getSqlTypeName() == SqlTypeName.TIMESTAMP
                && call.getOperands().get(0).getType().getSqlTypeName() == SqlTypeName.TIMESTAMP
                && call.getType().getPrecision()
                        >= call.getOperands().get(0).getType().getPrecision()) {
            return linear(call.getOperands().get(0));
        }
        if (node instanceof RexCall call
                && (call.getKind() == SqlKind.PLUS || call.getKind() == SqlKind.MINUS)
                && call.getOperands().get(0) instanceof RexInputRef ref
                && call.getOperands().get(1) instanceof RexLiteral literal
                && literal.getType().getSqlTypeName().getFamily() == SqlTypeFamily.INTERVAL_DAY_TIME) {
            long micros = literal.getValueAs(BigDecimal.class).longValue() * 1000;
            return new Linear(ref.getIndex(), call.getKind() == SqlKind.PLUS ? micros : -micros);
        }
        return null;
    }

    /** A left row at this time can match no right row after the watermark. */
    boolean leftExpired(long leftTime, long watermark) {
        return upperMicros != Long.MAX_VALUE && leftTime + upperMicros <= watermark;
    }

    /** A right row at this time can match no left row after the watermark. */
    boolean rightExpired(long rightTime, long watermark) {
        return lowerMicros != Long.MIN_VALUE && rightTime - lowerMicros <= watermark;
    }
}
