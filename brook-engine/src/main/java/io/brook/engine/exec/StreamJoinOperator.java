package io.brook.engine.exec;

import io.brook.engine.batch.Batch;
import io.brook.engine.batch.BooleanColumn;
import io.brook.engine.batch.Column;
import io.brook.engine.batch.ColumnBuilder;
import io.brook.engine.batch.LongColumn;
import io.brook.engine.batch.Schema;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An inner equi-join of two streams (Spark's stream–stream join). Both sides' rows are buffered in state by join key;
 * each micro-batch joins its new left rows with all right rows of their keys (buffered and new) and the buffered left
 * rows with the new right rows, so every pair comes out exactly once, in the batch where its later row arrives.
 * Extra conditions (a time range between the two event times, say) are checked on the pairs. With watermarks on both
 * event times and a time range, a buffered row leaves the state once it can match no future row of the other side
 * (by the other side's closed watermark, see {@link EventTime}); a new row that is late on its own side (at or below
 * its side's late watermark) and already past that point is dropped. Rows from a stateful operator upstream are never
 * late on their side, so an aggregation's output is joined in full. Without watermarks the state keeps every row.
 */
final class StreamJoinOperator {
    private final int leftStateId;
    private final int rightStateId;
    /** Which partition of the join's state this instance keeps (see JoinExchange). */
    private final int partition;

    private final int[] leftKeys;
    private final int[] rightKeys;
    private final KeyCodec keyCodec;
    private final KeyCodec leftRows;
    private final KeyCodec rightRows;
    private final Schema leftSchema;
    private final Schema rightSchema;
    private final Schema schema;
    private final Evaluator condition;
    private final int leftTime;
    private final int rightTime;
    private final JoinTimeBounds bounds;
    /** The watermarks of each side's time column (null without one): late for new rows, closed for the state. */
    private final WatermarkBound leftLate;

    private final WatermarkBound leftClosed;
    private final WatermarkBound rightLate;
    private final WatermarkBound rightClosed;
    private final Operator downstream;
    private final Pipeline.CurrentBatch currentBatch;
    private final List<Batch> newLeft = new ArrayList<>();
    private final List<Batch> newRight = new ArrayList<>();
    private int finishedSides;

    @SuppressWarnings("checkstyle:ParameterNumber")
    StreamJoinOperator(
            int leftStateId,
            int rightStateId,
            int partition,
            int[] leftKeys,
            int[] rightKeys,
            KeyCodec keyCodec,
            Schema leftSchema,
            Schema rightSchema,
            Schema schema,
            Evaluator condition,
            int leftTime,
            int rightTime,
            JoinTimeBounds bounds,
            EventTime.TimeColumn leftTimeColumn,
            EventTime.TimeColumn rightTimeColumn,
            Operator downstream,
            Pipeline.CurrentBatch currentBatch) {
        this.leftStateId = leftStateId;
        this.rightStateId = rightStateId;
        this.partition = partition;
        this.leftKeys = leftKeys.clone();
        this.rightKeys = rightKeys.clone();
        this.keyCodec = keyCodec;
        this.leftRows = new KeyCodec(types(leftSchema));
        this.rightRows = new KeyCodec(types(rightSchema));
        this.leftSchema = leftSchema;
        this.rightSchema = rightSchema;
        this.schema = schema;
        this.condition = condition;
        this.leftTime = leftTime;
        this.rightTime = rightTime;
        this.bounds = bounds;
        this.leftLate = leftTimeColumn == null ? null : leftTimeColumn.late();
        this.leftClosed = leftTimeColumn == null ? null : leftTimeColumn.closed();
        this.rightLate = rightTimeColumn == null ? null : rightTimeColumn.late();
        this.rightClosed = rightTimeColumn == null ? null : rightTimeColumn.closed();
        this.downstream = downstream;
        this.currentBatch = currentBatch;
    }

    private static List<io.brook.engine.batch.ColumnType> types(Schema schema) {
        return schema.fields().stream().map(io.brook.engine.batch.Field::type).toList();
    }

    /** The entry of one side: its batches are buffered until both sides have finished the micro-batch. */
    Operator side(boolean left) {
        return new Operator() {
            @Override
            public void accept(Batch batch) {
                (left ? newLeft : newRight).add(batch.compact());
            }

            @Override
            public void finish(BatchContext context) {
                if (++finishedSides == 2) {
                    finishedSides = 0;
                    join(context);
                }
            }
        };
    }

    private void join(BatchContext context) {
        KeyValueState leftState = context.state(leftStateId, partition);
        KeyValueState rightState = context.state(rightStateId, partition);
        boolean evicting = leftTime >= 0 && rightTime >= 0;
        Watermarks watermarks = evicting
                ? new Watermarks(
                        leftLate.at(context), leftClosed.at(context), rightLate.at(context), rightClosed.at(context))
                : null;
        Batch left = Batches.concat(leftSchema, newLeft);
        Batch right = Batches.concat(rightSchema, newRight);
        newLeft.clear();
        newRight.clear();
        long dropped = 0;

        // New rows by key (late ones and null keys dropped); row lists per key index.
        GroupHash keys = new GroupHash(keyCodec);
        List<List<Integer>> leftByKey = new ArrayList<>();
        List<List<Integer>> rightByKey = new ArrayList<>();
        dropped += group(left, leftKeys, keys, leftByKey, rightByKey, true, watermarks);
        dropped += group(right, rightKeys, keys, rightByKey, leftByKey, false, watermarks);

        // Buffered rows of those keys, decoded into batches.
        ColumnBuilder[] oldLeftBuilders = builders(leftSchema);
        ColumnBuilder[] oldRightBuilders = builders(rightSchema);
        int[] oldLeftStart = new int[keys.groupCount() + 1];
        int[] oldRightStart = new int[keys.groupCount() + 1];
        int leftCount = 0;
        int rightCount = 0;
        for (int key = 0; key < keys.groupCount(); key++) {
            oldLeftStart[key] = leftCount;
            oldRightStart[key] = rightCount;
            leftCount += decodeAll(leftState.get(keys.key(key)), leftRows, oldLeftBuilders);
            rightCount += decodeAll(rightState.get(keys.key(key)), rightRows, oldRightBuilders);
        }
        oldLeftStart[keys.groupCount()] = leftCount;
        oldRightStart[keys.groupCount()] = rightCount;
        Batch oldLeft = Batch.of(leftSchema, build(oldLeftBuilders));
        Batch oldRight = Batch.of(rightSchema, build(oldRightBuilders));

        // Pairs: new left x (old right + new right), then old left x new right.
        ColumnBuilder[] out = builders(schema);
        int pairs = 0;
        for (int key = 0; key < keys.groupCount(); key++) {
            for (int l : leftByKey.get(key)) {
                for (int r = oldRightStart[key]; r < oldRightStart[key + 1]; r++) {
                    append(out, left, l, oldRight, r);
                    pairs++;
                }
                for (int r : rightByKey.get(key)) {
                    append(out, left, l, right, r);
                    pairs++;
                }
            }
            for (int l = oldLeftStart[key]; l < oldLeftStart[key + 1]; l++) {
                for (int r : rightByKey.get(key)) {
                    append(out, oldLeft, l, right, r);
                    pairs++;
                }
            }
        }
        if (pairs > 0) {
            Batch joined = Batch.of(schema, build(out));
            downstream.accept(condition == null ? joined : filter(joined));
        }

        // Buffer the new rows, then let go of what the watermark says can no longer match.
        for (int key = 0; key < keys.groupCount(); key++) {
            append(leftState, keys.key(key), leftRows, left, leftByKey.get(key));
            append(rightState, keys.key(key), rightRows, right, rightByKey.get(key));
        }
        if (evicting && watermarks.rightClosed() != Long.MIN_VALUE) {
            evict(leftState, leftRows, leftTime, true, watermarks.rightClosed());
        }
        if (evicting && watermarks.leftClosed() != Long.MIN_VALUE) {
            evict(rightState, rightRows, rightTime - leftSchema.size(), false, watermarks.leftClosed());
        }
        if (dropped > 0) {
            context.observer().droppedByWatermark(leftStateId, dropped);
        }
        downstream.finish(context);
    }

    /** The watermarks of one micro-batch, {@link Long#MIN_VALUE} where there is none yet. */
    private record Watermarks(long leftLate, long leftClosed, long rightLate, long rightClosed) {}

    /** Adds a side's rows to the key hash; returns how many were dropped as late. */
    private long group(
            Batch batch,
            int[] keyColumns,
            GroupHash keys,
            List<List<Integer>> byKey,
            List<List<Integer>> otherByKey,
            boolean left,
            Watermarks watermarks) {
        Column[] keyValues = new Column[keyColumns.length];
        for (int i = 0; i < keyValues.length; i++) {
            keyValues[i] = batch.column(keyColumns[i]);
        }
        int timeColumn = left ? leftTime : rightTime - leftSchema.size();
        long late = watermarks == null ? Long.MIN_VALUE : left ? watermarks.leftLate() : watermarks.rightLate();
        long otherClosed =
                watermarks == null ? Long.MIN_VALUE : left ? watermarks.rightClosed() : watermarks.leftClosed();
        LongColumn times =
                late != Long.MIN_VALUE && otherClosed != Long.MIN_VALUE ? (LongColumn) batch.column(timeColumn) : null;
        long dropped = 0;
        for (int row = 0; row < batch.rowCount(); row++) {
            boolean nullKey = false;
            for (Column key : keyValues) {
                nullKey |= key.isNull(row);
            }
            if (nullKey) {
                continue;
            }
            if (times != null
                    && !times.isNull(row)
                    && times.getLong(row) <= late
                    && (left
                            ? bounds.leftExpired(times.getLong(row), otherClosed)
                            : bounds.rightExpired(times.getLong(row), otherClosed))) {
                dropped++;
                continue;
            }
            keyCodec.encode(keyValues, row);
            int key = keys.findOrAdd(keyCodec.bytes(), 0, keyCodec.length());
            while (byKey.size() <= key) {
                byKey.add(new ArrayList<>());
                otherByKey.add(new ArrayList<>());
            }
            byKey.get(key).add(row);
        }
        return dropped;
    }

    private static ColumnBuilder[] builders(Schema schema) {
        ColumnBuilder[] builders = new ColumnBuilder[schema.size()];
        for (int i = 0; i < builders.length; i++) {
            builders[i] = new ColumnBuilder(schema.field(i), 16);
        }
        return builders;
    }

    private static Column[] build(ColumnBuilder[] builders) {
        Column[] columns = new Column[builders.length];
        for (int i = 0; i < columns.length; i++) {
            columns[i] = builders[i].build();
        }
        return columns;
    }

    private static int decodeAll(byte[] stored, KeyCodec rows, ColumnBuilder[] builders) {
        if (stored == null) {
            return 0;
        }
        int count = 0;
        int at = 0;
        while (at < stored.length) {
            at = rows.decode(stored, at, builders);
            count++;
        }
        return count;
    }

    private void append(ColumnBuilder[] out, Batch left, int l, Batch right, int r) {
        int leftColumns = leftSchema.size();
        for (int c = 0; c < leftColumns; c++) {
            out[c].append(left.column(c), l);
        }
        for (int c = 0; c < rightSchema.size(); c++) {
            out[leftColumns + c].append(right.column(c), r);
        }
    }

    private Batch filter(Batch joined) {
        BooleanColumn passed = (BooleanColumn) condition.evaluate(joined);
        int[] kept = new int[joined.rowCount()];
        int count = 0;
        for (int row = 0; row < joined.rowCount(); row++) {
            if (!passed.isNull(row) && passed.getBoolean(row)) {
                kept[count++] = row;
            }
        }
        return joined.select(Arrays.copyOf(kept, count));
    }

    private static void append(KeyValueState state, byte[] key, KeyCodec rows, Batch batch, List<Integer> positions) {
        if (positions.isEmpty()) {
            return;
        }
        Column[] columns = new Column[batch.schema().size()];
        for (int i = 0; i < columns.length; i++) {
            columns[i] = batch.column(i);
        }
        byte[] previous = state.get(key);
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        if (previous != null) {
            bytes.write(previous, 0, previous.length);
        }
        for (int position : positions) {
            rows.encode(columns, position);
            bytes.write(rows.bytes(), 0, rows.length());
        }
        state.put(key, bytes.toByteArray());
    }

    /** Rewrites each key's buffered rows without those the watermark has expired; removes keys left with none. */
    private void evict(KeyValueState state, KeyCodec rows, int timeColumn, boolean left, long watermark) {
        List<byte[]> keys = new ArrayList<>();
        List<byte[]> kept = new ArrayList<>();
        state.forEach((key, value) -> {
            java.io.ByteArrayOutputStream remaining = new java.io.ByteArrayOutputStream();
            boolean changed = false;
            int at = 0;
            while (at < value.length) {
                int end = rows.skip(value, at);
                long time = rows.longAt(value, at, timeColumn);
                boolean expired = time != Long.MIN_VALUE
                        && (left ? bounds.leftExpired(time, watermark) : bounds.rightExpired(time, watermark));
                if (expired) {
                    changed = true;
                } else {
                    remaining.write(value, at, end - at);
                }
                at = end;
            }
            if (changed) {
                keys.add(key.clone());
                kept.add(remaining.toByteArray());
            }
        });
        for (int i = 0; i < keys.size(); i++) {
            if (kept.get(i).length == 0) {
                state.remove(keys.get(i));
            } else {
                state.put(keys.get(i), kept.get(i));
            }
        }
    }
}
