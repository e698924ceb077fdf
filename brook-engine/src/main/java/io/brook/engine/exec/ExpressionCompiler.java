package io.brook.engine.exec;

import io.brook.engine.BrookException;
import io.brook.engine.ErrorCode;
import io.brook.engine.batch.Batch;
import io.brook.engine.batch.BooleanColumn;
import io.brook.engine.batch.Column;
import io.brook.engine.batch.ColumnType;
import io.brook.engine.batch.Columns;
import io.brook.engine.batch.DoubleColumn;
import io.brook.engine.batch.Field;
import io.brook.engine.batch.IntColumn;
import io.brook.engine.batch.LongColumn;
import io.brook.engine.batch.StructColumn;
import io.brook.engine.batch.VarcharColumn;
import io.brook.engine.plan.RelTypes;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.calcite.avatica.util.ByteString;
import org.apache.calcite.avatica.util.TimeUnitRange;
import org.apache.calcite.jdbc.JavaTypeFactoryImpl;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexFieldAccess;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.fun.SqlBetweenOperator;
import org.apache.calcite.sql.fun.SqlLikeOperator;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.fun.SqlTrimFunction;
import org.apache.calcite.sql.type.SqlTypeFamily;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.util.NlsString;

/**
 * Compiles Calcite row expressions into evaluators over batches, a column at a time: a dispatcher from each call's
 * kind (or, for kinds Calcite leaves as OTHER_FUNCTION, its operator name, and for {@link BrookOperators} the
 * operator itself) to the family that evaluates it: {@link Arithmetic}, {@link Comparisons}, {@link Logic},
 * {@link Conditionals}, {@link Casts}, {@link StringFunctions}, {@link Patterns}, {@link DateTimeFunctions} and
 * {@link ArrayFunctions}.
 * DECIMAL is computed as DOUBLE. Anything else is refused with the expression in the message. Compiled evaluators are
 * immutable and may be shared between threads.
 */
public final class ExpressionCompiler {
    /** Builds the expressions some calls expand to (SEARCH, BETWEEN); type factories intern types, so any will do. */
    private static final RexBuilder REX_BUILDER = new RexBuilder(new JavaTypeFactoryImpl());

    private static final Evaluator SPACE = compile(REX_BUILDER.makeLiteral(" "));

    /** The one reader of this compilation for the JSON text of this expression; see JsonFieldReader. */
    private JsonFieldReader jsonReader(RexNode json) {
        return jsonReaders.computeIfAbsent(json.toString(), digest -> new JsonFieldReader(expression(json)));
    }

    /** The get_json_object readers of this compilation by the digest of their JSON operand; see JsonFieldReader. */
    private final Map<String, JsonFieldReader> jsonReaders = new HashMap<>();

    /**
     * The processing time of the micro-batch being evaluated, in microseconds: what {@code PROCTIME()} and
     * {@code CURRENT_TIMESTAMP} give (Spark's current_timestamp() is the micro-batch's too).
     */
    private final java.util.function.LongSupplier batchTimeMicros;

    private ExpressionCompiler(java.util.function.LongSupplier batchTimeMicros) {
        this.batchTimeMicros = batchTimeMicros;
    }

    /** The wall clock, for expressions evaluated outside a micro-batch. */
    private static long wallClockMicros() {
        return System.currentTimeMillis() * 1000;
    }

    /** Compiles one expression; the processing time is the wall clock's. */
    public static Evaluator compile(RexNode expression) {
        return compile(expression, ExpressionCompiler::wallClockMicros);
    }

    /** Compiles one expression; {@code batchTimeMicros} gives the processing time of the batch being evaluated. */
    public static Evaluator compile(RexNode expression, java.util.function.LongSupplier batchTimeMicros) {
        return new ExpressionCompiler(batchTimeMicros).expression(expression);
    }

    /** As {@link #compileAll(List, java.util.function.LongSupplier)} with the wall clock's processing time. */
    public static List<Evaluator> compileAll(List<? extends RexNode> expressions) {
        return compileAll(expressions, ExpressionCompiler::wallClockMicros);
    }

    /**
     * Compiles the expressions of one operator together, so that what they share is computed once a batch: the
     * fields {@code from_json} reads from one JSON text are parsed in one pass. {@code batchTimeMicros} gives the
     * processing time of the batch being evaluated.
     */
    public static List<Evaluator> compileAll(
            List<? extends RexNode> expressions, java.util.function.LongSupplier batchTimeMicros) {
        ExpressionCompiler compiler = new ExpressionCompiler(batchTimeMicros);
        List<Evaluator> evaluators = new ArrayList<>();
        for (RexNode expression : expressions) {
            evaluators.add(compiler.expression(expression));
        }
        return evaluators;
    }

    private Evaluator expression(RexNode expression) {
        if (expression instanceof RexInputRef input) {
            int index = input.getIndex();
            return batch -> dense(batch, batch.column(index));
        }
        if (expression instanceof RexLiteral literal) {
            return literal(literal);
        }
        if (expression instanceof RexCall call) {
            Evaluator evaluator = call(call);
            return call.getType().isNullable() ? evaluator : notNull(call, evaluator);
        }
        if (expression instanceof RexFieldAccess access) {
            return fieldAccess(access.getReferenceExpr(), access.getField().getIndex());
        }
        throw unsupported(expression);
    }

    /**
     * A field of a struct ({@code s.key}, {@code getField("key")}): the struct column's child, which is null wherever
     * the struct is. A field of an input column is taken before the batch's selection is applied, so only that field's
     * rows are gathered, not the whole struct's.
     */
    private Evaluator fieldAccess(RexNode struct, int index) {
        if (columnType(struct) != ColumnType.STRUCT) {
            throw unsupported(struct);
        }
        if (struct instanceof RexCall call && call.getOperator() == BrookOperators.JSON_STRUCT) {
            // from_json's nested object, of which only this field is read (a Flink table's computed column, say):
            // read that one path, not every field of the object. The field's path is null wherever the object is.
            RexNode value = call.getOperands().get(2 + 2 * index);
            if (columnType(value)
                    == RelTypes.field("struct", call.getType())
                            .children()
                            .get(index)
                            .type()) {
                return expression(value);
            }
        }
        Evaluator stored = pick(struct);
        if (stored != null) {
            return batch -> dense(batch, ((StructColumn) stored.evaluate(batch)).child(index));
        }
        Evaluator structs = expression(struct);
        return batch -> ((StructColumn) structs.evaluate(batch)).child(index);
    }

    /**
     * The columns that expressions pick from their input (input columns, or fields of them) as stored, the batch's
     * selection not applied, so that a projection of them can keep the selection; null when any expression computes.
     */
    public static List<Evaluator> picks(List<? extends RexNode> expressions) {
        List<Evaluator> picks = new ArrayList<>();
        for (RexNode expression : expressions) {
            Evaluator pick = pick(expression);
            if (pick == null) {
                return null;
            }
            picks.add(pick);
        }
        return picks;
    }

    /** An input column or a field of one (of one ...), as stored; null for any other expression. */
    private static Evaluator pick(RexNode expression) {
        if (expression instanceof RexInputRef input) {
            int column = input.getIndex();
            return batch -> batch.column(column);
        }
        if (expression instanceof RexFieldAccess access && columnType(access.getReferenceExpr()) == ColumnType.STRUCT) {
            Evaluator parent = pick(access.getReferenceExpr());
            int field = access.getField().getIndex();
            return parent == null ? null : batch -> ((StructColumn) parent.evaluate(batch)).child(field);
        }
        return null;
    }

    /**
     * Spark's functions give NULL for some values that are not (division by zero, text that is not a number); when
     * Calcite typed the call NOT NULL, that NULL has nowhere to go, so it fails here, naming the expression, rather
     * than later in a batch or in a rewrite that trusted the type.
     */
    private static Evaluator notNull(RexCall call, Evaluator evaluator) {
        return batch -> {
            Column column = evaluator.evaluate(batch);
            if (column.mayHaveNulls()) {
                for (int row = 0; row < column.size(); row++) {
                    if (column.isNull(row)) {
                        throw new ArithmeticException("Brook cannot evaluate " + call + " of type "
                                + call.getType().getFullTypeString() + " for row " + row
                                + ": the value is NULL (as Spark's is for division by zero or unparsable text),"
                                + " which the type does not allow; give the expression a nullable type");
                    }
                }
            }
            return column;
        };
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
        ColumnType type = columnType(literal);
        if (literal.isNull()) {
            Field field = RelTypes.field("NULL", literal.getType());
            return batch -> Columns.allNull(field, batch.rowCount());
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
            case VARBINARY -> {
                byte[] value = literal.getValueAs(ByteString.class).getBytes();
                yield batch -> {
                    VarcharColumn.Builder builder = VarcharColumn.builder(ColumnType.VARBINARY, batch.rowCount());
                    for (int i = 0; i < batch.rowCount(); i++) {
                        builder.appendUtf8(value);
                    }
                    return builder.build();
                };
            }
            // Calcite makes array values with a constructor call, never as a literal.
            case ARRAY, STRUCT -> throw unsupported(literal);
        };
    }

    private Evaluator call(RexCall call) {
        SqlOperator operator = call.getOperator();
        ColumnType result = columnType(call);
        if (operator instanceof UserFunction function) {
            return UserFunctionCall.compile(function, call, operands(call));
        }
        if (BrookOperators.ALL.contains(operator) || operator == BrookOperators.JSON_STRUCT) {
            return brookCall(call);
        }
        SqlKind kind = call.getKind();
        return switch (kind) {
            case PLUS, MINUS -> hasIntervalOperand(call) ? plusInterval(call) : arithmetic(call);
            case TIMES, DIVIDE, MOD -> arithmetic(call);
            case MINUS_PREFIX -> Arithmetic.unary(Arithmetic.Unary.NEGATE, result, operand(call, 0));
            case PLUS_PREFIX -> operand(call, 0);
            case FLOOR, CEIL -> floorCeil(call);
            case EQUALS, NOT_EQUALS, LESS_THAN, LESS_THAN_OR_EQUAL, GREATER_THAN, GREATER_THAN_OR_EQUAL -> {
                throwIfComparesArrays(call);
                yield Comparisons.of(kind, operand(call, 0), operand(call, 1));
            }
            case IS_DISTINCT_FROM, IS_NOT_DISTINCT_FROM -> {
                throwIfComparesArrays(call);
                yield Comparisons.distinct(kind == SqlKind.IS_DISTINCT_FROM, operand(call, 0), operand(call, 1));
            }
            case AND, OR -> Logic.andOr(kind == SqlKind.AND, operands(call));
            case NOT -> Logic.not(operand(call, 0));
            case IS_NULL, IS_UNKNOWN, IS_NOT_NULL -> Logic.isNull(kind != SqlKind.IS_NOT_NULL, operand(call, 0));
            case IS_TRUE, IS_FALSE, IS_NOT_TRUE, IS_NOT_FALSE -> Conditionals.is(kind, operand(call, 0));
            case CASE, IF -> Conditionals.caseWhen(result, operands(call));
            case COALESCE, NVL -> Conditionals.coalesce(result, operands(call));
            case NULLIF -> {
                throwIfComparesArrays(call);
                yield Conditionals.nullIf(result, operand(call, 0), operand(call, 1));
            }
            case ITEM -> item(call);
            case SEARCH -> expression(RexUtil.expandSearch(REX_BUILDER, null, call));
            case BETWEEN -> between(call);
            case CAST, SAFE_CAST -> cast(call);
            case CHAR_LENGTH -> StringFunctions.charLength(result, operand(call, 0));
            case TRIM -> trim(call);
            case LTRIM, RTRIM ->
                StringFunctions.trim(kind == SqlKind.LTRIM, kind == SqlKind.RTRIM, SPACE, operand(call, 0));
            case POSITION -> position(call);
            case LIKE -> like(call);
            case RLIKE ->
                Patterns.rlike(
                        operand(call, 0),
                        operand(call, 1),
                        literalString(call, 1),
                        operator instanceof SqlLikeOperator like && like.isNegated());
            case STARTS_WITH, ENDS_WITH ->
                StringFunctions.affix(kind == SqlKind.STARTS_WITH, operand(call, 0), operand(call, 1));
            case EXTRACT -> extract(call);
            case OTHER, OTHER_FUNCTION -> namedCall(call);
            default -> throw unsupported(call);
        };
    }

    /** The batch's processing time in every row, as a TIMESTAMP or as its (UTC) DATE. */
    private Evaluator batchTime(ColumnType type) {
        return batch -> {
            long micros = batchTimeMicros.getAsLong();
            if (type == ColumnType.DATE) {
                int[] days = new int[batch.rowCount()];
                java.util.Arrays.fill(days, (int) Math.floorDiv(micros, CivilTime.MICROS_PER_DAY));
                return IntColumn.of(ColumnType.DATE, days);
            }
            long[] values = new long[batch.rowCount()];
            java.util.Arrays.fill(values, micros);
            return LongColumn.of(ColumnType.TIMESTAMP, values);
        };
    }

    /** Calls Calcite gives no kind of their own, by operator name. */
    private Evaluator namedCall(RexCall call) {
        ColumnType result = columnType(call);
        int count = call.getOperands().size();
        return switch (call.getOperator().getName()) {
            case "CURRENT_TIMESTAMP", "LOCALTIMESTAMP" -> batchTime(ColumnType.TIMESTAMP);
            case "CURRENT_DATE" -> batchTime(ColumnType.DATE);
            case "ABS" -> Arithmetic.unary(Arithmetic.Unary.ABS, result, operand(call, 0));
            case "ROUND" -> Arithmetic.round(result, operand(call, 0), count > 1 ? operand(call, 1) : null);
            case "LOWER" -> StringFunctions.changeCase(false, operand(call, 0));
            case "UPPER" -> StringFunctions.changeCase(true, operand(call, 0));
            case "INITCAP" -> StringFunctions.map(operand(call, 0), StringFunctions::initCap);
            case "SUBSTRING" ->
                StringFunctions.substring(operand(call, 0), operand(call, 1), count > 2 ? operand(call, 2) : null);
            case "REPLACE" -> StringFunctions.replace(operand(call, 0), operand(call, 1), operand(call, 2));
            case "||", "CONCAT" -> StringFunctions.concat(operands(call));
            case "REGEXP_REPLACE" -> {
                if (count != 3) {
                    throw unsupported(call);
                }
                yield Patterns.regexpReplace(
                        operand(call, 0), operand(call, 1), literalString(call, 1), operand(call, 2));
            }
            default -> throw unsupported(call);
        };
    }

    private Evaluator brookCall(RexCall call) {
        SqlOperator operator = call.getOperator();
        int count = call.getOperands().size();
        if (operator == BrookOperators.TO_JSON) {
            List<String> names = new ArrayList<>();
            List<Evaluator> values = new ArrayList<>();
            for (int i = 0; i + 1 < count; i += 2) {
                String name = literalString(call, i);
                if (name == null) {
                    throw new IllegalArgumentException("to_json needs constant field names; got " + call);
                }
                names.add(name);
                values.add(operand(call, i + 1));
            }
            return JsonFunctions.toJson(names, values);
        }
        if (operator == BrookOperators.JSON_STRUCT) {
            List<Evaluator> values = new ArrayList<>();
            for (int i = 2; i < count; i += 2) {
                values.add(operand(call, i));
            }
            // The object itself is only tested for null: read whether it is there, not its text.
            RexNode object = call.getOperands().get(0);
            Evaluator present = object instanceof RexCall objectCall
                            && objectCall.getOperator() == BrookOperators.GET_JSON_OBJECT
                            && literalString(objectCall, 1) != null
                    ? jsonReader(objectCall.getOperands().get(0)).presence(literalString(objectCall, 1))
                    : operand(call, 0);
            return JsonFunctions.struct(RelTypes.field("struct", call.getType()).children(), present, values);
        }
        if (operator == BrookOperators.GET_JSON_OBJECT) {
            String path = literalString(call, 1);
            if (path == null) {
                throw new IllegalArgumentException("get_json_object needs a constant path; got " + call);
            }
            return jsonReader(call.getOperands().get(0)).field(path);
        }
        if (operator == BrookOperators.REGEXP_EXTRACT) {
            return Patterns.regexpExtract(
                    operand(call, 0), operand(call, 1), literalString(call, 1), count > 2 ? operand(call, 2) : null);
        }
        if (operator == BrookOperators.DATE_TRUNC) {
            return DateTimeFunctions.dateTrunc(operand(call, 0), literalString(call, 0), operand(call, 1));
        }
        if (operator == BrookOperators.TO_TIMESTAMP) {
            return DateTimeFunctions.toTimestamp(
                    operand(call, 0), count > 1 ? operand(call, 1) : null, count > 1 ? literalString(call, 1) : null);
        }
        if (operator == BrookOperators.PROCTIME || operator == BrookOperators.NOW) {
            return batchTime(ColumnType.TIMESTAMP);
        }
        if (operator == BrookOperators.DATE_FORMAT) {
            return DateTimeFunctions.dateFormat(operand(call, 0), operand(call, 1), literalString(call, 1));
        }
        if (operator == BrookOperators.DATE_ADD || operator == BrookOperators.DATE_SUB) {
            return DateTimeFunctions.dateAdd(
                    operand(call, 0), operand(call, 1), operator == BrookOperators.DATE_ADD ? 1 : -1);
        }
        if (operator == BrookOperators.DATEDIFF) {
            return DateTimeFunctions.dateDiff(operand(call, 0), operand(call, 1));
        }
        if (operator == BrookOperators.SPLIT) {
            return Patterns.split(
                    operand(call, 0), operand(call, 1), literalString(call, 1), count > 2 ? operand(call, 2) : null);
        }
        if (operator == BrookOperators.SPLIT_INDEX) {
            return StringFunctions.splitIndex(operand(call, 0), operand(call, 1), operand(call, 2));
        }
        if (operator == BrookOperators.SIZE) {
            return ArrayFunctions.size(operand(call, 0));
        }
        if (operator == BrookOperators.ELEMENT_AT) {
            if (call.getOperands().get(1) instanceof RexLiteral index
                    && !index.isNull()
                    && index.getValueAs(Long.class) == 0) {
                throw BrookOperators.elementAtIndexZero();
            }
            return ArrayFunctions.elementAt(operand(call, 0), operand(call, 1));
        }
        if (operator == BrookOperators.ARRAY_CONTAINS) {
            return arrayContains(call);
        }
        throw unsupported(call);
    }

    /** {@code array[index]} (Calcite's ITEM), 0-based as Spark's: {@code getItem(0)} is the first element. */
    private Evaluator item(RexCall call) {
        RexNode array = call.getOperands().get(0);
        if (columnType(array) == ColumnType.STRUCT
                && call.getOperands().get(1) instanceof RexLiteral name
                && name.getValueAs(String.class) != null) {
            // s['key'] on a struct is its field, as Spark's.
            RelDataTypeField field = array.getType().getField(name.getValueAs(String.class), false, false);
            if (field == null) {
                throw unsupported(call);
            }
            return fieldAccess(array, field.getIndex());
        }
        if (columnType(array) != ColumnType.ARRAY
                || !ColumnTypes.isNumeric(columnType(call.getOperands().get(1)))) {
            throw unsupported(call);
        }
        return ArrayFunctions.item(expression(array), operand(call, 1));
    }

    private Evaluator arrayContains(RexCall call) {
        RexNode array = call.getOperands().get(0);
        RexNode value = call.getOperands().get(1);
        ColumnType elementType = RelTypes.elementType("array_contains", array.getType());
        ColumnType valueType = columnType(value);
        if (elementType == ColumnType.STRUCT) {
            throw new BrookException(
                    ErrorCode.UNSUPPORTED_OPERATION,
                    "array_contains cannot look for a value among struct elements in " + call
                            + ": Brook does not compare structs yet; compare a field of element_at(...) instead");
        }
        if (!ArrayFunctions.canCompare(elementType, valueType)) {
            throw new BrookException(
                    ErrorCode.TYPE_MISMATCH,
                    "array_contains cannot look for a " + valueType + " value among " + elementType + " elements in "
                            + call + "; cast the value to " + elementType);
        }
        return ArrayFunctions.arrayContains(expression(array), expression(value));
    }

    /** Arrays have no order and no equality in Brook yet: refused when the plan is built, naming the expression. */
    private static void throwIfComparesArrays(RexCall call) {
        for (RexNode operand : call.getOperands()) {
            if (operand.getType().isStruct()) {
                throw new BrookException(
                        ErrorCode.UNSUPPORTED_OPERATION,
                        "cannot compare structs in " + call + " ("
                                + operand.getType().getFullTypeString()
                                + "): Brook does not compare structs yet; compare their fields instead");
            }
            if (operand.getType().getSqlTypeName() == SqlTypeName.ARRAY) {
                throw new BrookException(
                        ErrorCode.UNSUPPORTED_OPERATION,
                        "cannot compare arrays in " + call + " ("
                                + operand.getType().getFullTypeString()
                                + "): Brook does not compare arrays yet; compare their size(...) or elements"
                                + " (element_at, array_contains) instead");
            }
        }
    }

    private Evaluator arithmetic(RexCall call) {
        ColumnType result = columnType(call);
        if (!ColumnTypes.isNumeric(result) || call.getOperands().size() != 2) {
            throw unsupported(call);
        }
        Evaluator evaluator = Arithmetic.of(call.getKind(), result, operand(call, 0), operand(call, 1));
        return exactDecimal(call) ? Arithmetic.toScale(evaluator, call.getType().getScale()) : evaluator;
    }

    /**
     * Whether a DECIMAL sum, difference or product of exact operands (DECIMAL or integers) has an exact value within
     * its type's scale, as Flink computes it ({@code 0.908 * price} is DECIMAL(22, 3)): the DOUBLE that Brook computes
     * is then rounded to that scale, to the double nearest the exact decimal.
     */
    private static boolean exactDecimal(RexCall call) {
        SqlKind kind = call.getKind();
        if (call.getType().getSqlTypeName() != SqlTypeName.DECIMAL
                || (kind != SqlKind.PLUS && kind != SqlKind.MINUS && kind != SqlKind.TIMES)) {
            return false;
        }
        for (RexNode operand : call.getOperands()) {
            if (!SqlTypeName.EXACT_TYPES.contains(operand.getType().getSqlTypeName())) {
                return false;
            }
        }
        return true;
    }

    private static boolean hasIntervalOperand(RexCall call) {
        for (RexNode operand : call.getOperands()) {
            if (SqlTypeName.INTERVAL_TYPES.contains(operand.getType().getSqlTypeName())) {
                return true;
            }
        }
        return false;
    }

    /** DATE or TIMESTAMP plus or minus an interval literal (or an interval literal plus a datetime). */
    private Evaluator plusInterval(RexCall call) {
        ColumnType result = columnType(call);
        int interval = SqlTypeName.INTERVAL_TYPES.contains(
                        call.getOperands().get(0).getType().getSqlTypeName())
                ? 0
                : 1;
        RexNode datetime = call.getOperands().get(1 - interval);
        boolean subtract = call.getKind() == SqlKind.MINUS;
        if (!(call.getOperands().get(interval) instanceof RexLiteral literal)
                || literal.isNull()
                || (subtract && interval == 0)
                || (result != ColumnType.DATE && result != ColumnType.TIMESTAMP)) {
            throw unsupported(call);
        }
        ColumnType datetimeType = columnType(datetime);
        if (datetimeType != ColumnType.DATE && datetimeType != ColumnType.TIMESTAMP) {
            throw unsupported(call);
        }
        boolean months = literal.getType().getSqlTypeName().getFamily() == SqlTypeFamily.INTERVAL_YEAR_MONTH;
        long amount = literal.getValueAs(Long.class);
        return DateTimeFunctions.plusInterval(result, expression(datetime), amount, months, subtract ? -1 : 1);
    }

    private Evaluator floorCeil(RexCall call) {
        ColumnType result = columnType(call);
        boolean ceil = call.getKind() == SqlKind.CEIL;
        if (call.getOperands().size() == 1) {
            if (!ColumnTypes.isNumeric(result)) {
                throw unsupported(call);
            }
            return Arithmetic.unary(ceil ? Arithmetic.Unary.CEIL : Arithmetic.Unary.FLOOR, result, operand(call, 0));
        }
        DateTimeFunctions.Unit unit = call.getOperands().get(1) instanceof RexLiteral literal
                        && literal.getValue() instanceof TimeUnitRange range
                ? DateTimeFunctions.Unit.ofCalcite(range)
                : null;
        if (unit == null || (result != ColumnType.DATE && result != ColumnType.TIMESTAMP)) {
            throw unsupported(call);
        }
        return DateTimeFunctions.floorCeil(unit, ceil, result, operand(call, 0));
    }

    private Evaluator extract(RexCall call) {
        ColumnType result = columnType(call);
        TimeUnitRange unit = call.getOperands().get(0) instanceof RexLiteral literal
                        && literal.getValue() instanceof TimeUnitRange range
                ? range
                : null;
        ColumnType from = columnType(call.getOperands().get(1));
        if (unit == null
                || !DateTimeFunctions.canExtract(unit)
                || !ColumnTypes.isNumeric(result)
                || (from != ColumnType.DATE && from != ColumnType.TIMESTAMP)) {
            throw unsupported(call);
        }
        return DateTimeFunctions.extract(unit, result, operand(call, 1));
    }

    /** [NOT] BETWEEN ASYMMETRIC as the comparisons it stands for. */
    private Evaluator between(RexCall call) {
        SqlBetweenOperator between = (SqlBetweenOperator) call.getOperator();
        if (between.flag != SqlBetweenOperator.Flag.ASYMMETRIC) {
            throw unsupported(call);
        }
        RexNode value = call.getOperands().get(0);
        RexNode range = REX_BUILDER.makeCall(
                SqlStdOperatorTable.AND,
                REX_BUILDER.makeCall(
                        SqlStdOperatorTable.GREATER_THAN_OR_EQUAL,
                        value,
                        call.getOperands().get(1)),
                REX_BUILDER.makeCall(
                        SqlStdOperatorTable.LESS_THAN_OR_EQUAL,
                        value,
                        call.getOperands().get(2)));
        return expression(between.isNegated() ? REX_BUILDER.makeCall(SqlStdOperatorTable.NOT, range) : range);
    }

    private Evaluator cast(RexCall call) {
        RexNode source = call.getOperands().get(0);
        if (!columnType(source).isScalar() || !columnType(call).isScalar()) {
            return castArray(call, source);
        }
        if (!Casts.supports(columnType(source), columnType(call))) {
            throw unsupported(call);
        }
        if (source instanceof RexCall json
                && json.getOperator() == BrookOperators.GET_JSON_OBJECT
                && literalString(json, 1) != null
                && call.getType().getSqlTypeName() != SqlTypeName.DECIMAL
                && JsonFieldSlot.readsTyped(columnType(call))) {
            // from_json's typed fields: read the value from its token, not as text that is then parsed.
            return jsonReader(json.getOperands().get(0)).typed(literalString(json, 1), columnType(call));
        }
        return Casts.of(source.getType(), call.getType(), expression(source));
    }

    /** Only a cast that changes nothing but nullability (which Calcite adds itself) is allowed on arrays. */
    private Evaluator castArray(RexCall call, RexNode source) {
        boolean sameType = RelTypes.field("cast", source.getType()).sameType(RelTypes.field("cast", call.getType()));
        if (!sameType) {
            boolean struct = columnType(source) == ColumnType.STRUCT || columnType(call) == ColumnType.STRUCT;
            throw new BrookException(
                    ErrorCode.UNSUPPORTED_OPERATION,
                    "cannot cast " + source + " of type " + source.getType().getFullTypeString() + " to "
                            + call.getType().getFullTypeString()
                            + (struct
                                    ? ": Brook does not cast structs yet; read their fields with getField(...) or"
                                            + " s.field and cast those"
                                    : ": Brook does not cast arrays yet; convert their elements with element_at(...)"
                                            + " or getItem(...) and cast those"));
        }
        return expression(source);
    }

    /** TRIM(flag, characters, string): Calcite's operands, the flag a literal. */
    private Evaluator trim(RexCall call) {
        if (!(call.getOperands().get(0) instanceof RexLiteral flagLiteral)
                || !(flagLiteral.getValue() instanceof SqlTrimFunction.Flag flag)) {
            throw unsupported(call);
        }
        return StringFunctions.trim(
                flag != SqlTrimFunction.Flag.TRAILING,
                flag != SqlTrimFunction.Flag.LEADING,
                operand(call, 1),
                operand(call, 2));
    }

    /** POSITION(search IN string [FROM start]), and INSTR(string, search) whose operands come the other way round. */
    private Evaluator position(RexCall call) {
        ColumnType result = columnType(call);
        if (call.getOperator().getName().equals("INSTR")) {
            if (call.getOperands().size() != 2) {
                throw unsupported(call);
            }
            return StringFunctions.position(result, operand(call, 1), operand(call, 0), null);
        }
        return StringFunctions.position(
                result, operand(call, 0), operand(call, 1), call.getOperands().size() > 2 ? operand(call, 2) : null);
    }

    private Evaluator like(RexCall call) {
        if (!(call.getOperator() instanceof SqlLikeOperator like)) {
            throw unsupported(call);
        }
        Character escape = null;
        if (call.getOperands().size() > 2) {
            String text = literalString(call, 2);
            if (text == null || text.length() != 1) {
                throw unsupported(call);
            }
            escape = text.charAt(0);
        }
        return Patterns.like(
                operand(call, 0),
                operand(call, 1),
                literalString(call, 1),
                escape,
                like.isCaseSensitive(),
                like.isNegated());
    }

    private Evaluator operand(RexCall call, int index) {
        return expression(call.getOperands().get(index));
    }

    private List<Evaluator> operands(RexCall call) {
        List<Evaluator> operands = new ArrayList<>();
        for (RexNode operand : call.getOperands()) {
            operands.add(expression(operand));
        }
        return operands;
    }

    /** The text of a string literal operand, or null when the operand is not one (or is NULL). */
    private static String literalString(RexCall call, int index) {
        if (call.getOperands().get(index) instanceof RexLiteral literal
                && !literal.isNull()
                && literal.getValue() instanceof NlsString text) {
            return text.getValue();
        }
        return null;
    }

    /** The column type of an expression, or the expression refused when batches cannot hold its type. */
    private static ColumnType columnType(RexNode expression) {
        try {
            return ColumnTypes.of(expression.getType());
        } catch (IllegalArgumentException e) {
            UnsupportedOperationException refused = unsupported(expression);
            refused.initCause(e);
            throw refused;
        }
    }

    static UnsupportedOperationException unsupported(RexNode expression) {
        return new UnsupportedOperationException(
                "Brook cannot evaluate " + expression + " of type " + expression.getType() + " yet");
    }
}
