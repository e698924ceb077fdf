package io.brook.engine.exec;

import io.brook.engine.batch.Batch;
import io.brook.engine.batch.BooleanColumn;
import io.brook.engine.batch.Column;
import io.brook.engine.batch.ColumnBuilder;
import io.brook.engine.batch.ColumnType;
import io.brook.engine.batch.DoubleColumn;
import io.brook.engine.batch.VarcharColumn;
import java.util.Arrays;

/**
 * FIRST or LAST of a column of any type: the value of the first or last row added to the group (with
 * {@code ignoreNulls}, of the first or last row whose value is not null). State written by an earlier micro-batch
 * comes before this batch's rows (see {@link Accumulator#mergeState}), so across batches "first" is the first of the
 * earliest batch and "last" the last of the latest. Per group: whether a row was taken (none, a null, a value), and
 * the value as a long (booleans, integers, dates, timestamps, double bits) or bytes (VARCHAR, VARBINARY).
 */
final class FirstLast implements Accumulator {
    private static final byte NONE = 0;
    private static final byte NULL = 1;
    private static final byte VALUE = 2;

    private final int column;
    private final ColumnType type;
    private final boolean last;
    private final boolean ignoreNulls;
    private byte[] taken = new byte[16];
    private long[] longs = new long[16];
    private byte[][] bytes = new byte[16][];

    FirstLast(int column, ColumnType type, boolean last, boolean ignoreNulls) {
        this.column = column;
        this.type = type;
        this.last = last;
        this.ignoreNulls = ignoreNulls;
    }

    @Override
    public void ensureGroups(int groupCount) {
        if (groupCount > taken.length) {
            int capacity = Accumulators.capacity(taken.length, groupCount);
            taken = Arrays.copyOf(taken, capacity);
            longs = Arrays.copyOf(longs, capacity);
            bytes = Arrays.copyOf(bytes, capacity);
        }
    }

    @Override
    public void add(Batch batch, int[] groupIds, int groupCount) {
        ensureGroups(groupCount);
        Column values = batch.column(column);
        for (int row = 0; row < batch.rowCount(); row++) {
            int group = groupIds[row];
            if (!last && taken[group] != NONE) {
                continue;
            }
            int position = batch.position(row);
            if (values.isNull(position)) {
                if (!ignoreNulls) {
                    taken[group] = NULL;
                    bytes[group] = null;
                }
                continue;
            }
            taken[group] = VALUE;
            if (type.storedAsBytes()) {
                bytes[group] = ((VarcharColumn) values).getBytes(position);
            } else {
                longs[group] = longAt(values, position);
            }
        }
    }

    private static long longAt(Column values, int position) {
        if (values instanceof BooleanColumn booleans) {
            return booleans.getBoolean(position) ? 1 : 0;
        }
        if (values instanceof DoubleColumn doubles) {
            return Double.doubleToRawLongBits(doubles.getDouble(position));
        }
        return ColumnTypes.longAt(values, position);
    }

    @Override
    public int mergeState(int group, byte[] state, int offset) {
        byte stored = state[offset];
        int end = offset + 1;
        long longValue = 0;
        byte[] bytesValue = null;
        if (stored == VALUE) {
            if (type.storedAsBytes()) {
                int length = KeyCodec.getInt(state, end);
                bytesValue = Arrays.copyOfRange(state, end + 4, end + 4 + length);
                end += 4 + length;
            } else {
                longValue = KeyCodec.getLong(state, end);
                end += 8;
            }
        }
        // The stored rows came first: FIRST takes them over this batch's, LAST only when this batch took nothing.
        boolean replace = stored != NONE && (!last || taken[group] == NONE);
        if (replace) {
            taken[group] = stored;
            longs[group] = longValue;
            bytes[group] = bytesValue;
        }
        return end;
    }

    @Override
    public void writeState(int group, StateWriter out) {
        out.writeByte(taken[group]);
        if (taken[group] == VALUE) {
            if (type.storedAsBytes()) {
                out.writeBytes(bytes[group], 0, bytes[group].length);
            } else {
                out.writeLong(longs[group]);
            }
        }
    }

    @Override
    public void appendResult(int group, ColumnBuilder out) {
        if (taken[group] != VALUE) {
            out.appendNull();
            return;
        }
        switch (type) {
            case BOOLEAN -> out.appendBoolean(longs[group] == 1);
            case DOUBLE -> out.appendDouble(Double.longBitsToDouble(longs[group]));
            case VARCHAR, VARBINARY -> out.appendUtf8(bytes[group], 0, bytes[group].length);
            case INT, DATE, BIGINT, TIMESTAMP -> out.appendLong(longs[group]);
            case ARRAY, STRUCT ->
                throw new IllegalStateException("first/last of arrays and structs is refused when the plan is built");
        }
    }
}
