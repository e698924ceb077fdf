package io.brook.engine.stream;

import io.brook.engine.exec.KeyValueState;

/**
 * The state of a query's stateful operators, versioned per micro-batch: batch N reads version N (the state after
 * batches 0 to N-1) and, once its sink has committed, commits version N+1. After a restart, opening a version gives
 * exactly the state that version was committed with.
 */
interface StateBackend extends AutoCloseable {
    /**
     * The state of one partition of an operator for the batch that reads {@code version}, triggered at
     * {@code batchTimestampMillis}: with a TTL, entries not updated for longer than it are hidden, and the batch's puts
     * record that time. Thread-safe: partitions open their state concurrently.
     */
    KeyValueState open(int operatorId, int partition, long version, long batchTimestampMillis);

    /**
     * At the end of a batch, deletes the entries of the operator's partitions that the TTL has expired by the batch's
     * time (none without a TTL); returns how many.
     */
    long removeExpired(int operatorId, long version, long batchTimestampMillis);

    /** Makes the open states durable as {@code version + 1}. */
    void commit();

    /** Forgets the open states' changes. */
    void abort();

    /**
     * Keys now in an operator's state, keys written in the last batch, approximate memory, and keys the TTL removed in
     * the last batch, for progress.
     */
    long[] metrics(int operatorId);

    @Override
    void close();
}
