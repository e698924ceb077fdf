package io.brook.engine.batch;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A column of VARCHAR values as UTF-8 bytes, or of VARBINARY values as they are: value {@code i} is
 * {@code bytes[offsets[i]]} up to {@code bytes[offsets[i + 1]]}. Strings are decoded only when asked for; operators
 * compare bytes. The factories without a type make VARCHAR columns.
 */
public final class VarcharColumn implements Column {
    /** Reads eight bytes of a byte array as one long, for scans that test many bytes at once. */
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final ColumnType type;
    private final byte[] bytes;
    private final int[] offsets;
    private final int arrayOffset;
    private final int size;
    private final Nulls nulls;

    VarcharColumn(ColumnType type, byte[] bytes, int[] offsets, int arrayOffset, int size, Nulls nulls) {
        if (!type.storedAsBytes()) {
            throw new IllegalArgumentException("a VarcharColumn holds VARCHAR or VARBINARY, not " + type);
        }
        this.type = type;
        this.bytes = bytes;
        this.offsets = offsets;
        this.arrayOffset = arrayOffset;
        this.size = size;
        this.nulls = nulls;
    }

    /** A column of these strings; a null element is a null value. */
    public static VarcharColumn of(String... values) {
        Builder builder = builder(values.length);
        for (String value : values) {
            if (value == null) {
                builder.appendNull();
            } else {
                builder.append(value);
            }
        }
        return builder.build();
    }

    /** A VARBINARY column of these byte arrays (copied); a null element is a null value. */
    public static VarcharColumn binary(byte[]... values) {
        Builder builder = builder(ColumnType.VARBINARY, values.length);
        for (byte[] value : values) {
            if (value == null) {
                builder.appendNull();
            } else {
                builder.appendUtf8(value);
            }
        }
        return builder.build();
    }

    /** VARCHAR or VARBINARY. */
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

    /** The number of UTF-8 bytes of the value at a position. */
    public int byteLength(int position) {
        return offsets[arrayOffset + position + 1] - offsets[arrayOffset + position];
    }

    /** Byte {@code index} of the UTF-8 value at a position, so functions can scan values without decoding them. */
    public byte byteAt(int position, int index) {
        return bytes[offsets[arrayOffset + position] + index];
    }

    /** Copies the UTF-8 bytes of the value at a position into {@code target} from {@code at}; returns the end. */
    public int copyBytes(int position, byte[] target, int at) {
        int start = offsets[arrayOffset + position];
        int length = offsets[arrayOffset + position + 1] - start;
        System.arraycopy(bytes, start, target, at, length);
        return at + length;
    }

    /**
     * Whether every byte of every value is ASCII (so every value is valid UTF-8): one scan of the values' bytes, eight
     * at a time, where checking value by value would decode each.
     */
    public boolean isAscii() {
        int from = offsets[arrayOffset];
        int to = offsets[arrayOffset + size];
        int i = from;
        for (; i + Long.BYTES <= to; i += Long.BYTES) {
            if (((long) LONGS.get(bytes, i) & 0x8080808080808080L) != 0) {
                return false;
            }
        }
        for (; i < to; i++) {
            if (bytes[i] < 0) {
                return false;
            }
        }
        return true;
    }

    /** Whether the value at a position is exactly these UTF-8 bytes. */
    public boolean equalsBytes(int position, byte[] utf8) {
        int start = offsets[arrayOffset + position];
        int end = offsets[arrayOffset + position + 1];
        return Arrays.equals(bytes, start, end, utf8, 0, utf8.length);
    }

    /** Compares the value at a position with one of another column, byte by byte (unsigned), as SQL orders UTF-8. */
    public int compareBytes(int position, VarcharColumn other, int otherPosition) {
        return Arrays.compareUnsigned(
                bytes,
                offsets[arrayOffset + position],
                offsets[arrayOffset + position + 1],
                other.bytes,
                other.offsets[other.arrayOffset + otherPosition],
                other.offsets[other.arrayOffset + otherPosition + 1]);
    }

    /**
     * Passes the UTF-8 bytes of the value at a position to {@code reader} without copying them, for parsers that read
     * a byte range (the array is shared: the reader must not keep or change it).
     */
    public <T> T readBytes(int position, BytesReader<T> reader) {
        int start = offsets[arrayOffset + position];
        return reader.read(bytes, start, offsets[arrayOffset + position + 1] - start);
    }

    /** Reads a range of a byte array; see {@link #readBytes}. */
    @FunctionalInterface
    public interface BytesReader<T> {
        T read(byte[] bytes, int offset, int length);
    }

    /** The same values as another type stored as bytes (VARBINARY as VARCHAR), sharing this column's arrays. */
    public VarcharColumn withType(ColumnType newType) {
        return newType == type ? this : new VarcharColumn(newType, bytes, offsets, arrayOffset, size, nulls);
    }

    void appendTo(int position, Builder builder) {
        int start = offsets[arrayOffset + position];
        builder.appendUtf8(bytes, start, offsets[arrayOffset + position + 1] - start);
    }

    /** A copy of the bytes of the value at a position. */
    public byte[] getBytes(int position) {
        return Arrays.copyOfRange(bytes, offsets[arrayOffset + position], offsets[arrayOffset + position + 1]);
    }

    /** The value at a position decoded as UTF-8 (malformed bytes of a VARBINARY value become U+FFFD). */
    public String getString(int position) {
        int start = offsets[arrayOffset + position];
        return new String(bytes, start, offsets[arrayOffset + position + 1] - start, StandardCharsets.UTF_8);
    }

    @Override
    public VarcharColumn region(int offset, int length) {
        Column.checkRegion(size, offset, length);
        return new VarcharColumn(type, bytes, offsets, arrayOffset + offset, length, nulls);
    }

    @Override
    public VarcharColumn gather(int[] positions, int offset, int length) {
        int total = 0;
        for (int i = 0; i < length; i++) {
            total += byteLength(positions[offset + i]);
        }
        byte[] gathered = new byte[total];
        int[] gatheredOffsets = new int[length + 1];
        int at = 0;
        for (int i = 0; i < length; i++) {
            int position = arrayOffset + positions[offset + i];
            int start = offsets[position];
            int valueLength = offsets[position + 1] - start;
            System.arraycopy(bytes, start, gathered, at, valueLength);
            at += valueLength;
            gatheredOffsets[i + 1] = at;
        }
        Nulls gatheredNulls = nulls == null ? null : nulls.gather(arrayOffset, positions, offset, length);
        return new VarcharColumn(type, gathered, gatheredOffsets, 0, length, gatheredNulls);
    }

    @Override
    public Object value(int position) {
        if (isNull(position)) {
            return null;
        }
        return type == ColumnType.VARBINARY ? getBytes(position) : getString(position);
    }

    /** A builder of a VARCHAR column. */
    public static Builder builder(int expectedSize) {
        return new Builder(ColumnType.VARCHAR, expectedSize, expectedSize * 8);
    }

    /** A builder of a VARCHAR or VARBINARY column. */
    public static Builder builder(ColumnType type, int expectedSize) {
        return new Builder(type, expectedSize, expectedSize * 8);
    }

    /** A builder of a VARCHAR or VARBINARY column whose values are expected to take about {@code expectedBytes}. */
    public static Builder builder(ColumnType type, int expectedSize, int expectedBytes) {
        return new Builder(type, expectedSize, Math.max(expectedBytes, expectedSize * 8));
    }

    /** The bytes of all the values together. */
    public int totalBytes() {
        return offsets[arrayOffset + size] - offsets[arrayOffset];
    }

    /** Appends values one by one; {@link #build} hands the arrays over without a copy. */
    public static final class Builder {
        private final ColumnType type;
        private byte[] bytes;
        private int[] offsets;
        private int size;
        private final Nulls.Builder nulls = new Nulls.Builder();

        private Builder(ColumnType type, int expectedSize, int expectedBytes) {
            if (!type.storedAsBytes()) {
                throw new IllegalArgumentException("a VarcharColumn holds VARCHAR or VARBINARY, not " + type);
            }
            this.type = type;
            this.bytes = new byte[Math.max(64, expectedBytes)];
            this.offsets = new int[Math.max(8, expectedSize) + 1];
        }

        public Builder append(String value) {
            return appendUtf8(value.getBytes(StandardCharsets.UTF_8));
        }

        public Builder appendUtf8(byte[] utf8) {
            return appendUtf8(utf8, 0, utf8.length);
        }

        /** Appends {@code length} UTF-8 bytes of {@code source} from {@code offset}. */
        public Builder appendUtf8(byte[] source, int offset, int length) {
            int end = offsets[size];
            if (end + length > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, end + length));
            }
            System.arraycopy(source, offset, bytes, end, length);
            if (size + 1 == offsets.length) {
                offsets = Arrays.copyOf(offsets, offsets.length * 2);
            }
            offsets[++size] = end + length;
            return this;
        }

        /**
         * Appends UTF-16 text encoded as UTF-8 without making a String (a lone surrogate becomes {@code ?}, as
         * {@link String#getBytes} makes it).
         */
        public Builder appendChars(char[] chars, int offset, int length) {
            int end = offsets[size];
            if (end + length * 3 > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, end + length * 3));
            }
            int at = end;
            int last = offset + length;
            for (int i = offset; i < last; i++) {
                char c = chars[i];
                if (c < 0x80) {
                    bytes[at++] = (byte) c;
                } else if (c < 0x800) {
                    bytes[at++] = (byte) (0xc0 | (c >> 6));
                    bytes[at++] = (byte) (0x80 | (c & 0x3f));
                } else if (Character.isHighSurrogate(c) && i + 1 < last && Character.isLowSurrogate(chars[i + 1])) {
                    int codePoint = Character.toCodePoint(c, chars[++i]);
                    bytes[at++] = (byte) (0xf0 | (codePoint >> 18));
                    bytes[at++] = (byte) (0x80 | ((codePoint >> 12) & 0x3f));
                    bytes[at++] = (byte) (0x80 | ((codePoint >> 6) & 0x3f));
                    bytes[at++] = (byte) (0x80 | (codePoint & 0x3f));
                } else if (Character.isSurrogate(c)) {
                    bytes[at++] = '?';
                } else {
                    bytes[at++] = (byte) (0xe0 | (c >> 12));
                    bytes[at++] = (byte) (0x80 | ((c >> 6) & 0x3f));
                    bytes[at++] = (byte) (0x80 | (c & 0x3f));
                }
            }
            if (size + 1 == offsets.length) {
                offsets = Arrays.copyOf(offsets, offsets.length * 2);
            }
            offsets[++size] = at;
            return this;
        }

        /** Appends bytes {@code from} (inclusive) to {@code to} (exclusive) of a value of another column as one value. */
        public Builder appendPart(VarcharColumn source, int position, int from, int to) {
            int start = source.offsets[source.arrayOffset + position];
            return appendUtf8(source.bytes, start + from, to - from);
        }

        public Builder appendNull() {
            nulls.set(size);
            return appendUtf8(bytes, 0, 0);
        }

        public VarcharColumn build() {
            return new VarcharColumn(type, bytes, offsets, 0, size, nulls.build());
        }
    }
}
