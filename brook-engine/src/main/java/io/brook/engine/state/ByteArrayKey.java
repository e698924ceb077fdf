package io.brook.engine.state;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A byte array as a hash key: equal by content, with its hash computed once. Wraps without copying. The hash mixes
 * eight bytes at a time: encoded keys (big-endian numbers, window bounds) differ in few bytes, and the polynomial of
 * {@link Arrays#hashCode(byte[])} sent many of them to the same buckets.
 */
final class ByteArrayKey {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long MULTIPLIER = 0x9E3779B97F4A7C15L;

    private final byte[] bytes;
    private final int hash;

    ByteArrayKey(byte[] bytes) {
        this.bytes = bytes;
        this.hash = hash(bytes);
    }

    static int hash(byte[] bytes) {
        long h = bytes.length * MULTIPLIER;
        int i = 0;
        for (; i + Long.BYTES <= bytes.length; i += Long.BYTES) {
            h = Long.rotateLeft(h ^ ((long) LONGS.get(bytes, i) * MULTIPLIER), 29) * MULTIPLIER;
        }
        long tail = 0;
        for (int shift = 0; i < bytes.length; i++, shift += 8) {
            tail |= (bytes[i] & 0xffL) << shift;
        }
        h = Long.rotateLeft(h ^ (tail * MULTIPLIER), 29) * MULTIPLIER;
        // The finaliser of MurmurHash3's 64-bit variant: every input bit reaches every output bit.
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        h *= 0xC4CEB9FE1A85EC53L;
        h ^= h >>> 33;
        return (int) h;
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
