package io.brook.engine.api;

import static java.util.Objects.requireNonNull;

import io.brook.engine.BrookException;
import io.brook.engine.ErrorCode;
import io.brook.engine.batch.ColumnType;
import io.brook.engine.exec.UserFunction;
import io.brook.engine.plan.UserFunctions;
import java.lang.reflect.Method;
import java.util.List;

/**
 * Registers user-defined functions with a session ({@link Brook#udf()}, Spark's {@code spark.udf()}): a lambda with
 * its result type, as in Spark, or a class with public {@code eval} methods, as in Flink. A registered function is
 * called by name in SQL text ({@link Brook#sql}, {@code expr(...)}, {@code selectExpr(...)}) and through the returned
 * {@link UserDefinedFunction}. Registering a name again replaces the function, as Spark does. Thread-safe.
 */
public final class UdfRegistration {
    private final UserFunctions functions;

    UdfRegistration(UserFunctions functions) {
        this.functions = functions;
    }

    public <T1, R> UserDefinedFunction register(String name, UDF1<T1, R> function, ColumnType returnType) {
        return registerObject(name, function, UDF1.class, 1, returnType);
    }

    public <T1, T2, R> UserDefinedFunction register(String name, UDF2<T1, T2, R> function, ColumnType returnType) {
        return registerObject(name, function, UDF2.class, 2, returnType);
    }

    public <T1, T2, T3, R> UserDefinedFunction register(
            String name, UDF3<T1, T2, T3, R> function, ColumnType returnType) {
        return registerObject(name, function, UDF3.class, 3, returnType);
    }

    public <T1, T2, T3, T4, R> UserDefinedFunction register(
            String name, UDF4<T1, T2, T3, T4, R> function, ColumnType returnType) {
        return registerObject(name, function, UDF4.class, 4, returnType);
    }

    /**
     * Registers a function class: public, with a public constructor without arguments and public {@code eval} methods
     * whose Java types give the SQL types (see {@link UserFunction}).
     *
     * @throws BrookException when the class is not such a class, or a built-in function has the name
     */
    public UserDefinedFunction register(String name, Class<?> functionClass) {
        requireNonNull(functionClass, "functionClass is null");
        UserFunction function = UserFunction.ofClass(checkName(name), functionClass);
        functions.register(function, true);
        return new UserDefinedFunction(function);
    }

    /** Registers a function that SQL's CREATE FUNCTION made; without replace, an existing name is an error. */
    public UserDefinedFunction register(UserFunction function, boolean replace) {
        functions.register(function, replace);
        return new UserDefinedFunction(function);
    }

    /** Removes a function; whether there was one. */
    public boolean drop(String name) {
        return functions.drop(name);
    }

    /** The function of this name (in any case), or null. */
    public UserFunction get(String name) {
        return functions.get(name);
    }

    /** The registered functions, sorted by name. */
    public List<UserFunction> list() {
        return functions.list();
    }

    private UserDefinedFunction registerObject(
            String name, Object function, Class<?> type, int arity, ColumnType returnType) {
        requireNonNull(function, "function is null");
        requireNonNull(returnType, "returnType is null");
        Method call;
        try {
            Class<?>[] parameters = new Class<?>[arity];
            java.util.Arrays.fill(parameters, Object.class);
            call = type.getMethod("call", parameters);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(type + " has no call method of " + arity + " arguments", e);
        }
        UserFunction registered = UserFunction.ofObject(checkName(name), function, call, returnType);
        functions.register(registered, true);
        return new UserDefinedFunction(registered);
    }

    private static String checkName(String name) {
        requireNonNull(name, "name is null");
        if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new BrookException(
                    ErrorCode.INVALID_OPTION,
                    "a function name is letters, digits and underscores, starting with a letter; got '" + name + "'");
        }
        return name;
    }
}
