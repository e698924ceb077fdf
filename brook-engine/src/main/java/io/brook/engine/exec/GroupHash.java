package io.brook.engine.exec;

import io.brook.engine.batch.Batch;
import io.brook.engine.batch.Column;
import io.brook.engine.batch.ColumnBuilder;
import java.util.Arrays;

/**
 * Assigns dense group ids (0, 1, 2, ...) to distinct keys: the keys' encoded bytes live back to back in one arena, an
 * open-addressing table maps their hashes to ids. Finding the group of a row allocates nothing once the arrays have
 * grown, which keeps aggregation free of per-row objects.
 */
final class GroupHash {
    private final KeyCodec codec;
    private byte[] arena = new byte[1024];
    private int[] keyStarts = new int[65];
    private int[] hashes = new int[64];
    private int groupCount;
    private long[] hashScratch;
    /** Whether keys were hashed from their columns (groupIds) or from their bytes; one table must not mix them. */
    private Boolean columnHashes;

    private int[] table = new int[128];

    GroupHash(KeyCodec codec) {
        this.codec = codec;
    }

    int groupCount() {
        return groupCount;
    }

    /** The group id of each row of the batch, by the values of the key columns (in batch column order). */
    int[] groupIds(Batch batch, int[] keyColumns, int[] result) {
        Column[] columns = new Column[keyColumns.length];
        for (int i = 0; i < columns.length; i++) {
            columns[i] = batch.column(keyColumns[i]);
        }
        int[] ids = result != null && result.length >= batch.rowCount() ? result : new int[batch.rowCount()];
        hashScratch = KeyHashes.of(batch, keyColumns, hashScratch);
        checkMode(true);
        for (int row = 0; row < batch.rowCount(); row++) {
            int position = batch.position(row);
            int hash = KeyHashes.finish(hashScratch[row]);
            int group = lookup(columns, position, hash);
            if (group < 0) {
                // A new key: only now is it encoded, into the arena.
                codec.encode(columns, position);
                group = insert(codec.bytes(), 0, codec.length(), hash);
            }
            ids[row] = group;
        }
        return ids;
    }

    /** The group of the key at a position of these columns, compared value by value with stored keys; -1 if none. */
    private int lookup(Column[] columns, int position, int hash) {
        int mask = table.length - 1;
        int slot = hash & mask;
        while (true) {
            int entry = table[slot];
            if (entry == 0) {
                return -1;
            }
            int group = entry - 1;
            if (hashes[group] == hash && codec.equalsRow(arena, keyStarts[group], columns, position)) {
                return group;
            }
            slot = (slot + 1) & mask;
        }
    }

    /** The id of the key in {@code bytes[offset..offset+length)}, or -1 when it is not there. */
    int find(byte[] bytes, int offset, int length) {
        if (Boolean.TRUE.equals(columnHashes)) {
            throw new IllegalStateException("find by key bytes in a GroupHash filled from batches");
        }
        int hash = hash(bytes, offset, length);
        int mask = table.length - 1;
        int slot = hash & mask;
        while (true) {
            int entry = table[slot];
            if (entry == 0) {
                return -1;
            }
            int group = entry - 1;
            if (hashes[group] == hash
                    && Arrays.equals(arena, keyStarts[group], keyStarts[group + 1], bytes, offset, offset + length)) {
                return group;
            }
            slot = (slot + 1) & mask;
        }
    }

    /** The id of the key in {@code bytes[offset..offset+length)}, added as a new group if it is not there. */
    int findOrAdd(byte[] bytes, int offset, int length) {
        checkMode(false);
        return insert(bytes, offset, length, hash(bytes, offset, length));
    }

    private int findOrAdd(byte[] bytes, int offset, int length, int hash) {
        checkMode(true);
        return insert(bytes, offset, length, hash);
    }

    private void checkMode(boolean fromColumns) {
        if (columnHashes == null) {
            columnHashes = fromColumns;
        } else if (columnHashes != fromColumns) {
            throw new IllegalStateException("a GroupHash is filled either from batches or from key bytes, not both");
        }
    }

    private int insert(byte[] bytes, int offset, int length, int hash) {
        int mask = table.length - 1;
        int slot = hash & mask;
        while (true) {
            int entry = table[slot];
            if (entry == 0) {
                break;
            }
            int group = entry - 1;
            if (hashes[group] == hash
                    && Arrays.equals(arena, keyStarts[group], keyStarts[group + 1], bytes, offset, offset + length)) {
                return group;
            }
            slot = (slot + 1) & mask;
        }
        int group = add(bytes, offset, length, hash);
        table[slot] = group + 1;
        if (groupCount * 2 > table.length) {
            rehash();
        }
        return group;
    }

    private int add(byte[] bytes, int offset, int length, int hash) {
        int group = groupCount;
        if (group + 2 > keyStarts.length) {
            keyStarts = Arrays.copyOf(keyStarts, keyStarts.length * 2);
        }
        if (group >= hashes.length) {
            hashes = Arrays.copyOf(hashes, hashes.length * 2);
        }
        int start = keyStarts[group];
        if (start + length > arena.length) {
            arena = Arrays.copyOf(arena, Math.max(arena.length * 2, start + length));
        }
        System.arraycopy(bytes, offset, arena, start, length);
        keyStarts[group + 1] = start + length;
        hashes[group] = hash;
        groupCount++;
        return group;
    }

    private void rehash() {
        int[] larger = new int[table.length * 2];
        int mask = larger.length - 1;
        for (int group = 0; group < groupCount; group++) {
            int slot = hashes[group] & mask;
            while (larger[slot] != 0) {
                slot = (slot + 1) & mask;
            }
            larger[slot] = group + 1;
        }
        table = larger;
    }

    /** A copy of a group's encoded key (a state store key). */
    byte[] key(int group) {
        return Arrays.copyOfRange(arena, keyStarts[group], keyStarts[group + 1]);
    }

    /** Appends the key values of a group to builders, one per key column. */
    void appendKey(int group, ColumnBuilder[] builders) {
        codec.decode(arena, keyStarts[group], builders);
    }

    static int hash(byte[] bytes, int offset, int length) {
        int hash = 1;
        for (int i = offset; i < offset + length; i++) {
            hash = 31 * hash + bytes[i];
        }
        hash ^= hash >>> 16;
        hash *= 0x45d9f3b;
        return hash ^ (hash >>> 16);
    }
}
