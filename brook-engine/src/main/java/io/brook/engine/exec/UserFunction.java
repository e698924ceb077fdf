package io.brook.engine.exec;

import static java.util.Objects.requireNonNull;

import io.brook.engine.BrookException;
import io.brook.engine.ErrorCode;
import io.brook.engine.batch.ColumnType;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.sql.SqlCallBinding;
import org.apache.calcite.sql.SqlFunction;
import org.apache.calcite.sql.SqlFunctionCategory;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlOperandCountRange;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlOperatorBinding;
import org.apache.calcite.sql.type.SqlOperandCountRanges;
import org.apache.calcite.sql.type.SqlOperandTypeChecker;
import org.apache.calcite.sql.type.SqlOperandTypeInference;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * A user-defined scalar function, as Flink and Spark users write them, and the Calcite operator that calls it. A
 * function class ({@link #ofClass}) is public, has a public constructor without arguments and one or more public
 * {@code eval} methods (overloads and varargs allowed; a class with none may implement Brook's {@code UDF1}... and
 * have {@code call} methods instead), whose Java types give the SQL types: String VARCHAR, long BIGINT, int INT,
 * double DOUBLE, float REAL, boolean BOOLEAN, BigDecimal DECIMAL, LocalDate DATE, LocalDateTime and Instant TIMESTAMP,
 * byte[] VARBINARY. A NULL argument of a primitive parameter makes the result NULL without a call. A function object
 * ({@link #ofObject}, the Dataset API's lambdas) takes any scalar arguments as their Java values and declares its
 * result type.
 *
 * <p>Instances: a class's function gets one instance per compiled expression and thread, as a UDF need not be
 * thread-safe (batches of one query are pushed on several threads); a function object is shared, and must be
 * thread-safe, as Spark's are. Immutable; validation and typing are Calcite's, evaluation is {@link UserFunctionCall}.
 */
public final class UserFunction extends SqlFunction {
    /** The Java types a function may take and return, with the SQL type each stands for. */
    public enum JavaType {
        STRING(String.class, null, SqlTypeName.VARCHAR),
        LONG(Long.class, long.class, SqlTypeName.BIGINT),
        INT(Integer.class, int.class, SqlTypeName.INTEGER),
        DOUBLE(Double.class, double.class, SqlTypeName.DOUBLE),
        FLOAT(Float.class, float.class, SqlTypeName.REAL),
        BOOLEAN(Boolean.class, boolean.class, SqlTypeName.BOOLEAN),
        DECIMAL(BigDecimal.class, null, SqlTypeName.DECIMAL),
        DATE(LocalDate.class, null, SqlTypeName.DATE),
        LOCAL_DATE_TIME(LocalDateTime.class, null, SqlTypeName.TIMESTAMP),
        INSTANT(Instant.class, null, SqlTypeName.TIMESTAMP),
        BYTES(byte[].class, null, SqlTypeName.VARBINARY),
        /** A function object's parameter: any scalar value, as the Java value of its SQL type. */
        ANY(Object.class, null, SqlTypeName.ANY);

        private final Class<?> boxed;
        private final Class<?> primitive;
        private final SqlTypeName sqlType;

        JavaType(Class<?> boxed, Class<?> primitive, SqlTypeName sqlType) {
            this.boxed = boxed;
            this.primitive = primitive;
            this.sqlType = sqlType;
        }

        SqlTypeName sqlType() {
            return sqlType;
        }

        /** The Java type of a parameter or result class, or null when Brook cannot pass it. */
        static JavaType of(Class<?> type) {
            for (JavaType candidate : values()) {
                if (candidate != ANY && (candidate.boxed == type || candidate.primitive == type)) {
                    return candidate;
                }
            }
            return null;
        }

        /** The Java type of a function object's result, declared as a column type. */
        static JavaType of(ColumnType type) {
            return switch (type) {
                case BOOLEAN -> BOOLEAN;
                case INT -> INT;
                case BIGINT -> LONG;
                case DOUBLE -> DOUBLE;
                case VARCHAR -> STRING;
                case VARBINARY -> BYTES;
                case DATE -> DATE;
                case TIMESTAMP -> INSTANT;
                case ARRAY, STRUCT ->
                    throw new BrookException(
                            ErrorCode.UNSUPPORTED_OPERATION,
                            "a user-defined function returns a scalar type (BOOLEAN, INT, BIGINT, DOUBLE, VARCHAR,"
                                    + " VARBINARY, DATE or TIMESTAMP); got " + type);
            };
        }

        /** The Java type a function object gets for a value of this SQL type. */
        static JavaType natural(SqlTypeName type) {
            return switch (type) {
                case CHAR, VARCHAR -> STRING;
                case TINYINT, SMALLINT, INTEGER -> INT;
                case BIGINT -> LONG;
                case FLOAT, REAL -> FLOAT;
                case DOUBLE -> DOUBLE;
                case DECIMAL -> DECIMAL;
                case BOOLEAN -> BOOLEAN;
                case DATE -> DATE;
                case TIMESTAMP, TIMESTAMP_WITH_LOCAL_TIME_ZONE -> INSTANT;
                case BINARY, VARBINARY -> BYTES;
                default -> null;
            };
        }

        /**
         * How far an argument of this SQL type is from this parameter type: 0 for the same type, more for a widening
         * (an INT for a BIGINT, a BIGINT for a DOUBLE), -1 when it cannot be passed.
         */
        int distance(SqlTypeName argument) {
            if (argument == SqlTypeName.NULL) {
                return 0;
            }
            boolean integer = argument == SqlTypeName.TINYINT
                    || argument == SqlTypeName.SMALLINT
                    || argument == SqlTypeName.INTEGER
                    || argument == SqlTypeName.BIGINT;
            return switch (this) {
                case STRING -> argument == SqlTypeName.CHAR || argument == SqlTypeName.VARCHAR ? 0 : -1;
                case LONG -> argument == SqlTypeName.BIGINT ? 0 : integer ? 1 : -1;
                case INT ->
                    argument == SqlTypeName.INTEGER
                            ? 0
                            : argument == SqlTypeName.TINYINT || argument == SqlTypeName.SMALLINT ? 1 : -1;
                case DOUBLE ->
                    argument == SqlTypeName.DOUBLE
                            ? 0
                            : argument == SqlTypeName.FLOAT || argument == SqlTypeName.REAL
                                    ? 1
                                    : argument == SqlTypeName.DECIMAL ? 2 : integer ? 3 : -1;
                case FLOAT ->
                    argument == SqlTypeName.REAL || argument == SqlTypeName.FLOAT
                            ? 0
                            : argument == SqlTypeName.DECIMAL ? 2 : integer ? 3 : -1;
                case DECIMAL -> argument == SqlTypeName.DECIMAL ? 0 : integer ? 1 : -1;
                case BOOLEAN -> argument == SqlTypeName.BOOLEAN ? 0 : -1;
                case DATE -> argument == SqlTypeName.DATE ? 0 : -1;
                case LOCAL_DATE_TIME, INSTANT ->
                    argument == SqlTypeName.TIMESTAMP || argument == SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE
                            ? 0
                            : -1;
                case BYTES -> argument == SqlTypeName.BINARY || argument == SqlTypeName.VARBINARY ? 0 : -1;
                case ANY -> natural(argument) == null ? -1 : 0;
            };
        }
    }

    /** A parameter or result: its Java type, and whether it is primitive (never NULL). */
    public record Parameter(JavaType type, boolean primitive) {
        public Parameter {
            requireNonNull(type, "type is null");
        }

        /** The Java class of a value of this parameter. */
        Class<?> javaClass() {
            return primitive ? type.primitive : type.boxed;
        }

        @Override
        public String toString() {
            return type == JavaType.ANY ? "ANY" : type.sqlType().getName();
        }
    }

    /**
     * One callable form: its parameters (the last one repeated for varargs), its result, and a handle of type
     * {@code (Object instance, Object[] arguments)} returning long (int and long results), double (float and double),
     * boolean, or Object.
     */
    public record Signature(List<Parameter> parameters, boolean varargs, Parameter result, MethodHandle handle) {
        public Signature {
            parameters = List.copyOf(parameters);
            requireNonNull(result, "result is null");
            requireNonNull(handle, "handle is null");
        }

        /** How far these arguments are from this form's parameters; -1 when they cannot be passed. */
        int distance(List<SqlTypeName> arguments) {
            int fixed = varargs ? parameters.size() - 1 : parameters.size();
            if (arguments.size() < fixed || (!varargs && arguments.size() != fixed)) {
                return -1;
            }
            int total = 0;
            for (int i = 0; i < arguments.size(); i++) {
                int distance = parameter(i).type().distance(arguments.get(i));
                if (distance < 0) {
                    return -1;
                }
                total += distance;
            }
            return total + (varargs ? 1 : 0);
        }

        /** The parameter that takes the argument at this index. */
        Parameter parameter(int index) {
            return parameters.get(Math.min(index, parameters.size() - 1));
        }

        String describe(String name) {
            List<String> types = new ArrayList<>();
            parameters.forEach(parameter -> types.add("<" + parameter + ">"));
            if (varargs) {
                types.set(types.size() - 1, types.get(types.size() - 1) + "...");
            }
            return name + "(" + String.join(", ", types) + ")";
        }
    }

    private final String origin;
    private final List<Signature> signatures;
    private final Supplier<Object> instances;

    private UserFunction(String name, String origin, List<Signature> signatures, Supplier<Object> instances) {
        super(
                name,
                SqlKind.OTHER_FUNCTION,
                binding -> null, // replaced by inferReturnType below
                null,
                null,
                SqlFunctionCategory.USER_DEFINED_FUNCTION);
        this.origin = origin;
        this.signatures = List.copyOf(signatures);
        this.instances = instances;
    }

    /**
     * The function of a class's public {@code eval} methods (or {@code call} methods, when it has no eval method).
     *
     * @throws BrookException when the class has no public constructor without arguments, no such method, or a
     *     parameter or result type Brook cannot pass
     */
    public static UserFunction ofClass(String name, Class<?> type) {
        String className = type.getName();
        if (!Modifier.isPublic(type.getModifiers())
                || Modifier.isAbstract(type.getModifiers())
                || (type.getEnclosingClass() != null && !Modifier.isStatic(type.getModifiers()))) {
            throw invalid("function class " + className
                    + " must be public, not abstract, and static if nested; Brook creates it with new "
                    + type.getSimpleName() + "()");
        }
        Constructor<?> constructor;
        try {
            constructor = type.getConstructor();
        } catch (NoSuchMethodException e) {
            throw invalid("function class " + className + " needs a public constructor without arguments", e);
        }
        List<Method> methods = methods(type, "eval");
        if (methods.isEmpty()) {
            methods = methods(type, "call");
        }
        if (methods.isEmpty()) {
            throw invalid("function class " + className + " has no public eval method; a scalar function has one or"
                    + " more, such as public long eval(String s)");
        }
        List<Signature> signatures = new ArrayList<>();
        for (Method method : methods) {
            signatures.add(signature(className, method));
        }
        Supplier<Object> instances = () -> instantiate(constructor, name);
        try {
            Object checked = instances.get(); // a constructor that fails, fails now, not in a running query
            requireNonNull(checked, "a constructor returned null");
        } catch (BrookException e) {
            throw invalid(e.getMessage(), e.getCause());
        }
        return new UserFunction(name, className, signatures, instances);
    }

    /**
     * A function object (a lambda of the Dataset API) called through a method of its interface ({@code call} of
     * {@code UDF2}, say), taking {@code arity} arguments of any scalar type and returning {@code result}.
     */
    public static UserFunction ofObject(String name, Object function, Method call, ColumnType result) {
        requireNonNull(function, "function is null");
        JavaType resultType = JavaType.of(result);
        MethodHandle handle;
        try {
            handle = MethodHandles.publicLookup().unreflect(call);
        } catch (IllegalAccessException e) {
            throw new IllegalArgumentException("cannot call " + call, e);
        }
        List<Parameter> parameters = new ArrayList<>();
        for (int i = 0; i < call.getParameterCount(); i++) {
            parameters.add(new Parameter(JavaType.ANY, false));
        }
        Signature signature = new Signature(
                parameters, false, new Parameter(resultType, false), adapt(handle, Object.class, parameters.size()));
        return new UserFunction(name, "lambda " + function.getClass().getName(), List.of(signature), () -> function);
    }

    private static List<Method> methods(Class<?> type, String name) {
        List<Method> methods = new ArrayList<>();
        for (Method method : type.getMethods()) {
            if (method.getName().equals(name) && !method.isBridge() && !method.isSynthetic()) {
                methods.add(method);
            }
        }
        // getMethods() has no order; signatures are listed and tried in one.
        methods.sort(Comparator.comparing(Method::toGenericString));
        return methods;
    }

    private static Signature signature(String className, Method method) {
        Class<?>[] types = method.getParameterTypes();
        List<Parameter> parameters = new ArrayList<>();
        for (int i = 0; i < types.length; i++) {
            Class<?> type = method.isVarArgs() && i == types.length - 1 ? types[i].getComponentType() : types[i];
            JavaType javaType = JavaType.of(type);
            if (javaType == null) {
                throw invalid(className + "." + method.getName() + ": parameter " + (i + 1) + " has type "
                        + types[i].getTypeName() + ", which Brook cannot pass; parameters are " + SUPPORTED);
            }
            parameters.add(new Parameter(javaType, type.isPrimitive()));
        }
        JavaType result = JavaType.of(method.getReturnType());
        if (result == null) {
            throw invalid(className + "." + method.getName() + " returns "
                    + method.getReturnType().getTypeName() + ", which Brook cannot take; results are " + SUPPORTED);
        }
        MethodHandle handle;
        try {
            handle = MethodHandles.publicLookup().unreflect(method).asFixedArity();
        } catch (IllegalAccessException e) {
            throw invalid(className + "." + method.getName() + " is not accessible: " + e.getMessage(), e);
        }
        if (Modifier.isStatic(method.getModifiers())) {
            handle = MethodHandles.dropArguments(handle, 0, Object.class);
        }
        return new Signature(
                parameters,
                method.isVarArgs(),
                new Parameter(result, method.getReturnType().isPrimitive()),
                adapt(handle, method.getReturnType(), types.length));
    }

    private static final String SUPPORTED = "String, long/Long, int/Integer, double/Double, float/Float,"
            + " boolean/Boolean, BigDecimal, LocalDate, LocalDateTime, Instant or byte[]";

    /** {@code (instance, p1 ... pn)} as {@code (Object, Object[])} returning long, double, boolean or Object. */
    private static MethodHandle adapt(MethodHandle handle, Class<?> returnType, int arity) {
        Class<?> result = returnType == long.class || returnType == int.class
                ? long.class
                : returnType == double.class || returnType == float.class
                        ? double.class
                        : returnType == boolean.class ? boolean.class : Object.class;
        MethodType generic = MethodType.genericMethodType(1 + arity).changeReturnType(result);
        return handle.asType(generic).asSpreader(Object[].class, arity);
    }

    private static Object instantiate(Constructor<?> constructor, String name) {
        try {
            return constructor.newInstance();
        } catch (InvocationTargetException e) {
            throw new BrookException(
                    ErrorCode.QUERY_FAILED,
                    "function " + name + ": new "
                            + constructor.getDeclaringClass().getName() + "() threw " + e.getCause(),
                    e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new BrookException(
                    ErrorCode.QUERY_FAILED,
                    "function " + name + ": cannot create "
                            + constructor.getDeclaringClass().getName() + ": " + e,
                    e);
        }
    }

    private static BrookException invalid(String message) {
        return new BrookException(ErrorCode.INVALID_OPTION, message);
    }

    private static BrookException invalid(String message, Throwable cause) {
        return new BrookException(ErrorCode.INVALID_OPTION, message, cause);
    }

    /** Where the function comes from: its class name, or the lambda's. */
    public String origin() {
        return origin;
    }

    public List<Signature> signatures() {
        return signatures;
    }

    /** A new instance for a thread (a class's function), or the shared function object. */
    Object instance() {
        return instances.get();
    }

    /** The signatures as SQL users read them, one per line: {@code count_char(<VARCHAR>, <VARCHAR>)}. */
    public List<String> describeSignatures() {
        List<String> described = new ArrayList<>();
        signatures.forEach(signature -> described.add(signature.describe(getName())));
        return described;
    }

    /** The closest form for arguments of these types (the first of equals, in the listed order), or null. */
    public Signature match(List<SqlTypeName> arguments) {
        Signature best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (Signature signature : signatures) {
            int distance = signature.distance(arguments);
            if (distance >= 0 && distance < bestDistance) {
                best = signature;
                bestDistance = distance;
            }
        }
        return best;
    }

    private static List<SqlTypeName> typeNames(SqlOperatorBinding binding) {
        List<SqlTypeName> names = new ArrayList<>();
        for (int i = 0; i < binding.getOperandCount(); i++) {
            names.add(binding.getOperandType(i).getSqlTypeName());
        }
        return names;
    }

    /** The SQL type of a result: nullable, as a function may return NULL; BigDecimal as DECIMAL(38, 18), as Flink. */
    static RelDataType sqlType(RelDataTypeFactory types, JavaType type) {
        RelDataType sql = switch (type) {
            case DECIMAL -> types.createSqlType(SqlTypeName.DECIMAL, 38, 18);
            case LOCAL_DATE_TIME, INSTANT -> types.createSqlType(SqlTypeName.TIMESTAMP, 6);
            default -> types.createSqlType(type.sqlType());
        };
        return types.createTypeWithNullability(sql, true);
    }

    @Override
    public RelDataType inferReturnType(SqlOperatorBinding binding) {
        Signature signature = match(typeNames(binding));
        if (signature == null) {
            throw new IllegalStateException("no form of " + getName() + " for " + typeNames(binding)
                    + "; Calcite's validation should have refused it");
        }
        return sqlType(binding.getTypeFactory(), signature.result().type());
    }

    @Override
    public SqlOperandTypeInference getOperandTypeInference() {
        // An untyped NULL argument takes the type of its parameter in the first form with as many parameters.
        return (binding, returnType, operandTypes) -> {
            for (Signature signature : signatures) {
                int fixed = signature.varargs()
                        ? signature.parameters().size() - 1
                        : signature.parameters().size();
                if (operandTypes.length == fixed || (signature.varargs() && operandTypes.length >= fixed)) {
                    for (int i = 0; i < operandTypes.length; i++) {
                        JavaType type = signature.parameter(i).type();
                        operandTypes[i] =
                                sqlType(binding.getTypeFactory(), type == JavaType.ANY ? JavaType.STRING : type);
                    }
                    return;
                }
            }
        };
    }

    @Override
    public SqlOperandTypeChecker getOperandTypeChecker() {
        return new OperandChecker();
    }

    @Override
    public SqlOperandCountRange getOperandCountRange() {
        return operandCountRange();
    }

    private SqlOperandCountRange operandCountRange() {
        int min = Integer.MAX_VALUE;
        int max = 0;
        for (Signature signature : signatures) {
            int fixed = signature.varargs()
                    ? signature.parameters().size() - 1
                    : signature.parameters().size();
            min = Math.min(min, fixed);
            max = signature.varargs() || max < 0 ? -1 : Math.max(max, fixed);
        }
        return SqlOperandCountRanges.between(min, max);
    }

    @Override
    public boolean checkOperandTypes(SqlCallBinding binding, boolean throwOnFailure) {
        return new OperandChecker().checkOperandTypes(binding, throwOnFailure);
    }

    @Override
    public String getAllowedSignatures(String name) {
        List<String> quoted = new ArrayList<>();
        for (String signature : describeSignatures()) {
            quoted.add("'" + name + signature.substring(getName().length()) + "'");
        }
        return String.join("\n", quoted);
    }

    /** Arguments are checked against the forms, and an untyped NULL takes the type of its parameter. */
    private final class OperandChecker implements SqlOperandTypeChecker {
        @Override
        public boolean checkOperandTypes(SqlCallBinding binding, boolean throwOnFailure) {
            if (match(typeNames(binding)) != null) {
                return true;
            }
            if (throwOnFailure) {
                throw binding.newValidationSignatureError();
            }
            return false;
        }

        @Override
        public SqlOperandCountRange getOperandCountRange() {
            return operandCountRange();
        }

        @Override
        public String getAllowedSignatures(SqlOperator operator, String name) {
            return UserFunction.this.getAllowedSignatures(name);
        }
    }
}
