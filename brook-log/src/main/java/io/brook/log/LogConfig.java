package io.brook.log;

import static java.util.Objects.requireNonNull;

/**
 * The settings of one partition log, resolved from broker defaults and topic overrides. Immutable; a topic's
 * configuration change installs a new one with {@link PartitionLog#updateConfig}.
 *
 * @param segmentBytes size at which the active segment rolls
 * @param segmentMs age at which the active segment rolls
 * @param retentionMs how long closed segments are kept, -1 forever (only with {@code cleanupPolicyDelete})
 * @param retentionBytes size above which the oldest closed segments are deleted, -1 no limit (only with {@code
 *     cleanupPolicyDelete})
 * @param maxMessageBytes largest batch accepted
 * @param indexIntervalBytes bytes between offset-index entries
 * @param segmentIndexBytes preallocated size of each index file
 * @param logAppendTime whether the broker stamps batches with its own time (message.timestamp.type=LogAppendTime)
 * @param flushPolicy when appends are fsynced
 * @param cleanupPolicyCompact whether the cleaner keeps only the latest record per key (cleanup.policy has compact)
 * @param cleanupPolicyDelete whether closed segments are deleted by time and size (cleanup.policy has delete)
 * @param deleteRetentionMs how long a tombstone (a record with a null value) is kept after it was first cleaned
 * @param minCleanableDirtyRatio the share of not yet cleaned bytes at which a compacted log is cleaned
 * @param minCompactionLagMs how old a record must be before the cleaner may remove the records it supersedes
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
        FlushPolicy flushPolicy,
        boolean cleanupPolicyCompact,
        boolean cleanupPolicyDelete,
        long deleteRetentionMs,
        double minCleanableDirtyRatio,
        long minCompactionLagMs) {

    public static final long DEFAULT_DELETE_RETENTION_MS = 24L * 60 * 60 * 1000;
    public static final double DEFAULT_MIN_CLEANABLE_DIRTY_RATIO = 0.5;
    public static final long DEFAULT_MIN_COMPACTION_LAG_MS = 0;

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
        if (deleteRetentionMs < 0) {
            throw new IllegalArgumentException("deleteRetentionMs must be >= 0, was " + deleteRetentionMs);
        }
        // Written to also reject NaN.
        if (!(minCleanableDirtyRatio >= 0 && minCleanableDirtyRatio <= 1)) {
            throw new IllegalArgumentException(
                    "minCleanableDirtyRatio must be between 0 and 1, was " + minCleanableDirtyRatio);
        }
        if (minCompactionLagMs < 0) {
            throw new IllegalArgumentException("minCompactionLagMs must be >= 0, was " + minCompactionLagMs);
        }
    }

    /** A log that is deleted by time and size only (cleanup.policy=delete), with the compaction settings' defaults. */
    public LogConfig(
            long segmentBytes,
            long segmentMs,
            long retentionMs,
            long retentionBytes,
            int maxMessageBytes,
            int indexIntervalBytes,
            int segmentIndexBytes,
            boolean logAppendTime,
            FlushPolicy flushPolicy) {
        this(
                segmentBytes,
                segmentMs,
                retentionMs,
                retentionBytes,
                maxMessageBytes,
                indexIntervalBytes,
                segmentIndexBytes,
                logAppendTime,
                flushPolicy,
                false,
                true,
                DEFAULT_DELETE_RETENTION_MS,
                DEFAULT_MIN_CLEANABLE_DIRTY_RATIO,
                DEFAULT_MIN_COMPACTION_LAG_MS);
    }

    /** Kafka's defaults (cleanup.policy=delete), with Brook's per-ack flushing. */
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
                flushPolicy,
                cleanupPolicyCompact,
                cleanupPolicyDelete,
                deleteRetentionMs,
                minCleanableDirtyRatio,
                minCompactionLagMs);
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
                value,
                cleanupPolicyCompact,
                cleanupPolicyDelete,
                deleteRetentionMs,
                minCleanableDirtyRatio,
                minCompactionLagMs);
    }

    public LogConfig withCleanupPolicyCompact(boolean value) {
        return new LogConfig(
                segmentBytes,
                segmentMs,
                retentionMs,
                retentionBytes,
                maxMessageBytes,
                indexIntervalBytes,
                segmentIndexBytes,
                logAppendTime,
                flushPolicy,
                value,
                cleanupPolicyDelete,
                deleteRetentionMs,
                minCleanableDirtyRatio,
                minCompactionLagMs);
    }

    public LogConfig withCleanupPolicyDelete(boolean value) {
        return new LogConfig(
                segmentBytes,
                segmentMs,
                retentionMs,
                retentionBytes,
                maxMessageBytes,
                indexIntervalBytes,
                segmentIndexBytes,
                logAppendTime,
                flushPolicy,
                cleanupPolicyCompact,
                value,
                deleteRetentionMs,
                minCleanableDirtyRatio,
                minCompactionLagMs);
    }

    public LogConfig withDeleteRetentionMs(long value) {
        return new LogConfig(
                segmentBytes,
                segmentMs,
                retentionMs,
                retentionBytes,
                maxMessageBytes,
                indexIntervalBytes,
                segmentIndexBytes,
                logAppendTime,
                flushPolicy,
                cleanupPolicyCompact,
                cleanupPolicyDelete,
                value,
                minCleanableDirtyRatio,
                minCompactionLagMs);
    }

    public LogConfig withMinCleanableDirtyRatio(double value) {
        return new LogConfig(
                segmentBytes,
                segmentMs,
                retentionMs,
                retentionBytes,
                maxMessageBytes,
                indexIntervalBytes,
                segmentIndexBytes,
                logAppendTime,
                flushPolicy,
                cleanupPolicyCompact,
                cleanupPolicyDelete,
                deleteRetentionMs,
                value,
                minCompactionLagMs);
    }

    public LogConfig withMinCompactionLagMs(long value) {
        return new LogConfig(
                segmentBytes,
                segmentMs,
                retentionMs,
                retentionBytes,
                maxMessageBytes,
                indexIntervalBytes,
                segmentIndexBytes,
                logAppendTime,
                flushPolicy,
                cleanupPolicyCompact,
                cleanupPolicyDelete,
                deleteRetentionMs,
                minCleanableDirtyRatio,
                value);
    }
}
