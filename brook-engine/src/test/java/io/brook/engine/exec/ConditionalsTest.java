package io.brook.engine.exec;

import static org.assertj.core.api.Assertions.assertThat;

import io.brook.engine.batch.Batch;
import io.brook.engine.batch.BooleanColumn;
import io.brook.engine.batch.ColumnType;
import io.brook.engine.batch.DoubleColumn;
import io.brook.engine.batch.Field;
import io.brook.engine.batch.IntColumn;
import io.brook.engine.batch.Schema;
import io.brook.engine.batch.VarcharColumn;
import java.util.Arrays;
import java.util.List;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Filter;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.tools.RelBuilder;
import org.junit.jupiter.api.Test;

/** CASE, COALESCE, NULLIF, IS TRUE and friends, IN and BETWEEN (as SEARCH or as BETWEEN), with SQL's nulls. */
class ConditionalsTest {
    private static final Schema SCHEMA = Schema.of(
            new Field("n", ColumnType.INT, true),
            new Field("m", ColumnType.INT, true),
            new Field("x", ColumnType.DOUBLE, false),
            new Field("flag", ColumnType.BOOLEAN, true),
            new Field("s", ColumnType.VARCHAR, true));

    private static final ExpressionHarness TABLE = new ExpressionHarness(Batch.of(
            SCHEMA,
            IntColumn.builder(ColumnType.INT, 4)
                    .append(20)
                    .append(5)
                    .append(-1)
                    .appendNull()
                    .build(),
            IntColumn.builder(ColumnType.INT, 4)
                    .appendNull()
                    .append(7)
                    .appendNull()
                    .append(8)
                    .build(),
            DoubleColumn.of(ColumnType.DOUBLE, 0.5, 1.5, 2.5, 3.5),
            BooleanColumn.builder(ColumnType.BOOLEAN, 4)
                    .append(true)
                    .append(false)
                    .appendNull()
                    .append(true)
                    .build(),
            VarcharColumn.of("a", "b", null, "d")));

    @Test
    void caseTakesTheFirstTrueBranchAndElseWhereConditionsAreFalseOrNull() {
        // When
        var sizes = TABLE.values(b -> b.call(
                SqlStdOperatorTable.CASE,
                b.call(SqlStdOperatorTable.GREATER_THAN, b.field("n"), b.literal(10)),
                b.literal("big"),
                b.call(SqlStdOperatorTable.GREATER_THAN, b.field("n"), b.literal(0)),
                b.literal("small"),
                b.literal("none")));
        var noElse = TABLE.values(b -> b.call(
                SqlStdOperatorTable.CASE,
                b.field("flag"),
                b.field("s"),
                b.getRexBuilder().makeNullLiteral(ExpressionHarness.nullable(b, SqlTypeName.VARCHAR))));

        // Then
        assertThat(sizes).containsExactly("big", "small", "none", "none");
        assertThat(noElse).containsExactly("a", null, null, "d");
    }

    @Test
    void caseBranchesOfDifferentNumericTypesTakeTheCallsType() {
        // When
        var mixed = TABLE.values(b -> b.call(SqlStdOperatorTable.CASE, b.field("flag"), b.field("n"), b.field("x")));

        // Then
        assertThat(mixed).containsExactly(20.0, 1.5, 2.5, null);
    }

    @Test
    void coalesceTakesTheFirstValueThatIsNotNull() {
        // When
        var first = TABLE.values(b -> b.call(SqlStdOperatorTable.COALESCE, b.field("n"), b.field("m"), b.literal(0)));
        var maybeNone = TABLE.values(b -> b.call(
                SqlStdOperatorTable.COALESCE,
                b.field("m"),
                b.call(SqlStdOperatorTable.NULLIF, b.field("n"), b.literal(-1))));

        // Then
        assertThat(first).containsExactly(20, 5, -1, 8);
        assertThat(maybeNone).containsExactly(20, 7, null, 8);
    }

    @Test
    void nullIfIsNullWhereBothAreEqual() {
        // When
        var values = TABLE.values(b -> b.call(SqlStdOperatorTable.NULLIF, b.field("n"), b.literal(5)));

        // Then
        assertThat(values).containsExactly(20, null, -1, null);
    }

    @Test
    void isTrueAndIsFalseAreNeverNull() {
        // When
        var isTrue = TABLE.values(b -> b.call(SqlStdOperatorTable.IS_TRUE, b.field("flag")));
        var isFalse = TABLE.values(b -> b.call(SqlStdOperatorTable.IS_FALSE, b.field("flag")));
        var isNotTrue = TABLE.values(b -> b.call(SqlStdOperatorTable.IS_NOT_TRUE, b.field("flag")));
        var isNotFalse = TABLE.values(b -> b.call(SqlStdOperatorTable.IS_NOT_FALSE, b.field("flag")));

        // Then
        assertThat(isTrue).containsExactly(true, false, false, true);
        assertThat(isFalse).containsExactly(false, true, false, false);
        assertThat(isNotTrue).containsExactly(false, true, true, false);
        assertThat(isNotFalse).containsExactly(true, false, true, true);
    }

    @Test
    void isDistinctFromTreatsTwoNullsAsTheSame() {
        // When
        var distinct = TABLE.values(b -> b.call(SqlStdOperatorTable.IS_DISTINCT_FROM, b.field("m"), b.literal(8)));
        var notDistinct =
                TABLE.values(b -> b.call(SqlStdOperatorTable.IS_NOT_DISTINCT_FROM, b.field("m"), b.field("m")));

        // Then
        assertThat(distinct).containsExactly(true, true, true, false);
        assertThat(notDistinct).containsExactly(true, true, true, true);
    }

    @Test
    void inListsAndRangesArriveAsSearchAndKeepNulls() {
        // Given
        RelBuilder b = TABLE.builder();
        RelNode plan = b.filter(b.or(
                        b.in(b.field("n"), b.literal(5), b.literal(20), b.literal(99)),
                        b.between(b.field("m"), b.literal(8), b.literal(10))))
                .project(b.field("s"))
                .build();

        // When
        var rows = TABLE.run(plan);

        // Then
        assertThat(((Filter) plan.getInput(0)).getCondition().toString()).contains("SEARCH");
        assertThat(rows).containsExactly(List.of("a"), List.of("b"), List.of("d"));
    }

    @Test
    void notInIsNullForANullValue() {
        // When
        var notIn = TABLE.values(b -> b.not(b.in(b.field("n"), b.literal(5), b.literal(20))));

        // Then
        assertThat(notIn).containsExactly(false, false, true, null);
    }

    @Test
    void betweenAndNotBetweenIncludeTheirBounds() {
        // When
        var between = TABLE.values(b ->
                b.getRexBuilder().makeCall(SqlStdOperatorTable.BETWEEN, b.field("n"), b.literal(-1), b.literal(5)));
        var notBetween = TABLE.values(b ->
                b.getRexBuilder().makeCall(SqlStdOperatorTable.NOT_BETWEEN, b.field("n"), b.literal(-1), b.literal(5)));

        // Then
        assertThat(between).containsExactly(false, true, true, null);
        assertThat(notBetween).containsExactly(true, false, false, null);
    }

    @Test
    void conditionalsEvaluateOverTheRowsAFilterKept() {
        // Given
        RelBuilder b = TABLE.builder();
        RelNode plan = b.filter(b.call(SqlStdOperatorTable.IS_NOT_NULL, b.field("s")))
                .project(b.call(
                        SqlStdOperatorTable.COALESCE,
                        b.field("m"),
                        b.call(SqlStdOperatorTable.MULTIPLY, b.field("n"), b.literal(10))))
                .build();

        // When
        var values = ExpressionHarness.column(TABLE.run(plan));

        // Then
        assertThat(values).isEqualTo(Arrays.asList(200, 7, 8));
        assertThat(plan.getInput(0)).isInstanceOf(Filter.class);
    }
}
