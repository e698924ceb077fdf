package io.brook.engine.connector;

import io.brook.engine.batch.Batch;
import io.brook.engine.batch.Schema;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps a query's output in memory as a table one can query (Spark's memory sink): in append and update mode every
 * batch's rows are added; in complete mode each batch replaces the table. A batch id it has already seen is ignored,
 * so a re-run batch is not added twice. Thread-safe: readers take a snapshot.
 */
public final class MemorySink implements Sink {
    private final String name;
    private final boolean complete;
    private final List<Batch> batches = new ArrayList<>();
    private Schema schema;
    private long lastBatchId = -1;

    public MemorySink(String name, boolean complete) {
        this.name = name;
        this.complete = complete;
    }

    @Override
    public synchronized void addBatch(long batchId, Schema schema, List<Batch> output) {
        if (batchId <= lastBatchId) {
            return;
        }
        this.schema = schema;
        if (complete) {
            batches.clear();
        }
        batches.addAll(output);
        lastBatchId = batchId;
    }

    /** The table's batches now. */
    public synchronized List<Batch> snapshot() {
        return List.copyOf(batches);
    }

    public synchronized Schema schema() {
        return schema;
    }

    public String name() {
        return name;
    }

    @Override
    public String description() {
        return "MemorySink[" + name + "]";
    }
}
