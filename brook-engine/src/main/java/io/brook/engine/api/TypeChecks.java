package io.brook.engine.api;

import io.brook.engine.BrookException;
import io.brook.engine.ErrorCode;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.type.SqlTypeFamily;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * The type rules of the Dataset API's operators, checked when a column is resolved, so that a mistake is a clear
 * error naming the column, its type and the fix, not a failure deep in evaluation. SQL text gets Calcite's validator.
 */
final class TypeChecks {
    private TypeChecks() {}

    static boolean numeric(RexNode node) {
        return SqlTypeName.NUMERIC_TYPES.contains(node.getType().getSqlTypeName());
    }

    static boolean textual(RexNode node) {
        return SqlTypeName.CHAR_TYPES.contains(node.getType().getSqlTypeName());
    }

    static boolean bool(RexNode node) {
        return node.getType().getSqlTypeName() == SqlTypeName.BOOLEAN;
    }

    static boolean interval(RexNode node) {
        return SqlTypeName.INTERVAL_TYPES.contains(node.getType().getSqlTypeName());
    }

    static boolean datetime(RexNode node) {
        return SqlTypeName.DATETIME_TYPES.contains(node.getType().getSqlTypeName());
    }

    static boolean array(RexNode node) {
        return node.getType().getSqlTypeName() == SqlTypeName.ARRAY;
    }

    static String describe(String name, RexNode node) {
        if (array(node)) {
            return "'" + name + "' (ARRAY<" + node.getType().getComponentType().getSqlTypeName() + ">)";
        }
        return "'" + name + "' (" + node.getType().getSqlTypeName() + ")";
    }

    /** Arithmetic needs numbers, or a date/time plus or minus an interval. */
    static void arithmetic(String symbol, Column.Named a, Column.Named b) {
        boolean ok = (numeric(a.expression()) && numeric(b.expression()))
                || ((symbol.equals("+") || symbol.equals("-")) && datetime(a.expression()) && interval(b.expression()));
        if (!ok) {
            throw new BrookException(
                    ErrorCode.TYPE_MISMATCH,
                    "cannot apply " + symbol + " to " + describe(a.name(), a.expression()) + " and "
                            + describe(b.name(), b.expression()) + ": it needs numbers (or a timestamp and an"
                            + " interval); convert with cast(\"bigint\") or cast(\"double\")");
        }
    }

    /** A comparison needs two values of one family: numbers, text, booleans, or dates and timestamps; not arrays. */
    static void comparison(String symbol, Column.Named a, Column.Named b) {
        RexNode x = a.expression();
        RexNode y = b.expression();
        for (Column.Named side : java.util.List.of(a, b)) {
            if (side.expression().getType().isStruct()) {
                throw new BrookException(
                        ErrorCode.UNSUPPORTED_OPERATION,
                        "cannot compare struct column " + describe(side.name(), side.expression()) + " with " + symbol
                                + ": Brook does not compare structs yet; compare their fields (getField(...))");
            }
            if (array(side.expression())) {
                throw new BrookException(
                        ErrorCode.UNSUPPORTED_OPERATION,
                        "cannot compare array column " + describe(side.name(), side.expression()) + " with " + symbol
                                + ": Brook does not compare arrays yet; compare size(...), element_at(...) or use"
                                + " array_contains(...)");
            }
        }
        boolean nullLiteral =
                x.getType().getSqlTypeName() == SqlTypeName.NULL || y.getType().getSqlTypeName() == SqlTypeName.NULL;
        boolean ok = nullLiteral
                || (numeric(x) && numeric(y))
                || (textual(x) && textual(y))
                || (bool(x) && bool(y))
                || (datetime(x) && datetime(y))
                || (x.getType().getSqlTypeName() == y.getType().getSqlTypeName());
        if (!ok) {
            throw new BrookException(
                    ErrorCode.TYPE_MISMATCH,
                    "cannot compare " + describe(a.name(), a.expression()) + " " + symbol + " "
                            + describe(b.name(), b.expression()) + ": the types differ; cast one to the other's type");
        }
    }

    static void condition(String what, Column.Named value) {
        if (!bool(value.expression()) && value.expression().getType().getSqlTypeName() != SqlTypeName.NULL) {
            throw new BrookException(
                    ErrorCode.TYPE_MISMATCH,
                    what + " needs a boolean; " + describe(value.name(), value.expression())
                            + " is not one (compare it, e.g. col(\"" + value.name() + "\").gt(0))");
        }
    }

    static void text(String function, Column.Named value) {
        if (!textual(value.expression()) && value.expression().getType().getFamily() != SqlTypeFamily.NULL) {
            throw new BrookException(
                    ErrorCode.TYPE_MISMATCH,
                    function + " needs text; " + describe(value.name(), value.expression())
                            + " is not (use cast(\"string\"))");
        }
    }

    static void number(String function, Column.Named value) {
        if (!numeric(value.expression())) {
            throw new BrookException(
                    ErrorCode.TYPE_MISMATCH,
                    function + " needs a number; " + describe(value.name(), value.expression())
                            + " is not (use cast(\"bigint\") or cast(\"double\"))");
        }
    }

    static void array(String function, Column.Named value) {
        if (!array(value.expression())) {
            throw new BrookException(
                    ErrorCode.TYPE_MISMATCH,
                    function + " needs an array; " + describe(value.name(), value.expression())
                            + " is not one (make one with split(...) or collect_list(...))");
        }
    }

    /** A value looked for among an array's elements must be comparable with them: numbers with numbers, or one type. */
    static void element(String function, Column.Named array, Column.Named value) {
        SqlTypeName element = array.expression().getType().getComponentType().getSqlTypeName();
        SqlTypeName wanted = value.expression().getType().getSqlTypeName();
        boolean ok = element == wanted
                || (SqlTypeName.NUMERIC_TYPES.contains(element) && SqlTypeName.NUMERIC_TYPES.contains(wanted))
                || (SqlTypeName.CHAR_TYPES.contains(element) && SqlTypeName.CHAR_TYPES.contains(wanted));
        if (!ok) {
            throw new BrookException(
                    ErrorCode.TYPE_MISMATCH,
                    function + " cannot look for " + describe(value.name(), value.expression()) + " among the "
                            + element + " elements of " + describe(array.name(), array.expression())
                            + "; cast the value to the elements' type");
        }
    }
}
