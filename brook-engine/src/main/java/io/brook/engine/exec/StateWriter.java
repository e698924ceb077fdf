package io.brook.engine.exec;

import java.util.Arrays;

/** A growable byte buffer for encoding operator state (aggregation buffers, keys) before it goes to a state store. */
final class StateWriter {
    private byte[] bytes = new byte[64];
    private int length;

    void reset() {
        length = 0;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(bytes, length);
    }

    void writeByte(int value) {
        ensure(1);
        bytes[length++] = (byte) value;
    }

    void writeInt(int value) {
        ensure(4);
        for (int shift = 24; shift >= 0; shift -= 8) {
            bytes[length++] = (byte) (value >>> shift);
        }
    }

    void writeLong(long value) {
        ensure(8);
        for (int shift = 56; shift >= 0; shift -= 8) {
            bytes[length++] = (byte) (value >>> shift);
        }
    }

    void writeDouble(double value) {
        writeLong(Double.doubleToRawLongBits(value));
    }

    void writeBytes(byte[] source, int offset, int count) {
        ensure(4 + count);
        for (int shift = 24; shift >= 0; shift -= 8) {
            bytes[length++] = (byte) (count >>> shift);
        }
        System.arraycopy(source, offset, bytes, length, count);
        length += count;
    }

    private void ensure(int more) {
        if (length + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
        }
    }
}
