package io.brook.engine.state;

import java.util.Arrays;

/** A byte array as a hash key: equal by content, with its hash computed once. Wraps without copying. */
final class ByteArrayKey {
    private final byte[] bytes;
    private final int hash;

    ByteArrayKey(byte[] bytes) {
        this.bytes = bytes;
        this.hash = Arrays.hashCode(bytes);
    }

    byte[] bytes() {
        return bytes;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ByteArrayKey key && hash == key.hash && Arrays.equals(bytes, key.bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return "ByteArrayKey" + Arrays.toString(bytes);
    }
}
