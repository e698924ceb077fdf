package io.brook.engine.exec;

import io.brook.engine.batch.Batch;
import io.brook.engine.batch.BooleanColumn;
import io.brook.engine.batch.Column;
import io.brook.engine.batch.ColumnBuilder;
import io.brook.engine.batch.Schema;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * An equi-join of the pushed (probe) side with a bounded (build) side: the build side is read whole, hashed by its key
 * columns, and each probe row meets the build rows of its key. Inner or left outer (the probe side kept). Extra,
 * non-equality conditions are checked on the joined rows; a left outer probe row none of whose matches passes them
 * comes out once with nulls. Null keys match nothing, as in SQL. For a stream joined with a static Dataset, the
 * static side is re-read every micro-batch, as Spark does, so it may change between batches.
 */
final class HashJoinOperator implements Operator {
    private final int[] probeKeys;
    private final int[] buildKeys;
    private final boolean outer;
    private final boolean buildIsLeft;
    private final Evaluator condition;
    private final Schema buildSchema;
    private final Schema schema;
    private final Supplier<List<Batch>> buildSide;
    private final KeyCodec codec;
    private final Operator downstream;
    private Batch build;
    private GroupHash buildHash;
    private int[] firstRow;
    private int[] nextRow;

    HashJoinOperator(
            int[] probeKeys,
            int[] buildKeys,
            KeyCodec codec,
            boolean outer,
            boolean buildIsLeft,
            Evaluator condition,
            Schema buildSchema,
            Schema schema,
            Supplier<List<Batch>> buildSide,
            Operator downstream) {
        this.probeKeys = probeKeys.clone();
        this.buildKeys = buildKeys.clone();
        this.codec = codec;
        this.outer = outer;
        this.buildIsLeft = buildIsLeft;
        this.condition = condition;
        this.buildSchema = buildSchema;
        this.schema = schema;
        this.buildSide = buildSide;
        this.downstream = downstream;
    }

    private void buildIfNeeded() {
        if (build != null) {
            return;
        }
        build = Batches.concat(buildSchema, buildSide.get());
        buildHash = new GroupHash(codec);
        firstRow = new int[16];
        Arrays.fill(firstRow, -1);
        nextRow = new int[build.rowCount()];
        Column[] keys = new Column[buildKeys.length];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = build.column(buildKeys[i]);
        }
        // Chain the rows of each key, in reverse so the chain walks them in input order.
        for (int row = build.rowCount() - 1; row >= 0; row--) {
            if (hasNullKey(keys, row)) {
                continue;
            }
            codec.encode(keys, row);
            int group = buildHash.findOrAdd(codec.bytes(), 0, codec.length());
            if (group >= firstRow.length) {
                int old = firstRow.length;
                firstRow = Arrays.copyOf(firstRow, Math.max(old * 2, group + 1));
                Arrays.fill(firstRow, old, firstRow.length, -1);
            }
            nextRow[row] = firstRow[group];
            firstRow[group] = row;
        }
    }

    private static boolean hasNullKey(Column[] keys, int position) {
        for (Column key : keys) {
            if (key.isNull(position)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void accept(Batch batch) {
        buildIfNeeded();
        Column[] keys = new Column[probeKeys.length];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = batch.column(probeKeys[i]);
        }
        int capacity = Math.max(16, batch.rowCount());
        int[] probeRows = new int[capacity];
        int[] buildRows = new int[capacity];
        int count = 0;
        for (int row = 0; row < batch.rowCount(); row++) {
            int position = batch.position(row);
            int match = -1;
            if (!hasNullKey(keys, position)) {
                codec.encode(keys, position);
                int group = buildHash.find(codec.bytes(), 0, codec.length());
                match = group < 0 ? -1 : firstRow[group];
            }
            if (match < 0 && !outer) {
                continue;
            }
            do {
                if (count == probeRows.length) {
                    probeRows = Arrays.copyOf(probeRows, count * 2);
                    buildRows = Arrays.copyOf(buildRows, count * 2);
                }
                probeRows[count] = position;
                buildRows[count] = match;
                count++;
                match = match < 0 ? -1 : nextRow[match];
            } while (match >= 0);
        }
        if (count == 0) {
            return;
        }
        Batch joined = joined(batch, probeRows, buildRows, count);
        if (condition != null) {
            joined = applyCondition(batch, joined, probeRows, buildRows, count);
        }
        if (joined.rowCount() > 0) {
            downstream.accept(joined);
        }
    }

    private Batch joined(Batch probe, int[] probeRows, int[] buildRows, int count) {
        int probeColumns = probe.schema().size();
        Column[] probeSide = new Column[probeColumns];
        for (int c = 0; c < probeColumns; c++) {
            probeSide[c] = probe.column(c).gather(probeRows, 0, count);
        }
        Column[] buildSide = new Column[buildSchema.size()];
        for (int c = 0; c < buildSide.length; c++) {
            ColumnBuilder builder = new ColumnBuilder(buildSchema.field(c), count);
            Column source = build.column(c);
            for (int i = 0; i < count; i++) {
                if (buildRows[i] < 0) {
                    builder.appendNull();
                } else {
                    builder.append(source, buildRows[i]);
                }
            }
            buildSide[c] = builder.build();
        }
        Column[] columns = new Column[probeColumns + buildSide.length];
        Column[] first = buildIsLeft ? buildSide : probeSide;
        Column[] second = buildIsLeft ? probeSide : buildSide;
        System.arraycopy(first, 0, columns, 0, first.length);
        System.arraycopy(second, 0, columns, first.length, second.length);
        return Batch.of(schema, columns);
    }

    /** Keeps joined rows that pass the extra condition; for a left outer join, null-extends probe rows left with none. */
    private Batch applyCondition(Batch probe, Batch joined, int[] probeRows, int[] buildRows, int count) {
        // The condition sees matched pairs only: on a null-extended row its build columns would be null.
        int[] matched = new int[count];
        int matchedCount = 0;
        for (int i = 0; i < count; i++) {
            if (buildRows[i] >= 0) {
                matched[matchedCount++] = i;
            }
        }
        boolean[] passes = new boolean[count];
        if (matchedCount > 0) {
            Batch pairs = joined.select(Arrays.copyOf(matched, matchedCount));
            BooleanColumn result = (BooleanColumn) condition.evaluate(pairs);
            for (int i = 0; i < matchedCount; i++) {
                passes[matched[i]] = !result.isNull(i) && result.getBoolean(i);
            }
        }
        int[] kept = new int[count];
        int keptCount = 0;
        int[] unmatched = new int[count];
        int unmatchedCount = 0;
        int row = 0;
        while (row < count) {
            int probeRow = probeRows[row];
            boolean any = false;
            int end = row;
            while (end < count && probeRows[end] == probeRow) {
                if (passes[end]) {
                    kept[keptCount++] = end;
                    any = true;
                }
                end++;
            }
            if (outer && !any) {
                unmatched[unmatchedCount++] = probeRow;
            }
            row = end;
        }
        Batch matches = joined.select(Arrays.copyOf(kept, keptCount));
        if (unmatchedCount == 0) {
            return matches;
        }
        int[] none = new int[unmatchedCount];
        Arrays.fill(none, -1);
        Batch nullExtended = joined(probe, unmatched, none, unmatchedCount);
        return Batches.concat(schema, List.of(matches, nullExtended));
    }

    @Override
    public void finish(BatchContext context) {
        // Re-read the static side next batch, as Spark re-runs it per micro-batch.
        build = null;
        downstream.finish(context);
    }
}
