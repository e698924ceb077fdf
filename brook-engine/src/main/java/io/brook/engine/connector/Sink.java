package io.brook.engine.connector;

import io.brook.engine.batch.Batch;
import io.brook.engine.batch.Schema;
import java.util.List;

/**
 * Where a streaming query writes each micro-batch's result. {@link #addBatch} may be called again with the id of a
 * batch that already reached the sink (a restarted query re-runs its last uncommitted batch): an exactly-once sink
 * recognises the id and writes nothing twice. Called from the query's thread; {@link #close} once when it stops.
 */
public interface Sink extends AutoCloseable {
    void addBatch(long batchId, Schema schema, List<Batch> batches);

    /**
     * Whether the sink takes {@linkplain Batch#retracting() retractions}: the deletes of an update-mode aggregation over
     * an updating result, whose groups can become empty. A sink that does not is given only the rows that are new.
     */
    default boolean acceptsRetractions() {
        return false;
    }

    /**
     * The query's event-time watermark after a batch committed: what the next batch runs with, in microseconds since
     * the epoch ({@link Long#MIN_VALUE} while there is none). For a sink that acts on event time, such as a file sink
     * committing partitions; may repeat a value, and after a restart starts again from the checkpoint's.
     */
    default void watermarkAdvanced(long watermarkMicros) {}

    /**
     * Every source of the query has ended (a bounded stream) and its last batch has committed; a restarted query may
     * call it again.
     */
    default void inputEnded() {}

    /** A one-line description for progress reports, e.g. {@code MemorySink[clicks]}. */
    String description();

    @Override
    default void close() {}
}
