package io.brook.engine.exec;

import io.brook.engine.batch.Batch;
import io.brook.engine.batch.Column;
import io.brook.engine.batch.ColumnBuilder;
import io.brook.engine.batch.ColumnType;
import io.brook.engine.batch.Schema;
import java.util.List;
import java.util.function.Supplier;

/**
 * Hash aggregation. A bounded query accumulates every batch and emits the groups at the end. A streaming query
 * accumulates one micro-batch, merges each touched group with its state from earlier batches, writes it back, and
 * emits the changed groups (update mode) or every group in the state (complete mode).
 */
final class AggregateOperator implements Operator {
    private final int operatorId;
    private final int[] keyColumns;
    private final KeyCodec codec;
    private final Supplier<Accumulator[]> accumulatorFactory;
    private final Schema schema;
    private final Operator downstream;
    private GroupHash groups;
    private Accumulator[] accumulators;
    private int[] groupIds;
    private final StateWriter writer = new StateWriter();

    AggregateOperator(
            int operatorId,
            int[] keyColumns,
            List<ColumnType> keyTypes,
            Supplier<Accumulator[]> accumulatorFactory,
            Schema schema,
            Operator downstream) {
        this.operatorId = operatorId;
        this.keyColumns = keyColumns.clone();
        this.codec = new KeyCodec(keyTypes);
        this.accumulatorFactory = accumulatorFactory;
        this.schema = schema;
        this.downstream = downstream;
        reset();
    }

    private void reset() {
        groups = new GroupHash(codec);
        accumulators = accumulatorFactory.get();
    }

    @Override
    public void accept(Batch batch) {
        groupIds = groups.groupIds(batch, keyColumns, groupIds);
        for (Accumulator accumulator : accumulators) {
            accumulator.add(batch, groupIds, groups.groupCount());
        }
    }

    @Override
    public void finish(BatchContext context) {
        if (!context.streaming()) {
            if (keyColumns.length == 0 && groups.groupCount() == 0) {
                addEmptyGroup(groups, accumulators);
            }
            emit(groups, accumulators);
        } else {
            KeyValueState state = context.state().apply(operatorId);
            mergeWithState(state);
            switch (context.outputMode()) {
                case UPDATE -> emit(groups, accumulators);
                case COMPLETE -> emitAll(state);
                case APPEND ->
                    throw new IllegalStateException("append mode aggregation without a watermark passed planning");
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

    private void emitAll(KeyValueState state) {
        GroupHash all = new GroupHash(codec);
        Accumulator[] totals = accumulatorFactory.get();
        state.forEach((key, value) -> {
            int group = all.findOrAdd(key, 0, key.length);
            int offset = 0;
            for (Accumulator accumulator : totals) {
                accumulator.ensureGroups(all.groupCount());
                offset = accumulator.mergeState(group, value, offset);
            }
        });
        emit(all, totals);
    }

    private void emit(GroupHash hash, Accumulator[] values) {
        int count = hash.groupCount();
        if (count == 0) {
            return;
        }
        ColumnBuilder[] keys = new ColumnBuilder[keyColumns.length];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = new ColumnBuilder(schema.field(i).type(), count);
        }
        ColumnBuilder[] results = new ColumnBuilder[values.length];
        for (int i = 0; i < results.length; i++) {
            results[i] = new ColumnBuilder(schema.field(keys.length + i).type(), count);
        }
        for (int group = 0; group < count; group++) {
            hash.appendKey(group, keys);
            for (int i = 0; i < values.length; i++) {
                values[i].appendResult(group, results[i]);
            }
        }
        Column[] columns = new Column[keys.length + results.length];
        for (int i = 0; i < keys.length; i++) {
            columns[i] = keys[i].build();
        }
        for (int i = 0; i < results.length; i++) {
            columns[keys.length + i] = results[i].build();
        }
        downstream.accept(Batch.of(schema, columns));
    }
}
