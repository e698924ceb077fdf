package io.brook.engine.state;

import java.util.function.BiConsumer;

/**
 * The byte-keyed state of one stateful operator partition at one version, as a task sees it while it runs one
 * micro-batch. A store is loaded from its {@link StateStoreProvider} at the version the micro-batch starts from
 * (version N for batch N), reads and changes entries, and ends with exactly one of {@link #commit} (which durably
 * writes version N + 1) or {@link #abort}; after that every method but {@link #version} and {@link #metrics} throws
 * {@link IllegalStateException}. {@link #close} aborts a store that has not ended, so try-with-resources is safe.
 *
 * <p>Not thread-safe: one task uses it. Keys and values are copied on {@link #put}; arrays handed out by {@link #get}
 * and {@link #forEach} belong to the store and must not be modified.
 */
public interface StateStore extends AutoCloseable {
    /** The version this store was loaded at. */
    long version();

    /** The value of {@code key}, or null if absent. */
    byte[] get(byte[] key);

    void put(byte[] key, byte[] value);

    /** Removes {@code key}; removing an absent key does nothing. */
    void remove(byte[] key);

    /**
     * Calls {@code action} for every current entry, uncommitted changes included, in no particular order. The action
     * must not change this store: collect what to change and change it afterwards.
     */
    void forEach(BiConsumer<byte[], byte[]> action);

    /** Durably writes version {@code version() + 1} and returns it; the store is then done. */
    long commit();

    /** Discards the uncommitted changes; the store is then done. Aborting a done store does nothing. */
    void abort();

    /** The store's size now and, once committed, what its commit wrote. */
    StateStoreMetrics metrics();

    /** Aborts the store if it has neither committed nor aborted; idempotent. */
    @Override
    void close();
}
