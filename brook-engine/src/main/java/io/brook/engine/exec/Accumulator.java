package io.brook.engine.exec;

import io.brook.engine.batch.Batch;
import io.brook.engine.batch.ColumnBuilder;

/**
 * The running value of one aggregate function for every group of an aggregation, in arrays indexed by group id. It
 * adds a batch's rows column-wise, and can write a group's value as state bytes and merge such bytes back, which is
 * how a streaming aggregation carries groups from one micro-batch to the next.
 */
interface Accumulator {
    /** Adds the rows of a batch; row {@code i} belongs to group {@code groupIds[i]}, all below {@code groupCount}. */
    void add(Batch batch, int[] groupIds, int groupCount);

    /**
     * Takes back rows added before, in this or an earlier micro-batch (a {@linkplain Batch#retracting() retracting}
     * batch): only the accumulators {@link Accumulators} makes for an aggregation over an updating result can.
     */
    default void retract(Batch batch, int[] groupIds, int groupCount) {
        throw new IllegalStateException(getClass().getSimpleName() + " cannot take rows back");
    }

    /** Makes sure groups below {@code groupCount} exist (with the value of no rows). */
    void ensureGroups(int groupCount);

    /**
     * Merges state written by {@link #writeState} at {@code offset} into a group; returns the offset after it. The
     * state holds rows that came before the rows already added to the group (an earlier micro-batch's), which matters
     * to order-sensitive functions such as FIRST and LAST; {@link #add} adds rows that come after everything merged.
     */
    int mergeState(int group, byte[] state, int offset);

    void writeState(int group, StateWriter out);

    /** Appends the group's result (of the aggregate call's type) to the builder. */
    void appendResult(int group, ColumnBuilder out);
}
