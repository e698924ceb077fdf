package io.brook.engine.exec;

import io.brook.engine.BrookException;
import io.brook.engine.ErrorCode;
import io.brook.engine.batch.Batch;
import io.brook.engine.batch.BooleanColumn;
import io.brook.engine.batch.Column;
import io.brook.engine.batch.ColumnBuilder;
import io.brook.engine.batch.ColumnType;
import io.brook.engine.batch.DoubleColumn;
import io.brook.engine.batch.IntColumn;
import io.brook.engine.batch.LongColumn;
import io.brook.engine.batch.VarcharColumn;
import java.lang.invoke.MethodHandle;
import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * A call of a {@link UserFunction} over batches: per row, the arguments are read as the Java values of the parameters
 * and the method is called through its handle, results of primitive types going into their column unboxed. A NULL
 * argument of a primitive parameter gives NULL without a call. Each thread that evaluates it calls its own instance of
 * a class's function (created on the thread's first batch), so the evaluator may be shared as others are.
 */
final class UserFunctionCall implements Evaluator {
    /** Reads a non-null value of an argument's column as the parameter's Java value. */
    @FunctionalInterface
    private interface Reader {
        Object read(Column column, int row);
    }

    private final UserFunction function;
    private final UserFunction.Signature signature;
    private final List<Evaluator> operands;
    private final Reader[] readers;
    private final boolean[] primitive;
    private final Class<?> varargsType;
    private final ColumnType result;
    private final MethodHandle handle;
    private final ThreadLocal<Object> instances;

    private UserFunctionCall(
            UserFunction function,
            UserFunction.Signature signature,
            List<RexNode> arguments,
            List<Evaluator> operands,
            ColumnType result) {
        this.function = function;
        this.signature = signature;
        this.operands = List.copyOf(operands);
        this.readers = new Reader[arguments.size()];
        this.primitive = new boolean[arguments.size()];
        for (int i = 0; i < arguments.size(); i++) {
            UserFunction.Parameter parameter = signature.parameter(i);
            readers[i] = reader(parameter.type(), arguments.get(i).getType());
            primitive[i] = parameter.primitive();
        }
        List<UserFunction.Parameter> parameters = signature.parameters();
        this.varargsType =
                signature.varargs() ? parameters.get(parameters.size() - 1).javaClass() : null;
        this.handle = signature.handle();
        this.instances = ThreadLocal.withInitial(function::instance);
        this.result = result;
    }

    /** The call's evaluator, for the form that matches its arguments' types. */
    static Evaluator compile(UserFunction function, RexCall call, List<Evaluator> operands) {
        List<SqlTypeName> types = new ArrayList<>();
        call.getOperands().forEach(operand -> types.add(operand.getType().getSqlTypeName()));
        UserFunction.Signature signature = function.match(types);
        if (signature == null) {
            throw new BrookException(
                    ErrorCode.TYPE_MISMATCH,
                    "cannot call " + function.getName() + " with arguments of types " + types + "; it takes "
                            + String.join(" or ", function.describeSignatures()));
        }
        return new UserFunctionCall(function, signature, call.getOperands(), operands, ColumnTypes.of(call.getType()));
    }

    @Override
    public Column evaluate(Batch batch) {
        int rows = batch.rowCount();
        Column[] columns = new Column[operands.size()];
        for (int i = 0; i < columns.length; i++) {
            columns[i] = operands.get(i).evaluate(batch);
        }
        Object instance = instances.get();
        Object[] arguments = new Object[signature.parameters().size()];
        Class<?> returned = handle.type().returnType();
        int row = 0;
        try {
            if (returned == long.class && result == ColumnType.BIGINT) {
                LongColumn.Builder out = LongColumn.builder(ColumnType.BIGINT, rows);
                for (; row < rows; row++) {
                    if (bind(columns, row, arguments)) {
                        out.append((long) handle.invokeExact(instance, arguments));
                    } else {
                        out.appendNull();
                    }
                }
                return out.build();
            }
            if (returned == long.class) {
                IntColumn.Builder out = IntColumn.builder(ColumnType.INT, rows);
                for (; row < rows; row++) {
                    if (bind(columns, row, arguments)) {
                        out.append((int) (long) handle.invokeExact(instance, arguments));
                    } else {
                        out.appendNull();
                    }
                }
                return out.build();
            }
            if (returned == double.class) {
                DoubleColumn.Builder out = DoubleColumn.builder(ColumnType.DOUBLE, rows);
                for (; row < rows; row++) {
                    if (bind(columns, row, arguments)) {
                        out.append((double) handle.invokeExact(instance, arguments));
                    } else {
                        out.appendNull();
                    }
                }
                return out.build();
            }
            if (returned == boolean.class) {
                BooleanColumn.Builder out = BooleanColumn.builder(ColumnType.BOOLEAN, rows);
                for (; row < rows; row++) {
                    if (bind(columns, row, arguments)) {
                        out.append((boolean) handle.invokeExact(instance, arguments));
                    } else {
                        out.appendNull();
                    }
                }
                return out.build();
            }
            ColumnBuilder out = new ColumnBuilder(result, rows);
            for (; row < rows; row++) {
                Object value = bind(columns, row, arguments) ? (Object) handle.invokeExact(instance, arguments) : null;
                append(out, value);
            }
            return out.build();
        } catch (BrookException e) {
            throw e;
        } catch (Throwable e) {
            if (e instanceof VirtualMachineError error) {
                throw error;
            }
            throw failure(columns, row, e);
        }
    }

    /** Reads the row's arguments; false when a NULL goes to a primitive parameter (the result is NULL). */
    private boolean bind(Column[] columns, int row, Object[] arguments) {
        int fixed = varargsType == null ? columns.length : arguments.length - 1;
        for (int i = 0; i < fixed; i++) {
            Column column = columns[i];
            if (column.isNull(row)) {
                if (primitive[i]) {
                    return false;
                }
                arguments[i] = null;
            } else {
                arguments[i] = readers[i].read(column, row);
            }
        }
        if (varargsType != null) {
            Object rest = Array.newInstance(varargsType, columns.length - fixed);
            for (int i = fixed; i < columns.length; i++) {
                Column column = columns[i];
                if (column.isNull(row)) {
                    if (primitive[i]) {
                        return false;
                    }
                } else {
                    Array.set(rest, i - fixed, readers[i].read(column, row));
                }
            }
            arguments[fixed] = rest;
        }
        return true;
    }

    /** A result of a reference type (or a function object's) into its column, as the declared type. */
    private void append(ColumnBuilder out, Object value) {
        if (value == null) {
            out.appendNull();
            return;
        }
        try {
            switch (signature.result().type()) {
                case STRING -> out.appendString(value.toString());
                case LONG, INT -> out.appendLong(((Number) value).longValue());
                case DOUBLE, FLOAT, DECIMAL -> out.appendDouble(((Number) value).doubleValue());
                case BOOLEAN -> out.appendBoolean((Boolean) value);
                case DATE -> out.appendLong(((LocalDate) value).toEpochDay());
                case LOCAL_DATE_TIME, INSTANT -> out.appendLong(micros(value));
                case BYTES -> out.appendBytes((byte[]) value);
                case ANY -> throw new IllegalStateException("a result has a declared type");
            }
        } catch (ClassCastException e) {
            throw new BrookException(
                    ErrorCode.TYPE_MISMATCH,
                    "function " + function.getName() + " returned " + value + " (a "
                            + value.getClass().getName() + "), which is not a " + result + " value",
                    e);
        }
    }

    private static long micros(Object value) {
        Instant instant = value instanceof LocalDateTime time ? time.toInstant(ZoneOffset.UTC) : (Instant) value;
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1000);
    }

    private BrookException failure(Column[] columns, int row, Throwable cause) {
        List<String> values = new ArrayList<>();
        for (Column column : columns) {
            Object value = column.value(row);
            values.add(value instanceof String text ? "'" + text + "'" : String.valueOf(value));
        }
        return new BrookException(
                ErrorCode.QUERY_FAILED,
                "function " + function.getName() + " (" + function.origin() + ") failed on arguments ("
                        + String.join(", ", values) + "): " + cause,
                cause);
    }

    private static Reader reader(UserFunction.JavaType type, RelDataType argument) {
        SqlTypeName sqlType = argument.getSqlTypeName();
        return switch (type) {
            case STRING -> (column, row) -> ((VarcharColumn) column).getString(row);
            case LONG -> ColumnTypes::longAt;
            case INT -> (column, row) -> (int) ColumnTypes.longAt(column, row);
            case DOUBLE -> ColumnTypes::doubleAt;
            case FLOAT -> (column, row) -> (float) ColumnTypes.doubleAt(column, row);
            case DECIMAL -> {
                if (sqlType == SqlTypeName.DECIMAL) {
                    // Held as DOUBLE: the decimal with the type's scale, as an exact decimal would have.
                    int scale = argument.getScale();
                    yield (column, row) -> BigDecimal.valueOf(ColumnTypes.doubleAt(column, row))
                            .setScale(scale, RoundingMode.HALF_UP);
                }
                yield (column, row) -> BigDecimal.valueOf(ColumnTypes.longAt(column, row));
            }
            case BOOLEAN -> (column, row) -> ((BooleanColumn) column).getBoolean(row);
            case DATE -> (column, row) -> LocalDate.ofEpochDay(((IntColumn) column).getInt(row));
            case LOCAL_DATE_TIME ->
                (column, row) -> {
                    long micros = ((LongColumn) column).getLong(row);
                    return LocalDateTime.ofEpochSecond(
                            Math.floorDiv(micros, 1_000_000L),
                            (int) Math.floorMod(micros, 1_000_000L) * 1000,
                            ZoneOffset.UTC);
                };
            case INSTANT ->
                (column, row) -> {
                    long micros = ((LongColumn) column).getLong(row);
                    return Instant.ofEpochSecond(
                            Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
                };
            case BYTES -> (column, row) -> ((VarcharColumn) column).getBytes(row);
            case ANY -> {
                UserFunction.JavaType natural = UserFunction.JavaType.natural(sqlType);
                if (natural == null) {
                    throw new BrookException(
                            ErrorCode.TYPE_MISMATCH,
                            "a user-defined function cannot take a value of type " + argument.getFullTypeString());
                }
                yield reader(natural, argument);
            }
        };
    }
}
