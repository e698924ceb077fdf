package io.brook.engine.plan;

import static java.util.Objects.requireNonNull;

import io.brook.engine.batch.Schema;
import io.brook.engine.connector.Source;
import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.logical.LogicalTableScan;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.schema.TranslatableTable;
import org.apache.calcite.schema.impl.AbstractTable;

/**
 * A source as the planner sees it: a table with the source's row type. {@code streaming} says whether queries over it
 * are unbounded (from {@code readStream()}) or read it once (from {@code read()}).
 */
public final class SourceTable extends AbstractTable implements TranslatableTable {
    private final Source source;
    private final boolean streaming;

    public SourceTable(Source source, boolean streaming) {
        this.source = requireNonNull(source, "source is null");
        this.streaming = streaming;
    }

    public Source source() {
        return source;
    }

    public Schema schema() {
        return source.schema();
    }

    public boolean streaming() {
        return streaming;
    }

    /** A plain scan: Brook's physical planner, not Calcite's enumerable one, runs the plan. */
    @Override
    public RelNode toRel(RelOptTable.ToRelContext context, RelOptTable relOptTable) {
        return LogicalTableScan.create(context.getCluster(), relOptTable, context.getTableHints());
    }

    @Override
    public RelDataType getRowType(RelDataTypeFactory typeFactory) {
        return RelTypes.toRowType(typeFactory, source.schema());
    }
}
