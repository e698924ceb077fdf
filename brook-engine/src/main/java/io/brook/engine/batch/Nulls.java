package io.brook.engine.batch;

import java.util.Arrays;

/** A null bitmap: bit {@code i} set means position {@code i} is null. Immutable once built. */
final class Nulls {
    private final long[] bits;

    private Nulls(long[] bits) {
        this.bits = bits;
    }

    static Nulls of(long[] bits) {
        return new Nulls(bits);
    }

    boolean isNull(int position) {
        int word = position >>> 6;
        return word < bits.length && (bits[word] & (1L << position)) != 0;
    }

    /**
     * The bitmap of the given positions (each plus {@code base}, a column's array offset), in order; null when none of
     * them is null.
     */
    Nulls gather(int base, int[] positions, int offset, int length) {
        long[] gathered = null;
        for (int i = 0; i < length; i++) {
            if (isNull(base + positions[offset + i])) {
                if (gathered == null) {
                    gathered = new long[words(length)];
                }
                gathered[i >>> 6] |= 1L << i;
            }
        }
        return gathered == null ? null : new Nulls(gathered);
    }

    static int words(int positions) {
        return (positions + 63) >>> 6;
    }

    /** Builds a bitmap as positions are appended; allocates nothing until the first null. */
    static final class Builder {
        private long[] bits;

        void set(int position) {
            int word = position >>> 6;
            if (bits == null) {
                bits = new long[Math.max(4, word + 1)];
            } else if (word >= bits.length) {
                bits = Arrays.copyOf(bits, Math.max(bits.length * 2, word + 1));
            }
            bits[word] |= 1L << position;
        }

        Nulls build() {
            return bits == null ? null : new Nulls(bits);
        }
    }
}
