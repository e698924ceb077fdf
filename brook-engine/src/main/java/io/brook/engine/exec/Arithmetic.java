package io.brook.engine.exec;

import io.brook.engine.batch.Column;
import io.brook.engine.batch.ColumnType;
import java.math.BigDecimal;
import java.math.RoundingMode;
import org.apache.calcite.sql.SqlKind;

/**
 * {@code + - * / %}, unary minus, ABS, FLOOR, CEIL and ROUND on numbers, a column at a time, in the width of the
 * call's result type (DECIMAL is computed as DOUBLE); null in, null out. Integer overflow wraps and division or
 * remainder by zero is NULL, as in Spark's non-ANSI mode.
 */
final class Arithmetic {
    private Arithmetic() {}

    static Evaluator of(SqlKind kind, ColumnType result, Evaluator left, Evaluator right) {
        if (!ColumnTypes.isNumeric(result)) {
            throw new IllegalArgumentException("Brook cannot compute " + kind + " into " + result);
        }
        return batch -> {
            Column a = left.evaluate(batch);
            Column b = right.evaluate(batch);
            int size = batch.rowCount();
            NumberBuilder out = new NumberBuilder(result, size);
            boolean real = result == ColumnType.DOUBLE;
            for (int i = 0; i < size; i++) {
                if (a.isNull(i) || b.isNull(i)) {
                    out.appendNull();
                } else if (real) {
                    double y = ColumnTypes.doubleAt(b, i);
                    if (y == 0 && (kind == SqlKind.DIVIDE || kind == SqlKind.MOD)) {
                        out.appendNull();
                    } else {
                        out.appendDouble(apply(kind, ColumnTypes.doubleAt(a, i), y));
                    }
                } else {
                    long y = ColumnTypes.longAt(b, i);
                    if (y == 0 && (kind == SqlKind.DIVIDE || kind == SqlKind.MOD)) {
                        out.appendNull();
                    } else {
                        out.appendLong(apply(kind, ColumnTypes.longAt(a, i), y));
                    }
                }
            }
            return out.build();
        };
    }

    private static long apply(SqlKind kind, long x, long y) {
        return switch (kind) {
            case PLUS -> x + y;
            case MINUS -> x - y;
            case TIMES -> x * y;
            case DIVIDE -> x / y;
            case MOD -> x % y;
            default -> throw new IllegalArgumentException("not arithmetic: " + kind);
        };
    }

    private static double apply(SqlKind kind, double x, double y) {
        return switch (kind) {
            case PLUS -> x + y;
            case MINUS -> x - y;
            case TIMES -> x * y;
            case DIVIDE -> x / y;
            case MOD -> x % y;
            default -> throw new IllegalArgumentException("not arithmetic: " + kind);
        };
    }

    /** The one-operand functions, each on longs and on doubles. */
    enum Unary {
        NEGATE {
            @Override
            long apply(long x) {
                return -x;
            }

            @Override
            double apply(double x) {
                return -x;
            }
        },
        ABS {
            @Override
            long apply(long x) {
                return Math.abs(x);
            }

            @Override
            double apply(double x) {
                return Math.abs(x);
            }
        },
        FLOOR {
            @Override
            long apply(long x) {
                return x;
            }

            @Override
            double apply(double x) {
                return Math.floor(x);
            }
        },
        CEIL {
            @Override
            long apply(long x) {
                return x;
            }

            @Override
            double apply(double x) {
                return Math.ceil(x);
            }
        };

        abstract long apply(long x);

        abstract double apply(double x);
    }

    static Evaluator unary(Unary function, ColumnType result, Evaluator operand) {
        return batch -> {
            Column in = operand.evaluate(batch);
            NumberBuilder out = new NumberBuilder(result, in.size());
            boolean real = in.type() == ColumnType.DOUBLE;
            for (int i = 0; i < in.size(); i++) {
                if (in.isNull(i)) {
                    out.appendNull();
                } else if (real) {
                    out.appendDouble(function.apply(ColumnTypes.doubleAt(in, i)));
                } else {
                    out.appendLong(function.apply(ColumnTypes.longAt(in, i)));
                }
            }
            return out.build();
        };
    }

    /**
     * ROUND(x[, scale]), half away from zero as Spark rounds: on doubles to {@code scale} decimals, on integers to a
     * multiple of {@code 10^-scale} when the scale is negative.
     */
    static Evaluator round(ColumnType result, Evaluator operand, Evaluator scale) {
        return batch -> {
            Column in = operand.evaluate(batch);
            Column scales = scale == null ? null : scale.evaluate(batch);
            NumberBuilder out = new NumberBuilder(result, in.size());
            boolean real = in.type() == ColumnType.DOUBLE;
            for (int i = 0; i < in.size(); i++) {
                if (in.isNull(i) || (scales != null && scales.isNull(i))) {
                    out.appendNull();
                    continue;
                }
                int digits = scales == null ? 0 : (int) ColumnTypes.longAt(scales, i);
                if (real) {
                    out.appendDouble(roundHalfUp(ColumnTypes.doubleAt(in, i), digits, Math.pow(10, digits)));
                } else {
                    out.appendLong(roundHalfUp(ColumnTypes.longAt(in, i), digits));
                }
            }
            return out.build();
        };
    }

    /** Rounds half away from zero to {@code scale} decimals ({@code factor} is {@code 10^scale}). */
    /**
     * A DOUBLE column of values whose exact decimals have at most {@code scale} digits after the point (sums and
     * products of decimals), each set to the double nearest its exact decimal: the computation's error (well under
     * half a unit of the scale) rounds away, as {@code 0.908 * 13865077} is 12589489.916, not 12589489.916000001.
     * Values too large for 2^53 units of the scale are left as computed.
     */
    static Evaluator toScale(Evaluator values, int scale) {
        if (scale < 0 || scale > 15) {
            return values;
        }
        double factor = Math.pow(10, scale);
        double limit = 0x1p53 / factor;
        return batch -> {
            Column in = values.evaluate(batch);
            int size = in.size();
            NumberBuilder out = new NumberBuilder(ColumnType.DOUBLE, size);
            for (int i = 0; i < size; i++) {
                if (in.isNull(i)) {
                    out.appendNull();
                    continue;
                }
                double value = ColumnTypes.doubleAt(in, i);
                // An exact count of units divided once by a power of ten: correctly rounded.
                out.appendDouble(Math.abs(value) < limit ? Math.rint(value * factor) / factor : value);
            }
            return out.build();
        };
    }

    static double roundHalfUp(double value, int scale, double factor) {
        if (!Double.isFinite(value)) {
            return value;
        }
        if (scale == 0) {
            double magnitude = Math.abs(value);
            double floor = Math.floor(magnitude);
            // magnitude - floor is exact, so halves are recognised exactly.
            return Math.copySign(magnitude - floor >= 0.5 ? floor + 1 : floor, value);
        }
        if (Math.abs(value) * factor < 1e15) {
            // Most values have no more decimals than the scale already (a DECIMAL column cast to a wider one, q1's
            // rounded product): the nearest double to their units over the factor is the value itself. Only the
            // others take the slow path.
            if (Math.rint(value * factor) / factor == value) {
                return value;
            }
            // Decimal text of the double, rounded as written (so 1.005 rounds to 1.01 as in Spark).
            return BigDecimal.valueOf(value)
                    .setScale(scale, RoundingMode.HALF_UP)
                    .doubleValue();
        }
        return value;
    }

    private static long roundHalfUp(long value, int scale) {
        if (scale >= 0) {
            return value;
        }
        if (scale < -18) {
            return 0;
        }
        long unit = 1;
        for (int i = 0; i < -scale; i++) {
            unit *= 10;
        }
        long remainder = value % unit;
        long truncated = value - remainder;
        if (Math.abs(remainder) * 2 >= unit) {
            return truncated + (value < 0 ? -unit : unit);
        }
        return truncated;
    }
}
