package io.brook.engine.exec;

import io.brook.engine.batch.Batch;
import io.brook.engine.batch.Column;
import io.brook.engine.batch.ColumnBuilder;
import io.brook.engine.batch.Field;
import io.brook.engine.batch.LongColumn;
import io.brook.engine.batch.Schema;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * SQL {@code agg(...) OVER (PARTITION BY ... ORDER BY ... frame)} for one window group (see {@link OverSpec}): each
 * input row comes out with one more column per call, the call's value over the row's frame within its partition.
 *
 * <p>A bounded query sorts each partition by the ORDER BY (ties keep their input order) and computes every frame:
 * running frames add each row (ROWS) or each set of peers (RANGE) to one accumulator per partition; sliding ROWS
 * frames add each row to the frames that hold it; ranks count rows and peer sets.
 *
 * <p>A stream, as Flink runs OVER aggregations, orders by its event-time column only: a row waits in state under its
 * partition key until the watermark passes its time, then the rows of each key come out in event-time order, each with
 * the aggregates of its frame. Rows at or below the (late) watermark on arrival are dropped and counted, as are rows
 * without an event time. Each key's state entry holds its waiting rows and its running state: the accumulators of an
 * UNBOUNDED PRECEDING frame, or the last {@code n} rows of an {@code n PRECEDING} one. Rows of equal time come out in
 * the same batch, so RANGE peers share their value. Used by one thread at a time; the state lives in the state store.
 */
final class OverAggregateOperator implements Operator {
    private final int operatorId;
    private final int partition;
    private final OverSpec spec;
    private final int[] keyColumns;
    private final KeyCodec keyCodec;
    private final KeyCodec rowCodec;
    /** The ORDER BY event-time column of a stream (-1 in a bounded plan) and its watermarks. */
    private final int timeColumn;

    private final WatermarkBound lateBound;
    private final WatermarkBound closedBound;
    private final Operator downstream;
    private final List<Batch> input = new ArrayList<>();
    private final StateWriter writer = new StateWriter();

    /** Rows {@code [start, end)} of one partition in a sorted batch; those before {@code firstOut} are history only. */
    private record Run(int start, int firstOut, int end) {}

    OverAggregateOperator(
            int operatorId,
            int partition,
            OverSpec spec,
            int timeColumn,
            EventTime.TimeColumn time,
            Operator downstream) {
        this.operatorId = operatorId;
        this.partition = partition;
        this.spec = spec;
        this.keyColumns = spec.partitionKeys();
        List<io.brook.engine.batch.ColumnType> keyTypes = new ArrayList<>();
        for (int key : keyColumns) {
            keyTypes.add(spec.input().field(key).type());
        }
        this.keyCodec = new KeyCodec(keyTypes);
        this.rowCodec =
                new KeyCodec(spec.input().fields().stream().map(Field::type).toList());
        this.timeColumn = timeColumn;
        this.lateBound = time == null ? null : time.late();
        this.closedBound = time == null ? null : time.closed();
        this.downstream = downstream;
    }

    @Override
    public void accept(Batch batch) {
        input.add(batch);
    }

    @Override
    public void finish(BatchContext context) {
        Batch rows = Batches.concat(spec.input(), input);
        input.clear();
        if (context.streaming()) {
            stream(rows, context);
        } else {
            bounded(rows);
        }
        downstream.finish(context);
    }

    private void bounded(Batch rows) {
        GroupHash keys = new GroupHash(keyCodec);
        int[] ids = keys.groupIds(rows, keyColumns, null);
        List<List<Integer>> byKey = new ArrayList<>();
        for (int key = 0; key < keys.groupCount(); key++) {
            byKey.add(new ArrayList<>());
        }
        for (int row = 0; row < rows.rowCount(); row++) {
            byKey.get(ids[row]).add(row);
        }
        Comparator<Integer> order = spec.order().isEmpty() ? null : SortOperator.comparator(spec.order(), rows);
        ColumnBuilder[] builders = builders(spec.input(), rows.rowCount());
        List<Run> runs = new ArrayList<>();
        int count = 0;
        for (List<Integer> partitionRows : byKey) {
            if (order != null) {
                partitionRows.sort(order); // stable: ties keep their input order
            }
            for (int row : partitionRows) {
                append(builders, rows, row);
            }
            runs.add(new Run(count, count, count + partitionRows.size()));
            count += partitionRows.size();
        }
        compute(build(spec.input(), builders), runs, null, null);
    }

    // Streaming

    private void stream(Batch rows, BatchContext context) {
        KeyValueState state = context.state(operatorId, partition);
        long late = lateBound.at(context);
        long closed = closedBound.at(context);
        LongColumn times = (LongColumn) rows.column(timeColumn);

        // New rows wait in their key's entry; late ones (and those without a time) are dropped.
        GroupHash keys = new GroupHash(keyCodec);
        List<List<Integer>> byKey = new ArrayList<>();
        Column[] keyValues = new Column[keyColumns.length];
        for (int i = 0; i < keyValues.length; i++) {
            keyValues[i] = rows.column(keyColumns[i]);
        }
        long dropped = 0;
        for (int row = 0; row < rows.rowCount(); row++) {
            if (times.isNull(row) || (late != Long.MIN_VALUE && times.getLong(row) <= late)) {
                dropped++;
                continue;
            }
            keyCodec.encode(keyValues, row);
            int key = keys.findOrAdd(keyCodec.bytes(), 0, keyCodec.length());
            if (key == byKey.size()) {
                byKey.add(new ArrayList<>());
            }
            byKey.get(key).add(row);
        }
        Column[] columns = columns(rows);
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        for (int key = 0; key < byKey.size(); key++) {
            byte[] stored = state.get(keys.key(key));
            Entry entry = stored == null ? Entry.EMPTY : Entry.read(stored);
            bytes.reset();
            bytes.write(entry.waiting(), 0, entry.waiting().length);
            long firstWaiting = entry.firstWaiting();
            for (int row : byKey.get(key)) {
                rowCodec.encode(columns, row);
                bytes.write(rowCodec.bytes(), 0, rowCodec.length());
                firstWaiting = Math.min(firstWaiting, times.getLong(row));
            }
            state.put(keys.key(key), new Entry(firstWaiting, bytes.toByteArray(), entry.running()).write(writer));
        }
        if (dropped > 0) {
            context.observer().droppedByWatermark(operatorId, dropped);
        }
        if (closed != Long.MIN_VALUE) {
            emitDue(state, closed);
        }
    }

    /** Emits, key by key in event-time order, the waiting rows at or below the watermark. */
    private void emitDue(KeyValueState state, long watermark) {
        List<byte[]> dueKeys = new ArrayList<>();
        List<Entry> entries = new ArrayList<>();
        state.forEach((key, value) -> {
            if (KeyCodec.getLong(value, 0) <= watermark) {
                dueKeys.add(key.clone());
                entries.add(Entry.read(value));
            }
        });
        if (dueKeys.isEmpty()) {
            return;
        }
        ColumnBuilder[] waitingBuilders = builders(spec.input(), 16);
        int[] waitingStart = new int[entries.size() + 1];
        int waitingCount = 0;
        for (int k = 0; k < entries.size(); k++) {
            waitingStart[k] = waitingCount;
            waitingCount += decodeAll(entries.get(k).waiting(), waitingBuilders);
        }
        waitingStart[entries.size()] = waitingCount;
        Batch waiting = build(spec.input(), waitingBuilders);
        LongColumn times = (LongColumn) waiting.column(timeColumn);
        Comparator<Integer> order = SortOperator.comparator(spec.order(), waiting);
        Column[] waitingColumns = columns(waiting);

        ColumnBuilder[] builders = builders(spec.input(), waitingCount);
        List<Run> runs = new ArrayList<>();
        List<byte[]> stillWaiting = new ArrayList<>();
        long[] firstWaiting = new long[entries.size()];
        byte[][] running = new byte[entries.size()][];
        boolean sliding = spec.frame() == OverSpec.Frame.ROWS_SLIDING;
        int count = 0;
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        for (int k = 0; k < entries.size(); k++) {
            List<Integer> due = new ArrayList<>();
            bytes.reset();
            long first = Long.MAX_VALUE;
            for (int row = waitingStart[k]; row < waitingStart[k + 1]; row++) {
                long time = times.getLong(row);
                if (time <= watermark) {
                    due.add(row);
                } else {
                    rowCodec.encode(waitingColumns, row);
                    bytes.write(rowCodec.bytes(), 0, rowCodec.length());
                    first = Math.min(first, time);
                }
            }
            stillWaiting.add(bytes.toByteArray());
            firstWaiting[k] = first;
            due.sort(order); // stable: rows of one time keep their arrival order
            int start = count;
            if (sliding) {
                count += decodeAll(entries.get(k).running(), builders);
            } else {
                running[k] = entries.get(k).running();
            }
            int firstOut = count;
            for (int row : due) {
                append(builders, waiting, row);
            }
            count += due.size();
            runs.add(new Run(start, firstOut, count));
        }
        Batch sorted = build(spec.input(), builders);
        byte[][] newRunning = new byte[entries.size()][];
        compute(sorted, runs, running, newRunning);
        if (sliding) {
            Column[] sortedColumns = columns(sorted);
            for (int k = 0; k < runs.size(); k++) {
                Run run = runs.get(k);
                bytes.reset();
                for (int row = (int) Math.max(run.start(), run.end() - spec.preceding()); row < run.end(); row++) {
                    rowCodec.encode(sortedColumns, row);
                    bytes.write(rowCodec.bytes(), 0, rowCodec.length());
                }
                newRunning[k] = bytes.toByteArray();
            }
        }
        for (int k = 0; k < dueKeys.size(); k++) {
            state.put(dueKeys.get(k), new Entry(firstWaiting[k], stillWaiting.get(k), newRunning[k]).write(writer));
        }
    }

    /**
     * A key's state entry: the earliest time among its waiting rows ({@link Long#MAX_VALUE} when none wait, read first
     * so that a batch finds the due keys without decoding the rest), the waiting rows, and the running state.
     */
    private record Entry(long firstWaiting, byte[] waiting, byte[] running) {
        static final Entry EMPTY = new Entry(Long.MAX_VALUE, new byte[0], new byte[0]);

        static Entry read(byte[] value) {
            int waitingLength = KeyCodec.getInt(value, 8);
            int runningAt = 12 + waitingLength;
            int runningLength = KeyCodec.getInt(value, runningAt);
            return new Entry(
                    KeyCodec.getLong(value, 0),
                    Arrays.copyOfRange(value, 12, runningAt),
                    Arrays.copyOfRange(value, runningAt + 4, runningAt + 4 + runningLength));
        }

        byte[] write(StateWriter out) {
            out.reset();
            out.writeLong(firstWaiting);
            out.writeBytes(waiting, 0, waiting.length);
            out.writeBytes(running, 0, running.length);
            return out.toByteArray();
        }
    }

    // Frames

    /**
     * Computes the calls for the rows of each run from {@code firstOut} on, and passes them on with their values.
     * {@code running} holds each run's accumulator state from earlier batches (null entries for none); the state after
     * the run goes to {@code newRunning} (both null in a bounded query).
     */
    private void compute(Batch sorted, List<Run> runs, byte[][] running, byte[][] newRunning) {
        int outCount = 0;
        int longest = 0;
        for (Run run : runs) {
            outCount += run.end() - run.firstOut();
            longest = Math.max(longest, run.end() - run.start());
        }
        if (outCount == 0) {
            return;
        }
        Comparator<Integer> order = spec.order().isEmpty() ? null : SortOperator.comparator(spec.order(), sorted);
        List<OverSpec.Call> calls = spec.calls();
        int inputCount = spec.input().size();
        ColumnBuilder[] results = new ColumnBuilder[calls.size()];
        for (int c = 0; c < results.length; c++) {
            results[c] = new ColumnBuilder(spec.output().field(inputCount + c), outCount);
        }
        List<Integer> aggregateCalls = new ArrayList<>();
        for (int c = 0; c < calls.size(); c++) {
            if (calls.get(c).kind() == OverSpec.Kind.AGGREGATE) {
                aggregateCalls.add(c);
            }
        }
        if (!aggregateCalls.isEmpty()) {
            Accumulator[] accumulators = new Accumulator[aggregateCalls.size()];
            for (int a = 0; a < accumulators.length; a++) {
                accumulators[a] = calls.get(aggregateCalls.get(a)).accumulator().get();
            }
            ColumnBuilder[] outputs = new ColumnBuilder[accumulators.length];
            for (int a = 0; a < outputs.length; a++) {
                outputs[a] = results[aggregateCalls.get(a)];
            }
            if (spec.frame() == OverSpec.Frame.ROWS_SLIDING) {
                sliding(sorted, runs, accumulators, outputs, outCount, longest);
            } else {
                running(sorted, runs, order, accumulators, outputs, running, newRunning);
            }
        }
        if (aggregateCalls.size() < calls.size()) {
            ranks(runs, order, results);
        }
        int[] out = new int[outCount];
        int at = 0;
        for (Run run : runs) {
            for (int row = run.firstOut(); row < run.end(); row++) {
                out[at++] = row;
            }
        }
        Batch emitted = sorted.select(out).compact();
        Column[] columns = new Column[spec.output().size()];
        for (int c = 0; c < inputCount; c++) {
            columns[c] = emitted.column(c);
        }
        for (int c = 0; c < results.length; c++) {
            columns[inputCount + c] = results[c].build();
        }
        downstream.accept(Batch.of(spec.output(), columns));
    }

    /** Frames from the partition's start: each run is one accumulator group, fed a row or a set of peers at a time. */
    private void running(
            Batch sorted,
            List<Run> runs,
            Comparator<Integer> order,
            Accumulator[] accumulators,
            ColumnBuilder[] outputs,
            byte[][] running,
            byte[][] newRunning) {
        int groups = runs.size();
        for (Accumulator accumulator : accumulators) {
            accumulator.ensureGroups(groups);
        }
        for (int r = 0; r < groups; r++) {
            if (running != null && running[r] != null && running[r].length > 0) {
                int offset = 0;
                for (Accumulator accumulator : accumulators) {
                    offset = accumulator.mergeState(r, running[r], offset);
                }
            }
            Run run = runs.get(r);
            int row = run.firstOut();
            while (row < run.end()) {
                int next = row + 1;
                if (spec.frame() == OverSpec.Frame.PARTITION) {
                    next = run.end();
                } else if (spec.frame() == OverSpec.Frame.RANGE_RUNNING) {
                    while (next < run.end() && order.compare(row, next) == 0) {
                        next++;
                    }
                }
                int[] positions = new int[next - row];
                int[] ids = new int[next - row];
                for (int i = 0; i < positions.length; i++) {
                    positions[i] = row + i;
                    ids[i] = r;
                }
                Batch peers = sorted.select(positions);
                for (Accumulator accumulator : accumulators) {
                    accumulator.add(peers, ids, groups);
                }
                for (int i = row; i < next; i++) {
                    for (int a = 0; a < accumulators.length; a++) {
                        accumulators[a].appendResult(r, outputs[a]);
                    }
                }
                row = next;
            }
            if (newRunning != null) {
                writer.reset();
                for (Accumulator accumulator : accumulators) {
                    accumulator.writeState(r, writer);
                }
                newRunning[r] = writer.toByteArray();
            }
        }
    }

    /**
     * Frames of {@code preceding} rows before to {@code following} rows after: one accumulator group per output row;
     * for each distance d, every row is added to the frame of the row d before it (ascending positions, one pass each).
     */
    private void sliding(
            Batch sorted,
            List<Run> runs,
            Accumulator[] accumulators,
            ColumnBuilder[] outputs,
            int outCount,
            int longest) {
        for (Accumulator accumulator : accumulators) {
            accumulator.ensureGroups(outCount);
        }
        long before = Math.min(spec.preceding(), longest);
        long after = Math.min(spec.following(), longest);
        int[] positions = new int[outCount];
        int[] ids = new int[outCount];
        for (long d = -before; d <= after; d++) {
            int count = 0;
            int group = 0;
            for (Run run : runs) {
                for (int row = run.firstOut(); row < run.end(); row++, group++) {
                    long frameRow = row + d;
                    if (frameRow >= run.start() && frameRow < run.end()) {
                        positions[count] = (int) frameRow;
                        ids[count] = group;
                        count++;
                    }
                }
            }
            if (count > 0) {
                Batch frameRows = sorted.select(Arrays.copyOf(positions, count));
                for (Accumulator accumulator : accumulators) {
                    accumulator.add(frameRows, Arrays.copyOf(ids, count), outCount);
                }
            }
        }
        for (int group = 0; group < outCount; group++) {
            for (int a = 0; a < accumulators.length; a++) {
                accumulators[a].appendResult(group, outputs[a]);
            }
        }
    }

    /** ROW_NUMBER, RANK and DENSE_RANK, which look at the order only, never at the frame. */
    private void ranks(List<Run> runs, Comparator<Integer> order, ColumnBuilder[] results) {
        List<OverSpec.Call> calls = spec.calls();
        for (Run run : runs) {
            long rowNumber = 0;
            long rank = 0;
            long denseRank = 0;
            for (int row = run.firstOut(); row < run.end(); row++) {
                rowNumber++;
                if (row == run.firstOut() || order == null || order.compare(row - 1, row) != 0) {
                    rank = rowNumber;
                    denseRank++;
                }
                for (int c = 0; c < calls.size(); c++) {
                    switch (calls.get(c).kind()) {
                        case ROW_NUMBER -> results[c].appendLong(rowNumber);
                        case RANK -> results[c].appendLong(order == null ? 1 : rank);
                        case DENSE_RANK -> results[c].appendLong(order == null ? 1 : denseRank);
                        case AGGREGATE -> {}
                    }
                }
            }
        }
    }

    // Batches

    private static ColumnBuilder[] builders(Schema schema, int capacity) {
        ColumnBuilder[] builders = new ColumnBuilder[schema.size()];
        for (int c = 0; c < builders.length; c++) {
            builders[c] = new ColumnBuilder(schema.field(c), Math.max(capacity, 16));
        }
        return builders;
    }

    private static Batch build(Schema schema, ColumnBuilder[] builders) {
        Column[] columns = new Column[builders.length];
        for (int c = 0; c < columns.length; c++) {
            columns[c] = builders[c].build();
        }
        return Batch.of(schema, columns);
    }

    private static void append(ColumnBuilder[] builders, Batch batch, int row) {
        for (int c = 0; c < builders.length; c++) {
            builders[c].append(batch.column(c), batch.position(row));
        }
    }

    private static Column[] columns(Batch batch) {
        Column[] columns = new Column[batch.schema().size()];
        for (int c = 0; c < columns.length; c++) {
            columns[c] = batch.column(c);
        }
        return columns;
    }

    private int decodeAll(byte[] stored, ColumnBuilder[] builders) {
        int count = 0;
        int at = 0;
        while (at < stored.length) {
            at = rowCodec.decode(stored, at, builders);
            count++;
        }
        return count;
    }
}
