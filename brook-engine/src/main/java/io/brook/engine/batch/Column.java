package io.brook.engine.batch;

/**
 * A column of a {@link Batch}: values of one type in a primitive array (arrays: offsets into a child column of their
 * elements; structs: a child column per field), with a null bitmap when some are null.
 * Columns are immutable; {@link #region} is a view without a copy, {@link #gather} a compact copy of chosen positions.
 */
public sealed interface Column
        permits BooleanColumn, IntColumn, LongColumn, DoubleColumn, VarcharColumn, ArrayColumn, StructColumn {
    ColumnType type();

    /** The number of positions. */
    int size();

    boolean isNull(int position);

    /** False when no position is null (operators then skip the null checks). */
    boolean mayHaveNulls();

    /** The positions {@code offset} to {@code offset + length - 1}, sharing this column's arrays. */
    Column region(int offset, int length);

    /** A new column of the values at {@code positions[offset]} to {@code positions[offset + length - 1]}, in order. */
    Column gather(int[] positions, int offset, int length);

    /** The value at a position as a Java object (null for null), for tests, sinks and the console; not for operators. */
    Object value(int position);

    static void checkRegion(int size, int offset, int length) {
        if (offset < 0 || length < 0 || offset > size - length) {
            throw new IndexOutOfBoundsException(
                    "region at " + offset + " of " + length + " positions is outside a column of " + size);
        }
    }
}
