package io.brook.engine.batch;

import java.util.Arrays;

/** A column of DOUBLE values in a {@code double[]}. */
public final class DoubleColumn implements Column {
    private final ColumnType type;
    private final double[] values;
    private final int arrayOffset;
    private final int size;
    private final Nulls nulls;

    DoubleColumn(ColumnType type, double[] values, int arrayOffset, int size, Nulls nulls) {
        if (type != ColumnType.DOUBLE) {
            throw new IllegalArgumentException("a DoubleColumn holds DOUBLE, not " + type);
        }
        this.type = type;
        this.values = values;
        this.arrayOffset = arrayOffset;
        this.size = size;
        this.nulls = nulls;
    }

    /** A column of these values, none null. */
    public static DoubleColumn of(ColumnType type, double... values) {
        return new DoubleColumn(type, values.clone(), 0, values.length, null);
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
    public double getDouble(int position) {
        return values[arrayOffset + position];
    }

    @Override
    public DoubleColumn region(int offset, int length) {
        Column.checkRegion(size, offset, length);
        return new DoubleColumn(type, values, arrayOffset + offset, length, nulls);
    }

    @Override
    public DoubleColumn gather(int[] positions, int offset, int length) {
        double[] gathered = new double[length];
        for (int i = 0; i < length; i++) {
            gathered[i] = values[arrayOffset + positions[offset + i]];
        }
        Nulls gatheredNulls = nulls == null ? null : nulls.gather(arrayOffset, positions, offset, length);
        return new DoubleColumn(type, gathered, 0, length, gatheredNulls);
    }

    @Override
    public Object value(int position) {
        return isNull(position) ? null : getDouble(position);
    }

    public static Builder builder(ColumnType type, int expectedSize) {
        return new Builder(type, expectedSize);
    }

    /** Appends values one by one; {@link #build} hands the arrays over without a copy. */
    public static final class Builder {
        private final ColumnType type;
        private double[] values;
        private int size;
        private final Nulls.Builder nulls = new Nulls.Builder();

        private Builder(ColumnType type, int expectedSize) {
            this.type = type;
            this.values = new double[Math.max(8, expectedSize)];
        }

        public Builder append(double value) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = value;
            return this;
        }

        public Builder appendNull() {
            nulls.set(size);
            return append(0.0);
        }

        public DoubleColumn build() {
            return new DoubleColumn(type, values, 0, size, nulls.build());
        }
    }
}
