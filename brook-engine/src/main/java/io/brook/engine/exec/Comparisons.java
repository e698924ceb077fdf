package io.brook.engine.exec;

import io.brook.engine.batch.BooleanColumn;
import io.brook.engine.batch.Column;
import io.brook.engine.batch.ColumnType;
import io.brook.engine.batch.VarcharColumn;
import org.apache.calcite.sql.SqlKind;

/** {@code = <> < <= > >=} and IS [NOT] DISTINCT FROM on numbers (widened), booleans and strings (by UTF-8 bytes); null when either side is. */
final class Comparisons {
    private Comparisons() {}

    static Evaluator of(SqlKind kind, Evaluator left, Evaluator right) {
        return batch -> {
            Column a = left.evaluate(batch);
            Column b = right.evaluate(batch);
            int size = batch.rowCount();
            BooleanColumn.Builder out = BooleanColumn.builder(ColumnType.BOOLEAN, size);
            for (int i = 0; i < size; i++) {
                if (a.isNull(i) || b.isNull(i)) {
                    out.appendNull();
                } else {
                    out.append(holds(kind, compare(a, b, i)));
                }
            }
            return out.build();
        };
    }

    /** IS [NOT] DISTINCT FROM: like {@code <>} (or {@code =}) but never null, two nulls being not distinct. */
    static Evaluator distinct(boolean distinct, Evaluator left, Evaluator right) {
        return batch -> {
            Column a = left.evaluate(batch);
            Column b = right.evaluate(batch);
            boolean[] values = new boolean[batch.rowCount()];
            for (int i = 0; i < values.length; i++) {
                boolean same = a.isNull(i) || b.isNull(i) ? a.isNull(i) && b.isNull(i) : compare(a, b, i) == 0;
                values[i] = same != distinct;
            }
            return BooleanColumn.of(ColumnType.BOOLEAN, values);
        };
    }

    /** Compares row {@code i} of two columns of comparable types; neither may be null there. */
    static int compare(Column a, Column b, int i) {
        if (a instanceof VarcharColumn x && b instanceof VarcharColumn y) {
            return x.compareBytes(i, y, i);
        }
        if (a instanceof BooleanColumn x && b instanceof BooleanColumn y) {
            return Boolean.compare(x.getBoolean(i), y.getBoolean(i));
        }
        if (a.type() == ColumnType.DOUBLE || b.type() == ColumnType.DOUBLE) {
            return Double.compare(ColumnTypes.doubleAt(a, i), ColumnTypes.doubleAt(b, i));
        }
        return Long.compare(ColumnTypes.longAt(a, i), ColumnTypes.longAt(b, i));
    }

    private static boolean holds(SqlKind kind, int comparison) {
        return switch (kind) {
            case EQUALS -> comparison == 0;
            case NOT_EQUALS -> comparison != 0;
            case LESS_THAN -> comparison < 0;
            case LESS_THAN_OR_EQUAL -> comparison <= 0;
            case GREATER_THAN -> comparison > 0;
            case GREATER_THAN_OR_EQUAL -> comparison >= 0;
            default -> throw new IllegalArgumentException("not a comparison: " + kind);
        };
    }
}
