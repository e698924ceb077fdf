package io.brook.engine.exec;

import io.brook.engine.batch.Batch;
import io.brook.engine.batch.Column;
import io.brook.engine.batch.ColumnBuilder;
import io.brook.engine.batch.ColumnType;
import io.brook.engine.batch.Field;
import io.brook.engine.batch.Schema;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A streaming Top-N ({@code ROW_NUMBER() OVER (PARTITION BY ... ORDER BY ...) ... WHERE rn <= N}, see {@link TopN})
 * over an input whose rows never change, as Flink's append-only rank: each partition key's state entry holds its first
 * N rows in order (a row that falls out can never come back). At the end of a micro-batch, each partition that got
 * rows is ranked again, its rows from the state first and then the new ones in arrival order, so that ties keep the
 * order of arrival as a bounded query's stable sort does. If a new row made the first N, the partition's rows change:
 * it emits a {@linkplain Batch#retracting() retraction} of every row it emitted before (with its old row number), then
 * every row it has now, numbered. Used by one thread at a time; the state lives in the state store.
 */
final class TopNOperator implements Operator {
    private final int operatorId;
    private final int partition;
    private final OverSpec spec;
    private final long limit;
    private final int[] keyColumns;
    private final KeyCodec keyCodec;
    private final KeyCodec rowCodec;
    private final Operator downstream;
    private final List<Batch> input = new ArrayList<>();

    TopNOperator(int operatorId, int partition, OverSpec spec, long limit, Operator downstream) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be >= 1, was " + limit);
        }
        this.operatorId = operatorId;
        this.partition = partition;
        this.spec = spec;
        this.limit = limit;
        this.keyColumns = spec.partitionKeys();
        List<ColumnType> keyTypes = new ArrayList<>();
        for (int key : keyColumns) {
            keyTypes.add(spec.input().field(key).type());
        }
        this.keyCodec = new KeyCodec(keyTypes);
        this.rowCodec =
                new KeyCodec(spec.input().fields().stream().map(Field::type).toList());
        this.downstream = downstream;
    }

    @Override
    public void accept(Batch batch) {
        if (batch.retracting()) {
            throw new IllegalStateException("Top-N " + operatorId + " got retractions; its input must never change");
        }
        input.add(batch);
    }

    @Override
    public void finish(BatchContext context) {
        if (!input.isEmpty()) {
            Batch fresh = Batches.concat(spec.input(), input);
            input.clear();
            rank(fresh, context.state(operatorId, partition));
        }
        downstream.finish(context);
    }

    private void rank(Batch fresh, KeyValueState state) {
        GroupHash partitions = new GroupHash(keyCodec);
        int[] groupIds = partitions.groupIds(fresh, keyColumns, null);
        int groups = partitions.groupCount();
        // Each partition's new rows, in arrival order.
        List<List<Integer>> freshRows = new ArrayList<>(groups);
        for (int group = 0; group < groups; group++) {
            freshRows.add(new ArrayList<>());
        }
        for (int row = 0; row < fresh.rowCount(); row++) {
            freshRows.get(groupIds[row]).add(row);
        }
        // One batch of every touched partition's rows: those in the state (in rank order), then the new ones.
        Schema schema = spec.input();
        ColumnBuilder[] builders = builders(schema, fresh.rowCount());
        int[] starts = new int[groups + 1];
        int[] kept = new int[groups];
        int at = 0;
        for (int group = 0; group < groups; group++) {
            starts[group] = at;
            byte[] stored = state.get(partitions.key(group));
            int offset = 0;
            while (stored != null && offset < stored.length) {
                offset = rowCodec.decode(stored, offset, builders);
                at++;
            }
            kept[group] = at - starts[group];
            for (int row : freshRows.get(group)) {
                for (int c = 0; c < builders.length; c++) {
                    builders[c].append(fresh.column(c), row);
                }
                at++;
            }
        }
        starts[groups] = at;
        Batch all = Batch.of(schema, build(builders));
        Comparator<Integer> order = SortOperator.comparator(spec.order(), all);
        Column[] columns = new Column[schema.size()];
        for (int c = 0; c < columns.length; c++) {
            columns[c] = all.column(c);
        }
        Schema output = spec.output();
        ColumnBuilder[] retracted = builders(output, 16);
        ColumnBuilder[] inserted = builders(output, 16);
        java.io.ByteArrayOutputStream encoded = new java.io.ByteArrayOutputStream();
        for (int group = 0; group < groups; group++) {
            int start = starts[group];
            int firstNew = start + kept[group];
            List<Integer> rows = new ArrayList<>(starts[group + 1] - start);
            for (int row = start; row < starts[group + 1]; row++) {
                rows.add(row);
            }
            rows.sort(order); // stable: ties keep the state's rows, then arrival order
            List<Integer> top = rows.subList(0, (int) Math.min(limit, rows.size()));
            if (top.stream().allMatch(row -> row < firstNew)) {
                continue; // no new row made the first N: the partition's rows stand
            }
            for (int row = start; row < firstNew; row++) {
                append(retracted, all, row, row - start + 1);
            }
            encoded.reset();
            for (int i = 0; i < top.size(); i++) {
                append(inserted, all, top.get(i), i + 1);
                rowCodec.encode(columns, top.get(i));
                encoded.write(rowCodec.bytes(), 0, rowCodec.length());
            }
            state.put(partitions.key(group), encoded.toByteArray());
        }
        emit(output, retracted, true);
        emit(output, inserted, false);
    }

    private static ColumnBuilder[] builders(Schema schema, int expected) {
        ColumnBuilder[] builders = new ColumnBuilder[schema.size()];
        for (int c = 0; c < builders.length; c++) {
            builders[c] = new ColumnBuilder(schema.field(c), Math.max(16, expected));
        }
        return builders;
    }

    private static Column[] build(ColumnBuilder[] builders) {
        Column[] columns = new Column[builders.length];
        for (int c = 0; c < columns.length; c++) {
            columns[c] = builders[c].build();
        }
        return columns;
    }

    /** Appends a row of the input with its row number, the output's last column. */
    private static void append(ColumnBuilder[] out, Batch all, int row, long rowNumber) {
        int inputColumns = out.length - 1;
        for (int c = 0; c < inputColumns; c++) {
            out[c].append(all.column(c), row);
        }
        out[inputColumns].appendLong(rowNumber);
    }

    private void emit(Schema output, ColumnBuilder[] builders, boolean retractions) {
        Batch batch = Batch.of(output, build(builders));
        if (batch.rowCount() > 0) {
            downstream.accept(retractions ? batch.asRetractions() : batch);
        }
    }
}
