package io.brook.engine.exec;

import java.math.BigDecimal;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlKind;

/**
 * The time range a stream–stream join condition allows between its two event times, as bounds on
 * {@code rightTime - leftTime}: from conjuncts such as {@code rightTime >= leftTime} and
 * {@code rightTime <= leftTime + INTERVAL '1' HOUR} (or BETWEEN). With the watermark, they tell when a buffered row
 * can match no future row of the other side and may leave the state.
 */
record JoinTimeBounds(long lowerMicros, long upperMicros) {
    static final JoinTimeBounds NONE = new JoinTimeBounds(Long.MIN_VALUE, Long.MAX_VALUE);

    /** A column reference plus a constant offset, {@code column + micros}. */
    private record Linear(int column, long micros) {}

    /**
     * The bounds in a join condition between the left time column {@code leftTime} and the right time column
     * {@code rightTime} (both indexes into the join's row type); NONE where the condition says nothing.
     */
    static JoinTimeBounds of(RexNode condition, int leftTime, int rightTime) {
        long lower = Long.MIN_VALUE;
        long upper = Long.MAX_VALUE;
        for (RexNode conjunct : RelOptUtil.conjunctions(condition)) {
            if (!(conjunct instanceof RexCall call) || call.getOperands().size() != 2) {
                continue;
            }
            SqlKind kind = call.getKind();
            boolean greater = kind == SqlKind.GREATER_THAN || kind == SqlKind.GREATER_THAN_OR_EQUAL;
            boolean less = kind == SqlKind.LESS_THAN || kind == SqlKind.LESS_THAN_OR_EQUAL;
            if (!greater && !less) {
                continue;
            }
            Linear x = linear(call.getOperands().get(0));
            Linear y = linear(call.getOperands().get(1));
            if (x == null || y == null) {
                continue;
            }
            // Normalise to "x >= y".
            if (less) {
                Linear swap = x;
                x = y;
                y = swap;
            }
            if (x.column() == rightTime && y.column() == leftTime) {
                // right + cx >= left + cy  =>  right - left >= cy - cx
                lower = Math.max(lower, y.micros() - x.micros());
            } else if (x.column() == leftTime && y.column() == rightTime) {
                // left + cx >= right + cy  =>  right - left <= cx - cy
                upper = Math.min(upper, x.micros() - y.micros());
            }
        }
        return new JoinTimeBounds(lower, upper);
    }

    private static Linear linear(RexNode node) {
        if (node instanceof RexInputRef ref) {
            return new Linear(ref.getIndex(), 0);
        }
        if (node instanceof RexCall call
                && (call.getKind() == SqlKind.PLUS || call.getKind() == SqlKind.MINUS)
                && call.getOperands().get(0) instanceof RexInputRef ref
                && call.getOperands().get(1) instanceof RexLiteral literal
                && literal.getType().getSqlTypeName().getFamily()
                        == org.apache.calcite.sql.type.SqlTypeFamily.INTERVAL_DAY_TIME) {
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
