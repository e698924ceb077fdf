package io.brook.engine.api;

import io.brook.engine.plan.ExpressionParser;
import java.util.List;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.tools.RelBuilder;

/** What a {@link Column} needs to become a row expression: a builder with the input on top, and the SQL parser. */
record ColumnContext(RelBuilder builder, ExpressionParser parser, List<RelNode> joinInputs) {
    ColumnContext(RelBuilder builder, ExpressionParser parser) {
        this(builder, parser, null);
    }

    RelNode input() {
        return builder.peek();
    }

    /** The columns SQL text may name: the input's, or for a join condition both sides', left then right. */
    org.apache.calcite.rel.type.RelDataType rowType() {
        if (!inJoin()) {
            return input().getRowType();
        }
        org.apache.calcite.rel.type.RelDataTypeFactory.Builder fields =
                builder.getTypeFactory().builder();
        for (RelNode side : joinInputs) {
            fields.addAll(side.getRowType().getFieldList());
        }
        return fields.build();
    }

    /** Whether columns resolve against the two sides of a join (its condition) rather than one input. */
    boolean inJoin() {
        return joinInputs != null;
    }
}
