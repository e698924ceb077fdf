package io.brook.engine.api;

/**
 * A user-defined function of 1 argument, as Spark's {@code UDF1}: register it with
 * {@link UdfRegistration#register(String, UDF1, io.brook.engine.batch.ColumnType)}, then call it in SQL text or
 * through the {@link UserDefinedFunction} that registering returns. Called concurrently by a query's threads.
 */
@FunctionalInterface
public interface UDF1<T1, R> {
    R call(T1 t1) throws Exception;
}
