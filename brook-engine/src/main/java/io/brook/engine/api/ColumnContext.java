package io.brook.engine.api;

import io.brook.engine.plan.ExpressionParser;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.tools.RelBuilder;

/** What a {@link Column} needs to become a row expression: a builder with the input on top, and the SQL parser. */
record ColumnContext(RelBuilder builder, ExpressionParser parser) {
    RelNode input() {
        return builder.peek();
    }
}
