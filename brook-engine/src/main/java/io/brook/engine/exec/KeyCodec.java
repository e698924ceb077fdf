package io.brook.engine.exec;

import io.brook.engine.batch.ArrayColumn;
import io.brook.engine.batch.BooleanColumn;
import io.brook.engine.batch.Column;
import io.brook.engine.batch.ColumnBuilder;
import io.brook.engine.batch.ColumnType;
import io.brook.engine.batch.DoubleColumn;
import io.brook.engine.batch.IntColumn;
import io.brook.engine.batch.LongColumn;
import io.brook.engine.batch.StructColumn;
import io.brook.engine.batch.VarcharColumn;
import java.util.Arrays;
import java.util.List;

/**
 * Encodes the values of some columns at one row into bytes, and back: the grouping key of an aggregation, the key of
 * its state. Equal values give equal bytes (doubles are normalised: -0.0 is 0.0, one NaN). Per column: a null byte,
 * then 1 byte for BOOLEAN, 4 for INT and DATE, 8 for BIGINT, TIMESTAMP and DOUBLE, or a 4-byte length and the bytes
 * for VARCHAR (UTF-8) and VARBINARY. An ARRAY (a row of a stream join may hold one; grouping keys never do) is the
 * 4-byte length of the rest, a 4-byte element count, and each element as a column value; a STRUCT (likewise only in
 * buffered rows) is the 4-byte length of the rest and each field as a column value. Writes into a reused scratch
 * array, so encoding a row allocates nothing once the scratch has grown.
 */
final class KeyCodec {
    private final List<ColumnType> types;
    private byte[] scratch = new byte[64];
    private int length;

    KeyCodec(List<ColumnType> types) {
        this.types = List.copyOf(types);
    }

    List<ColumnType> types() {
        return types;
    }

    /** Encodes the values at a position of these columns (one per type); the result is in {@link #bytes}. */
    void encode(Column[] columns, int position) {
        length = 0;
        for (Column column : columns) {
            encodeValue(column, position);
        }
    }

    private void encodeValue(Column column, int position) {
        if (column.isNull(position)) {
            ensure(1);
            scratch[length++] = 1;
            return;
        }
        ensure(9);
        scratch[length++] = 0;
        if (column instanceof LongColumn c) {
            putLong(c.getLong(position));
        } else if (column instanceof IntColumn c) {
            putInt(c.getInt(position));
        } else if (column instanceof DoubleColumn c) {
            double value = c.getDouble(position);
            putLong(value == 0.0 ? 0L : Double.doubleToLongBits(value));
        } else if (column instanceof BooleanColumn c) {
            scratch[length++] = (byte) (c.getBoolean(position) ? 1 : 0);
        } else if (column instanceof ArrayColumn c) {
            // The byte length goes first, so that a reader can skip the array; it is known once the elements are in.
            int lengthAt = length;
            putInt(0);
            int start = c.start(position);
            int count = c.length(position);
            putInt(count);
            for (int i = 0; i < count; i++) {
                encodeValue(c.elements(), start + i);
            }
            putIntAt(lengthAt, length - lengthAt - 4);
        } else if (column instanceof StructColumn c) {
            // As an array: the byte length first, then each field's value.
            int lengthAt = length;
            putInt(0);
            for (int i = 0; i < c.childCount(); i++) {
                encodeValue(c.child(i), position);
            }
            putIntAt(lengthAt, length - lengthAt - 4);
        } else {
            VarcharColumn c = (VarcharColumn) column;
            int byteLength = c.byteLength(position);
            ensure(4 + byteLength);
            putInt(byteLength);
            c.copyBytes(position, scratch, length);
            length += byteLength;
        }
    }

    byte[] bytes() {
        return scratch;
    }

    int length() {
        return length;
    }

    /**
     * Whether the key encoded at {@code offset} equals the values at a position of these columns (as {@link #encode}
     * would write them), without encoding them: the common case of a lookup finds an existing group.
     */
    /** The column as text or bytes; a key is never an array or struct (the planner refuses one). */
    private static VarcharColumn varchar(Column column) {
        if (column instanceof VarcharColumn c) {
            return c;
        }
        throw new IllegalStateException(
                "an array or struct is never a grouping or join key; the planner refuses one: " + column.type());
    }

    // Keep this method small: it is the hash probe's compare, and the JIT inlines it only below its size limit.
    boolean equalsRow(byte[] bytes, int offset, Column[] columns, int position) {
        int at = offset;
        for (Column column : columns) {
            boolean isNull = column.isNull(position);
            if (bytes[at++] == 1) {
                if (!isNull) {
                    return false;
                }
                continue;
            }
            if (isNull) {
                return false;
            }
            if (column instanceof LongColumn c) {
                if (getLong(bytes, at) != c.getLong(position)) {
                    return false;
                }
                at += 8;
            } else if (column instanceof IntColumn c) {
                if (getInt(bytes, at) != c.getInt(position)) {
                    return false;
                }
                at += 4;
            } else if (column instanceof DoubleColumn c) {
                double value = c.getDouble(position);
                if (getLong(bytes, at) != (value == 0.0 ? 0L : Double.doubleToLongBits(value))) {
                    return false;
                }
                at += 8;
            } else if (column instanceof BooleanColumn c) {
                if ((bytes[at++] == 1) != c.getBoolean(position)) {
                    return false;
                }
            } else {
                VarcharColumn c = varchar(column);
                int length = getInt(bytes, at);
                if (length != c.byteLength(position)) {
                    return false;
                }
                at += 4;
                for (int i = 0; i < length; i++) {
                    if (bytes[at + i] != c.byteAt(position, i)) {
                        return false;
                    }
                }
                at += length;
            }
        }
        return true;
    }

    /** Appends the values of one encoded key to builders (one per type); returns the offset after the key. */
    int decode(byte[] source, int offset, ColumnBuilder[] builders) {
        int at = offset;
        for (int i = 0; i < types.size(); i++) {
            at = decodeValue(source, at, types.get(i), builders[i]);
        }
        return at;
    }

    private static int decodeValue(byte[] source, int offset, ColumnType type, ColumnBuilder builder) {
        int at = offset;
        if (source[at++] == 1) {
            builder.appendNull();
            return at;
        }
        switch (type) {
            case BOOLEAN -> builder.appendBoolean(source[at++] == 1);
            case INT, DATE -> {
                builder.appendLong(getInt(source, at));
                at += 4;
            }
            case BIGINT, TIMESTAMP -> {
                builder.appendLong(getLong(source, at));
                at += 8;
            }
            case DOUBLE -> {
                builder.appendDouble(Double.longBitsToDouble(getLong(source, at)));
                at += 8;
            }
            case VARCHAR, VARBINARY -> {
                int byteLength = getInt(source, at);
                builder.appendUtf8(source, at + 4, byteLength);
                at += 4 + byteLength;
            }
            case ARRAY -> {
                int count = getInt(source, at + 4);
                at += 8;
                ColumnBuilder elements = builder.arrayElements();
                for (int i = 0; i < count; i++) {
                    at = decodeValue(source, at, builder.elementType(), elements);
                }
                builder.endArray();
            }
            case STRUCT -> {
                at += 4;
                StructColumn.Builder structs = builder.structs();
                for (int i = 0; i < structs.fields().size(); i++) {
                    at = decodeValue(source, at, structs.fields().get(i).type(), structs.child(i));
                }
                builder.endStruct();
            }
        }
        return at;
    }

    /** The value of one BIGINT or TIMESTAMP key column in an encoded key; {@link Long#MIN_VALUE} when null. */
    long longAt(byte[] key, int column) {
        return longAt(key, 0, column);
    }

    /** As {@link #longAt(byte[], int)}, for an encoded row that starts at {@code offset}. */
    long longAt(byte[] bytes, int offset, int column) {
        int at = offset;
        for (int i = 0; i < column; i++) {
            at = skipValue(bytes, at, i);
        }
        if (!types.get(column).storedAsLong()) {
            throw new IllegalArgumentException("key column " + column + " is " + types.get(column) + ", not a long");
        }
        return bytes[at] == 1 ? Long.MIN_VALUE : getLong(bytes, at + 1);
    }

    /** The offset after the encoded row that starts at {@code offset}. */
    int skip(byte[] bytes, int offset) {
        int at = offset;
        for (int i = 0; i < types.size(); i++) {
            at = skipValue(bytes, at, i);
        }
        return at;
    }

    private int skipValue(byte[] bytes, int at, int column) {
        if (bytes[at] == 1) {
            return at + 1;
        }
        return at
                + 1
                + switch (types.get(column)) {
                    case BOOLEAN -> 1;
                    case INT, DATE -> 4;
                    case BIGINT, TIMESTAMP, DOUBLE -> 8;
                    case VARCHAR, VARBINARY, ARRAY, STRUCT -> 4 + getInt(bytes, at + 1);
                };
    }

    private void ensure(int more) {
        if (length + more > scratch.length) {
            scratch = Arrays.copyOf(scratch, Math.max(scratch.length * 2, length + more));
        }
    }

    private void putInt(int value) {
        putIntAt(length, value);
        length += 4;
    }

    private void putIntAt(int at, int value) {
        scratch[at] = (byte) (value >>> 24);
        scratch[at + 1] = (byte) (value >>> 16);
        scratch[at + 2] = (byte) (value >>> 8);
        scratch[at + 3] = (byte) value;
    }

    private void putLong(long value) {
        putInt((int) (value >>> 32));
        putInt((int) value);
    }

    static int getInt(byte[] source, int at) {
        return ((source[at] & 0xff) << 24)
                | ((source[at + 1] & 0xff) << 16)
                | ((source[at + 2] & 0xff) << 8)
                | (source[at + 3] & 0xff);
    }

    static long getLong(byte[] source, int at) {
        return ((long) getInt(source, at) << 32) | (getInt(source, at + 4) & 0xffffffffL);
    }
}
