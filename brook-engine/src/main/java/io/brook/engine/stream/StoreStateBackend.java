package io.brook.engine.stream;

import io.brook.engine.exec.KeyValueState;
import io.brook.engine.state.StateStore;
import io.brook.engine.state.StateStoreConfig;
import io.brook.engine.state.StateStoreMetrics;
import io.brook.engine.state.StateStoreProvider;
import io.brook.engine.state.StateStores;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * Operator state in the checkpoint's versioned state stores ({@code state/<operatorId>/0}), in memory or in RocksDB
 * by config. A provider per operator stays open for the query's life; each micro-batch loads its version and commits.
 * With a TTL ({@code brook.state.ttl}), operators see their state through a {@link TtlKeyValueState}: values carry the
 * time of the batch that last put them, and {@link #removeExpired} walks an operator's store at the end of a batch,
 * unless the oldest update time it found last time shows that nothing can have expired since.
 */
final class StoreStateBackend implements StateBackend {
    private final Path checkpoint;
    private final StateStoreConfig config;
    private final Map<Integer, StateStoreProvider> providers = new HashMap<>();
    private final Map<Integer, StateStore> open = new HashMap<>();
    private final Map<Integer, StateStoreMetrics> lastMetrics = new HashMap<>();
    private final Map<Integer, Long> updated = new HashMap<>();
    private final Map<Integer, Long> removedByTtl = new HashMap<>();
    /** Per operator, a lower bound of the update times in its state, from its last pass; absent when unknown. */
    private final Map<Integer, Long> oldestUpdate = new HashMap<>();

    private final long ttlMillis;

    StoreStateBackend(Path checkpoint, StateStoreConfig config, Optional<Duration> ttl) {
        this.checkpoint = checkpoint;
        this.config = config;
        this.ttlMillis = ttl.map(Duration::toMillis).orElse(0L);
        if (ttl.isPresent() && ttlMillis <= 0) {
            throw new IllegalArgumentException("ttl must be at least 1 ms, was " + ttl.get());
        }
    }

    @Override
    public KeyValueState open(int operatorId, long version, long batchTimestampMillis) {
        KeyValueState raw = open(operatorId, version);
        return ttlMillis > 0 ? new TtlKeyValueState(raw, ttlMillis, batchTimestampMillis) : raw;
    }

    @Override
    public long removeExpired(int operatorId, long version, long batchTimestampMillis) {
        removedByTtl.put(operatorId, 0L);
        if (ttlMillis <= 0) {
            return 0;
        }
        Long oldest = oldestUpdate.get(operatorId);
        if (oldest != null && batchTimestampMillis - oldest <= ttlMillis) {
            return 0; // puts since then are newer, so no entry can have expired yet
        }
        TtlKeyValueState.Removal removal =
                new TtlKeyValueState(open(operatorId, version), ttlMillis, batchTimestampMillis).removeExpired();
        oldestUpdate.put(operatorId, removal.oldestUpdateMillis());
        removedByTtl.put(operatorId, removal.removed());
        return removal.removed();
    }

    private KeyValueState open(int operatorId, long version) {
        StateStore store = open.get(operatorId);
        if (store == null) {
            StateStoreProvider provider = providers.computeIfAbsent(
                    operatorId, id -> StateStores.open(StateStores.partitionDirectory(checkpoint, id, 0), config));
            store = provider.load(version);
            open.put(operatorId, store);
            updated.put(operatorId, 0L);
            removedByTtl.put(operatorId, 0L);
        }
        StateStore current = store;
        return new KeyValueState() {
            @Override
            public byte[] get(byte[] key) {
                return current.get(key);
            }

            @Override
            public void put(byte[] key, byte[] value) {
                current.put(key, value);
                updated.merge(operatorId, 1L, Long::sum);
            }

            @Override
            public void remove(byte[] key) {
                current.remove(key);
            }

            @Override
            public void forEach(BiConsumer<byte[], byte[]> action) {
                current.forEach(action);
            }
        };
    }

    @Override
    public void commit() {
        for (Map.Entry<Integer, StateStore> entry : open.entrySet()) {
            entry.getValue().commit();
            lastMetrics.put(entry.getKey(), entry.getValue().metrics());
        }
        open.clear();
    }

    @Override
    public void abort() {
        for (StateStore store : open.values()) {
            store.abort();
        }
        open.clear();
        // Removals of an aborted batch come back; their update times are older than what was remembered.
        oldestUpdate.clear();
    }

    @Override
    public long[] metrics(int operatorId) {
        StateStoreMetrics metrics = lastMetrics.get(operatorId);
        if (metrics == null) {
            return new long[4];
        }
        return new long[] {
            metrics.numKeys(),
            updated.getOrDefault(operatorId, 0L),
            metrics.memoryBytes(),
            removedByTtl.getOrDefault(operatorId, 0L)
        };
    }

    @Override
    public void close() {
        abort();
        RuntimeException first = null;
        for (StateStoreProvider provider : providers.values()) {
            try {
                provider.close();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        providers.clear();
        if (first != null) {
            throw first;
        }
    }
}
