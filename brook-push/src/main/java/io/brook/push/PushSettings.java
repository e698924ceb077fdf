package io.brook.push;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;

/**
 * How the delivery engine behaves for every subscription: the timeout of one POST, the back-off between attempts (full
 * jitter: a random delay between 0 and {@code min(maxBackoff, initialBackoff * 2^(attempt-1))}), the longest {@code
 * Retry-After} honoured, and the clock for the times that describe shows. Tests shorten the durations.
 */
public record PushSettings(
        Duration requestTimeout, Duration initialBackoff, Duration maxBackoff, Duration maxRetryAfter, Clock clock) {
    public PushSettings {
        requireNonNull(requestTimeout, "requestTimeout is null");
        requireNonNull(initialBackoff, "initialBackoff is null");
        requireNonNull(maxBackoff, "maxBackoff is null");
        requireNonNull(maxRetryAfter, "maxRetryAfter is null");
        requireNonNull(clock, "clock is null");
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("requestTimeout must be > 0, was " + requestTimeout);
        }
        if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException(
                    "backoff must be 0 <= initial <= max, was " + initialBackoff + " and " + maxBackoff);
        }
    }

    /** 10 s per POST, back-off from 200 ms up to 30 s, Retry-After honoured up to 10 minutes. */
    public static PushSettings defaults() {
        return new PushSettings(
                Duration.ofSeconds(10),
                Duration.ofMillis(200),
                Duration.ofSeconds(30),
                Duration.ofMinutes(10),
                Clock.systemUTC());
    }
}
