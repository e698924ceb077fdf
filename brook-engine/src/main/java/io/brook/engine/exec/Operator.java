package io.brook.engine.exec;

import io.brook.engine.batch.Batch;

/**
 * A running physical operator in a push pipeline: it receives the batches of one micro-batch (or of a whole bounded
 * query) through {@link #accept}, then {@link #finish} when that input is complete, and passes its output to the next
 * operator the same way. Stateless operators pass each batch on at once; stateful ones emit in {@code finish}. Used by
 * one thread at a time unless it {@link #acceptsConcurrently accepts concurrently}.
 */
public interface Operator {
    void accept(Batch batch);

    /** The input of this micro-batch is complete: emit what is due and pass {@code finish} on. */
    void finish(BatchContext context);

    /**
     * Whether {@link #accept} may run on several threads at once within a micro-batch (never with {@code finish}): true
     * for stateless operators whose downstream allows it, and for the operators that collect input in
     * {@link PushOrder}. The default, false, keeps an operator on one thread.
     */
    default boolean acceptsConcurrently() {
        return false;
    }
}
