package io.brook.engine.exec;

import io.brook.engine.batch.Batch;
import io.brook.engine.batch.Column;
import io.brook.engine.batch.ColumnBuilder;
import io.brook.engine.batch.ColumnType;
import io.brook.engine.batch.LongColumn;
import io.brook.engine.batch.Schema;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * Session-window aggregation. Each micro-batch (or the whole bounded input): rows are grouped by key; per key, the
 * sessions kept in state and one interval {@code [time, time + gap)} per new row are merged where they overlap, and each
 * merged session's aggregates are the merged states plus its new rows. A stream keeps a key's open sessions in state
 * (one entry per key: the sessions and their aggregation states); a session closes when the watermark passes its end,
 * and a row whose own interval ends at or before the watermark is late.
 */
final class SessionAggregateOperator implements Operator {
    private final int operatorId;
    private final int partition;
    private final int[] keyColumns;
    private final int timeColumn;
    private final long gap;
    /** The time column's watermarks (null without one): late for new rows, closed for sessions. */
    private final WatermarkBound lateBound;

    private final WatermarkBound closedBound;
    private final KeyCodec codec;
    private final Supplier<Accumulator[]> accumulatorFactory;
    private final Schema inputSchema;
    private final Schema schema;
    private final Operator downstream;
    private final Pipeline.CurrentBatch currentBatch;
    private final List<Batch> input = new ArrayList<>();
    private final StateWriter writer = new StateWriter();

    /** One session while a batch is merged: its bounds, and its group among the batch's accumulators. */
    private record Session(long start, long end, int group, boolean changed) {}

    SessionAggregateOperator(
            int operatorId,
            int partition,
            int[] keyColumns,
            List<ColumnType> keyTypes,
            int timeColumn,
            long gap,
            EventTime.TimeColumn time,
            Supplier<Accumulator[]> accumulatorFactory,
            Schema inputSchema,
            Schema schema,
            Operator downstream,
            Pipeline.CurrentBatch currentBatch) {
        this.operatorId = operatorId;
        this.partition = partition;
        this.keyColumns = keyColumns.clone();
        this.timeColumn = timeColumn;
        this.gap = gap;
        this.lateBound = time == null ? null : time.late();
        this.closedBound = time == null ? null : time.closed();
        this.codec = new KeyCodec(keyTypes);
        this.accumulatorFactory = accumulatorFactory;
        this.inputSchema = inputSchema;
        this.schema = schema;
        this.downstream = downstream;
        this.currentBatch = currentBatch;
    }

    @Override
    public void accept(Batch batch) {
        input.add(batch.compact());
    }

    @Override
    public void finish(BatchContext context) {
        Batch rows = Batches.concat(inputSchema, input);
        input.clear();
        boolean streaming = context.streaming();
        KeyValueState state = streaming ? context.state(operatorId, partition) : null;
        boolean watermarked = streaming && context.outputMode() != OutputMode.COMPLETE && lateBound != null;
        long lateWatermark = watermarked ? lateBound.at(context) : Long.MIN_VALUE;
        long watermark = watermarked ? closedBound.at(context) : Long.MIN_VALUE;
        boolean evicting = watermark != Long.MIN_VALUE;

        // Rows by key, with late rows (their own session already closed) dropped.
        GroupHash keys = new GroupHash(codec);
        LongColumn times = (LongColumn) rows.column(timeColumn);
        List<List<Integer>> rowsByKey = new ArrayList<>();
        Column[] keyValues = new Column[keyColumns.length];
        for (int i = 0; i < keyValues.length; i++) {
            keyValues[i] = rows.column(keyColumns[i]);
        }
        long dropped = 0;
        for (int row = 0; row < rows.rowCount(); row++) {
            if (times.isNull(row)) {
                continue;
            }
            if (lateWatermark != Long.MIN_VALUE && times.getLong(row) + gap <= lateWatermark) {
                dropped++;
                continue;
            }
            codec.encode(keyValues, row);
            int key = keys.findOrAdd(codec.bytes(), 0, codec.length());
            if (key == rowsByKey.size()) {
                rowsByKey.add(new ArrayList<>());
            }
            rowsByKey.get(key).add(row);
        }

        // Merge each key's stored sessions with its new rows.
        Accumulator[] accumulators = accumulatorFactory.get();
        int[] rowGroups = new int[rows.rowCount()];
        Arrays.fill(rowGroups, -1);
        List<List<Session>> sessionsByKey = new ArrayList<>();
        int groups = 0;
        for (int key = 0; key < rowsByKey.size(); key++) {
            List<long[]> intervals = new ArrayList<>(); // start, end, stored-state index (-1 for a row), row
            byte[] stored = state == null ? null : state.get(keys.key(key));
            List<byte[]> storedStates = new ArrayList<>();
            if (stored != null) {
                readSessions(stored, intervals, storedStates);
            }
            for (int row : rowsByKey.get(key)) {
                long time = times.getLong(row);
                intervals.add(new long[] {time, time + gap, -1, row});
            }
            intervals.sort((a, b) -> Long.compare(a[0], b[0]));
            List<Session> sessions = new ArrayList<>();
            long start = Long.MIN_VALUE;
            long end = Long.MIN_VALUE;
            int group = -1;
            boolean changed = false;
            for (long[] interval : intervals) {
                if (group < 0 || interval[0] >= end) {
                    if (group >= 0) {
                        sessions.add(new Session(start, end, group, changed));
                    }
                    group = groups++;
                    changed = false;
                    start = interval[0];
                    end = interval[1];
                    for (Accumulator accumulator : accumulators) {
                        accumulator.ensureGroups(groups);
                    }
                } else {
                    end = Math.max(end, interval[1]);
                }
                if (interval[2] >= 0) {
                    int offset = 0;
                    for (Accumulator accumulator : accumulators) {
                        offset = accumulator.mergeState(group, storedStates.get((int) interval[2]), offset);
                    }
                } else {
                    rowGroups[(int) interval[3]] = group;
                    changed = true;
                }
            }
            if (group >= 0) {
                sessions.add(new Session(start, end, group, changed));
            }
            sessionsByKey.add(sessions);
        }
        addRows(rows, rowGroups, accumulators, groups);

        // Emit and keep, by output mode.
        List<int[]> emitted = new ArrayList<>(); // key, session index
        for (int key = 0; key < sessionsByKey.size(); key++) {
            List<Session> sessions = sessionsByKey.get(key);
            List<Session> kept = new ArrayList<>();
            for (int i = 0; i < sessions.size(); i++) {
                Session session = sessions.get(i);
                boolean closed = evicting && session.end() <= watermark;
                boolean emit = !streaming
                        || switch (context.outputMode()) {
                            case APPEND -> closed;
                            case UPDATE -> session.changed();
                            case COMPLETE -> false; // emitted from the state below, with the other keys
                        };
                if (emit) {
                    emitted.add(new int[] {key, i});
                }
                if (!closed) {
                    kept.add(session);
                }
            }
            if (state != null) {
                if (kept.isEmpty()) {
                    state.remove(keys.key(key));
                } else {
                    state.put(keys.key(key), writeSessions(kept, accumulators));
                }
            }
        }
        emit(keys, sessionsByKey, emitted, accumulators);
        if (streaming && context.outputMode() == OutputMode.APPEND && evicting) {
            emitFromState(state, keys, watermark, true);
        } else if (streaming && context.outputMode() == OutputMode.COMPLETE) {
            emitFromState(state, null, Long.MAX_VALUE, false);
        }
        if (dropped > 0) {
            context.observer().droppedByWatermark(operatorId, dropped);
        }
        downstream.finish(context);
    }

    private void addRows(Batch rows, int[] rowGroups, Accumulator[] accumulators, int groups) {
        int count = 0;
        int[] positions = new int[rows.rowCount()];
        int[] ids = new int[rows.rowCount()];
        for (int row = 0; row < rows.rowCount(); row++) {
            if (rowGroups[row] >= 0) {
                positions[count] = row;
                ids[count] = rowGroups[row];
                count++;
            }
        }
        if (count == 0) {
            return;
        }
        Batch selected = rows.select(Arrays.copyOf(positions, count));
        for (Accumulator accumulator : accumulators) {
            accumulator.add(selected, ids, groups);
        }
    }

    /**
     * Emits sessions kept in state that end at or before {@code before}: for append mode those the watermark closed,
     * of keys without rows in this batch ({@code skipKeys}), removed from the state; for complete mode all of them.
     */
    private void emitFromState(KeyValueState state, GroupHash skipKeys, long before, boolean remove) {
        List<byte[]> keys = new ArrayList<>();
        List<byte[]> values = new ArrayList<>();
        state.forEach((key, value) -> {
            if (skipKeys == null || skipKeys.find(key, 0, key.length) < 0) {
                keys.add(key.clone());
                values.add(value.clone());
            }
        });
        GroupHash closedKeys = new GroupHash(codec);
        List<List<Session>> sessionsByKey = new ArrayList<>();
        List<int[]> emitted = new ArrayList<>();
        Accumulator[] accumulators = accumulatorFactory.get();
        int groups = 0;
        for (int k = 0; k < keys.size(); k++) {
            List<long[]> intervals = new ArrayList<>();
            List<byte[]> storedStates = new ArrayList<>();
            readSessions(values.get(k), intervals, storedStates);
            List<Session> closed = new ArrayList<>();
            List<Session> open = new ArrayList<>();
            for (long[] interval : intervals) {
                int group = groups++;
                for (Accumulator accumulator : accumulators) {
                    accumulator.ensureGroups(groups);
                }
                int offset = 0;
                for (Accumulator accumulator : accumulators) {
                    offset = accumulator.mergeState(group, storedStates.get((int) interval[2]), offset);
                }
                Session session = new Session(interval[0], interval[1], group, false);
                (interval[1] <= before ? closed : open).add(session);
            }
            if (closed.isEmpty()) {
                continue;
            }
            int key = closedKeys.findOrAdd(keys.get(k), 0, keys.get(k).length);
            sessionsByKey.add(closed);
            for (int i = 0; i < closed.size(); i++) {
                emitted.add(new int[] {key, i});
            }
            if (!remove) {
                continue;
            }
            if (open.isEmpty()) {
                state.remove(keys.get(k));
            } else {
                state.put(keys.get(k), writeSessions(open, accumulators));
            }
        }
        emit(closedKeys, sessionsByKey, emitted, accumulators);
    }

    /** A key's state: the number of sessions, then each one's start, end and aggregation state. */
    private byte[] writeSessions(List<Session> sessions, Accumulator[] accumulators) {
        StateWriter out = new StateWriter();
        out.writeLong(sessions.size());
        for (Session session : sessions) {
            out.writeLong(session.start());
            out.writeLong(session.end());
            writer.reset();
            for (Accumulator accumulator : accumulators) {
                accumulator.writeState(session.group(), writer);
            }
            byte[] bytes = writer.toByteArray();
            out.writeBytes(bytes, 0, bytes.length);
        }
        return out.toByteArray();
    }

    private static void readSessions(byte[] stored, List<long[]> intervals, List<byte[]> states) {
        int count = (int) KeyCodec.getLong(stored, 0);
        int at = 8;
        for (int i = 0; i < count; i++) {
            long start = KeyCodec.getLong(stored, at);
            long end = KeyCodec.getLong(stored, at + 8);
            int length = KeyCodec.getInt(stored, at + 16);
            states.add(Arrays.copyOfRange(stored, at + 20, at + 20 + length));
            intervals.add(new long[] {start, end, states.size() - 1, -1});
            at += 20 + length;
        }
    }

    private void emit(GroupHash keys, List<List<Session>> sessionsByKey, List<int[]> emitted, Accumulator[] values) {
        if (emitted.isEmpty()) {
            return;
        }
        int count = emitted.size();
        ColumnBuilder[] keyBuilders = new ColumnBuilder[keyColumns.length];
        for (int i = 0; i < keyBuilders.length; i++) {
            keyBuilders[i] = new ColumnBuilder(schema.field(i), count);
        }
        ColumnBuilder starts = new ColumnBuilder(ColumnType.TIMESTAMP, count);
        ColumnBuilder ends = new ColumnBuilder(ColumnType.TIMESTAMP, count);
        ColumnBuilder[] results = new ColumnBuilder[values.length];
        for (int i = 0; i < results.length; i++) {
            results[i] = new ColumnBuilder(schema.field(keyBuilders.length + 2 + i), count);
        }
        for (int[] entry : emitted) {
            Session session = sessionsByKey.get(entry[0]).get(entry[1]);
            keys.appendKey(entry[0], keyBuilders);
            starts.appendLong(session.start());
            ends.appendLong(session.end());
            for (int i = 0; i < values.length; i++) {
                values[i].appendResult(session.group(), results[i]);
            }
        }
        Column[] columns = new Column[schema.size()];
        for (int i = 0; i < keyBuilders.length; i++) {
            columns[i] = keyBuilders[i].build();
        }
        columns[keyBuilders.length] = starts.build();
        columns[keyBuilders.length + 1] = ends.build();
        for (int i = 0; i < results.length; i++) {
            columns[keyBuilders.length + 2 + i] = results[i].build();
        }
        downstream.accept(Batch.of(schema, columns));
    }
}
