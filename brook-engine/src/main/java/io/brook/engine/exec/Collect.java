package io.brook.engine.exec;

import io.brook.engine.batch.Batch;
import io.brook.engine.batch.BooleanColumn;
import io.brook.engine.batch.Column;
import io.brook.engine.batch.ColumnBuilder;
import io.brook.engine.batch.ColumnType;
import io.brook.engine.batch.DoubleColumn;
import io.brook.engine.batch.IntColumn;
import io.brook.engine.batch.LongColumn;
import io.brook.engine.batch.VarcharColumn;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * COLLECT_LIST and COLLECT_SET of a scalar column: per group, its non-null values encoded back to back in the order
 * they were added (a set skips a value it holds already, keeping the first), and their count. An element is 1 byte
 * for BOOLEAN, 4 (big-endian) for INT and DATE, 8 for BIGINT, TIMESTAMP and DOUBLE (its raw bits), or a 4-byte length
 * and the bytes for VARCHAR (UTF-8) and VARBINARY. The state of a group is the 4-byte count, the 4-byte length of the
 * elements, and the elements; merged state holds an earlier micro-batch's values, so they go before the group's own
 * (see {@link Accumulator#mergeState}). A set compares values by their encoding, doubles normalised as grouping keys
 * are (-0.0 is 0.0, one NaN).
 */
final class Collect implements Accumulator {
    private final int column;
    private final ColumnType type;
    private final boolean distinct;
    private byte[][] elements = new byte[16][];
    private int[] lengths = new int[16];
    private int[] counts = new int[16];
    private Set<ByteBuffer>[] seen;
    private byte[] scratch = new byte[16];

    Collect(int column, ColumnType type, boolean distinct) {
        if (!type.isScalar()) {
            throw new IllegalArgumentException("collect holds scalar values, not " + type);
        }
        this.column = column;
        this.type = type;
        this.distinct = distinct;
        this.seen = distinct ? newSets(16) : null;
    }

    @SuppressWarnings("unchecked")
    private static Set<ByteBuffer>[] newSets(int capacity) {
        return (Set<ByteBuffer>[]) new Set<?>[capacity];
    }

    @Override
    public void ensureGroups(int groupCount) {
        if (groupCount > counts.length) {
            int capacity = Accumulators.capacity(counts.length, groupCount);
            elements = Arrays.copyOf(elements, capacity);
            lengths = Arrays.copyOf(lengths, capacity);
            counts = Arrays.copyOf(counts, capacity);
            if (distinct) {
                seen = Arrays.copyOf(seen, capacity);
            }
        }
    }

    @Override
    public void add(Batch batch, int[] groupIds, int groupCount) {
        ensureGroups(groupCount);
        Column values = batch.column(column);
        for (int row = 0; row < batch.rowCount(); row++) {
            int position = batch.position(row);
            if (values.isNull(position)) {
                continue;
            }
            int length = encode(values, position);
            offer(groupIds[row], scratch, 0, length);
        }
    }

    /** Encodes a non-null value into the scratch array; returns its length. */
    private int encode(Column values, int position) {
        if (values instanceof VarcharColumn text) {
            int length = text.byteLength(position);
            if (scratch.length < 4 + length) {
                scratch = new byte[Math.max(scratch.length * 2, 4 + length)];
            }
            putInt(scratch, 0, length);
            text.copyBytes(position, scratch, 4);
            return 4 + length;
        }
        if (values instanceof BooleanColumn booleans) {
            scratch[0] = (byte) (booleans.getBoolean(position) ? 1 : 0);
            return 1;
        }
        if (values instanceof IntColumn ints) {
            putInt(scratch, 0, ints.getInt(position));
            return 4;
        }
        long bits = values instanceof DoubleColumn doubles
                ? Double.doubleToRawLongBits(doubles.getDouble(position))
                : ((LongColumn) values).getLong(position);
        putInt(scratch, 0, (int) (bits >>> 32));
        putInt(scratch, 4, (int) bits);
        return 8;
    }

    /** Appends an encoded value to a group, unless this is a set that holds it already. */
    private void offer(int group, byte[] source, int offset, int length) {
        if (distinct) {
            if (seen[group] == null) {
                seen[group] = new HashSet<>();
            }
            if (!seen[group].add(setKey(source, offset, length))) {
                return;
            }
        }
        byte[] buffer = elements[group];
        int end = lengths[group];
        if (buffer == null || end + length > buffer.length) {
            int capacity = Math.max(end + length, buffer == null ? 16 : buffer.length * 2);
            buffer = buffer == null ? new byte[capacity] : Arrays.copyOf(buffer, capacity);
            elements[group] = buffer;
        }
        System.arraycopy(source, offset, buffer, end, length);
        lengths[group] = end + length;
        counts[group]++;
    }

    private ByteBuffer setKey(byte[] source, int offset, int length) {
        byte[] key = Arrays.copyOfRange(source, offset, offset + length);
        if (type == ColumnType.DOUBLE) {
            double value = Double.longBitsToDouble(KeyCodec.getLong(key, 0));
            long normalised = value == 0.0 ? 0L : Double.doubleToLongBits(value);
            putInt(key, 0, (int) (normalised >>> 32));
            putInt(key, 4, (int) normalised);
        }
        return ByteBuffer.wrap(key);
    }

    /** The length of the encoded element at {@code at}. */
    private int elementLength(byte[] source, int at) {
        return switch (type) {
            case BOOLEAN -> 1;
            case INT, DATE -> 4;
            case BIGINT, TIMESTAMP, DOUBLE -> 8;
            case VARCHAR, VARBINARY -> 4 + KeyCodec.getInt(source, at);
            case ARRAY, STRUCT -> throw new IllegalStateException("collect holds scalar values");
        };
    }

    @Override
    public int mergeState(int group, byte[] state, int offset) {
        int count = KeyCodec.getInt(state, offset);
        int length = KeyCodec.getInt(state, offset + 4);
        int start = offset + 8;
        // The stored values came first: they start the group again, then its own values follow.
        byte[] own = elements[group];
        int ownLength = lengths[group];
        elements[group] = null;
        lengths[group] = 0;
        counts[group] = 0;
        if (distinct) {
            seen[group] = null;
        }
        int at = start;
        for (int i = 0; i < count; i++) {
            int elementLength = elementLength(state, at);
            offer(group, state, at, elementLength);
            at += elementLength;
        }
        if (at != start + length) {
            throw new IllegalStateException("collect state of " + count + " values should end at byte "
                    + (start + length) + " but ends at " + at);
        }
        for (int ownAt = 0; ownAt < ownLength; ) {
            int elementLength = elementLength(own, ownAt);
            offer(group, own, ownAt, elementLength);
            ownAt += elementLength;
        }
        return start + length;
    }

    @Override
    public void writeState(int group, StateWriter out) {
        out.writeInt(counts[group]);
        byte[] buffer = elements[group];
        out.writeBytes(buffer == null ? new byte[0] : buffer, 0, lengths[group]);
    }

    /** How many values the group holds (distinct ones, for a set). */
    int size(int group) {
        return counts[group];
    }

    @Override
    public void appendResult(int group, ColumnBuilder out) {
        ColumnBuilder values = out.arrayElements();
        byte[] buffer = elements[group];
        int at = 0;
        for (int i = 0; i < counts[group]; i++) {
            switch (type) {
                case BOOLEAN -> values.appendBoolean(buffer[at] == 1);
                case INT, DATE -> values.appendLong(KeyCodec.getInt(buffer, at));
                case BIGINT, TIMESTAMP -> values.appendLong(KeyCodec.getLong(buffer, at));
                case DOUBLE -> values.appendDouble(Double.longBitsToDouble(KeyCodec.getLong(buffer, at)));
                case VARCHAR, VARBINARY -> values.appendUtf8(buffer, at + 4, KeyCodec.getInt(buffer, at));
                case ARRAY, STRUCT -> throw new IllegalStateException("collect holds scalar values");
            }
            at += elementLength(buffer, at);
        }
        out.endArray();
    }

    private static void putInt(byte[] target, int at, int value) {
        target[at] = (byte) (value >>> 24);
        target[at + 1] = (byte) (value >>> 16);
        target[at + 2] = (byte) (value >>> 8);
        target[at + 3] = (byte) value;
    }
}
