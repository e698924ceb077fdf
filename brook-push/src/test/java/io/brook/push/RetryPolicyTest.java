package io.brook.push;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
    private static final PushSettings SETTINGS = new PushSettings(
            Duration.ofSeconds(1),
            Duration.ofMillis(100),
            Duration.ofSeconds(5),
            Duration.ofSeconds(60),
            Clock.systemUTC());
    private static final Instant NOW = Instant.parse("2026-12-02T02:00:00Z");

    @Test
    void retriesServerErrorsTimeoutsAndTooManyRequestsButNotOtherClientErrors() {
        assertThat(RetryPolicy.retryable(500)).isTrue();
        assertThat(RetryPolicy.retryable(503)).isTrue();
        assertThat(RetryPolicy.retryable(429)).isTrue();
        assertThat(RetryPolicy.retryable(408)).isTrue();
        assertThat(RetryPolicy.retryable(400)).isFalse();
        assertThat(RetryPolicy.retryable(404)).isFalse();
        assertThat(RetryPolicy.retryable(410)).isFalse();
        assertThat(RetryPolicy.retryable(413)).isFalse();
        assertThat(RetryPolicy.retryable(422)).isFalse();
        assertThat(RetryPolicy.delivered(204)).isTrue();
        assertThat(RetryPolicy.delivered(302)).isFalse();
    }

    @Test
    void backOffIsFullJitterUnderAnExponentialCap() {
        RetryPolicy policy = new RetryPolicy(SETTINGS, new Random(7));
        for (int attempt = 1; attempt <= 40; attempt++) {
            long cap = Math.min(5_000, 100L << Math.min(attempt - 1, 30));
            for (int i = 0; i < 20; i++) {
                assertThat(policy.delay(attempt, 500, Optional.empty(), NOW).toMillis())
                        .isBetween(0L, cap);
            }
        }
    }

    @Test
    void honoursRetryAfterInSecondsOrAsAnHttpDateOnlyFor429And503() {
        RetryPolicy policy = new RetryPolicy(SETTINGS, new Random(7));
        assertThat(policy.delay(1, 429, Optional.of("7"), NOW)).isEqualTo(Duration.ofSeconds(7));
        assertThat(policy.delay(1, 503, Optional.of("Wed, 02 Dec 2026 02:00:30 GMT"), NOW))
                .isEqualTo(Duration.ofSeconds(30));
        assertThat(policy.delay(1, 429, Optional.of("3600"), NOW)).isEqualTo(Duration.ofSeconds(60));
        assertThat(policy.delay(1, 500, Optional.of("7"), NOW).toMillis()).isLessThanOrEqualTo(100);
        assertThat(RetryPolicy.parseRetryAfter("soon", NOW)).isEmpty();
        assertThat(RetryPolicy.parseRetryAfter("Wed, 02 Dec 2026 01:00:00 GMT", NOW))
                .contains(Duration.ZERO);
    }

    @Test
    void signatureVerifiesOnlyTheExactBodyTimestampAndSecret() {
        byte[] body = "{\"a\":1}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        String signature = PushSignature.sign("secret", 1_764_640_800L, body);
        assertThat(signature).startsWith("v1=").hasSize(3 + 64);
        assertThat(PushSignature.verify("secret", 1_764_640_800L, body, signature))
                .isTrue();
        assertThat(PushSignature.verify("secret", 1_764_640_801L, body, signature))
                .isFalse();
        assertThat(PushSignature.verify("other", 1_764_640_800L, body, signature))
                .isFalse();
        assertThat(PushSignature.verify(
                        "secret",
                        1_764_640_800L,
                        "{\"a\":2}".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        signature))
                .isFalse();
    }
}
