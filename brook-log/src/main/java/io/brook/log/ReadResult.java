package io.brook.log;

import static java.util.Objects.requireNonNull;

import java.nio.ByteBuffer;

/**
 * Whole record batches read from a log (possibly none), with the log's bounds at the time of the read.
 *
 * @param records complete v2 batches, ready to be sent as they are
 */
public record ReadResult(ByteBuffer records, long logStartOffset, long highWatermark) {
    public ReadResult {
        requireNonNull(records, "records is null");
    }

    public int sizeInBytes() {
        return records.remaining();
    }
}
