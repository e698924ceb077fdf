package io.brook.push;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** A subscription's counters since this server started, written by its runner and read by describe and metrics. */
final class Counters {
    final AtomicLong delivered = new AtomicLong();
    final AtomicLong retries = new AtomicLong();
    final AtomicLong deadLettered = new AtomicLong();
    final AtomicInteger inFlight = new AtomicInteger();
    private volatile DeliveryError lastError;

    void lastError(DeliveryError error) {
        lastError = error;
    }

    Optional<DeliveryError> lastError() {
        return Optional.ofNullable(lastError);
    }
}
