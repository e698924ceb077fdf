package io.brook.engine.state;

import static java.util.Objects.requireNonNull;

import java.util.HashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * A {@link StateStore} that keeps one micro-batch's changes in a map over a read-only committed version held by a
 * {@link Backend} (the in-memory map or the RocksDB instance). Abort drops the map; commit hands it to the backend,
 * which writes the next version. Each changed key remembers whether the committed version had it, so the store counts
 * keys exactly and never writes the removal of a key that was never there.
 */
final class OverlayStateStore implements StateStore {
    /** Rough bytes per entry beyond key and value: hash map node, key wrapper, two array headers. */
    static final long ENTRY_OVERHEAD_BYTES = 80;

    /** The committed version under a store, owned by its provider. */
    interface Backend {
        /** The committed value of {@code key}, or null. */
        byte[] get(ByteArrayKey key);

        void forEach(BiConsumer<ByteArrayKey, byte[]> action);

        long numKeys();

        long memoryBytes();

        /** Durably writes {@code version + 1} from {@code version} and {@code changes}; returns the bytes written. */
        long commit(long version, Map<ByteArrayKey, Change> changes, long numKeysAfter);

        /** The store has committed, aborted or failed: the backend may hand out another. */
        void release(OverlayStateStore store);

        /** Names the store in messages. */
        String describe();
    }

    /** A changed key: its new value (null when removed) and whether the committed version has it. */
    static final class Change {
        final boolean inBase;
        byte[] value;

        Change(boolean inBase, byte[] value) {
            this.inBase = inBase;
            this.value = value;
        }
    }

    private enum Status {
        OPEN,
        COMMITTED,
        ABORTED
    }

    private final Backend backend;
    private final long version;
    private final Map<ByteArrayKey, Change> changes = new HashMap<>();
    private long numKeys;
    private long changeBytes;
    private long commitBytesWritten;
    private long memoryBytesWhenDone;
    private Status status = Status.OPEN;

    OverlayStateStore(Backend backend, long version) {
        this.backend = requireNonNull(backend, "backend is null");
        this.version = version;
        this.numKeys = backend.numKeys();
    }

    @Override
    public long version() {
        return version;
    }

    @Override
    public byte[] get(byte[] key) {
        throwIfNotOpen();
        ByteArrayKey wrapped = new ByteArrayKey(requireNonNull(key, "key is null"));
        Change change = changes.get(wrapped);
        return change != null ? change.value : backend.get(wrapped);
    }

    @Override
    public void put(byte[] key, byte[] value) {
        throwIfNotOpen();
        requireNonNull(key, "key is null");
        requireNonNull(value, "value is null");
        byte[] copy = value.clone();
        ByteArrayKey wrapped = new ByteArrayKey(key.clone());
        Change change = changes.get(wrapped);
        if (change == null) {
            boolean inBase = backend.get(wrapped) != null;
            if (!inBase) {
                numKeys++;
            }
            changes.put(wrapped, new Change(inBase, copy));
            changeBytes += key.length + ENTRY_OVERHEAD_BYTES;
        } else {
            if (change.value == null) {
                numKeys++;
            } else {
                changeBytes -= change.value.length;
            }
            change.value = copy;
        }
        changeBytes += copy.length;
    }

    @Override
    public void remove(byte[] key) {
        throwIfNotOpen();
        ByteArrayKey wrapped = new ByteArrayKey(requireNonNull(key, "key is null"));
        Change change = changes.get(wrapped);
        if (change == null) {
            if (backend.get(wrapped) != null) {
                numKeys--;
                changes.put(new ByteArrayKey(key.clone()), new Change(true, null));
                changeBytes += key.length + ENTRY_OVERHEAD_BYTES;
            }
            return;
        }
        if (change.value != null) {
            numKeys--;
            changeBytes -= change.value.length;
            change.value = null;
        }
        if (!change.inBase) {
            changes.remove(wrapped);
            changeBytes -= key.length + ENTRY_OVERHEAD_BYTES;
        }
    }

    @Override
    public void forEach(BiConsumer<byte[], byte[]> action) {
        throwIfNotOpen();
        requireNonNull(action, "action is null");
        if (changes.isEmpty()) {
            backend.forEach((key, value) -> action.accept(key.bytes(), value));
            return;
        }
        backend.forEach((key, value) -> {
            if (!changes.containsKey(key)) {
                action.accept(key.bytes(), value);
            }
        });
        changes.forEach((key, change) -> {
            if (change.value != null) {
                action.accept(key.bytes(), change.value);
            }
        });
    }

    @Override
    public long commit() {
        throwIfNotOpen();
        try {
            commitBytesWritten = backend.commit(version, changes, numKeys);
            status = Status.COMMITTED;
            memoryBytesWhenDone = backend.memoryBytes();
        } catch (RuntimeException | Error e) {
            status = Status.ABORTED;
            throw e;
        } finally {
            changes.clear();
            changeBytes = 0;
            backend.release(this);
        }
        return version + 1;
    }

    @Override
    public void abort() {
        if (status != Status.OPEN) {
            return;
        }
        status = Status.ABORTED;
        changes.clear();
        changeBytes = 0;
        numKeys = backend.numKeys();
        memoryBytesWhenDone = backend.memoryBytes();
        backend.release(this);
    }

    @Override
    public StateStoreMetrics metrics() {
        long memoryBytes = status == Status.OPEN ? backend.memoryBytes() + changeBytes : memoryBytesWhenDone;
        return new StateStoreMetrics(numKeys, memoryBytes, commitBytesWritten);
    }

    @Override
    public void close() {
        abort();
    }

    private void throwIfNotOpen() {
        if (status != Status.OPEN) {
            throw new IllegalStateException("state store " + backend.describe() + " at version " + version
                    + " was already " + (status == Status.COMMITTED ? "committed" : "aborted"));
        }
    }

    @Override
    public String toString() {
        return "StateStore[" + backend.describe() + " version " + version + ", " + status + "]";
    }
}
