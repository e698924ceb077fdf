package io.brook.engine.batch;

import java.nio.charset.StandardCharsets;

/**
 * Builds a column of any type value by value, for operators whose output is not a whole-column computation
 * (aggregation results, decoded keys, sorted and merged rows). Integer-like types take longs, which must fit.
 */
public final class ColumnBuilder {
    private final ColumnType type;
    private final BooleanColumn.Builder booleans;
    private final IntColumn.Builder ints;
    private final LongColumn.Builder longs;
    private final DoubleColumn.Builder doubles;
    private final VarcharColumn.Builder varchars;
    private int size;

    public ColumnBuilder(ColumnType type, int expectedSize) {
        this.type = type;
        this.booleans = type == ColumnType.BOOLEAN ? BooleanColumn.builder(type, expectedSize) : null;
        this.ints = type.storedAsInt() ? IntColumn.builder(type, expectedSize) : null;
        this.longs = type.storedAsLong() ? LongColumn.builder(type, expectedSize) : null;
        this.doubles = type == ColumnType.DOUBLE ? DoubleColumn.builder(type, expectedSize) : null;
        this.varchars = type.storedAsBytes() ? VarcharColumn.builder(type, expectedSize) : null;
    }

    public ColumnType type() {
        return type;
    }

    public int size() {
        return size;
    }

    public void appendNull() {
        switch (type) {
            case BOOLEAN -> booleans.appendNull();
            case INT, DATE -> ints.appendNull();
            case BIGINT, TIMESTAMP -> longs.appendNull();
            case DOUBLE -> doubles.appendNull();
            case VARCHAR, VARBINARY -> varchars.appendNull();
        }
        size++;
    }

    public void appendBoolean(boolean value) {
        booleans.append(value);
        size++;
    }

    /** Appends an INT, DATE, BIGINT or TIMESTAMP value. */
    public void appendLong(long value) {
        if (ints != null) {
            ints.append(Math.toIntExact(value));
        } else {
            longs.append(value);
        }
        size++;
    }

    public void appendDouble(double value) {
        doubles.append(value);
        size++;
    }

    public void appendUtf8(byte[] source, int offset, int length) {
        varchars.appendUtf8(source, offset, length);
        size++;
    }

    public void appendString(String value) {
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        appendUtf8(utf8, 0, utf8.length);
    }

    /** Appends the value at a position of a column of the same type. */
    public void append(Column column, int position) {
        if (column.isNull(position)) {
            appendNull();
            return;
        }
        if (column instanceof BooleanColumn c) {
            appendBoolean(c.getBoolean(position));
        } else if (column instanceof IntColumn c) {
            appendLong(c.getInt(position));
        } else if (column instanceof LongColumn c) {
            appendLong(c.getLong(position));
        } else if (column instanceof DoubleColumn c) {
            appendDouble(c.getDouble(position));
        } else {
            ((VarcharColumn) column).appendTo(position, varchars);
            size++;
        }
    }

    /** Appends a VARBINARY (or UTF-8 VARCHAR) value. */
    public void appendBytes(byte[] value) {
        appendUtf8(value, 0, value.length);
    }

    /** Appends a Java value (Boolean, Number, String, byte[] for VARBINARY, or null) as this column's type. */
    public void appendObject(Object value) {
        if (value == null) {
            appendNull();
            return;
        }
        switch (type) {
            case BOOLEAN -> appendBoolean((Boolean) value);
            case INT, DATE, BIGINT, TIMESTAMP -> appendLong(((Number) value).longValue());
            case DOUBLE -> appendDouble(((Number) value).doubleValue());
            case VARCHAR -> appendString(value.toString());
            case VARBINARY -> appendBytes((byte[]) value);
        }
    }

    public Column build() {
        return switch (type) {
            case BOOLEAN -> booleans.build();
            case INT, DATE -> ints.build();
            case BIGINT, TIMESTAMP -> longs.build();
            case DOUBLE -> doubles.build();
            case VARCHAR, VARBINARY -> varchars.build();
        };
    }
}
