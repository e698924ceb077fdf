package io.brook.engine.exec;

import io.brook.engine.batch.Batch;
import io.brook.engine.batch.Column;
import io.brook.engine.batch.ColumnBuilder;
import io.brook.engine.batch.ColumnType;
import io.brook.engine.batch.VarcharColumn;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;

/**
 * MIN or MAX over an updating result. Taking back the current maximum must reveal the one before it, so each group
 * keeps a multiset of its values: value to how many times it is held, sorted, as Flink's retracting MIN/MAX keep theirs.
 * A micro-batch's adds and retractions are counted up (a count may go below zero until the group's state is merged
 * in); values whose count is zero are dropped. State per group: the number of distinct values (an int), then each value
 * (8 bytes for integers, dates, timestamps and doubles; a length-prefixed byte string for VARCHAR and VARBINARY) with
 * its count (a long), in ascending order.
 */
final class RetractableExtreme implements Accumulator {
    private enum Kind {
        LONG,
        DOUBLE,
        BYTES
    }

    private final int column;
    private final Kind kind;
    private final boolean max;
    private final Comparator<Object> order;

    @SuppressWarnings("unchecked")
    private TreeMap<Object, long[]>[] values = new TreeMap[16];

    RetractableExtreme(int column, ColumnType type, boolean max) {
        this.column = column;
        this.kind = switch (type) {
            case DOUBLE -> Kind.DOUBLE;
            case VARCHAR, VARBINARY -> Kind.BYTES;
            case INT, BIGINT, DATE, TIMESTAMP -> Kind.LONG;
            default -> throw new IllegalArgumentException("no MIN or MAX of " + type);
        };
        this.max = max;
        this.order = switch (kind) {
            case LONG -> Comparator.comparingLong(value -> (Long) value);
            case DOUBLE -> Comparator.comparingDouble(value -> (Double) value);
            case BYTES -> (left, right) -> Arrays.compareUnsigned((byte[]) left, (byte[]) right);
        };
    }

    @Override
    public void ensureGroups(int groupCount) {
        if (groupCount > values.length) {
            values = Arrays.copyOf(values, Accumulators.capacity(values.length, groupCount));
        }
    }

    private TreeMap<Object, long[]> group(int group) {
        TreeMap<Object, long[]> multiset = values[group];
        if (multiset == null) {
            multiset = new TreeMap<>(order);
            values[group] = multiset;
        }
        return multiset;
    }

    private void count(int group, Object value, long times) {
        TreeMap<Object, long[]> multiset = group(group);
        long[] count = multiset.computeIfAbsent(value, k -> new long[1]);
        count[0] += times;
        if (count[0] == 0) {
            multiset.remove(value);
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
        Column input = batch.column(column);
        for (int row = 0; row < batch.rowCount(); row++) {
            int position = batch.position(row);
            if (!input.isNull(position)) {
                count(groupIds[row], valueAt(input, position), sign);
            }
        }
    }

    private Object valueAt(Column input, int position) {
        return switch (kind) {
            case LONG -> ColumnTypes.longAt(input, position);
            case DOUBLE -> ColumnTypes.doubleAt(input, position);
            case BYTES -> {
                VarcharColumn varchar = (VarcharColumn) input;
                byte[] bytes = new byte[varchar.byteLength(position)];
                varchar.copyBytes(position, bytes, 0);
                yield bytes;
            }
        };
    }

    @Override
    public int mergeState(int group, byte[] state, int offset) {
        int entries = KeyCodec.getInt(state, offset);
        offset += 4;
        for (int i = 0; i < entries; i++) {
            Object value;
            switch (kind) {
                case LONG -> {
                    value = KeyCodec.getLong(state, offset);
                    offset += 8;
                }
                case DOUBLE -> {
                    value = Double.longBitsToDouble(KeyCodec.getLong(state, offset));
                    offset += 8;
                }
                case BYTES -> {
                    int length = KeyCodec.getInt(state, offset);
                    value = Arrays.copyOfRange(state, offset + 4, offset + 4 + length);
                    offset += 4 + length;
                }
                default -> throw new IllegalStateException("unknown kind " + kind);
            }
            count(group, value, KeyCodec.getLong(state, offset));
            offset += 8;
        }
        return offset;
    }

    @Override
    public void writeState(int group, StateWriter out) {
        TreeMap<Object, long[]> multiset = values[group];
        if (multiset == null) {
            out.writeInt(0);
            return;
        }
        out.writeInt(multiset.size());
        for (Map.Entry<Object, long[]> entry : multiset.entrySet()) {
            switch (kind) {
                case LONG -> out.writeLong((Long) entry.getKey());
                case DOUBLE -> out.writeDouble((Double) entry.getKey());
                case BYTES -> {
                    byte[] bytes = (byte[]) entry.getKey();
                    out.writeBytes(bytes, 0, bytes.length);
                }
            }
            out.writeLong(entry.getValue()[0]);
        }
    }

    @Override
    public void appendResult(int group, ColumnBuilder out) {
        TreeMap<Object, long[]> multiset = values[group];
        Map.Entry<Object, long[]> extreme = multiset == null ? null : extreme(multiset);
        if (extreme == null) {
            out.appendNull();
            return;
        }
        switch (kind) {
            case LONG -> out.appendLong((Long) extreme.getKey());
            case DOUBLE -> out.appendDouble((Double) extreme.getKey());
            case BYTES -> {
                byte[] bytes = (byte[]) extreme.getKey();
                out.appendUtf8(bytes, 0, bytes.length);
            }
        }
    }

    /** The greatest (or least) value held a positive number of times; a group's merged counts are never negative. */
    private Map.Entry<Object, long[]> extreme(TreeMap<Object, long[]> multiset) {
        Map.Entry<Object, long[]> entry = max ? multiset.lastEntry() : multiset.firstEntry();
        while (entry != null && entry.getValue()[0] <= 0) {
            entry = max ? multiset.lowerEntry(entry.getKey()) : multiset.higherEntry(entry.getKey());
        }
        return entry;
    }
}
