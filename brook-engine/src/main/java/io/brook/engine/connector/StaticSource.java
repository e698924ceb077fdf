package io.brook.engine.connector;

import static java.util.Objects.requireNonNull;

import io.brook.engine.batch.Batch;
import io.brook.engine.batch.Schema;
import java.util.List;

/** A fixed list of batches (a DataFrame made from rows, a snapshot of a memory sink): offset 0 before, 1 after. */
public final class StaticSource implements Source {
    private static final Offset BEFORE = new Offset("0");
    private static final Offset AFTER = new Offset("1");

    private final Schema schema;
    private final List<Batch> batches;
    private final String description;

    public StaticSource(Schema schema, List<Batch> batches, String description) {
        this.schema = requireNonNull(schema, "schema is null");
        this.batches = List.copyOf(batches);
        this.description = requireNonNull(description, "description is null");
    }

    @Override
    public Schema schema() {
        return schema;
    }

    @Override
    public Offset initialOffset() {
        return BEFORE;
    }

    @Override
    public Offset latestOffset(Offset start, ReadLimit limit) {
        return AFTER;
    }

    @Override
    public List<Batch> read(Offset start, Offset end) {
        return start.equals(end) ? List.of() : batches;
    }

    @Override
    public String description() {
        return description;
    }
}
