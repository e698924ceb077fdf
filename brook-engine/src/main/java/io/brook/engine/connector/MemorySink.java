package io.brook.engine.connector;

import io.brook.engine.batch.Batch;
import io.brook.engine.batch.Schema;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps a query's output in memory as a table one can query (Spark's memory sink): in append mode every batch's rows
 * are added; in complete mode each batch replaces the table. In update mode the rows are upserts by the result's key
 * (an aggregation's group keys) when it has one: the table keeps the latest row per key, and a retraction (the delete of
 * a group whose rows were all taken back) removes it; Spark's memory sink adds every update instead. Without a key,
 * update mode adds rows as append mode does. A batch id it has already seen is ignored, so a re-run batch is not added
 * twice. Thread-safe: readers take a snapshot.
 */
public final class MemorySink implements Sink {
    private final String name;
    private final boolean complete;
    /** The key columns of update mode's upserts, or null to add every row. */
    private final int[] upsertKeys;

    private final List<Batch> batches = new ArrayList<>();
    /** In upsert mode: the latest row of each key, as a one-row view of the batch it came in. */
    private final Map<List<Object>, Batch> latest = new LinkedHashMap<>();

    private Schema schema;
    private long lastBatchId = -1;

    public MemorySink(String name, boolean complete) {
        this(name, complete, null);
    }

    /** A sink that upserts by these key columns (update mode), or adds rows when they are null. */
    public MemorySink(String name, boolean complete, int[] upsertKeys) {
        if (complete && upsertKeys != null) {
            throw new IllegalArgumentException("a complete-mode memory sink replaces its table; it upserts nothing");
        }
        this.name = name;
        this.complete = complete;
        this.upsertKeys = upsertKeys == null ? null : upsertKeys.clone();
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
        if (upsertKeys == null) {
            batches.addAll(output);
        } else {
            // Retractions first: a group deleted and re-created in one batch keeps its new row.
            for (Batch batch : output) {
                if (batch.retracting()) {
                    upsert(batch);
                }
            }
            for (Batch batch : output) {
                if (!batch.retracting()) {
                    upsert(batch);
                }
            }
        }
        lastBatchId = batchId;
    }

    private void upsert(Batch batch) {
        for (int row = 0; row < batch.rowCount(); row++) {
            int position = batch.position(row);
            List<Object> key = new ArrayList<>(upsertKeys.length);
            for (int column : upsertKeys) {
                key.add(batch.column(column).value(position));
            }
            if (batch.retracting()) {
                latest.remove(key);
            } else {
                latest.remove(key); // an updated key moves to the end, as the latest
                latest.put(key, batch.select(new int[] {position}).compact());
            }
        }
    }

    @Override
    public boolean acceptsRetractions() {
        return upsertKeys != null;
    }

    /** The table's batches now. */
    public synchronized List<Batch> snapshot() {
        return upsertKeys == null ? List.copyOf(batches) : List.copyOf(latest.values());
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
