package io.brook.engine.exec;

import io.brook.engine.batch.Batch;
import io.brook.engine.batch.BooleanColumn;
import io.brook.engine.batch.Column;
import io.brook.engine.batch.ColumnType;
import io.brook.engine.batch.Columns;
import io.brook.engine.batch.DoubleColumn;
import io.brook.engine.batch.IntColumn;
import io.brook.engine.batch.LongColumn;
import io.brook.engine.batch.VarcharColumn;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.util.NlsString;

/**
 * Compiles Calcite row expressions into evaluators over batches: a column at a time, never an object per row. So far:
 * input columns, literals, {@code + - *} on numbers, comparisons, {@code AND OR NOT} with SQL's three-valued logic,
 * {@code IS [NOT] NULL} and casts between numbers. Anything else is refused with the expression in the message.
 */
public final class ExpressionCompiler {
    private ExpressionCompiler() {}

    public static Evaluator compile(RexNode expression) {
        if (expression instanceof RexInputRef input) {
            int index = input.getIndex();
            return batch -> dense(batch, batch.column(index));
        }
        if (expression instanceof RexLiteral literal) {
            return literal(literal);
        }
        if (expression instanceof RexCall call) {
            return call(call);
        }
        throw unsupported(expression);
    }

    /** The column's values for the batch's rows: the column itself without a selection, else the selected rows. */
    static Column dense(Batch batch, Column column) {
        if (!batch.hasSelection()) {
            return column;
        }
        int[] positions = new int[batch.rowCount()];
        for (int row = 0; row < positions.length; row++) {
            positions[row] = batch.position(row);
        }
        return column.gather(positions, 0, positions.length);
    }

    private static Evaluator literal(RexLiteral literal) {
        ColumnType type = ColumnTypes.of(literal.getType());
        if (literal.isNull()) {
            return batch -> Columns.allNull(type, batch.rowCount());
        }
        return switch (type) {
            case BOOLEAN -> {
                boolean value = Boolean.TRUE.equals(literal.getValueAs(Boolean.class));
                yield batch -> {
                    boolean[] values = new boolean[batch.rowCount()];
                    java.util.Arrays.fill(values, value);
                    return BooleanColumn.of(ColumnType.BOOLEAN, values);
                };
            }
            case INT, DATE -> {
                int value = literal.getValueAs(Integer.class);
                yield batch -> {
                    int[] values = new int[batch.rowCount()];
                    java.util.Arrays.fill(values, value);
                    return IntColumn.of(type, values);
                };
            }
            case BIGINT, TIMESTAMP -> {
                // Calcite gives a TIMESTAMP literal in milliseconds; batches hold microseconds.
                long value = literal.getValueAs(Long.class) * (type == ColumnType.TIMESTAMP ? 1000 : 1);
                yield batch -> {
                    long[] values = new long[batch.rowCount()];
                    java.util.Arrays.fill(values, value);
                    return LongColumn.of(type, values);
                };
            }
            case DOUBLE -> {
                double value = literal.getValueAs(BigDecimal.class).doubleValue();
                yield batch -> {
                    double[] values = new double[batch.rowCount()];
                    java.util.Arrays.fill(values, value);
                    return DoubleColumn.of(ColumnType.DOUBLE, values);
                };
            }
            case VARCHAR -> {
                byte[] value = literal.getValueAs(NlsString.class).getValue().getBytes(StandardCharsets.UTF_8);
                yield batch -> {
                    VarcharColumn.Builder builder = VarcharColumn.builder(batch.rowCount());
                    for (int i = 0; i < batch.rowCount(); i++) {
                        builder.appendUtf8(value);
                    }
                    return builder.build();
                };
            }
        };
    }

    private static Evaluator call(RexCall call) {
        List<Evaluator> operands = new ArrayList<>();
        for (RexNode operand : call.getOperands()) {
            operands.add(compile(operand));
        }
        ColumnType result = ColumnTypes.of(call.getType());
        SqlKind kind = call.getKind();
        return switch (kind) {
            case PLUS, MINUS, TIMES -> Arithmetic.of(kind, result, operands.get(0), operands.get(1));
            case EQUALS, NOT_EQUALS, LESS_THAN, LESS_THAN_OR_EQUAL, GREATER_THAN, GREATER_THAN_OR_EQUAL ->
                Comparisons.of(kind, operands.get(0), operands.get(1));
            case AND, OR -> Logic.andOr(kind == SqlKind.AND, operands);
            case NOT -> Logic.not(operands.get(0));
            case IS_NULL, IS_NOT_NULL -> Logic.isNull(kind == SqlKind.IS_NULL, operands.get(0));
            case CAST -> {
                if (!ColumnTypes.isNumeric(result)
                        || !ColumnTypes.isNumeric(
                                ColumnTypes.of(call.getOperands().get(0).getType()))) {
                    throw unsupported(call);
                }
                yield Arithmetic.cast(result, operands.get(0));
            }
            default -> throw unsupported(call);
        };
    }

    static UnsupportedOperationException unsupported(RexNode expression) {
        String detail =
                expression.getType().getSqlTypeName() == SqlTypeName.DECIMAL ? " (DECIMAL is not supported yet)" : "";
        return new UnsupportedOperationException(
                "Brook cannot evaluate " + expression + " of type " + expression.getType() + " yet" + detail);
    }
}
