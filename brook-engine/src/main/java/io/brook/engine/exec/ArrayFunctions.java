package io.brook.engine.exec;

import io.brook.engine.batch.ArrayColumn;
import io.brook.engine.batch.BooleanColumn;
import io.brook.engine.batch.Column;
import io.brook.engine.batch.ColumnBuilder;
import io.brook.engine.batch.ColumnType;
import io.brook.engine.batch.IntColumn;
import io.brook.engine.batch.VarcharColumn;

/**
 * Functions of ARRAY columns with Spark's semantics: SIZE, ELEMENT_AT, the 0-based item of {@code Column.getItem} and
 * {@code array[i]}, and ARRAY_CONTAINS. SPLIT, which makes arrays from text, is with the regex functions in
 * {@link Patterns}. Out-of-range indexes give NULL, as Spark's non-ANSI mode does (Brook follows it elsewhere too:
 * division by zero is NULL).
 */
final class ArrayFunctions {
    private ArrayFunctions() {}

    /** SIZE(array): the number of elements, an INT; NULL for a NULL array (Spark 4 with ANSI on; legacy Spark gave -1). */
    static Evaluator size(Evaluator array) {
        return batch -> {
            ArrayColumn in = (ArrayColumn) array.evaluate(batch);
            IntColumn.Builder out = IntColumn.builder(ColumnType.INT, in.size());
            for (int i = 0; i < in.size(); i++) {
                if (in.isNull(i)) {
                    out.appendNull();
                } else {
                    out.append(in.length(i));
                }
            }
            return out.build();
        };
    }

    /**
     * ELEMENT_AT(array, index): the element at a 1-based index, counting from the end when negative (-1 is the last);
     * NULL when the index is past either end.
     *
     * @throws io.brook.engine.BrookException for index 0, which names no element
     */
    static Evaluator elementAt(Evaluator array, Evaluator index) {
        return batch -> {
            ArrayColumn in = (ArrayColumn) array.evaluate(batch);
            Column indexes = index.evaluate(batch);
            int[] picked = new int[in.size()];
            for (int i = 0; i < picked.length; i++) {
                picked[i] = -1;
                if (in.isNull(i) || indexes.isNull(i)) {
                    continue;
                }
                long at = ColumnTypes.longAt(indexes, i);
                if (at == 0) {
                    throw BrookOperators.elementAtIndexZero();
                }
                long fromStart = at > 0 ? at - 1 : in.length(i) + at;
                if (fromStart >= 0 && fromStart < in.length(i)) {
                    picked[i] = in.start(i) + (int) fromStart;
                }
            }
            return pick(in, picked);
        };
    }

    /** The element at a 0-based index (Spark's {@code getItem} and {@code array[i]}); NULL when out of range. */
    static Evaluator item(Evaluator array, Evaluator index) {
        return batch -> {
            ArrayColumn in = (ArrayColumn) array.evaluate(batch);
            Column indexes = index.evaluate(batch);
            int[] picked = new int[in.size()];
            for (int i = 0; i < picked.length; i++) {
                picked[i] = -1;
                if (in.isNull(i) || indexes.isNull(i)) {
                    continue;
                }
                long at = ColumnTypes.longAt(indexes, i);
                if (at >= 0 && at < in.length(i)) {
                    picked[i] = in.start(i) + (int) at;
                }
            }
            return pick(in, picked);
        };
    }

    /** Row {@code i} is element {@code positions[i]} of the array column's elements, or NULL where that is -1. */
    private static Column pick(ArrayColumn array, int[] positions) {
        Column elements = array.elements();
        ColumnBuilder out = new ColumnBuilder(array.elementField(), positions.length);
        for (int position : positions) {
            if (position < 0) {
                out.appendNull();
            } else {
                out.append(elements, position);
            }
        }
        return out.build();
    }

    /** Whether ARRAY_CONTAINS can compare elements of one type with values of another. */
    static boolean canCompare(ColumnType element, ColumnType value) {
        return element == value || (ColumnTypes.isNumeric(element) && ColumnTypes.isNumeric(value));
    }

    /**
     * ARRAY_CONTAINS(array, value): whether an element equals the value. As SQL's IN and Spark: NULL when the array or
     * the value is NULL, and when no element equals the value but some element is NULL (it might have). Numbers compare
     * by value across types; a NaN equals a NaN, as Spark orders doubles. Check {@link #canCompare} first.
     */
    static Evaluator arrayContains(Evaluator array, Evaluator value) {
        return batch -> {
            ArrayColumn in = (ArrayColumn) array.evaluate(batch);
            Column values = value.evaluate(batch);
            Column elements = in.elements();
            BooleanColumn.Builder out = BooleanColumn.builder(ColumnType.BOOLEAN, in.size());
            for (int i = 0; i < in.size(); i++) {
                if (in.isNull(i) || values.isNull(i)) {
                    out.appendNull();
                    continue;
                }
                boolean found = false;
                boolean sawNull = false;
                int end = in.start(i) + in.length(i);
                for (int e = in.start(i); e < end && !found; e++) {
                    if (elements.isNull(e)) {
                        sawNull = true;
                    } else {
                        found = equal(elements, e, values, i);
                    }
                }
                if (found || !sawNull) {
                    out.append(found);
                } else {
                    out.appendNull();
                }
            }
            return out.build();
        };
    }

    private static boolean equal(Column a, int i, Column b, int j) {
        if (a instanceof VarcharColumn x && b instanceof VarcharColumn y) {
            return x.compareBytes(i, y, j) == 0;
        }
        if (a instanceof BooleanColumn x && b instanceof BooleanColumn y) {
            return x.getBoolean(i) == y.getBoolean(j);
        }
        if (a.type() == ColumnType.DOUBLE || b.type() == ColumnType.DOUBLE) {
            double x = ColumnTypes.doubleAt(a, i);
            double y = ColumnTypes.doubleAt(b, j);
            return x == y || (Double.isNaN(x) && Double.isNaN(y));
        }
        return ColumnTypes.longAt(a, i) == ColumnTypes.longAt(b, j);
    }
}
