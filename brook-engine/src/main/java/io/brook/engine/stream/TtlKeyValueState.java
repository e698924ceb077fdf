package io.brook.engine.stream;

import io.brook.engine.exec.KeyValueState;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * An operator's state with a time to live, over the raw state of its store: each value is stored after an 8-byte
 * big-endian timestamp, the processing time (epoch milliseconds) of the micro-batch that last put it. An entry not put
 * for longer than the TTL has expired: {@link #get} and {@link #forEach} no longer see it, and {@link #removeExpired}
 * deletes it from the store. Operators see their own values, unprefixed, and need not know about the TTL. One instance
 * serves one micro-batch of one operator, on the query's thread.
 */
final class TtlKeyValueState implements KeyValueState {
    private static final int PREFIX = 8;

    private final KeyValueState stored;
    private final long ttlMillis;
    private final long nowMillis;

    TtlKeyValueState(KeyValueState stored, long ttlMillis, long nowMillis) {
        if (ttlMillis <= 0) {
            throw new IllegalArgumentException("ttlMillis must be > 0, was " + ttlMillis);
        }
        this.stored = stored;
        this.ttlMillis = ttlMillis;
        this.nowMillis = nowMillis;
    }

    private boolean expired(long updatedMillis) {
        return nowMillis - updatedMillis > ttlMillis;
    }

    private static long updated(byte[] value) {
        long time = 0;
        for (int i = 0; i < PREFIX; i++) {
            time = (time << 8) | (value[i] & 0xff);
        }
        return time;
    }

    @Override
    public byte[] get(byte[] key) {
        byte[] value = stored.get(key);
        if (value == null || expired(updated(value))) {
            return null;
        }
        return Arrays.copyOfRange(value, PREFIX, value.length);
    }

    @Override
    public void put(byte[] key, byte[] value) {
        byte[] prefixed = new byte[PREFIX + value.length];
        for (int i = 0; i < PREFIX; i++) {
            prefixed[i] = (byte) (nowMillis >>> (56 - 8 * i));
        }
        System.arraycopy(value, 0, prefixed, PREFIX, value.length);
        stored.put(key, prefixed);
    }

    @Override
    public void remove(byte[] key) {
        stored.remove(key);
    }

    @Override
    public void forEach(BiConsumer<byte[], byte[]> action) {
        stored.forEach((key, value) -> {
            if (!expired(updated(value))) {
                action.accept(key, Arrays.copyOfRange(value, PREFIX, value.length));
            }
        });
    }

    /** What one pass of {@link #removeExpired} did: entries removed, and the oldest update time left. */
    record Removal(long removed, long oldestUpdateMillis) {}

    /**
     * Deletes the expired entries in one pass over the store; the oldest update time left ({@link Long#MAX_VALUE}
     * when the state is empty) tells the caller when the next pass can find anything.
     */
    Removal removeExpired() {
        List<byte[]> expired = new ArrayList<>();
        long[] oldest = {Long.MAX_VALUE};
        stored.forEach((key, value) -> {
            long updated = updated(value);
            if (expired(updated)) {
                expired.add(key.clone());
            } else {
                oldest[0] = Math.min(oldest[0], updated);
            }
        });
        expired.forEach(stored::remove);
        return new Removal(expired.size(), oldest[0]);
    }
}
