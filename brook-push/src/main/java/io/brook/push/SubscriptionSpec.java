package io.brook.push;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a push subscription is: its name, the topic it reads, the webhook it POSTs to, how records are batched, how
 * often a batch is tried, where a batch that cannot be delivered goes, and the optional HMAC secret. {@link #validate}
 * checks a user's values, one rule at a time, with messages that name the allowed range; the constructor only checks
 * that required values are there.
 */
public record SubscriptionSpec(
        String name,
        String topic,
        String url,
        int batchMaxRecords,
        long batchMaxWaitMs,
        int maxAttempts,
        Optional<String> deadLetterTopic,
        Optional<String> secret) {
    public static final int DEFAULT_BATCH_MAX_RECORDS = 100;
    public static final long DEFAULT_BATCH_MAX_WAIT_MS = 100;
    public static final int DEFAULT_MAX_ATTEMPTS = 8;
    static final int MAX_BATCH_MAX_RECORDS = 10_000;
    static final long MAX_BATCH_MAX_WAIT_MS = 3_600_000;
    static final int MAX_MAX_ATTEMPTS = 1_000;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,200}");

    public SubscriptionSpec {
        requireNonNull(name, "name is null");
        requireNonNull(topic, "topic is null");
        requireNonNull(url, "url is null");
        requireNonNull(deadLetterTopic, "deadLetterTopic is null");
        requireNonNull(secret, "secret is null");
    }

    /** A spec with the default batching and attempts, no dead-letter topic and no secret. */
    public static SubscriptionSpec of(String name, String topic, String url) {
        return new SubscriptionSpec(
                name,
                topic,
                url,
                DEFAULT_BATCH_MAX_RECORDS,
                DEFAULT_BATCH_MAX_WAIT_MS,
                DEFAULT_MAX_ATTEMPTS,
                Optional.empty(),
                Optional.empty());
    }

    /** The consumer group whose committed offsets are this subscription's delivery progress. */
    public String groupId() {
        return groupId(name);
    }

    static String groupId(String name) {
        return "push." + name;
    }

    /** Checks the values a user gave; throws {@link PushException} with {@code INVALID_ARGUMENT} on the first bad one. */
    public SubscriptionSpec validate() {
        throwIfNameInvalid(name);
        if (topic.isBlank()) {
            throw invalid("topic is empty; give the topic to deliver, e.g. --topic orders");
        }
        throwIfUrlInvalid(url);
        if (batchMaxRecords < 1 || batchMaxRecords > MAX_BATCH_MAX_RECORDS) {
            throw invalid("batch-max-records must be 1-" + MAX_BATCH_MAX_RECORDS + "; got " + batchMaxRecords);
        }
        if (batchMaxWaitMs < 0 || batchMaxWaitMs > MAX_BATCH_MAX_WAIT_MS) {
            throw invalid("batch-max-wait must be 0-" + MAX_BATCH_MAX_WAIT_MS + " ms; got " + batchMaxWaitMs);
        }
        if (maxAttempts < 1 || maxAttempts > MAX_MAX_ATTEMPTS) {
            throw invalid("max-attempts must be 1-" + MAX_MAX_ATTEMPTS + "; got " + maxAttempts);
        }
        if (deadLetterTopic.isPresent() && deadLetterTopic.get().isBlank()) {
            throw invalid("dead-letter-topic is empty; leave it out, or name an existing topic");
        }
        if (deadLetterTopic.isPresent() && deadLetterTopic.get().equals(topic)) {
            throw invalid("dead-letter-topic must differ from topic '" + topic + "'");
        }
        if (secret.isPresent() && secret.get().isEmpty()) {
            throw invalid("secret is empty; leave it out, or give the shared HMAC secret");
        }
        return this;
    }

    static void throwIfNameInvalid(String name) {
        if (!NAME.matcher(name).matches()) {
            throw invalid("subscription name must be 1-200 of A-Z a-z 0-9 . _ -; got '" + name + "'");
        }
    }

    private static void throwIfUrlInvalid(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw invalid(
                    "url '" + url + "' is not a URL (" + e.getReason() + "); give e.g. http://127.0.0.1:9000/hook");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw invalid("url '" + url + "' must be http:// or https://; give e.g. http://127.0.0.1:9000/hook");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw invalid("url '" + url + "' has no host; give e.g. http://127.0.0.1:9000/hook");
        }
    }

    private static PushException invalid(String message) {
        return new PushException(PushException.Code.INVALID_ARGUMENT, message);
    }
}
