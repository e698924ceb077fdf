package io.brook.push;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * The last failed delivery attempt of a subscription: when, the HTTP status (0 when there was no answer: a timeout, a
 * refused or reset connection) and what went wrong.
 */
public record DeliveryError(Instant time, int status, String message) {
    public DeliveryError {
        requireNonNull(time, "time is null");
        requireNonNull(message, "message is null");
        if (status < 0) {
            throw new IllegalArgumentException("status must be >= 0, was " + status);
        }
    }
}
