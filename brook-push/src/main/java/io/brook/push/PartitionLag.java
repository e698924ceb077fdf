package io.brook.push;

/**
 * One partition's delivery progress: the subscription group's committed offset (the next record to deliver; -1 when
 * none is committed yet), the partition's log end offset and the lag between them (records not yet delivered).
 */
public record PartitionLag(int partition, long committed, long end, long lag) {
    public PartitionLag {
        if (partition < 0) {
            throw new IllegalArgumentException("partition must be >= 0, was " + partition);
        }
    }
}
