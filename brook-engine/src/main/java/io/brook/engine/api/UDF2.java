package io.brook.engine.api;

/**
 * A user-defined function of 2 arguments, as Spark's {@code UDF2}: register it with
 * {@link UdfRegistration#register(String, UDF2, io.brook.engine.batch.ColumnType)}, then call it in SQL text or
 * through the {@link UserDefinedFunction} that registering returns. Called concurrently by a query's threads.
 */
@FunctionalInterface
public interface UDF2<T1, T2, R> {
    R call(T1 t1, T2 t2) throws Exception;
}
