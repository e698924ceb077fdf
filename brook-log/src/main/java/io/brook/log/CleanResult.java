package io.brook.log;

/**
 * What one pass of the {@link LogCleaner} over a log did.
 *
 * @param cleaned whether the pass ran (the log had cleanable bytes at or above min.cleanable.dirty.ratio); a pass can
 *     run and find nothing to remove
 * @param firstDirtyOffset the first offset not cleaned yet, to be checkpointed: where the pass ended, or where the
 *     skipped pass would have started
 * @param dirtyRatio cleanable dirty bytes over clean plus cleanable dirty bytes when the pass was decided
 * @param segmentsRewritten how many segments were replaced by cleaned copies
 * @param bytesBefore the size of the replaced segments
 * @param bytesAfter the size of their cleaned copies
 * @param recordsRemoved records the copies left out
 */
public record CleanResult(
        boolean cleaned,
        long firstDirtyOffset,
        double dirtyRatio,
        int segmentsRewritten,
        long bytesBefore,
        long bytesAfter,
        long recordsRemoved) {

    static CleanResult skipped(long firstDirtyOffset, double dirtyRatio) {
        return new CleanResult(false, firstDirtyOffset, dirtyRatio, 0, 0, 0, 0);
    }
}
