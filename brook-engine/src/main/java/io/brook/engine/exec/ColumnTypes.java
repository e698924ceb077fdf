package io.brook.engine.exec;

import io.brook.engine.batch.Column;
import io.brook.engine.batch.ColumnType;
import io.brook.engine.batch.DoubleColumn;
import io.brook.engine.batch.IntColumn;
import io.brook.engine.batch.LongColumn;
import io.brook.engine.plan.RelTypes;
import org.apache.calcite.rel.type.RelDataType;

/** Column types of Calcite types, and numeric reads that widen INT to BIGINT to DOUBLE. */
final class ColumnTypes {

    private ColumnTypes() {}

    static ColumnType of(RelDataType type) {
        return RelTypes.columnType("expression", type);
    }

    static boolean isNumeric(ColumnType type) {
        return type == ColumnType.INT || type == ColumnType.BIGINT || type == ColumnType.DOUBLE;
    }

    static long longAt(Column column, int position) {
        if (column instanceof LongColumn longs) {
            return longs.getLong(position);
        }
        if (column instanceof IntColumn ints) {
            return ints.getInt(position);
        }
        if (column instanceof DoubleColumn doubles) {
            return (long) doubles.getDouble(position);
        }
        throw new IllegalArgumentException("not a number column: " + column.type());
    }

    static double doubleAt(Column column, int position) {
        if (column instanceof DoubleColumn doubles) {
            return doubles.getDouble(position);
        }
        return longAt(column, position);
    }
}
