package io.brook.log;

/** Builds a {@link LogConfig} for tests from Kafka's defaults, one named setting at a time. */
final class LogConfigBuilder {
    private long segmentBytes = 1024L * 1024 * 1024;
    private long segmentMs = 7L * 24 * 60 * 60 * 1000;
    private long retentionMs = -1;
    private long retentionBytes = -1;
    private int maxMessageBytes = 1024 * 1024 + 12;
    private int indexIntervalBytes = 4096;
    private int segmentIndexBytes = 10 * 1024 * 1024;
    private boolean logAppendTime;
    private FlushPolicy flushPolicy = FlushPolicy.PER_ACK;
    private boolean cleanupPolicyCompact;
    private boolean cleanupPolicyDelete = true;
    private long deleteRetentionMs = LogConfig.DEFAULT_DELETE_RETENTION_MS;
    private double minCleanableDirtyRatio = LogConfig.DEFAULT_MIN_CLEANABLE_DIRTY_RATIO;
    private long minCompactionLagMs = LogConfig.DEFAULT_MIN_COMPACTION_LAG_MS;

    LogConfigBuilder segmentBytes(long value) {
        this.segmentBytes = value;
        return this;
    }

    LogConfigBuilder segmentMs(long value) {
        this.segmentMs = value;
        return this;
    }

    LogConfigBuilder retentionMs(long value) {
        this.retentionMs = value;
        return this;
    }

    LogConfigBuilder retentionBytes(long value) {
        this.retentionBytes = value;
        return this;
    }

    LogConfigBuilder maxMessageBytes(int value) {
        this.maxMessageBytes = value;
        return this;
    }

    LogConfigBuilder indexIntervalBytes(int value) {
        this.indexIntervalBytes = value;
        return this;
    }

    LogConfigBuilder segmentIndexBytes(int value) {
        this.segmentIndexBytes = value;
        return this;
    }

    LogConfigBuilder logAppendTime(boolean value) {
        this.logAppendTime = value;
        return this;
    }

    LogConfigBuilder flushPolicy(FlushPolicy value) {
        this.flushPolicy = value;
        return this;
    }

    /** cleanup.policy: {@code compact}, {@code delete} or both. */
    LogConfigBuilder cleanupPolicy(boolean compact, boolean delete) {
        this.cleanupPolicyCompact = compact;
        this.cleanupPolicyDelete = delete;
        return this;
    }

    LogConfigBuilder deleteRetentionMs(long value) {
        this.deleteRetentionMs = value;
        return this;
    }

    LogConfigBuilder minCleanableDirtyRatio(double value) {
        this.minCleanableDirtyRatio = value;
        return this;
    }

    LogConfigBuilder minCompactionLagMs(long value) {
        this.minCompactionLagMs = value;
        return this;
    }

    LogConfig build() {
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
                minCompactionLagMs);
    }
}
