package io.brook.engine.exec;

import io.brook.engine.batch.Column;
import io.brook.engine.batch.ColumnType;
import io.brook.engine.batch.DoubleColumn;
import io.brook.engine.batch.IntColumn;
import io.brook.engine.batch.LongColumn;

/**
 * Builds a column of a result type Calcite chose (INT, BIGINT, DOUBLE, DATE or TIMESTAMP) from long or double values,
 * so a function computes in one width and writes whatever its call's type is. Doubles written to an integral type
 * truncate towards zero; longs written to INT wrap, as Spark's casts do.
 */
final class NumberBuilder {
    private final ColumnType type;
    private final IntColumn.Builder ints;
    private final LongColumn.Builder longs;
    private final DoubleColumn.Builder doubles;

    NumberBuilder(ColumnType type, int size) {
        this.type = type;
        this.ints = type.storedAsInt() ? IntColumn.builder(type, size) : null;
        this.longs = type.storedAsLong() ? LongColumn.builder(type, size) : null;
        this.doubles = type == ColumnType.DOUBLE ? DoubleColumn.builder(type, size) : null;
        if (ints == null && longs == null && doubles == null) {
            throw new IllegalArgumentException("not a numeric or temporal type: " + type);
        }
    }

    void appendLong(long value) {
        if (longs != null) {
            longs.append(value);
        } else if (ints != null) {
            ints.append((int) value);
        } else {
            doubles.append(value);
        }
    }

    void appendDouble(double value) {
        if (doubles != null) {
            doubles.append(value);
        } else {
            appendLong((long) value);
        }
    }

    void appendNull() {
        if (longs != null) {
            longs.appendNull();
        } else if (ints != null) {
            ints.appendNull();
        } else {
            doubles.appendNull();
        }
    }

    ColumnType type() {
        return type;
    }

    Column build() {
        if (longs != null) {
            return longs.build();
        }
        return ints != null ? ints.build() : doubles.build();
    }
}
