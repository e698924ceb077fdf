package io.brook.engine.exec;

import io.brook.engine.batch.Column;
import io.brook.engine.batch.ColumnType;
import io.brook.engine.batch.DoubleColumn;
import io.brook.engine.batch.IntColumn;
import io.brook.engine.batch.LongColumn;
import org.apache.calcite.sql.SqlKind;

/** {@code + - *} and numeric casts, a column at a time; null in, null out. Integer overflow wraps, as in Spark. */
final class Arithmetic {
    private Arithmetic() {}

    static Evaluator of(SqlKind kind, ColumnType result, Evaluator left, Evaluator right) {
        return batch -> {
            Column a = left.evaluate(batch);
            Column b = right.evaluate(batch);
            int size = batch.rowCount();
            switch (result) {
                case DOUBLE -> {
                    DoubleColumn.Builder out = DoubleColumn.builder(result, size);
                    for (int i = 0; i < size; i++) {
                        if (a.isNull(i) || b.isNull(i)) {
                            out.appendNull();
                        } else {
                            double x = ColumnTypes.doubleAt(a, i);
                            double y = ColumnTypes.doubleAt(b, i);
                            out.append(kind == SqlKind.PLUS ? x + y : kind == SqlKind.MINUS ? x - y : x * y);
                        }
                    }
                    return out.build();
                }
                case BIGINT -> {
                    LongColumn.Builder out = LongColumn.builder(result, size);
                    for (int i = 0; i < size; i++) {
                        if (a.isNull(i) || b.isNull(i)) {
                            out.appendNull();
                        } else {
                            out.append(apply(kind, ColumnTypes.longAt(a, i), ColumnTypes.longAt(b, i)));
                        }
                    }
                    return out.build();
                }
                case INT -> {
                    IntColumn.Builder out = IntColumn.builder(result, size);
                    for (int i = 0; i < size; i++) {
                        if (a.isNull(i) || b.isNull(i)) {
                            out.appendNull();
                        } else {
                            out.append((int) apply(kind, ColumnTypes.longAt(a, i), ColumnTypes.longAt(b, i)));
                        }
                    }
                    return out.build();
                }
                default -> throw new UnsupportedOperationException("Brook cannot compute " + kind + " into " + result);
            }
        };
    }

    private static long apply(SqlKind kind, long x, long y) {
        return switch (kind) {
            case PLUS -> x + y;
            case MINUS -> x - y;
            case TIMES -> x * y;
            default -> throw new IllegalArgumentException("not arithmetic: " + kind);
        };
    }

    /** A cast between INT, BIGINT and DOUBLE (DOUBLE to an integer truncates towards zero, as Java and Spark do). */
    static Evaluator cast(ColumnType result, Evaluator operand) {
        return batch -> {
            Column in = operand.evaluate(batch);
            int size = in.size();
            switch (result) {
                case DOUBLE -> {
                    DoubleColumn.Builder out = DoubleColumn.builder(result, size);
                    for (int i = 0; i < size; i++) {
                        if (in.isNull(i)) {
                            out.appendNull();
                        } else {
                            out.append(ColumnTypes.doubleAt(in, i));
                        }
                    }
                    return out.build();
                }
                case BIGINT -> {
                    LongColumn.Builder out = LongColumn.builder(result, size);
                    for (int i = 0; i < size; i++) {
                        if (in.isNull(i)) {
                            out.appendNull();
                        } else {
                            out.append(ColumnTypes.longAt(in, i));
                        }
                    }
                    return out.build();
                }
                case INT -> {
                    IntColumn.Builder out = IntColumn.builder(result, size);
                    for (int i = 0; i < size; i++) {
                        if (in.isNull(i)) {
                            out.appendNull();
                        } else {
                            out.append((int) ColumnTypes.longAt(in, i));
                        }
                    }
                    return out.build();
                }
                default -> throw new UnsupportedOperationException("Brook cannot cast to " + result);
            }
        };
    }
}
