package io.brook.engine.batch;

import java.util.Arrays;

/** A column of BIGINT and TIMESTAMP values in a {@code long[]}. */
public final class LongColumn implements Column {
    private final ColumnType type;
    private final long[] values;
    private final int arrayOffset;
    private final int size;
    private final Nulls nulls;

    LongColumn(ColumnType type, long[] values, int arrayOffset, int size, Nulls nulls) {
        if (!type.storedAsLong()) {
            throw new IllegalArgumentException("a LongColumn holds BIGINT or TIMESTAMP, not " + type);
        }
        this.type = type;
        this.values = values;
        this.arrayOffset = arrayOffset;
        this.size = size;
        this.nulls = nulls;
    }

    /** A column of these values, none null. */
    public static LongColumn of(ColumnType type, long... values) {
        return new LongColumn(type, values.clone(), 0, values.length, null);
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
    public long getLong(int position) {
        return values[arrayOffset + position];
    }

    @Override
    public LongColumn region(int offset, int length) {
        Column.checkRegion(size, offset, length);
        return new LongColumn(type, values, arrayOffset + offset, length, nulls);
    }

    @Override
    public LongColumn gather(int[] positions, int offset, int length) {
        long[] gathered = new long[length];
        for (int i = 0; i < length; i++) {
            gathered[i] = values[arrayOffset + positions[offset + i]];
        }
        Nulls gatheredNulls = nulls == null ? null : nulls.gather(arrayOffset, positions, offset, length);
        return new LongColumn(type, gathered, 0, length, gatheredNulls);
    }

    @Override
    public Object value(int position) {
        return isNull(position) ? null : getLong(position);
    }

    public static Builder builder(ColumnType type, int expectedSize) {
        return new Builder(type, expectedSize);
    }

    /** Appends values one by one; {@link #build} hands the arrays over without a copy. */
    public static final class Builder {
        private final ColumnType type;
        private long[] values;
        private int size;
        private final Nulls.Builder nulls = new Nulls.Builder();

        private Builder(ColumnType type, int expectedSize) {
            this.type = type;
            this.values = new long[Math.max(8, expectedSize)];
        }

        public Builder append(long value) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = value;
            return this;
        }

        public Builder appendNull() {
            nulls.set(size);
            return append(0L);
        }

        public LongColumn build() {
            return new LongColumn(type, values, 0, size, nulls.build());
        }
    }
}
