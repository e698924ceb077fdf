package io.brook.engine.plan;

import static java.util.Objects.requireNonNull;

import io.brook.engine.batch.Schema;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.schema.impl.AbstractTable;

/** A source of batches as the planner sees it: a named table with a row type and nothing else. */
public final class BatchTable extends AbstractTable {
    private final Schema schema;

    public BatchTable(Schema schema) {
        this.schema = requireNonNull(schema, "schema is null");
    }

    public Schema schema() {
        return schema;
    }

    @Override
    public RelDataType getRowType(RelDataTypeFactory typeFactory) {
        return RelTypes.toRowType(typeFactory, schema);
    }
}
