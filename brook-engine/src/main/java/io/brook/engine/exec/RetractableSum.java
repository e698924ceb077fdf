package io.brook.engine.exec;

import io.brook.engine.batch.Batch;
import io.brook.engine.batch.Column;
import io.brook.engine.batch.ColumnBuilder;
import io.brook.engine.batch.ColumnType;
import java.util.Arrays;

/**
 * SUM over an updating result: a sum and the number of non-null values it holds, per group, so that taking rows back
 * subtracts them and a group whose values were all taken back is null again (or 0 for SUM0). State per group: the sum
 * (a long, or a double's bits) and the count, 16 bytes.
 */
final class RetractableSum implements Accumulator {
    private final int column;
    private final boolean floating;
    private final boolean zeroWhenEmpty;
    private long[] longs = new long[16];
    private double[] doubles = new double[16];
    private long[] counts = new long[16];

    RetractableSum(int column, boolean floating, boolean zeroWhenEmpty) {
        this.column = column;
        this.floating = floating;
        this.zeroWhenEmpty = zeroWhenEmpty;
    }

    @Override
    public void ensureGroups(int groupCount) {
        if (groupCount > counts.length) {
            int capacity = Accumulators.capacity(counts.length, groupCount);
            longs = Arrays.copyOf(longs, capacity);
            doubles = Arrays.copyOf(doubles, capacity);
            counts = Arrays.copyOf(counts, capacity);
        }
    }

    @Override
    public void add(Batch batch, int[] groupIds, int groupCount) {
        update(batch, groupIds, groupCount, 1);
    }

    @Override
    public void retract(Batch batch, int[] groupIds, int groupCount) {
        update(batch, groupIds, groupCount, -1);
    }

    private void update(Batch batch, int[] groupIds, int groupCount, int sign) {
        ensureGroups(groupCount);
        Column values = batch.column(column);
        for (int row = 0; row < batch.rowCount(); row++) {
            int position = batch.position(row);
            if (values.isNull(position)) {
                continue;
            }
            int group = groupIds[row];
            if (floating) {
                doubles[group] += sign * ColumnTypes.doubleAt(values, position);
            } else {
                longs[group] += sign * ColumnTypes.longAt(values, position);
            }
            counts[group] += sign;
        }
    }

    @Override
    public int mergeState(int group, byte[] state, int offset) {
        long sum = KeyCodec.getLong(state, offset);
        if (floating) {
            doubles[group] += Double.longBitsToDouble(sum);
        } else {
            longs[group] += sum;
        }
        counts[group] += KeyCodec.getLong(state, offset + 8);
        return offset + 16;
    }

    @Override
    public void writeState(int group, StateWriter out) {
        out.writeLong(floating ? Double.doubleToRawLongBits(doubles[group]) : longs[group]);
        out.writeLong(counts[group]);
    }

    @Override
    public void appendResult(int group, ColumnBuilder out) {
        if (counts[group] <= 0) {
            // No values left: what was added and taken back may leave a rounding residue in a double sum.
            if (!zeroWhenEmpty) {
                out.appendNull();
            } else if (out.type() == ColumnType.DOUBLE) {
                out.appendDouble(0);
            } else {
                out.appendLong(0);
            }
        } else if (out.type() == ColumnType.DOUBLE) {
            out.appendDouble(floating ? doubles[group] : longs[group]);
        } else {
            out.appendLong(floating ? (long) doubles[group] : longs[group]);
        }
    }
}
