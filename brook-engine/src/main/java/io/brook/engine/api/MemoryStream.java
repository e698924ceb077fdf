package io.brook.engine.api;

import io.brook.engine.batch.Schema;
import io.brook.engine.connector.MemorySource;
import java.util.List;

/**
 * A stream fed by the program itself, for tests and examples (Spark's {@code MemoryStream}): each {@link #addData}
 * call becomes the input of a later micro-batch.
 */
public final class MemoryStream {
    private static final java.util.concurrent.atomic.AtomicInteger NEXT_ID =
            new java.util.concurrent.atomic.AtomicInteger();

    private final Brook session;
    private final Schema schema;
    private final MemorySource source;

    private MemoryStream(Brook session, Schema schema) {
        this.session = session;
        this.schema = schema;
        this.source = new MemorySource(schema, "memory_" + NEXT_ID.getAndIncrement());
    }

    public static MemoryStream of(Brook session, Schema schema) {
        return new MemoryStream(session, schema);
    }

    /** Adds rows as one batch of input. */
    public void addData(Row... rows) {
        addData(List.of(rows));
    }

    public void addData(List<Row> rows) {
        source.add(Brook.toBatch(rows, schema));
    }

    /** The stream as a streaming Dataset. */
    public Dataset<Row> toDF() {
        return session.fromSource(source, true, "memory_stream");
    }
}
