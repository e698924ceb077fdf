package io.brook.engine.exec;

import java.util.List;
import org.apache.calcite.sql.SqlBasicFunction;
import org.apache.calcite.sql.SqlFunction;
import org.apache.calcite.sql.SqlFunctionCategory;
import org.apache.calcite.sql.type.OperandTypes;
import org.apache.calcite.sql.type.ReturnTypes;
import org.apache.calcite.sql.type.SqlReturnTypeInference;
import org.apache.calcite.sql.type.SqlTypeFamily;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.type.SqlTypeTransforms;

/**
 * Functions with Spark's semantics that Calcite lacks or defines differently (Calcite's REGEXP_EXTRACT is BigQuery's,
 * its DATE_TRUNC takes the unit second). Plans and SQL use these operator instances; {@link ExpressionCompiler}
 * evaluates them by identity. Each is immutable and shared.
 */
public final class BrookOperators {
    private static final SqlReturnTypeInference TIMESTAMP_FORCE_NULLABLE = ReturnTypes.explicit(
                    types -> types.createSqlType(SqlTypeName.TIMESTAMP, 6))
            .andThen(SqlTypeTransforms.FORCE_NULLABLE);

    /**
     * {@code REGEXP_EXTRACT(string, regex[, group])}: group {@code group} (default 1, 0 for the whole match) of the
     * first match of a Java regex, '' when there is none.
     */
    public static final SqlFunction REGEXP_EXTRACT = SqlBasicFunction.create(
            "REGEXP_EXTRACT",
            ReturnTypes.VARCHAR_NULLABLE,
            OperandTypes.or(OperandTypes.STRING_STRING, OperandTypes.STRING_STRING_INTEGER),
            SqlFunctionCategory.STRING);

    /**
     * {@code DATE_TRUNC(unit, timestamp)}: the TIMESTAMP at the start of the unit ('year', 'yyyy', 'yy', 'quarter',
     * 'month', 'mon', 'mm', 'week' (from Monday), 'day', 'dd', 'hour', 'minute', 'second', 'millisecond',
     * 'microsecond', any case); NULL for another unit.
     */
    public static final SqlFunction DATE_TRUNC = SqlBasicFunction.create(
            "DATE_TRUNC",
            TIMESTAMP_FORCE_NULLABLE,
            OperandTypes.family(SqlTypeFamily.CHARACTER, SqlTypeFamily.DATETIME),
            SqlFunctionCategory.TIMEDATE);

    /**
     * {@code TO_TIMESTAMP(text[, pattern])}: text as a cast to TIMESTAMP reads it, or by a
     * {@link java.time.format.DateTimeFormatter} pattern; NULL where it does not parse.
     */
    public static final SqlFunction TO_TIMESTAMP = SqlBasicFunction.create(
            "TO_TIMESTAMP",
            TIMESTAMP_FORCE_NULLABLE,
            OperandTypes.family(List.of(SqlTypeFamily.CHARACTER, SqlTypeFamily.CHARACTER), i -> i == 1),
            SqlFunctionCategory.TIMEDATE);

    /** {@code DATE_ADD(date, days)}: a DATE (of a DATE or a TIMESTAMP's date) plus a number of days. */
    public static final SqlFunction DATE_ADD = SqlBasicFunction.create(
            "DATE_ADD",
            ReturnTypes.DATE_NULLABLE,
            OperandTypes.family(SqlTypeFamily.DATETIME, SqlTypeFamily.INTEGER),
            SqlFunctionCategory.TIMEDATE);

    /** {@code DATE_SUB(date, days)}: a DATE (of a DATE or a TIMESTAMP's date) minus a number of days. */
    public static final SqlFunction DATE_SUB = SqlBasicFunction.create(
            "DATE_SUB",
            ReturnTypes.DATE_NULLABLE,
            OperandTypes.family(SqlTypeFamily.DATETIME, SqlTypeFamily.INTEGER),
            SqlFunctionCategory.TIMEDATE);

    /** {@code DATEDIFF(end, start)}: the days from start's date to end's date, as an INTEGER. */
    public static final SqlFunction DATEDIFF = SqlBasicFunction.create(
            "DATEDIFF",
            ReturnTypes.INTEGER_NULLABLE,
            OperandTypes.family(SqlTypeFamily.DATETIME, SqlTypeFamily.DATETIME),
            SqlFunctionCategory.TIMEDATE);

    /**
     * {@code GET_JSON_OBJECT(json, path)}: the value at a JSONPath such as {@code $.user.name} or {@code $.items[0]}, as
     * text (a string without its quotes, an object or array as JSON); NULL when the text is not JSON or the path is
     * missing. Spark's function of that name.
     */
    public static final SqlFunction GET_JSON_OBJECT = SqlBasicFunction.create(
            "GET_JSON_OBJECT",
            ReturnTypes.explicit(SqlTypeName.VARCHAR).andThen(SqlTypeTransforms.FORCE_NULLABLE),
            OperandTypes.STRING_STRING,
            SqlFunctionCategory.STRING);

    /**
     * {@code TO_JSON('name1', value1, 'name2', value2, ...)}: a JSON object of the values under the names (Spark's
     * {@code to_json(struct(...))}); numbers and booleans as JSON numbers and booleans, timestamps as ISO text, nulls
     * left out as Spark does.
     */
    public static final SqlFunction TO_JSON = SqlBasicFunction.create(
            "TO_JSON", ReturnTypes.explicit(SqlTypeName.VARCHAR), OperandTypes.VARIADIC, SqlFunctionCategory.STRING);

    /** Every Brook operator, for an operator table. */
    public static final List<SqlFunction> ALL =
            List.of(REGEXP_EXTRACT, DATE_TRUNC, TO_TIMESTAMP, DATE_ADD, DATE_SUB, DATEDIFF, GET_JSON_OBJECT, TO_JSON);

    private BrookOperators() {}
}
