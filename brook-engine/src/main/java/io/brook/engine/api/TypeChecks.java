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

    static String describe(String name, RexNode node) {
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

    /** A comparison needs two values of one family: numbers, text, booleans, or dates and timestamps. */
    static void comparison(String symbol, Column.Named a, Column.Named b) {
        RexNode x = a.expression();
        RexNode y = b.expression();
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
}
