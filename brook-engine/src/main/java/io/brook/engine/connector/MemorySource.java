package io.brook.engine.connector;

import static java.util.Objects.requireNonNull;

import io.brook.engine.batch.Batch;
import io.brook.engine.batch.Schema;
import java.util.ArrayList;
import java.util.List;

/**
 * A stream whose batches a test or an application adds one by one (Spark's {@code MemoryStream}). The offset is the
 * number of batches added; a micro-batch reads the batches added since the last one. Thread-safe: batches may be added
 * while a query reads.
 */
public final class MemorySource implements Source {
    private final Schema schema;
    private final String name;
    private final List<Batch> batches = new ArrayList<>();

    public MemorySource(Schema schema, String name) {
        this.schema = requireNonNull(schema, "schema is null");
        this.name = requireNonNull(name, "name is null");
    }

    /** Adds a batch; returns the offset that includes it. */
    public synchronized Offset add(Batch batch) {
        if (!batch.schema().equals(schema)) {
            throw new IllegalArgumentException("batch schema " + batch.schema() + " is not the stream's " + schema);
        }
        batches.add(batch.compact());
        return offset(batches.size());
    }

    private static Offset offset(long count) {
        return new Offset(Long.toString(count));
    }

    private static int count(Offset offset) {
        try {
            return Integer.parseInt(offset.json());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a memory stream offset: " + offset, e);
        }
    }

    @Override
    public Schema schema() {
        return schema;
    }

    @Override
    public Offset initialOffset() {
        return offset(0);
    }

    @Override
    public synchronized Offset latestOffset(Offset start, ReadLimit limit) {
        long available = batches.size() - count(start);
        return offset(count(start) + Math.min(available, limit.maxFiles()));
    }

    @Override
    public synchronized List<Batch> read(Offset start, Offset end) {
        int from = count(start);
        int to = count(end);
        if (to > batches.size() || from > to) {
            throw new IllegalArgumentException("memory stream " + name + " has " + batches.size()
                    + " batches; cannot read " + start + " to " + end);
        }
        return new ArrayList<>(batches.subList(from, to));
    }

    @Override
    public String description() {
        return "MemoryStream[" + name + "]";
    }
}
