package io.brook.push;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * The hook for metrics exporters (Prometheus {@code /metrics}): a snapshot of every subscription's counters, read at
 * scrape time. {@link PushService} implements it; an exporter registers {@code brook_push_delivered_records_total},
 * {@code brook_push_retries_total}, {@code brook_push_dead_lettered_records_total}, {@code brook_push_in_flight_batches}
 * and {@code brook_push_lag_records}, labelled by subscription. Safe to call from any thread.
 */
public interface PushMetrics {
    /** One entry per subscription, sorted by name. */
    List<Subscription> subscriptionMetrics();

    /** One subscription's counters; {@code lag} is -1 when the broker could not be asked. */
    record Subscription(
            String name,
            SubscriptionState state,
            long delivered,
            long retries,
            long deadLettered,
            int inFlight,
            long lag) {
        public Subscription {
            requireNonNull(name, "name is null");
            requireNonNull(state, "state is null");
        }
    }
}
