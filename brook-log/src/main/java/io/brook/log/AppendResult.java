package io.brook.log;

/**
 * What an append did: the offsets its batches got (for a duplicate, the offsets of the original write), the log
 * append time if the topic stamps batches (else -1), and the log start offset after it.
 */
public record AppendResult(
        long firstOffset, long lastOffset, long logAppendTime, long logStartOffset, boolean duplicate) {}
