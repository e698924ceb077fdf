package io.brook.broker.group;

import static java.util.Objects.requireNonNull;

/** An offset a group committed for one partition, with the client's metadata string and leader epoch (-1: none). */
public record CommittedOffset(long offset, int leaderEpoch, String metadata, long commitTimestampMs) {
    public CommittedOffset {
        requireNonNull(metadata, "metadata is null");
    }
}
