package io.brook.log;

import static java.util.Objects.requireNonNull;

/**
 * The settings of one partition log, resolved from broker defaults and topic overrides. Immutable; a topic's
 * configuration change installs a new one with {@link PartitionLog#updateConfig}.
 *
 * @param segmentBytes size at which the active segment rolls
 * @param segmentMs age at which the active segment rolls
 * @param retentionMs how long closed segments are kept, -1 forever
 * @param retentionBytes size above which the oldest closed segments are deleted, -1 no limit
 * @param maxMessageBytes largest batch accepted
 * @param indexIntervalBytes bytes between offset-index entries
 * @param segmentIndexBytes preallocated size of each index file
 * @param logAppendTime whether the broker stamps batches with its own time (message.timestamp.type=LogAppendTime)
 * @param flushPolicy when appends are fsynced
 */
public record LogConfig(
        long segmentBytes,
        long segmentMs,
        long retentionMs,
        long retentionBytes,
        int maxMessageBytes,
        int indexIntervalBytes,
        int segmentIndexBytes,
        boolean logAppendTime,
        FlushPolicy flushPolicy) {

    public LogConfig {
        if (segmentBytes < 1024) {
            throw new IllegalArgumentException("segmentBytes must be >= 1024, was " + segmentBytes);
        }
        if (segmentMs < 1) {
            throw new IllegalArgumentException("segmentMs must be >= 1, was " + segmentMs);
        }
        if (maxMessageBytes < 0) {
            throw new IllegalArgumentException("maxMessageBytes must be >= 0, was " + maxMessageBytes);
        }
        if (segmentIndexBytes < 64) {
            throw new IllegalArgumentException("segmentIndexBytes must be >= 64, was " + segmentIndexBytes);
        }
        requireNonNull(flushPolicy, "flushPolicy is null");
    }

    /** Kafka's defaults, with Brook's per-ack flushing. */
    public static LogConfig defaults() {
        return new LogConfig(
                1024L * 1024 * 1024,
                7L * 24 * 60 * 60 * 1000,
                7L * 24 * 60 * 60 * 1000,
                -1,
                1024 * 1024 + 12,
                4096,
                10 * 1024 * 1024,
                false,
                FlushPolicy.PER_ACK);
    }

    public LogConfig withSegmentBytes(long value) {
        return new LogConfig(
                value,
                segmentMs,
                retentionMs,
                retentionBytes,
                maxMessageBytes,
                indexIntervalBytes,
                segmentIndexBytes,
                logAppendTime,
                flushPolicy);
    }

    public LogConfig withFlushPolicy(FlushPolicy value) {
        return new LogConfig(
                segmentBytes,
                segmentMs,
                retentionMs,
                retentionBytes,
                maxMessageBytes,
                indexIntervalBytes,
                segmentIndexBytes,
                logAppendTime,
                value);
    }
}
