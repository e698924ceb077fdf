package io.brook.engine.stream;

import io.brook.engine.exec.KeyValueState;
import io.brook.engine.state.StateStore;
import io.brook.engine.state.StateStoreConfig;
import io.brook.engine.state.StateStoreMetrics;
import io.brook.engine.state.StateStoreProvider;
import io.brook.engine.state.StateStores;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * Operator state in the checkpoint's versioned state stores ({@code state/<operatorId>/<partition>}), in memory or in
 * RocksDB by config. A provider per operator partition stays open for the query's life; each micro-batch loads its
 * version and commits. Partitions of one batch open and write their stores concurrently, so the maps are concurrent.
 * With a TTL ({@code brook.state.ttl}), operators see their state through a {@link TtlKeyValueState}: values carry the
 * time of the batch that last put them, and {@link #removeExpired} walks an operator's stores at the end of a batch,
 * unless the oldest update time it found last time shows that nothing can have expired since.
 */
final class StoreStateBackend implements StateBackend {
    private final Path checkpoint;
    private final StateStoreConfig config;
    /** Keys are (operator, partition) pairs. */
    private final Map<List<Integer>, StateStoreProvider> providers = new ConcurrentHashMap<>();

    private final Map<List<Integer>, StateStore> open = new ConcurrentHashMap<>();
    private final Map<List<Integer>, StateStoreMetrics> lastMetrics = new ConcurrentHashMap<>();
    private final Map<List<Integer>, Long> updated = new ConcurrentHashMap<>();
    private final Map<List<Integer>, Long> removedByTtl = new ConcurrentHashMap<>();
    /** Per operator partition, a lower bound of the update times in its state, from its last pass. */
    private final Map<List<Integer>, Long> oldestUpdate = new ConcurrentHashMap<>();

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
    public KeyValueState open(int operatorId, int partition, long version, long batchTimestampMillis) {
        KeyValueState raw = open(List.of(operatorId, partition), version);
        return ttlMillis > 0 ? new TtlKeyValueState(raw, ttlMillis, batchTimestampMillis) : raw;
    }

    @Override
    public long removeExpired(int operatorId, long version, long batchTimestampMillis) {
        long removed = 0;
        List<List<Integer>> partitions = new ArrayList<>();
        for (List<Integer> id : open.keySet()) {
            if (id.get(0) == operatorId) {
                partitions.add(id);
            }
        }
        for (List<Integer> id : partitions) {
            removedByTtl.put(id, 0L);
            if (ttlMillis <= 0) {
                continue;
            }
            Long oldest = oldestUpdate.get(id);
            if (oldest != null && batchTimestampMillis - oldest <= ttlMillis) {
                continue; // puts since then are newer, so no entry can have expired yet
            }
            TtlKeyValueState.Removal removal =
                    new TtlKeyValueState(open(id, version), ttlMillis, batchTimestampMillis).removeExpired();
            oldestUpdate.put(id, removal.oldestUpdateMillis());
            removedByTtl.put(id, removal.removed());
            removed += removal.removed();
        }
        return removed;
    }

    private KeyValueState open(List<Integer> id, long version) {
        StateStore current = open.computeIfAbsent(id, key -> {
            StateStoreProvider provider = providers.computeIfAbsent(
                    key, k -> StateStores.open(StateStores.partitionDirectory(checkpoint, k.get(0), k.get(1)), config));
            updated.put(key, 0L);
            removedByTtl.put(key, 0L);
            return provider.load(version);
        });
        return new KeyValueState() {
            @Override
            public byte[] get(byte[] key) {
                return current.get(key);
            }

            @Override
            public void put(byte[] key, byte[] value) {
                current.put(key, value);
                updated.merge(id, 1L, Long::sum);
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
        for (Map.Entry<List<Integer>, StateStore> entry : open.entrySet()) {
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

    /** Keys, keys written in the last batch, memory, and keys removed by the TTL, over the operator's partitions. */
    @Override
    public long[] metrics(int operatorId) {
        long[] total = new long[4];
        lastMetrics.forEach((id, metrics) -> {
            if (id.get(0) == operatorId) {
                total[0] += metrics.numKeys();
                total[1] += updated.getOrDefault(id, 0L);
                total[2] += metrics.memoryBytes();
                total[3] += removedByTtl.getOrDefault(id, 0L);
            }
        });
        return total;
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
