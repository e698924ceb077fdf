package io.brook.push;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Which failed deliveries are tried again and when. 2xx is delivered; 408, 425, 429 and 5xx are tried again, as are
 * timeouts and connection errors; any other status (400, 401, 403, 404, 410, 413, 422, 3xx...) is final, as retrying
 * the same bytes cannot fix it. The delay is full jitter over an exponential cap; 429 and 503 use {@code Retry-After}
 * (seconds or an HTTP date) when the receiver sends it, up to {@link PushSettings#maxRetryAfter()}.
 */
final class RetryPolicy {
    private final PushSettings settings;
    private final RandomGenerator random;

    RetryPolicy(PushSettings settings, RandomGenerator random) {
        this.settings = settings;
        this.random = random;
    }

    static boolean delivered(int status) {
        return status >= 200 && status < 300;
    }

    static boolean retryable(int status) {
        return status == 408 || status == 425 || status == 429 || status >= 500;
    }

    /** The delay before attempt {@code attempt + 1}, after {@code attempt} (>= 1) failed with the given answer. */
    Duration delay(int attempt, int status, Optional<String> retryAfter, Instant now) {
        if ((status == 429 || status == 503) && retryAfter.isPresent()) {
            Optional<Duration> asked = parseRetryAfter(retryAfter.get(), now);
            if (asked.isPresent()) {
                Duration wait = asked.get();
                return wait.compareTo(settings.maxRetryAfter()) > 0 ? settings.maxRetryAfter() : wait;
            }
        }
        long initial = settings.initialBackoff().toMillis();
        long max = settings.maxBackoff().toMillis();
        int shift = Math.min(attempt - 1, 30);
        long cap = initial > (max >> shift) ? max : Math.min(max, initial << shift);
        return Duration.ofMillis(cap <= 0 ? 0 : random.nextLong(cap + 1));
    }

    /** {@code Retry-After} as delay-seconds or an HTTP date (RFC 9110); empty when it is neither. */
    static Optional<Duration> parseRetryAfter(String value, Instant now) {
        String trimmed = value.trim();
        if (trimmed.matches("\\d{1,9}")) {
            return Optional.of(Duration.ofSeconds(Long.parseLong(trimmed)));
        }
        try {
            Instant at = ZonedDateTime.parse(trimmed, DateTimeFormatter.RFC_1123_DATE_TIME)
                    .toInstant();
            Duration wait = Duration.between(now, at);
            return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
