package io.brook.engine.exec;

import io.brook.engine.batch.Batch;
import io.brook.engine.batch.BooleanColumn;
import io.brook.engine.batch.Column;
import io.brook.engine.batch.DoubleColumn;
import io.brook.engine.batch.IntColumn;
import io.brook.engine.batch.LongColumn;
import io.brook.engine.batch.VarcharColumn;

/**
 * Hashes of the key columns of a batch's rows, computed column by column in tight loops over the primitive values
 * (the byte-by-byte hash of encoded keys was the hottest code of aggregation). Keys that encode equally hash equally:
 * doubles are normalised as {@link KeyCodec} normalises them, and a null hashes as a constant. Used both to choose a
 * row's partition and to look its group up, so a row is hashed once per operator.
 */
final class KeyHashes {
    private static final long SEED = 0x9E3779B97F4A7C15L;
    private static final long MULTIPLIER = 0xBF58476D1CE4E5B9L;
    private static final long NULL = 0x94D049BB133111EBL;

    private KeyHashes() {}

    /** The hash of each row (by its index in the batch, selection applied) over the key columns. */
    static long[] of(Batch batch, int[] keyColumns, long[] scratch) {
        int rows = batch.rowCount();
        long[] hashes = scratch != null && scratch.length >= rows ? scratch : new long[Math.max(16, rows)];
        java.util.Arrays.fill(hashes, 0, rows, SEED);
        for (int key : keyColumns) {
            Column column = batch.column(key);
            boolean nulls = column.mayHaveNulls();
            if (column instanceof LongColumn longs) {
                for (int row = 0; row < rows; row++) {
                    int position = batch.position(row);
                    long value = nulls && longs.isNull(position) ? NULL : longs.getLong(position);
                    hashes[row] = mix(hashes[row], value);
                }
            } else if (column instanceof IntColumn ints) {
                for (int row = 0; row < rows; row++) {
                    int position = batch.position(row);
                    long value = nulls && ints.isNull(position) ? NULL : ints.getInt(position);
                    hashes[row] = mix(hashes[row], value);
                }
            } else if (column instanceof DoubleColumn doubles) {
                for (int row = 0; row < rows; row++) {
                    int position = batch.position(row);
                    long value;
                    if (nulls && doubles.isNull(position)) {
                        value = NULL;
                    } else {
                        double number = doubles.getDouble(position);
                        value = number == 0.0 ? 0L : Double.doubleToLongBits(number);
                    }
                    hashes[row] = mix(hashes[row], value);
                }
            } else if (column instanceof BooleanColumn booleans) {
                for (int row = 0; row < rows; row++) {
                    int position = batch.position(row);
                    long value = nulls && booleans.isNull(position) ? NULL : booleans.getBoolean(position) ? 1 : 0;
                    hashes[row] = mix(hashes[row], value);
                }
            } else {
                VarcharColumn text = (VarcharColumn) column;
                for (int row = 0; row < rows; row++) {
                    int position = batch.position(row);
                    long value = nulls && text.isNull(position) ? NULL : bytes(text, position);
                    hashes[row] = mix(hashes[row], value);
                }
            }
        }
        return hashes;
    }

    private static long bytes(VarcharColumn text, int position) {
        long hash = text.byteLength(position);
        for (int i = 0; i < text.byteLength(position); i++) {
            hash = 31 * hash + text.byteAt(position, i);
        }
        return hash;
    }

    private static long mix(long hash, long value) {
        long mixed = (hash ^ value) * MULTIPLIER;
        return mixed ^ (mixed >>> 31);
    }

    /** The final 32-bit hash of a row's 64-bit one. */
    static int finish(long hash) {
        long mixed = hash * 0xD6E8FEB86659FD93L;
        return (int) (mixed ^ (mixed >>> 32));
    }
}
