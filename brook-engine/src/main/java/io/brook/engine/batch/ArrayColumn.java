package io.brook.engine.batch;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * A column of ARRAY values: the elements of every array back to back in one child column (of a scalar type or
 * STRUCT), and per
 * position the offsets of its first and past-its-last element there, as Trino's {@code ArrayBlock} and Arrow's list
 * vectors keep them. A null array has no elements; an element may be null in an array that is not. A {@link #region}
 * shares the offsets and the elements; {@link #gather} copies the chosen arrays' elements into a new child.
 */
public final class ArrayColumn implements Column {
    private final Column elements;
    private final int[] offsets;
    private final int arrayOffset;
    private final int size;
    private final Nulls nulls;

    ArrayColumn(Column elements, int[] offsets, int arrayOffset, int size, Nulls nulls) {
        if (elements.type() == ColumnType.ARRAY) {
            throw new IllegalArgumentException("array elements must be of a scalar type or STRUCT, not ARRAY");
        }
        this.elements = elements;
        this.offsets = offsets;
        this.arrayOffset = arrayOffset;
        this.size = size;
        this.nulls = nulls;
    }

    /** A column of these arrays (each a list of Java values as {@link ColumnBuilder#appendObject} takes them, or null). */
    public static ArrayColumn of(ColumnType elementType, List<?>... arrays) {
        Builder builder = builder(elementType, arrays.length);
        for (List<?> array : arrays) {
            builder.appendList(array);
        }
        return builder.build();
    }

    @Override
    public ColumnType type() {
        return ColumnType.ARRAY;
    }

    /** The type of the elements (a scalar type or STRUCT). */
    public ColumnType elementType() {
        return elements.type();
    }

    /** The elements' description, named {@code element} and nullable (a STRUCT one names its fields). */
    public Field elementField() {
        return elements instanceof StructColumn struct
                ? Field.struct("element", struct.fields(), true)
                : new Field("element", elements.type(), true);
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public boolean isNull(int position) {
        return nulls != null && nulls.isNull(arrayOffset + position);
    }

    @Override
    public boolean mayHaveNulls() {
        return nulls != null;
    }

    /**
     * The elements of all arrays, shared (not copied); the array at a position is {@link #length} elements from
     * {@link #start}.
     */
    public Column elements() {
        return elements;
    }

    /** The position in {@link #elements} of the first element of the array at a position. */
    public int start(int position) {
        return offsets[arrayOffset + position];
    }

    /** The number of elements of the array at a position (0 where it is null). */
    public int length(int position) {
        return offsets[arrayOffset + position + 1] - offsets[arrayOffset + position];
    }

    @Override
    public ArrayColumn region(int offset, int length) {
        Column.checkRegion(size, offset, length);
        return new ArrayColumn(elements, offsets, arrayOffset + offset, length, nulls);
    }

    @Override
    public ArrayColumn gather(int[] positions, int offset, int length) {
        int total = 0;
        for (int i = 0; i < length; i++) {
            total += length(positions[offset + i]);
        }
        int[] elementPositions = new int[total];
        int[] gatheredOffsets = new int[length + 1];
        int at = 0;
        for (int i = 0; i < length; i++) {
            int position = positions[offset + i];
            int start = start(position);
            int count = length(position);
            for (int k = 0; k < count; k++) {
                elementPositions[at++] = start + k;
            }
            gatheredOffsets[i + 1] = at;
        }
        Nulls gatheredNulls = nulls == null ? null : nulls.gather(arrayOffset, positions, offset, length);
        return new ArrayColumn(elements.gather(elementPositions, 0, total), gatheredOffsets, 0, length, gatheredNulls);
    }

    /** The array at a position as an unmodifiable list of its elements' Java values (nulls included), or null. */
    @Override
    public List<Object> value(int position) {
        if (isNull(position)) {
            return null;
        }
        int start = start(position);
        Object[] values = new Object[length(position)];
        for (int i = 0; i < values.length; i++) {
            values[i] = elements.value(start + i);
        }
        return Collections.unmodifiableList(Arrays.asList(values));
    }

    public static Builder builder(ColumnType elementType, int expectedSize) {
        return new Builder(new Field("element", elementType, true), expectedSize);
    }

    /** A builder of arrays of elements described by a field (of a scalar type, or a STRUCT of scalars). */
    public static Builder builder(Field element, int expectedSize) {
        return new Builder(element, expectedSize);
    }

    /**
     * Appends arrays one by one: append an array's elements to {@link #elements()}, then {@link #endArray()} closes it;
     * or {@link #appendNull()}, or {@link #appendList}. {@link #build} hands the arrays over without a copy.
     */
    public static final class Builder {
        private final ColumnBuilder elements;
        private int[] offsets;
        private int size;
        private final Nulls.Builder nulls = new Nulls.Builder();

        private Builder(Field element, int expectedSize) {
            if (element.type() == ColumnType.ARRAY) {
                throw new IllegalArgumentException(
                        "array elements must be of a scalar type or STRUCT, not " + element.typeName());
            }
            this.elements = new ColumnBuilder(element, Math.max(8, expectedSize) * 2);
            this.offsets = new int[Math.max(8, expectedSize) + 1];
        }

        /** The builder of the elements of the array being appended. */
        public ColumnBuilder elements() {
            return elements;
        }

        /** Ends the array being appended: its elements are those appended since the previous array. */
        public Builder endArray() {
            if (size + 1 == offsets.length) {
                offsets = Arrays.copyOf(offsets, offsets.length * 2);
            }
            offsets[size + 1] = elements.size();
            size++;
            return this;
        }

        public Builder appendNull() {
            if (elements.size() != offsets[size]) {
                throw new IllegalStateException("a null array cannot have elements; "
                        + (elements.size() - offsets[size]) + " were appended since the previous array");
            }
            nulls.set(size);
            return endArray();
        }

        /** Appends an array of Java values as {@link ColumnBuilder#appendObject} takes them, or null. */
        public Builder appendList(List<?> values) {
            if (values == null) {
                return appendNull();
            }
            for (Object value : values) {
                elements.appendObject(value);
            }
            return endArray();
        }

        /** Appends a copy of the array at a position of another array column of the same element type. */
        public Builder append(ArrayColumn source, int position) {
            if (source.isNull(position)) {
                return appendNull();
            }
            int start = source.start(position);
            int length = source.length(position);
            for (int i = 0; i < length; i++) {
                elements.append(source.elements, start + i);
            }
            return endArray();
        }

        public ArrayColumn build() {
            return new ArrayColumn(elements.build(), offsets, 0, size, nulls.build());
        }
    }
}
