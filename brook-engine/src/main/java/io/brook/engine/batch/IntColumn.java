package io.brook.engine.batch;

import java.util.Arrays;

/** A column of INT and DATE values in a {@code int[]}. */
public final class IntColumn implements Column {
    private final ColumnType type;
    private final int[] values;
    private final int arrayOffset;
    private final int size;
    private final Nulls nulls;

    IntColumn(ColumnType type, int[] values, int arrayOffset, int size, Nulls nulls) {
        if (!type.storedAsInt()) {
            throw new IllegalArgumentException("an IntColumn holds INT or DATE, not " + type);
        }
        this.type = type;
        this.values = values;
        this.arrayOffset = arrayOffset;
        this.size = size;
        this.nulls = nulls;
    }

    /** A column of these values, none null. */
    public static IntColumn of(ColumnType type, int... values) {
        return new IntColumn(type, values.clone(), 0, values.length, null);
    }

    @Override
    public ColumnType type() {
        return type;
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

    /** The value at a position; meaningless (but defined) where {@link #isNull} is true. */
    public int getInt(int position) {
        return values[arrayOffset + position];
    }

    @Override
    public IntColumn region(int offset, int length) {
        Column.checkRegion(size, offset, length);
        return new IntColumn(type, values, arrayOffset + offset, length, nulls);
    }

    @Override
    public IntColumn gather(int[] positions, int offset, int length) {
        int[] gathered = new int[length];
        for (int i = 0; i < length; i++) {
            gathered[i] = values[arrayOffset + positions[offset + i]];
        }
        Nulls gatheredNulls = nulls == null ? null : nulls.gather(arrayOffset, positions, offset, length);
        return new IntColumn(type, gathered, 0, length, gatheredNulls);
    }

    @Override
    public Object value(int position) {
        return isNull(position) ? null : getInt(position);
    }

    public static Builder builder(ColumnType type, int expectedSize) {
        return new Builder(type, expectedSize);
    }

    /** Appends values one by one; {@link #build} hands the arrays over without a copy. */
    public static final class Builder {
        private final ColumnType type;
        private int[] values;
        private int size;
        private final Nulls.Builder nulls = new Nulls.Builder();

        private Builder(ColumnType type, int expectedSize) {
            this.type = type;
            this.values = new int[Math.max(8, expectedSize)];
        }

        public Builder append(int value) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = value;
            return this;
        }

        public Builder appendNull() {
            nulls.set(size);
            return append(0);
        }

        public IntColumn build() {
            return new IntColumn(type, values, 0, size, nulls.build());
        }
    }
}
