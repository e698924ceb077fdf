package io.brook.engine.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brook.engine.batch.ColumnType;
import io.brook.engine.batch.Field;
import io.brook.engine.batch.Schema;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.tools.FrameworkConfig;
import org.apache.calcite.tools.Frameworks;
import org.apache.calcite.tools.RelBuilder;
import org.junit.jupiter.api.Test;

/** The engine's logical plan is Calcite's RelNode, built with RelBuilder over tables of batches. */
class LogicalPlanTest {
    private static final Schema CLICKS = Schema.of(
            new Field("user", ColumnType.VARCHAR, false),
            new Field("clicks", ColumnType.BIGINT, true),
            new Field("at", ColumnType.TIMESTAMP, false));

    private static RelBuilder builder() {
        SchemaPlus root = Frameworks.createRootSchema(true);
        root.add("clicks", new BatchTable(CLICKS));
        FrameworkConfig config =
                Frameworks.newConfigBuilder().defaultSchema(root).build();
        return RelBuilder.create(config);
    }

    @Test
    void aFilterAndAProjectionOverABatchTableBecomeALogicalPlan() {
        RelBuilder builder = builder();

        RelNode plan = builder.scan("clicks")
                .filter(builder.call(SqlStdOperatorTable.GREATER_THAN, builder.field("clicks"), builder.literal(2)))
                .project(
                        builder.field("user"),
                        builder.alias(
                                builder.call(SqlStdOperatorTable.PLUS, builder.field("clicks"), builder.literal(1)),
                                "next"))
                .build();

        assertThat(RelOptUtil.toString(plan))
                .isEqualTo("LogicalProject(user=[$0], next=[+($1, 1)])\n"
                        + "  LogicalFilter(condition=[>($1, 2)])\n"
                        + "    LogicalTableScan(table=[[clicks]])\n");
        assertThat(RelTypes.toSchema(plan.getRowType()))
                .isEqualTo(Schema.of(
                        new Field("user", ColumnType.VARCHAR, false), new Field("next", ColumnType.BIGINT, true)));
    }

    @Test
    void aSchemaSurvivesTheRoundTripThroughCalcitesRowType() {
        RelBuilder builder = builder();

        RelNode scan = builder.scan("clicks").build();

        assertThat(RelTypes.toSchema(scan.getRowType())).isEqualTo(CLICKS);
    }

    @Test
    void aTypeBatchesCannotHoldIsNamedWithItsColumn() {
        RelBuilder builder = builder();
        RelNode plan = builder.scan("clicks")
                .project(builder.alias(
                        builder.getRexBuilder().makeTimeLiteral(new org.apache.calcite.util.TimeString(10, 30, 0), 0),
                        "opens"))
                .build();

        assertThatThrownBy(() -> RelTypes.toSchema(plan.getRowType()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("column 'opens' has type TIME");
    }
}
