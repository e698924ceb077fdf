package io.brook.engine.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brook.engine.batch.Batch;
import io.brook.engine.batch.ColumnType;
import io.brook.engine.batch.DoubleColumn;
import io.brook.engine.batch.Field;
import io.brook.engine.batch.IntColumn;
import io.brook.engine.batch.Schema;
import java.math.BigDecimal;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.junit.jupiter.api.Test;

/** Division, remainder and the one-operand numeric functions, in the call's type, with Spark's non-ANSI nulls. */
class ArithmeticTest {
    private static final ExpressionHarness TABLE = new ExpressionHarness(Batch.of(
            Schema.of(
                    new Field("a", ColumnType.INT, true),
                    new Field("c", ColumnType.INT, true),
                    new Field("k", ColumnType.INT, false),
                    new Field("x", ColumnType.DOUBLE, false)),
            IntColumn.builder(ColumnType.INT, 4)
                    .append(7)
                    .append(-7)
                    .append(7)
                    .appendNull()
                    .build(),
            IntColumn.of(ColumnType.INT, 2, 2, 0, 1),
            IntColumn.of(ColumnType.INT, 1, 1, 0, 1),
            DoubleColumn.of(ColumnType.DOUBLE, 2.5, -2.5, 1.005, 0.49999999999999994)));

    @Test
    void integerDivisionTruncatesAndDivisionByZeroIsNull() {
        // When
        var quotient = TABLE.values(b -> b.call(SqlStdOperatorTable.DIVIDE, b.field("a"), b.field("c")));
        var remainder = TABLE.values(b -> b.call(SqlStdOperatorTable.MOD, b.field("a"), b.field("c")));
        var real = TABLE.values(b -> b.call(SqlStdOperatorTable.DIVIDE, b.field("x"), b.field("c")));

        // Then
        assertThat(quotient).containsExactly(3, -3, null, null);
        assertThat(remainder).containsExactly(1, -1, null, null);
        assertThat(real).containsExactly(1.25, -1.25, null, 0.49999999999999994);
    }

    @Test
    void divisionByZeroOfATypeThatIsNotNullIsAnError() {
        // When, Then
        assertThatThrownBy(() -> TABLE.values(b -> b.call(SqlStdOperatorTable.DIVIDE, b.field("x"), b.field("k"))))
                .isInstanceOf(ArithmeticException.class)
                .hasMessage("Brook cannot evaluate /($3, $2) of type DOUBLE NOT NULL for row 2: the value is NULL (as"
                        + " Spark's is for division by zero or unparsable text), which the type does not allow; give"
                        + " the expression a nullable type");
    }

    @Test
    void unaryMinusAndAbsKeepTheType() {
        // When
        var negated = TABLE.values(b -> b.call(SqlStdOperatorTable.UNARY_MINUS, b.field("a")));
        var absolute = TABLE.values(b -> b.call(SqlStdOperatorTable.ABS, b.field("a")));

        // Then
        assertThat(negated).containsExactly(-7, 7, -7, null);
        assertThat(absolute).containsExactly(7, 7, 7, null);
    }

    @Test
    void floorCeilAndRoundRoundHalfAwayFromZero() {
        // When
        var floor = TABLE.values(b -> b.call(SqlStdOperatorTable.FLOOR, b.field("x")));
        var ceil = TABLE.values(b -> b.call(SqlStdOperatorTable.CEIL, b.field("x")));
        var round = TABLE.values(b -> b.call(SqlStdOperatorTable.ROUND, b.field("x")));
        var cents = TABLE.values(b -> b.call(SqlStdOperatorTable.ROUND, b.field("x"), b.literal(2)));
        var tens = TABLE.values(b -> b.call(SqlStdOperatorTable.ROUND, b.field("a"), b.literal(-1)));

        // Then
        assertThat(floor).containsExactly(2.0, -3.0, 1.0, 0.0);
        assertThat(ceil).containsExactly(3.0, -2.0, 2.0, 1.0);
        assertThat(round).containsExactly(3.0, -3.0, 1.0, 0.0);
        assertThat(cents).containsExactly(2.5, -2.5, 1.01, 0.5);
        assertThat(tens).containsExactly(10, -10, 10, null);
    }

    @Test
    void decimalLiteralsComputeAsDoubles() {
        // When
        var scaled =
                TABLE.values(b -> b.call(SqlStdOperatorTable.MULTIPLY, b.field("c"), b.literal(new BigDecimal("1.5"))));

        // Then
        assertThat(scaled).containsExactly(3.0, 3.0, 0.0, 1.5);
    }
}
