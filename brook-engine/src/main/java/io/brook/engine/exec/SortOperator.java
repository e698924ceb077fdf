package io.brook.engine.exec;

import io.brook.engine.batch.Batch;
import io.brook.engine.batch.BooleanColumn;
import io.brook.engine.batch.Column;
import io.brook.engine.batch.ColumnBuilder;
import io.brook.engine.batch.DoubleColumn;
import io.brook.engine.batch.IntColumn;
import io.brook.engine.batch.LongColumn;
import io.brook.engine.batch.Schema;
import io.brook.engine.batch.VarcharColumn;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.calcite.rel.RelFieldCollation;

/**
 * ORDER BY and LIMIT/OFFSET: keeps the batch's rows until {@code finish}, then emits them sorted (nulls first when
 * ascending and last when descending, as Spark orders) and cut to the limit. A streaming query may sort only its
 * complete result, which its aggregation re-emits every batch, so nothing here outlives a batch.
 */
final class SortOperator implements Operator {
    private final List<RelFieldCollation> collations;
    private final long offset;
    private final long fetch;
    private final Schema schema;
    private final Operator downstream;
    private final List<Batch> batches = new ArrayList<>();

    SortOperator(List<RelFieldCollation> collations, long offset, long fetch, Schema schema, Operator downstream) {
        this.collations = List.copyOf(collations);
        this.offset = offset;
        this.fetch = fetch;
        this.schema = schema;
        this.downstream = downstream;
    }

    @Override
    public void accept(Batch batch) {
        batches.add(batch.compact());
    }

    @Override
    public void finish(BatchContext context) {
        Batch all = concat();
        batches.clear();
        Integer[] order = new Integer[all.rowCount()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        if (!collations.isEmpty()) {
            java.util.Arrays.sort(order, comparator(collations, all));
        }
        long end = Math.min(order.length, fetch < 0 ? Long.MAX_VALUE : offset + fetch);
        if (end > offset) {
            ColumnBuilder[] builders = new ColumnBuilder[schema.size()];
            for (int c = 0; c < builders.length; c++) {
                builders[c] = new ColumnBuilder(schema.field(c), (int) (end - offset));
            }
            for (int i = (int) offset; i < end; i++) {
                for (int c = 0; c < builders.length; c++) {
                    builders[c].append(all.column(c), order[i]);
                }
            }
            Column[] columns = new Column[builders.length];
            for (int c = 0; c < columns.length; c++) {
                columns[c] = builders[c].build();
            }
            downstream.accept(Batch.of(schema, columns));
        }
        downstream.finish(context);
    }

    private Batch concat() {
        return Batches.concat(schema, batches);
    }

    /** Compares rows (positions) of a batch by these collations, with Brook's nulls order (see the class comment). */
    static Comparator<Integer> comparator(List<RelFieldCollation> collations, Batch all) {
        Comparator<Integer> result = null;
        for (RelFieldCollation collation : collations) {
            Column column = all.column(collation.getFieldIndex());
            boolean descending = collation.getDirection().isDescending();
            boolean nullsFirst = switch (collation.nullDirection) {
                case FIRST -> true;
                case LAST -> false;
                case UNSPECIFIED -> !descending;
            };
            Comparator<Integer> values = (a, b) -> compareValues(column, a, b);
            Comparator<Integer> directed = descending ? values.reversed() : values;
            Comparator<Integer> key = (a, b) -> {
                boolean aNull = column.isNull(a);
                boolean bNull = column.isNull(b);
                if (aNull || bNull) {
                    return aNull == bNull ? 0 : (aNull == nullsFirst ? -1 : 1);
                }
                return directed.compare(a, b);
            };
            result = result == null ? key : result.thenComparing(key);
        }
        return result;
    }

    private static int compareValues(Column column, int a, int b) {
        if (column instanceof LongColumn c) {
            return Long.compare(c.getLong(a), c.getLong(b));
        }
        if (column instanceof IntColumn c) {
            return Integer.compare(c.getInt(a), c.getInt(b));
        }
        if (column instanceof DoubleColumn c) {
            return Double.compare(c.getDouble(a), c.getDouble(b));
        }
        if (column instanceof BooleanColumn c) {
            return Boolean.compare(c.getBoolean(a), c.getBoolean(b));
        }
        return ((VarcharColumn) column).compareBytes(a, (VarcharColumn) column, b);
    }
}
