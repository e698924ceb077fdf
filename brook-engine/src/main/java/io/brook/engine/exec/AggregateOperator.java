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
 * Hash aggregation. A bounded query accumulates every batch and emits the groups at the end. A streaming query
 * accumulates one micro-batch, merges each touched group with its state from earlier batches and writes it back, then
 * emits by output mode: the changed groups (update), every group (complete), or the groups the watermark has closed
 * (append). When a group key carries event time (a window end, or the event time itself), rows at or below the key's
 * late watermark are dropped as late, and groups at or below its closed watermark leave the state in append and update
 * mode (both watermarks are the ones propagated to this operator, see {@link EventTime}). With a state TTL
 * ({@code brook.state.ttl}), a group no batch has updated for longer than the TTL leaves the state without being
 * emitted: it silently drops out of the complete-mode result, an update-mode group that comes back starts again from
 * its new rows, and an append-mode window that expires before the watermark closes it is never emitted.
 *
 * <p>Over an updating result (another aggregation's rows, which change), the input holds {@linkplain
 * Batch#retracting() retractions} of rows added before: the accumulators take them back, and a hidden row count, the
 * last accumulator, tells when a group has no rows left; such a group leaves the state, and in update mode its last row
 * is emitted as a retraction (a delete). An aggregation whose rows feed another stateful operator emits a changelog
 * whatever the output mode: for each group whose row a micro-batch changed, first a retraction of the row it emitted
 * before (decoded from the state as it was before the batch), then its new row; a group whose row stayed the same emits
 * nothing. A group the watermark closes or the TTL expires leaves the state without a retraction: its last row stays in
 * the next aggregation (with a TTL, a group that comes back is counted there again, as in Flink).
 */
final class AggregateOperator implements Operator {
    private final int operatorId;
    private final int partition;
    private final int[] keyColumns;
    private final int finalityKey;
    /** The finality key's watermarks (null without one): rows at or below late are late, groups closed are final. */
    private final WatermarkBound late;

    private final WatermarkBound closed;
    private final KeyCodec codec;
    private final Supplier<Accumulator[]> accumulatorFactory;
    private final Schema schema;
    private final Operator downstream;
    private final Pipeline.CurrentBatch currentBatch;
    /** Whether the input holds retractions; then the last accumulator is the hidden row count. */
    private final boolean retractingInput;
    /** Whether the output feeds another stateful operator, so must take back the rows it replaces. */
    private final boolean emitsRetractions;

    private GroupHash groups;
    private Accumulator[] accumulators;
    private int[] groupIds;
    private long dropped;
    private final StateWriter writer = new StateWriter();

    AggregateOperator(
            int operatorId,
            int partition,
            int[] keyColumns,
            List<ColumnType> keyTypes,
            int finalityKey,
            EventTime.TimeColumn finalityColumn,
            Supplier<Accumulator[]> accumulatorFactory,
            Schema schema,
            Operator downstream,
            Pipeline.CurrentBatch currentBatch,
            boolean retractingInput,
            boolean emitsRetractions) {
        this.operatorId = operatorId;
        this.partition = partition;
        this.keyColumns = keyColumns.clone();
        this.finalityKey = finalityColumn == null ? -1 : finalityKey;
        this.late = finalityColumn == null ? null : finalityColumn.late();
        this.closed = finalityColumn == null ? null : finalityColumn.closed();
        this.codec = new KeyCodec(keyTypes);
        this.accumulatorFactory = accumulatorFactory;
        this.schema = schema;
        this.downstream = downstream;
        this.currentBatch = currentBatch;
        this.retractingInput = retractingInput;
        this.emitsRetractions = emitsRetractions;
        reset();
    }

    private void reset() {
        groups = new GroupHash(codec);
        accumulators = accumulatorFactory.get();
        dropped = 0;
    }

    @Override
    public void accept(Batch batch) {
        BatchContext context = currentBatch.context();
        Batch input = batch;
        // Complete mode keeps every group for ever, so it neither drops late rows nor evicts (as in Spark).
        if (context.streaming() && context.outputMode() != OutputMode.COMPLETE && finalityKey >= 0) {
            long watermark = late.at(context);
            if (watermark != Long.MIN_VALUE) {
                input = dropLate(batch, watermark);
                if (input.rowCount() == 0) {
                    return;
                }
            }
        }
        groupIds = groups.groupIds(input, keyColumns, groupIds);
        if (input.retracting()) {
            if (!retractingInput) {
                throw new IllegalStateException(
                        "aggregation " + operatorId + " got retractions it was not planned for");
            }
            for (Accumulator accumulator : accumulators) {
                accumulator.retract(input, groupIds, groups.groupCount());
            }
            return;
        }
        for (Accumulator accumulator : accumulators) {
            accumulator.add(input, groupIds, groups.groupCount());
        }
    }

    /** The rows whose event-time key is after the watermark; the others are late. */
    private Batch dropLate(Batch batch, long watermark) {
        LongColumn times = (LongColumn) batch.column(keyColumns[finalityKey]);
        int[] kept = new int[batch.rowCount()];
        int count = 0;
        for (int row = 0; row < batch.rowCount(); row++) {
            int position = batch.position(row);
            if (!times.isNull(position) && times.getLong(position) > watermark) {
                kept[count++] = position;
            }
        }
        dropped += batch.rowCount() - count;
        return count == batch.rowCount() ? batch : batch.select(Arrays.copyOf(kept, count));
    }

    @Override
    public void finish(BatchContext context) {
        if (!context.streaming()) {
            if (keyColumns.length == 0 && groups.groupCount() == 0) {
                addEmptyGroup(groups, accumulators);
            }
            emit(groups, accumulators);
        } else {
            KeyValueState state = context.state(operatorId, partition);
            if (retractingInput || emitsRetractions) {
                finishChangelog(state, context);
            } else {
                mergeWithState(state);
                long watermark = finalityKey >= 0 ? closed.at(context) : Long.MIN_VALUE;
                boolean evicting = watermark != Long.MIN_VALUE;
                switch (context.outputMode()) {
                    case UPDATE -> {
                        emit(groups, accumulators);
                        if (evicting) {
                            closedGroups(state, watermark, true);
                        }
                    }
                    case COMPLETE -> emitAll(state);
                    case APPEND -> {
                        if (evicting) {
                            closedGroups(state, watermark, false);
                        }
                    }
                }
            }
            if (dropped > 0) {
                context.observer().droppedByWatermark(operatorId, dropped);
            }
        }
        reset();
        downstream.finish(context);
    }

    private static void addEmptyGroup(GroupHash groups, Accumulator[] accumulators) {
        groups.findOrAdd(new byte[0], 0, 0);
        for (Accumulator accumulator : accumulators) {
            accumulator.ensureGroups(1);
        }
    }

    private void mergeWithState(KeyValueState state) {
        for (int group = 0; group < groups.groupCount(); group++) {
            byte[] key = groups.key(group);
            byte[] previous = state.get(key);
            if (previous != null) {
                int offset = 0;
                for (Accumulator accumulator : accumulators) {
                    offset = accumulator.mergeState(group, previous, offset);
                }
            }
            writer.reset();
            for (Accumulator accumulator : accumulators) {
                accumulator.writeState(group, writer);
            }
            state.put(key, writer.toByteArray());
        }
    }

    /**
     * The end of a micro-batch of an aggregation over an updating result, or of one that feeds another stateful
     * operator (never in append mode, see StreamingChecks). Groups whose rows were all taken back leave the state. A
     * feeding aggregation takes back every changed group's earlier row and emits the new one; a last aggregation emits
     * the new rows (update mode) with deletes for the groups that left, or its whole state (complete mode).
     */
    private void finishChangelog(KeyValueState state, BatchContext context) {
        List<byte[]> retractedKeys = new ArrayList<>();
        List<byte[]> retractedValues = new ArrayList<>();
        List<Integer> retractedGroups = new ArrayList<>();
        int[] kept = new int[groups.groupCount()];
        int keptCount = 0;
        for (int group = 0; group < groups.groupCount(); group++) {
            byte[] key = groups.key(group);
            byte[] previous = state.get(key);
            if (previous != null) {
                int offset = 0;
                for (Accumulator accumulator : accumulators) {
                    offset = accumulator.mergeState(group, previous, offset);
                }
            }
            boolean empty = retractingInput && rowCount(group) <= 0;
            if (previous != null && (emitsRetractions || empty)) {
                retractedKeys.add(key);
                retractedValues.add(previous);
                retractedGroups.add(group);
            }
            if (empty) {
                if (previous != null) {
                    state.remove(key);
                }
                continue;
            }
            writer.reset();
            for (Accumulator accumulator : accumulators) {
                accumulator.writeState(group, writer);
            }
            state.put(key, writer.toByteArray());
            kept[keptCount++] = group;
        }
        if (!emitsRetractions && context.outputMode() == OutputMode.COMPLETE) {
            emitAll(state);
            return;
        }
        Batch retractions = fromState(retractedKeys, retractedValues);
        Batch updates = build(groups, accumulators, Arrays.copyOf(kept, keptCount));
        if (retractions != null && updates != null) {
            // A group whose row did not change (a lower bid under a maximum) needs neither retraction nor new row.
            int[] updateRows = new int[groups.groupCount()];
            Arrays.fill(updateRows, -1);
            for (int i = 0; i < keptCount; i++) {
                updateRows[kept[i]] = i;
            }
            boolean[] unchangedRetractions = new boolean[retractions.rowCount()];
            boolean[] unchangedUpdates = new boolean[updates.rowCount()];
            for (int row = 0; row < retractions.rowCount(); row++) {
                int update = updateRows[retractedGroups.get(row)];
                if (update >= 0 && sameRow(retractions, row, updates, update)) {
                    unchangedRetractions[row] = true;
                    unchangedUpdates[update] = true;
                }
            }
            retractions = without(retractions, unchangedRetractions);
            updates = without(updates, unchangedUpdates);
        }
        if (retractions != null) {
            downstream.accept(retractions.asRetractions());
        }
        if (updates != null) {
            downstream.accept(updates);
        }
        long watermark = finalityKey >= 0 ? closed.at(context) : Long.MIN_VALUE;
        if (watermark != Long.MIN_VALUE && context.outputMode() == OutputMode.UPDATE) {
            // A closed group's last row stays as it is downstream: it only leaves this operator's state.
            closedGroups(state, watermark, true);
        }
    }

    private static boolean sameRow(Batch left, int leftRow, Batch right, int rightRow) {
        for (int c = 0; c < left.schema().size(); c++) {
            if (!java.util.Objects.equals(
                    left.column(c).value(left.position(leftRow)),
                    right.column(c).value(right.position(rightRow)))) {
                return false;
            }
        }
        return true;
    }

    /** The rows of a batch not marked, or null for none. */
    private static Batch without(Batch batch, boolean[] marked) {
        int[] positions = new int[batch.rowCount()];
        int count = 0;
        for (int row = 0; row < batch.rowCount(); row++) {
            if (!marked[row]) {
                positions[count++] = batch.position(row);
            }
        }
        if (count == 0) {
            return null;
        }
        return count == batch.rowCount() ? batch : batch.select(Arrays.copyOf(positions, count));
    }

    /** The number of rows a group holds, from the hidden count of an aggregation over an updating result. */
    private long rowCount(int group) {
        return ((Accumulators.Count) accumulators[accumulators.length - 1]).count(group);
    }

    /** Removes the groups the watermark has closed from the state, emitting them unless they were emitted already. */
    private void closedGroups(KeyValueState state, long watermark, boolean evictOnly) {
        List<byte[]> keys = new ArrayList<>();
        List<byte[]> values = new ArrayList<>();
        state.forEach((key, value) -> {
            long time = codec.longAt(key, finalityKey);
            if (time != Long.MIN_VALUE && time <= watermark) {
                keys.add(key.clone());
                values.add(value);
            }
        });
        if (!evictOnly) {
            emitFromState(keys, values);
        }
        for (byte[] key : keys) {
            state.remove(key);
        }
    }

    private void emitAll(KeyValueState state) {
        List<byte[]> keys = new ArrayList<>();
        List<byte[]> values = new ArrayList<>();
        state.forEach((key, value) -> {
            keys.add(key);
            values.add(value);
        });
        emitFromState(keys, values);
    }

    /** Emits groups as the state holds them: their keys and accumulator states. */
    private void emitFromState(List<byte[]> keys, List<byte[]> values) {
        Batch batch = fromState(keys, values);
        if (batch != null) {
            downstream.accept(batch);
        }
    }

    /** The rows of groups as the state holds them, or null for none. */
    private Batch fromState(List<byte[]> keys, List<byte[]> values) {
        GroupHash groups = new GroupHash(codec);
        Accumulator[] totals = accumulatorFactory.get();
        for (int i = 0; i < keys.size(); i++) {
            byte[] key = keys.get(i);
            int group = groups.findOrAdd(key, 0, key.length);
            int offset = 0;
            for (Accumulator accumulator : totals) {
                accumulator.ensureGroups(groups.groupCount());
                offset = accumulator.mergeState(group, values.get(i), offset);
            }
        }
        return build(groups, totals, null);
    }

    private void emit(GroupHash hash, Accumulator[] values) {
        Batch batch = build(hash, values, null);
        if (batch != null) {
            downstream.accept(batch);
        }
    }

    /**
     * The rows of these groups (all when null), or null for none. Only the first accumulators have columns: an
     * aggregation over an updating result has one more, its hidden row count.
     */
    private Batch build(GroupHash hash, Accumulator[] values, int[] selected) {
        int count = selected == null ? hash.groupCount() : selected.length;
        if (count == 0) {
            return null;
        }
        ColumnBuilder[] keys = new ColumnBuilder[keyColumns.length];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = new ColumnBuilder(schema.field(i), count);
        }
        ColumnBuilder[] results = new ColumnBuilder[schema.size() - keyColumns.length];
        for (int i = 0; i < results.length; i++) {
            results[i] = new ColumnBuilder(schema.field(keys.length + i), count);
        }
        for (int i = 0; i < count; i++) {
            int group = selected == null ? i : selected[i];
            hash.appendKey(group, keys);
            for (int j = 0; j < results.length; j++) {
                values[j].appendResult(group, results[j]);
            }
        }
        Column[] columns = new Column[keys.length + results.length];
        for (int i = 0; i < keys.length; i++) {
            columns[i] = keys[i].build();
        }
        for (int i = 0; i < results.length; i++) {
            columns[keys.length + i] = results[i].build();
        }
        return Batch.of(schema, columns);
    }
}
