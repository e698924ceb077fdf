package io.brook.engine.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brook.engine.batch.Batch;
import io.brook.engine.batch.ColumnType;
import io.brook.engine.batch.DoubleColumn;
import io.brook.engine.batch.Field;
import io.brook.engine.batch.LongColumn;
import io.brook.engine.batch.Schema;
import io.brook.engine.batch.VarcharColumn;
import io.brook.engine.plan.BatchTable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.tools.Frameworks;
import org.apache.calcite.tools.RelBuilder;
import org.junit.jupiter.api.Test;

/** Filters and projections run over batches, with SQL's null semantics, from plans RelBuilder builds. */
class LocalExecutorTest {
    private static final Schema CLICKS = Schema.of(
            new Field("user", ColumnType.VARCHAR, false),
            new Field("clicks", ColumnType.BIGINT, true),
            new Field("ratio", ColumnType.DOUBLE, false));

    private static final List<Batch> BATCHES = List.of(
            Batch.of(
                    CLICKS,
                    VarcharColumn.of("ann", "bob", "cid"),
                    LongColumn.builder(ColumnType.BIGINT, 3)
                            .append(3)
                            .append(7)
                            .appendNull()
                            .build(),
                    DoubleColumn.of(ColumnType.DOUBLE, 0.1, 0.2, 0.9)),
            Batch.of(
                    CLICKS,
                    VarcharColumn.of("dee", "eve"),
                    LongColumn.of(ColumnType.BIGINT, 1, 12),
                    DoubleColumn.of(ColumnType.DOUBLE, 0.5, 0.4)));

    private static RelBuilder builder() {
        SchemaPlus root = Frameworks.createRootSchema(true);
        root.add("clicks", new BatchTable(CLICKS));
        return RelBuilder.create(
                Frameworks.newConfigBuilder().defaultSchema(root).build());
    }

    private static org.apache.calcite.rel.type.RelDataType nullable(
            org.apache.calcite.rel.type.RelDataTypeFactory types, SqlTypeName name) {
        return types.createTypeWithNullability(types.createSqlType(name), true);
    }

    private static List<List<Object>> run(RelNode plan) {
        List<List<Object>> rows = new ArrayList<>();
        new LocalExecutor(Map.of("clicks", BATCHES)).execute(plan).forEach(batch -> rows.addAll(batch.rows()));
        return rows;
    }

    @Test
    void aFilterNarrowsTheSelectionAndAProjectionComputesNewColumns() {
        RelBuilder b = builder();
        RelNode plan = b.scan("clicks")
                .filter(b.and(
                        b.call(SqlStdOperatorTable.GREATER_THAN, b.field("clicks"), b.literal(2)),
                        b.call(SqlStdOperatorTable.NOT_EQUALS, b.field("user"), b.literal("bob"))))
                .project(
                        b.field("user"),
                        b.alias(b.call(SqlStdOperatorTable.MULTIPLY, b.field("clicks"), b.literal(2)), "double"),
                        b.alias(b.call(SqlStdOperatorTable.PLUS, b.field("ratio"), b.literal(1)), "plus_one"))
                .build();

        assertThat(run(plan)).containsExactly(List.of("ann", 6L, 1.1), List.of("eve", 24L, 1.4));
    }

    @Test
    void nullsFollowSqlsThreeValuedLogic() {
        RelBuilder b = builder();
        RelNode plan = b.scan("clicks")
                .filter(b.or(
                        b.call(SqlStdOperatorTable.GREATER_THAN, b.field("clicks"), b.literal(5)),
                        b.call(SqlStdOperatorTable.GREATER_THAN, b.field("ratio"), b.literal(0.45))))
                .project(
                        b.field("user"),
                        b.alias(b.call(SqlStdOperatorTable.PLUS, b.field("clicks"), b.literal(1)), "next"),
                        b.alias(b.isNull(b.field("clicks")), "unknown"),
                        b.alias(b.not(b.call(SqlStdOperatorTable.LESS_THAN, b.field("clicks"), b.literal(5))), "many"))
                .build();

        // cid has no clicks: its OR is null OR true = true; its sum and its comparison are null.
        assertThat(run(plan))
                .containsExactly(
                        Arrays.asList("bob", 8L, false, true),
                        Arrays.asList("cid", null, true, null),
                        Arrays.asList("dee", 2L, false, false),
                        Arrays.asList("eve", 13L, false, true));
    }

    @Test
    void castsBetweenNumbersAndNullLiteralsKeepNulls() {
        RelBuilder b = builder();
        org.apache.calcite.rel.type.RelDataTypeFactory types = b.getTypeFactory();
        org.apache.calcite.rex.RexBuilder rex = b.getRexBuilder();
        RelNode plan = b.scan("clicks")
                .project(
                        b.alias(rex.makeCast(nullable(types, SqlTypeName.BIGINT), b.field("ratio")), "whole"),
                        b.alias(rex.makeCast(nullable(types, SqlTypeName.DOUBLE), b.field("clicks")), "real"),
                        b.alias(rex.makeNullLiteral(nullable(types, SqlTypeName.VARCHAR)), "nothing"))
                .build();

        assertThat(run(plan))
                .containsExactly(
                        Arrays.asList(0L, 3.0, null),
                        Arrays.asList(0L, 7.0, null),
                        Arrays.asList(0L, null, null),
                        Arrays.asList(0L, 1.0, null),
                        Arrays.asList(0L, 12.0, null));
    }

    @Test
    void anExpressionBrookCannotEvaluateYetIsNamed() {
        RelBuilder b = builder();
        RelNode plan = b.scan("clicks")
                .project(b.call(SqlStdOperatorTable.OVERLAY, b.field("user"), b.literal("x"), b.literal(1)))
                .build();

        assertThatThrownBy(() -> run(plan))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessageStartingWith("Brook cannot evaluate OVERLAY($0, 'x', 1)");
    }
}
