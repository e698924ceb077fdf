package io.brook.engine.batch;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Builds a column of any type value by value, for operators whose output is not a whole-column computation
 * (aggregation results, decoded keys, sorted and merged rows). Integer-like types take longs, which must fit. An ARRAY
 * builder is made from its {@link Field} (which names the element type); an array is appended whole ({@link #append},
 * {@link #appendObject}) or element by element into {@link #arrayElements()}, closed by {@link #endArray()}.
 */
public final class ColumnBuilder {
    private final ColumnType type;
    private final ArrayColumn.Builder arrays;
    private final StructColumn.Builder structs;
    private final BooleanColumn.Builder booleans;
    private final IntColumn.Builder ints;
    private final LongColumn.Builder longs;
    private final DoubleColumn.Builder doubles;
    private final VarcharColumn.Builder varchars;
    private int size;

    /** A builder of a column of a scalar type. */
    public ColumnBuilder(ColumnType type, int expectedSize) {
        this(new Field("column", checkScalar(type), true), expectedSize);
    }

    /** A builder of a column of the field's type (with its element type or struct fields). */
    public ColumnBuilder(Field field, int expectedSize) {
        this.type = field.type();
        this.arrays = type == ColumnType.ARRAY ? ArrayColumn.builder(field.element(), expectedSize) : null;
        this.structs = type == ColumnType.STRUCT ? StructColumn.builder(field.children(), expectedSize) : null;
        this.booleans = type == ColumnType.BOOLEAN ? BooleanColumn.builder(type, expectedSize) : null;
        this.ints = type.storedAsInt() ? IntColumn.builder(type, expectedSize) : null;
        this.longs = type.storedAsLong() ? LongColumn.builder(type, expectedSize) : null;
        this.doubles = type == ColumnType.DOUBLE ? DoubleColumn.builder(type, expectedSize) : null;
        this.varchars = type.storedAsBytes() ? VarcharColumn.builder(type, expectedSize) : null;
    }

    private static ColumnType checkScalar(ColumnType type) {
        if (type == ColumnType.ARRAY) {
            throw new IllegalArgumentException("an ARRAY column builder needs the element type: build it from a Field");
        }
        if (type == ColumnType.STRUCT) {
            throw new IllegalArgumentException("a STRUCT column builder needs its fields: build it from a Field");
        }
        return type;
    }

    public ColumnType type() {
        return type;
    }

    /** The builder of the structs (STRUCT only): append a value to each child, then {@link #endStruct()}. */
    public StructColumn.Builder structs() {
        return structs;
    }

    /** Ends the struct whose field values were appended to {@link #structs()} since the previous value. */
    public void endStruct() {
        structs.endStruct();
        size++;
    }

    /** The element type of an ARRAY builder; null for a scalar one. */
    public ColumnType elementType() {
        return arrays == null ? null : arrays.elements().type();
    }

    public int size() {
        return size;
    }

    /** The builder of the elements of the array being appended (ARRAY only); {@link #endArray} closes the array. */
    public ColumnBuilder arrayElements() {
        return arrays.elements();
    }

    /** Ends the array whose elements were appended to {@link #arrayElements()} since the previous value. */
    public void endArray() {
        arrays.endArray();
        size++;
    }

    public void appendNull() {
        switch (type) {
            case BOOLEAN -> booleans.appendNull();
            case INT, DATE -> ints.appendNull();
            case BIGINT, TIMESTAMP -> longs.appendNull();
            case DOUBLE -> doubles.appendNull();
            case VARCHAR, VARBINARY -> varchars.appendNull();
            case ARRAY -> arrays.appendNull();
            case STRUCT -> structs.appendNull();
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
        } else if (column instanceof ArrayColumn c) {
            arrays.append(c, position);
            size++;
        } else if (column instanceof StructColumn c) {
            structs.append(c, position);
            size++;
        } else {
            ((VarcharColumn) column).appendTo(position, varchars);
            size++;
        }
    }

    /** Appends a VARBINARY (or UTF-8 VARCHAR) value. */
    public void appendBytes(byte[] value) {
        appendUtf8(value, 0, value.length);
    }

    /**
     * Appends a Java value (Boolean, Number, String, byte[] for VARBINARY, a List of such values for ARRAY, a List of
     * the fields' values for STRUCT, or null) as
     * this column's type.
     */
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
            case ARRAY -> {
                arrays.appendList((List<?>) value);
                size++;
            }
            case STRUCT -> {
                structs.appendList((List<?>) value);
                size++;
            }
        }
    }

    public Column build() {
        return switch (type) {
            case BOOLEAN -> booleans.build();
            case INT, DATE -> ints.build();
            case BIGINT, TIMESTAMP -> longs.build();
            case DOUBLE -> doubles.build();
            case VARCHAR, VARBINARY -> varchars.build();
            case ARRAY -> arrays.build();
            case STRUCT -> structs.build();
        };
    }
}
