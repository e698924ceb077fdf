package io.brook.engine.exec;

import io.brook.engine.batch.BooleanColumn;
import io.brook.engine.batch.Column;
import io.brook.engine.batch.ColumnType;
import java.util.ArrayList;
import java.util.List;

/** AND, OR and NOT with SQL's three-valued logic, and IS [NOT] NULL. */
final class Logic {
    private Logic() {}

    /** AND: false if any operand is false, else null if any is null, else true; OR the other way round. */
    static Evaluator andOr(boolean and, List<Evaluator> operands) {
        return batch -> {
            List<BooleanColumn> columns = new ArrayList<>();
            for (Evaluator operand : operands) {
                columns.add((BooleanColumn) operand.evaluate(batch));
            }
            int size = batch.rowCount();
            BooleanColumn.Builder out = BooleanColumn.builder(ColumnType.BOOLEAN, size);
            for (int i = 0; i < size; i++) {
                boolean decided = false;
                boolean sawNull = false;
                for (BooleanColumn column : columns) {
                    if (column.isNull(i)) {
                        sawNull = true;
                    } else if (column.getBoolean(i) != and) {
                        decided = true;
                        break;
                    }
                }
                if (decided) {
                    out.append(!and);
                } else if (sawNull) {
                    out.appendNull();
                } else {
                    out.append(and);
                }
            }
            return out.build();
        };
    }

    static Evaluator not(Evaluator operand) {
        return batch -> {
            BooleanColumn column = (BooleanColumn) operand.evaluate(batch);
            BooleanColumn.Builder out = BooleanColumn.builder(ColumnType.BOOLEAN, column.size());
            for (int i = 0; i < column.size(); i++) {
                if (column.isNull(i)) {
                    out.appendNull();
                } else {
                    out.append(!column.getBoolean(i));
                }
            }
            return out.build();
        };
    }

    static Evaluator isNull(boolean isNull, Evaluator operand) {
        return batch -> {
            Column column = operand.evaluate(batch);
            boolean[] values = new boolean[column.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = column.isNull(i) == isNull;
            }
            return BooleanColumn.of(ColumnType.BOOLEAN, values);
        };
    }
}
