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
        return new Offset("{\"startMillis\":" + start() + ",\"rows\":0}");
    }

    private synchronized long start() {
        if (startMillis < 0) {
            startMillis = clockMillis.getAsLong();
        }
        return startMillis;
    }

    @Override
    public Offset latestOffset(Offset start, ReadLimit limit) {
        long[] parsed = parse(start);
        long due = (clockMillis.getAsLong() - parsed[0]) * rowsPerSecond / 1000;
        long end = Math.max(parsed[1], Math.min(due, parsed[1] + Math.min(limit.maxRows(), Long.MAX_VALUE / 2)));
        return new Offset("{\"startMillis\":" + parsed[0] + ",\"rows\":" + end + "}");
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
        long[] from = parse(start);
        long[] to = parse(end);
        for (long first = from[1]; first < to[1]; first += MAX_BATCH_ROWS) {
            int count = (int) Math.min(MAX_BATCH_ROWS, to[1] - first);
            long[] timestamps = new long[count];
            long[] values = new long[count];
            for (int i = 0; i < count; i++) {
                long value = first + i;
                values[i] = value;
                timestamps[i] = from[0] * 1000 + value * 1_000_000 / rowsPerSecond;
            }
            out.accept(Batch.of(
                    SCHEMA, LongColumn.of(ColumnType.TIMESTAMP, timestamps), LongColumn.of(ColumnType.BIGINT, values)));
        }
    }

    /** {startMillis, rows} of an offset. */
    private static long[] parse(Offset offset) {
        String json = offset.json();
        try {
            long startMillis = Long.parseLong(json.replaceAll(".*\"startMillis\":(-?\\d+).*", "$1"));
            long rows = Long.parseLong(json.replaceAll(".*\"rows\":(\\d+).*", "$1"));
            return new long[] {startMillis, rows};
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a rate source offset: " + json, e);
        }
    }

    @Override
    public String description() {
        return "RateStream[rowsPerSecond=" + rowsPerSecond + "]";
    }
}
