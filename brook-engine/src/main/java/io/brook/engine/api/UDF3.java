package io.brook.engine.api;

/**
 * A user-defined function of 3 arguments, as Spark's {@code UDF3}: register it with
 * {@link UdfRegistration#register(String, UDF3, io.brook.engine.batch.ColumnType)}, then call it in SQL text or
 * through the {@link UserDefinedFunction} that registering returns. Called concurrently by a query's threads.
 */
@FunctionalInterface
public interface UDF3<T1, T2, T3, R> {
    R call(T1 t1, T2 t2, T3 t3) throws Exception;
}
