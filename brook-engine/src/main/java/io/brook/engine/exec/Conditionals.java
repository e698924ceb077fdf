package io.brook.engine.exec;

import io.brook.engine.batch.ArrayColumn;
import io.brook.engine.batch.BooleanColumn;
import io.brook.engine.batch.Column;
import io.brook.engine.batch.ColumnBuilder;
import io.brook.engine.batch.ColumnType;
import io.brook.engine.batch.DoubleColumn;
import io.brook.engine.batch.Field;
import io.brook.engine.batch.IntColumn;
import io.brook.engine.batch.LongColumn;
import io.brook.engine.batch.StructColumn;
import io.brook.engine.batch.VarcharColumn;
import java.util.List;
import org.apache.calcite.sql.SqlKind;

/**
 * CASE, COALESCE, NULLIF and {@code IS [NOT] TRUE/FALSE}. The branches are evaluated over the whole batch and each
 * row then picks its value from one of them (branches differing in type are converted to the call's type first).
 */
final class Conditionals {
    private Conditionals() {}

    /** CASE WHEN c1 THEN v1 ... ELSE e END, with operands {@code c1, v1, ..., e}; a null condition is not true. */
    static Evaluator caseWhen(ColumnType result, List<Evaluator> operands) {
        if (operands.size() % 2 != 1) {
            throw new IllegalArgumentException(
                    "CASE needs pairs of WHEN and THEN and an ELSE; got " + operands.size() + " operands");
        }
        int pairs = operands.size() / 2;
        return batch -> {
            int size = batch.rowCount();
            Column[] values = new Column[pairs + 1];
            int[] choice = new int[size];
            java.util.Arrays.fill(choice, pairs);
            boolean[] decided = new boolean[size];
            for (int pair = 0; pair < pairs; pair++) {
                BooleanColumn condition = (BooleanColumn) operands.get(2 * pair).evaluate(batch);
                values[pair] = Casts.convert(operands.get(2 * pair + 1).evaluate(batch), result);
                for (int i = 0; i < size; i++) {
                    if (!decided[i] && !condition.isNull(i) && condition.getBoolean(i)) {
                        decided[i] = true;
                        choice[i] = pair;
                    }
                }
            }
            values[pairs] = Casts.convert(operands.get(operands.size() - 1).evaluate(batch), result);
            return pick(result, values, choice);
        };
    }

    /** The first operand that is not null, or null. */
    static Evaluator coalesce(ColumnType result, List<Evaluator> operands) {
        return batch -> {
            int size = batch.rowCount();
            Column[] values = new Column[operands.size()];
            int[] choice = new int[size];
            java.util.Arrays.fill(choice, -1);
            for (int operand = 0; operand < values.length; operand++) {
                values[operand] = Casts.convert(operands.get(operand).evaluate(batch), result);
                for (int i = 0; i < size; i++) {
                    if (choice[i] < 0 && !values[operand].isNull(i)) {
                        choice[i] = operand;
                    }
                }
            }
            return pick(result, values, choice);
        };
    }

    /** NULLIF(a, b): null where a equals b, else a. */
    static Evaluator nullIf(ColumnType result, Evaluator left, Evaluator right) {
        return batch -> {
            Column a = Casts.convert(left.evaluate(batch), result);
            Column b = right.evaluate(batch);
            int size = batch.rowCount();
            int[] choice = new int[size];
            for (int i = 0; i < size; i++) {
                boolean equal = !a.isNull(i) && !b.isNull(i) && Comparisons.compare(a, b, i) == 0;
                choice[i] = equal ? -1 : 0;
            }
            return pick(result, new Column[] {a}, choice);
        };
    }

    /** IS TRUE, IS FALSE, IS NOT TRUE, IS NOT FALSE: never null. */
    static Evaluator is(SqlKind kind, Evaluator operand) {
        boolean expected = kind == SqlKind.IS_TRUE || kind == SqlKind.IS_NOT_TRUE;
        boolean negated = kind == SqlKind.IS_NOT_TRUE || kind == SqlKind.IS_NOT_FALSE;
        return batch -> {
            BooleanColumn in = (BooleanColumn) operand.evaluate(batch);
            boolean[] values = new boolean[in.size()];
            for (int i = 0; i < values.length; i++) {
                boolean holds = !in.isNull(i) && in.getBoolean(i) == expected;
                values[i] = holds != negated;
            }
            return BooleanColumn.of(ColumnType.BOOLEAN, values);
        };
    }

    /**
     * Row {@code i} of the result is row {@code i} of {@code values[choice[i]]}, or null where the choice is negative.
     * Every value column has the result's type.
     */
    static Column pick(ColumnType type, Column[] values, int[] choice) {
        int size = choice.length;
        switch (type) {
            case BOOLEAN -> {
                BooleanColumn.Builder out = BooleanColumn.builder(type, size);
                for (int i = 0; i < size; i++) {
                    Column from = choice[i] < 0 ? null : values[choice[i]];
                    if (from == null || from.isNull(i)) {
                        out.appendNull();
                    } else {
                        out.append(((BooleanColumn) from).getBoolean(i));
                    }
                }
                return out.build();
            }
            case INT, DATE -> {
                IntColumn.Builder out = IntColumn.builder(type, size);
                for (int i = 0; i < size; i++) {
                    Column from = choice[i] < 0 ? null : values[choice[i]];
                    if (from == null || from.isNull(i)) {
                        out.appendNull();
                    } else {
                        out.append(((IntColumn) from).getInt(i));
                    }
                }
                return out.build();
            }
            case BIGINT, TIMESTAMP -> {
                LongColumn.Builder out = LongColumn.builder(type, size);
                for (int i = 0; i < size; i++) {
                    Column from = choice[i] < 0 ? null : values[choice[i]];
                    if (from == null || from.isNull(i)) {
                        out.appendNull();
                    } else {
                        out.append(((LongColumn) from).getLong(i));
                    }
                }
                return out.build();
            }
            case DOUBLE -> {
                DoubleColumn.Builder out = DoubleColumn.builder(type, size);
                for (int i = 0; i < size; i++) {
                    Column from = choice[i] < 0 ? null : values[choice[i]];
                    if (from == null || from.isNull(i)) {
                        out.appendNull();
                    } else {
                        out.append(((DoubleColumn) from).getDouble(i));
                    }
                }
                return out.build();
            }
            case VARCHAR, VARBINARY -> {
                VarcharColumn.Builder out = VarcharColumn.builder(type, size);
                for (int i = 0; i < size; i++) {
                    Column from = choice[i] < 0 ? null : values[choice[i]];
                    if (from == null || from.isNull(i)) {
                        out.appendNull();
                    } else {
                        VarcharColumn text = (VarcharColumn) from;
                        out.appendPart(text, i, 0, text.byteLength(i));
                    }
                }
                return out.build();
            }
            case ARRAY -> {
                Field element = ((ArrayColumn) values[0]).elementField();
                ArrayColumn.Builder out = ArrayColumn.builder(element, size);
                for (int i = 0; i < size; i++) {
                    Column from = choice[i] < 0 ? null : values[choice[i]];
                    if (from == null || from.isNull(i)) {
                        out.appendNull();
                    } else if (!((ArrayColumn) from).elementField().sameType(element)) {
                        throw new IllegalArgumentException(
                                "the branches hold arrays of " + element.typeName() + " and of "
                                        + ((ArrayColumn) from).elementField().typeName());
                    } else {
                        out.append((ArrayColumn) from, i);
                    }
                }
                return out.build();
            }
            case STRUCT -> {
                Field struct = Field.struct("struct", ((StructColumn) values[0]).fields(), true);
                ColumnBuilder out = new ColumnBuilder(struct, size);
                for (int i = 0; i < size; i++) {
                    Column from = choice[i] < 0 ? null : values[choice[i]];
                    if (from == null) {
                        out.appendNull();
                    } else if (!Field.struct("struct", ((StructColumn) from).fields(), true)
                            .sameType(struct)) {
                        throw new IllegalArgumentException("the branches hold " + struct.typeName() + " and "
                                + Field.struct("struct", ((StructColumn) from).fields(), true)
                                        .typeName());
                    } else {
                        out.append(from, i);
                    }
                }
                return out.build();
            }
        }
        throw new IllegalStateException("unknown column type " + type);
    }
}
