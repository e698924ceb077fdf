package io.brook.engine.exec;

import io.brook.engine.BrookException;
import io.brook.engine.ErrorCode;
import java.util.List;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.sql.SqlBasicFunction;
import org.apache.calcite.sql.SqlFunction;
import org.apache.calcite.sql.SqlFunctionCategory;
import org.apache.calcite.sql.SqlOperatorBinding;
import org.apache.calcite.sql.type.OperandTypes;
import org.apache.calcite.sql.type.ReturnTypes;
import org.apache.calcite.sql.type.SqlReturnTypeInference;
import org.apache.calcite.sql.type.SqlTypeFamily;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.type.SqlTypeTransforms;

/**
 * Functions with Spark's semantics that Calcite lacks or defines differently (Calcite's REGEXP_EXTRACT is BigQuery's,
 * its DATE_TRUNC takes the unit second, its SPLIT splits on text rather than a regex). Plans and SQL use these operator instances; {@link ExpressionCompiler}
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

    /**
     * {@code DATE_FORMAT(timestamp, pattern)}, as Spark's and Flink's: the timestamp (in UTC, Brook's session time zone)
     * as text by a {@link java.time.format.DateTimeFormatter} pattern such as {@code 'yyyy-MM-dd'}.
     */
    public static final SqlFunction DATE_FORMAT = SqlBasicFunction.create(
            "DATE_FORMAT",
            ReturnTypes.explicit(SqlTypeName.VARCHAR).andThen(SqlTypeTransforms.TO_NULLABLE),
            OperandTypes.family(SqlTypeFamily.TIMESTAMP, SqlTypeFamily.CHARACTER),
            SqlFunctionCategory.TIMEDATE);

    /**
     * {@code PROCTIME()}, Flink's processing-time attribute: the time the micro-batch was triggered at, the same in
     * every row of the batch (and again when a batch is re-run after a crash, as it is logged with the batch's
     * offsets). A {@code TUMBLE} or {@code HOP} window over it is a processing-time window, closed by the first
     * micro-batch that starts at or after its end; a bounded query's is the time it started.
     */
    public static final SqlFunction PROCTIME = SqlBasicFunction.create(
                    "PROCTIME",
                    ReturnTypes.explicit(SqlTypeName.TIMESTAMP, 3),
                    OperandTypes.NILADIC,
                    SqlFunctionCategory.TIMEDATE)
            .withDeterministic(false);

    /** {@code NOW()}, Spark's and Flink's: {@code CURRENT_TIMESTAMP}, the micro-batch's processing time. */
    public static final SqlFunction NOW = SqlBasicFunction.create(
                    "NOW",
                    ReturnTypes.explicit(SqlTypeName.TIMESTAMP, 6),
                    OperandTypes.NILADIC,
                    SqlFunctionCategory.TIMEDATE)
            .withDeterministic(false);

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
     * {@code to_json(struct(...))}); numbers and booleans as JSON numbers and booleans, timestamps as ISO text, arrays
     * as JSON arrays (null elements as null), null values left out as Spark does.
     */
    public static final SqlFunction TO_JSON = SqlBasicFunction.create(
            "TO_JSON", ReturnTypes.explicit(SqlTypeName.VARCHAR), OperandTypes.VARIADIC, SqlFunctionCategory.STRING);

    /**
     * {@code JSON_STRUCT(object, 'name1', value1, 'name2', value2, ...)}: a struct of the values under the names, null
     * wherever {@code object} (the JSON text of the object the values were read from) is null: how {@code from_json}
     * reads a nested object into a struct column.
     */
    public static final SqlFunction JSON_STRUCT = SqlBasicFunction.create(
            "JSON_STRUCT", BrookOperators::jsonStructType, OperandTypes.VARIADIC, SqlFunctionCategory.SYSTEM);

    private static org.apache.calcite.rel.type.RelDataType jsonStructType(
            org.apache.calcite.sql.SqlOperatorBinding binding) {
        org.apache.calcite.rel.type.RelDataTypeFactory types = binding.getTypeFactory();
        java.util.List<String> names = new java.util.ArrayList<>();
        java.util.List<org.apache.calcite.rel.type.RelDataType> fieldTypes = new java.util.ArrayList<>();
        for (int i = 1; i + 1 < binding.getOperandCount(); i += 2) {
            names.add(binding.getOperandLiteralValue(i, String.class));
            fieldTypes.add(types.createTypeWithNullability(binding.getOperandType(i + 1), true));
        }
        return types.createTypeWithNullability(types.createStructType(fieldTypes, names), true);
    }

    /**
     * {@code SPLIT(string, regex[, limit])}: the parts of the string around the matches of a Java regex, as an ARRAY of
     * VARCHAR; see {@link Patterns#split} for the limit and trailing empty strings.
     */
    public static final SqlFunction SPLIT = SqlBasicFunction.create(
            "SPLIT",
            ReturnTypes.explicit(types -> types.createArrayType(
                            types.createTypeWithNullability(types.createSqlType(SqlTypeName.VARCHAR), true), -1))
                    .andThen(SqlTypeTransforms.TO_NULLABLE),
            OperandTypes.or(OperandTypes.STRING_STRING, OperandTypes.STRING_STRING_INTEGER),
            SqlFunctionCategory.STRING);

    /**
     * {@code SPLIT_INDEX(string, separator, index)}, Flink's: the part of the string at a 0-based index when split
     * around a separator taken as text; NULL when the index is out of range or negative, or the separator empty.
     */
    public static final SqlFunction SPLIT_INDEX = SqlBasicFunction.create(
            "SPLIT_INDEX",
            ReturnTypes.explicit(SqlTypeName.VARCHAR).andThen(SqlTypeTransforms.FORCE_NULLABLE),
            OperandTypes.family(SqlTypeFamily.CHARACTER, SqlTypeFamily.CHARACTER, SqlTypeFamily.INTEGER),
            SqlFunctionCategory.STRING);

    /** {@code SIZE(array)}: the number of elements, an INTEGER; NULL for a NULL array (Spark 4 with ANSI on). */
    public static final SqlFunction SIZE = SqlBasicFunction.create(
            "SIZE", ReturnTypes.INTEGER_NULLABLE, OperandTypes.ARRAY, SqlFunctionCategory.SYSTEM);

    /**
     * {@code ELEMENT_AT(array, index)}: the element at a 1-based index, from the end when negative; NULL past either
     * end; index 0 is an error. The element type, nullable.
     */
    public static final SqlFunction ELEMENT_AT = SqlBasicFunction.create(
            "ELEMENT_AT",
            BrookOperators::nullableComponent,
            OperandTypes.family(SqlTypeFamily.ARRAY, SqlTypeFamily.INTEGER),
            SqlFunctionCategory.SYSTEM);

    /**
     * {@code ARRAY_CONTAINS(array, value)}: whether an element equals the value; NULL when either is NULL, or when no
     * element does but one is NULL.
     */
    public static final SqlFunction ARRAY_CONTAINS = SqlBasicFunction.create(
            "ARRAY_CONTAINS",
            ReturnTypes.explicit(SqlTypeName.BOOLEAN).andThen(SqlTypeTransforms.FORCE_NULLABLE),
            OperandTypes.family(SqlTypeFamily.ARRAY, SqlTypeFamily.ANY),
            SqlFunctionCategory.SYSTEM);

    /** The error of {@code ELEMENT_AT} with index 0, which names no element (Spark's INVALID_INDEX_OF_ZERO). */
    public static BrookException elementAtIndexZero() {
        return new BrookException(
                ErrorCode.INVALID_EXPRESSION,
                "element_at: index 0 is invalid; indexes start at 1 for the first element and -1 for the last,"
                        + " as in Spark (getItem counts from 0)");
    }

    private static RelDataType nullableComponent(SqlOperatorBinding binding) {
        RelDataType component = binding.getOperandType(0).getComponentType();
        if (component == null) {
            throw new IllegalArgumentException("ELEMENT_AT needs an array; got " + binding.getOperandType(0));
        }
        return binding.getTypeFactory().createTypeWithNullability(component, true);
    }

    /** Every Brook operator, for an operator table. */
    public static final List<SqlFunction> ALL = List.of(
            REGEXP_EXTRACT,
            DATE_TRUNC,
            TO_TIMESTAMP,
            DATE_FORMAT,
            PROCTIME,
            NOW,
            DATE_ADD,
            DATE_SUB,
            DATEDIFF,
            GET_JSON_OBJECT,
            TO_JSON,
            SPLIT,
            SPLIT_INDEX,
            SIZE,
            ELEMENT_AT,
            ARRAY_CONTAINS);

    private BrookOperators() {}
}
