package io.brook.engine.exec;

import io.brook.engine.batch.Batch;
import io.brook.engine.batch.Column;

/** A compiled expression: computes one value per row of a batch, as a dense column of {@link Batch#rowCount} values. */
@FunctionalInterface
public interface Evaluator {
    Column evaluate(Batch batch);
}
