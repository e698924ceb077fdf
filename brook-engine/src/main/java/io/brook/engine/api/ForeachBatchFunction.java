package io.brook.engine.api;

/** The function of {@code foreachBatch}: called with each micro-batch's output as a bounded Dataset and its id. */
@FunctionalInterface
public interface ForeachBatchFunction {
    void call(Dataset<Row> batch, long batchId) throws Exception;
}
