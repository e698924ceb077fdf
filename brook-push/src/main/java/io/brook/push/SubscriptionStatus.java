package io.brook.push;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * A subscription as {@code describe} and {@code list} show it: its spec, its state, the counts since this server started
 * (records delivered, attempts retried, records dead-lettered), the batches in flight now, the last failed attempt, and
 * (from {@code describe} only; empty in {@code list}) the lag per partition.
 */
public record SubscriptionStatus(
        SubscriptionSpec spec,
        SubscriptionState state,
        long delivered,
        long retries,
        long deadLettered,
        int inFlight,
        Optional<DeliveryError> lastError,
        List<PartitionLag> partitions) {
    public SubscriptionStatus {
        requireNonNull(spec, "spec is null");
        requireNonNull(state, "state is null");
        requireNonNull(lastError, "lastError is null");
        partitions = List.copyOf(partitions);
    }

    /** The records not yet delivered, summed over the partitions. */
    public long lag() {
        return partitions.stream().mapToLong(PartitionLag::lag).sum();
    }
}
