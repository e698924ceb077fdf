package io.brook.engine.connector;

import io.brook.engine.batch.Batch;
import io.brook.engine.batch.Schema;
import java.util.List;

/**
 * A readable source of rows with offsets, used both ways: a bounded query reads from {@link #initialOffset} to the
 * latest offset once; a streaming query asks for the latest offset before each micro-batch, logs the range, reads it,
 * and after the batch commits tells the source with {@link #commit}. Reading the same range twice gives the same rows,
 * which is what lets a restarted query re-run an uncommitted batch exactly.
 *
 * <p>Called from the query's thread only. {@link #close} releases clients, files and threads; it is called once when the
 * query stops.
 */
public interface Source extends AutoCloseable {
    Schema schema();

    /**
     * Called once before a streaming query's first batch with a directory of the query's checkpoint that belongs to
     * this source ({@code sources/<index>}), for sources that must remember more than an offset, e.g. which files each
     * batch read. Bounded reads do not call it.
     */
    default void initialize(java.nio.file.Path metadataDirectory) {}

    /** The offset before the first row this source will give (e.g. {@code startingOffsets}). */
    Offset initialOffset();

    /**
     * The end of the next batch that starts at {@code start}: as far as data is available now, capped by the limit
     * (and by the source's own per-trigger option). Equals {@code start} when there is nothing new.
     */
    Offset latestOffset(Offset start, ReadLimit limit);

    /** The rows after {@code start} up to and including {@code end}. */
    List<Batch> read(Offset start, Offset end);

    /**
     * The same rows as {@link #read(Offset, Offset)}, in the same order, handed to {@code out} batch by batch as they are
     * read, so that a pipeline can work on the first while the source reads the next and a large range never sits in
     * memory whole. Sources that can read incrementally override this.
     */
    default void read(Offset start, Offset end, java.util.function.Consumer<Batch> out) {
        read(start, end).forEach(out);
    }

    /**
     * Whether this source will never give a row after {@code end}: a stream with a known end (a nexmark source with
     * {@code events}). When every source of a query has ended, the query closes what event time still holds open, as
     * Flink does at the end of its input: the watermark moves to the end of time, so the last windows are emitted.
     */
    default boolean hasEnded(Offset end) {
        return false;
    }

    /** Everything up to {@code end} has been processed and committed; the source may forget it. */
    default void commit(Offset end) {}

    /**
     * A fresh instance of this source, for one query: each streaming query (and each bounded run) reads with its own
     * instance, with its own clients and its own checkpoint directory, and closes it when done. A source that keeps no
     * such state may return itself.
     */
    default Source copy() {
        return this;
    }

    /** A one-line description for progress reports, e.g. {@code MemoryStream[value]}. */
    String description();

    @Override
    default void close() {}
}
