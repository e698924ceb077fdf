package io.brook.engine.connector;

import io.brook.engine.batch.Batch;
import io.brook.engine.batch.ColumnType;
import io.brook.engine.batch.Field;
import io.brook.engine.batch.LongColumn;
import io.brook.engine.batch.Schema;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Spark's {@code rate} source: {@code rowsPerSecond} rows a second, each a {@code value} counting from 0 and the
 * {@code timestamp} at which it is due. The offset is the number of rows due; rows are computed, never stored, so the
 * same range always reads the same rows.
 */
public final class RateSource implements Source {
    public static final Schema SCHEMA = Schema.of(
            new Field("timestamp", ColumnType.TIMESTAMP, false), new Field("value", ColumnType.BIGINT, false));
    private static final int MAX_BATCH_ROWS = 8192;
    /** The offset's name for the rows offered so far. */
    private static final String COUNT = "rows";

    private final long rowsPerSecond;
    private final LongSupplier clockMillis;
    private long startMillis = -1;

    /** @param clockMillis the wall clock in milliseconds (injected so tests control time) */
    public RateSource(long rowsPerSecond, LongSupplier clockMillis) {
        if (rowsPerSecond <= 0) {
            throw new IllegalArgumentException("rowsPerSecond must be > 0, was " + rowsPerSecond);
        }
        this.rowsPerSecond = rowsPerSecond;
        this.clockMillis = clockMillis;
    }

    @Override
    public Schema schema() {
        return SCHEMA;
    }

    @Override
    public Source copy() {
        return new RateSource(rowsPerSecond, clockMillis);
    }

    @Override
    public Offset initialOffset() {
        return new PacedOffset(start(), 0).toOffset(COUNT);
    }

    private synchronized long start() {
        if (startMillis < 0) {
            startMillis = clockMillis.getAsLong();
        }
        return startMillis;
    }

    @Override
    public Offset latestOffset(Offset start, ReadLimit limit) {
        PacedOffset from = parse(start);
        long due = from.dueAt(clockMillis.getAsLong(), rowsPerSecond);
        long end = Math.max(from.count(), Math.min(due, from.count() + Math.min(limit.maxRows(), Long.MAX_VALUE / 2)));
        return new PacedOffset(from.startMillis(), end).toOffset(COUNT);
    }

    @Override
    public List<Batch> read(Offset start, Offset end) {
        List<Batch> batches = new ArrayList<>();
        read(start, end, batches::add);
        return batches;
    }

    /** Makes the rows batch by batch, so a large micro-batch is never in memory whole. */
    @Override
    public void read(Offset start, Offset end, java.util.function.Consumer<Batch> out) {
        PacedOffset from = parse(start);
        long to = parse(end).count();
        for (long first = from.count(); first < to; first += MAX_BATCH_ROWS) {
            int count = (int) Math.min(MAX_BATCH_ROWS, to - first);
            long[] timestamps = new long[count];
            long[] values = new long[count];
            for (int i = 0; i < count; i++) {
                long value = first + i;
                values[i] = value;
                timestamps[i] = from.startMillis() * 1000 + value * 1_000_000 / rowsPerSecond;
            }
            out.accept(Batch.of(
                    SCHEMA, LongColumn.of(ColumnType.TIMESTAMP, timestamps), LongColumn.of(ColumnType.BIGINT, values)));
        }
    }

    private static PacedOffset parse(Offset offset) {
        return PacedOffset.parse(offset, COUNT, "rate");
    }

    @Override
    public String description() {
        return "RateStream[rowsPerSecond=" + rowsPerSecond + "]";
    }
}
