package io.brook.engine.exec;

import io.brook.engine.batch.Batch;
import io.brook.engine.batch.Column;
import io.brook.engine.batch.ColumnBuilder;
import io.brook.engine.batch.Schema;
import java.util.List;

/** Whole-batch helpers for operators that must hold their input (sorting, the build side of a join). */
final class Batches {
    private Batches() {}

    /** The rows of all batches, in order, in one batch without a selection. */
    static Batch concat(Schema schema, List<Batch> batches) {
        int total = 0;
        for (Batch batch : batches) {
            total += batch.rowCount();
        }
        ColumnBuilder[] builders = new ColumnBuilder[schema.size()];
        for (int c = 0; c < builders.length; c++) {
            builders[c] = new ColumnBuilder(schema.field(c), total);
        }
        for (Batch batch : batches) {
            for (int row = 0; row < batch.rowCount(); row++) {
                int position = batch.position(row);
                for (int c = 0; c < builders.length; c++) {
                    builders[c].append(batch.column(c), position);
                }
            }
        }
        Column[] columns = new Column[builders.length];
        for (int c = 0; c < columns.length; c++) {
            columns[c] = builders[c].build();
        }
        return Batch.of(schema, columns);
    }
}
