package io.brook.engine.batch;

import java.util.Arrays;

/** Columns built whole rather than appended value by value. */
public final class Columns {
    private Columns() {}

    /** A column of {@code size} nulls of a field's type (a NULL literal, say). */
    public static Column allNull(Field field, int size) {
        if (field.type().isScalar()) {
            return allNull(field.type(), size);
        }
        ColumnBuilder builder = new ColumnBuilder(field, size);
        for (int i = 0; i < size; i++) {
            builder.appendNull();
        }
        return builder.build();
    }

    /** A column of {@code size} nulls of a scalar type; an ARRAY or STRUCT needs its Field, see {@link #allNull(Field, int)}. */
    public static Column allNull(ColumnType type, int size) {
        long[] bits = new long[Nulls.words(size)];
        Arrays.fill(bits, -1L);
        Nulls nulls = Nulls.of(bits);
        return switch (type) {
            case BOOLEAN -> new BooleanColumn(type, new boolean[size], 0, size, nulls);
            case INT, DATE -> new IntColumn(type, new int[size], 0, size, nulls);
            case BIGINT, TIMESTAMP -> new LongColumn(type, new long[size], 0, size, nulls);
            case DOUBLE -> new DoubleColumn(type, new double[size], 0, size, nulls);
            case VARCHAR, VARBINARY -> new VarcharColumn(type, new byte[0], new int[size + 1], 0, size, nulls);
            case ARRAY ->
                throw new IllegalArgumentException(
                        "a column of null arrays needs the element type: use allNull(Field, size)");
            case STRUCT ->
                throw new IllegalArgumentException(
                        "a column of null structs needs the fields: use allNull(Field, size)");
        };
    }
}
