package io.brook.http;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.GroupNotEmptyException;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.PolicyViolationException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownMemberIdException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The Kafka clients the client API shares, talking to the server's own broker over loopback: one {@link Admin} and one
 * producer per acks level, each made at first use (the broker may still be starting when the API starts). Consumers
 * are per HTTP consumer instance and made by {@link ConsumersApi} from {@link #consumerProperties}. Thread-safe;
 * {@link #close()} closes every client made, is idempotent, and makes later calls fail.
 */
final class KafkaClients implements AutoCloseable {
    /** The acks levels a produce request may ask for. */
    enum Acks {
        NONE("0"),
        LEADER("1"),
        ALL("all");

        private final String configValue;

        Acks(String configValue) {
            this.configValue = configValue;
        }

        String configValue() {
            return configValue;
        }

        /** Kafka's spellings: 0, 1, all or -1 (as a string or a number). */
        static Acks parse(String value) {
            return switch (value.strip().toLowerCase(Locale.ROOT)) {
                case "0" -> NONE;
                case "1" -> LEADER;
                case "all", "-1" -> ALL;
                default ->
                    throw ApiException.badRequest("acks must be 0, 1 or all (-1 means all), was '" + value + "'");
            };
        }
    }

    private final Supplier<String> bootstrap;
    private final Duration timeout;
    private final Map<Acks, KafkaProducer<byte[], byte[]>> producers = new EnumMap<>(Acks.class);
    private Admin admin;
    private boolean closed;

    KafkaClients(Supplier<String> bootstrap, Duration timeout) {
        this.bootstrap = requireNonNull(bootstrap, "bootstrap is null");
        this.timeout = requireNonNull(timeout, "timeout is null");
    }

    /** How long a call to the broker may take before the API answers 503. */
    Duration timeout() {
        return timeout;
    }

    String bootstrap() {
        String servers = bootstrap.get();
        if (servers == null) {
            throw new ApiException(503, "BROKER_UNAVAILABLE", "the broker is still starting; retry in a moment");
        }
        return servers;
    }

    synchronized Admin admin() {
        throwIfClosed();
        if (admin == null) {
            Properties properties = new Properties();
            properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
            properties.put(AdminClientConfig.CLIENT_ID_CONFIG, "brook-http-admin");
            properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Long.toString(timeout.toMillis()));
            properties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(timeout.toMillis()));
            admin = Admin.create(properties);
        }
        return admin;
    }

    /** The shared producer for {@code acks}; idempotent for acks=all, as Kafka's default producer is. */
    synchronized KafkaProducer<byte[], byte[]> producer(Acks acks) {
        throwIfClosed();
        KafkaProducer<byte[], byte[]> producer = producers.get(acks);
        if (producer == null) {
            Properties properties = new Properties();
            properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
            properties.put(ProducerConfig.CLIENT_ID_CONFIG, "brook-http-producer-acks-" + acks.configValue());
            properties.put(ProducerConfig.ACKS_CONFIG, acks.configValue());
            properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, Boolean.toString(acks == Acks.ALL));
            properties.put(ProducerConfig.LINGER_MS_CONFIG, "1");
            properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(timeout.toMillis()));
            properties.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(timeout.toMillis()));
            properties.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(timeout.toMillis() + 1000));
            producer = new KafkaProducer<>(properties, new ByteArraySerializer(), new ByteArraySerializer());
            producers.put(acks, producer);
        }
        return producer;
    }

    /** Settings for an HTTP consumer instance's KafkaConsumer in {@code group}; offsets are committed explicitly. */
    Properties consumerProperties(String group, String clientId, String autoOffsetReset) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        properties.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, autoOffsetReset);
        properties.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Long.toString(timeout.toMillis()));
        properties.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(timeout.toMillis()));
        return properties;
    }

    /** Waits for an admin call, turning its failure into the API's error. */
    <T> T await(KafkaFuture<T> future) {
        try {
            return future.get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(503, "BROKER_UNAVAILABLE", "interrupted while waiting for the broker");
        } catch (ExecutionException e) {
            throw translate(e.getCause() == null ? e : e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw unavailable(e);
        }
    }

    static ApiException unavailable(Throwable cause) {
        return new ApiException(
                503,
                "BROKER_UNAVAILABLE",
                "the broker did not answer in time (" + cause.getMessage() + "); check that it runs, then retry",
                cause);
    }

    /**
     * A Kafka client's failure as the API's error: the Kafka error as its code in upper snake case (e.g. {@code
     * TOPIC_EXISTS}), its message, and the status that fits (4xx for the caller's mistakes, 503 when the broker did not
     * answer).
     */
    static ApiException translate(Throwable error) {
        if (error instanceof ApiException api) {
            return api;
        }
        String message = error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
        if (error instanceof UnknownTopicOrPartitionException) {
            return new ApiException(404, "TOPIC_NOT_FOUND", message + "; GET /topics lists the topics", error);
        }
        if (error instanceof TopicExistsException) {
            return new ApiException(409, "TOPIC_EXISTS", message, error);
        }
        if (error instanceof GroupIdNotFoundException) {
            return new ApiException(404, "GROUP_NOT_FOUND", message + "; GET /groups lists them", error);
        }
        if (error instanceof GroupNotEmptyException || error instanceof UnknownMemberIdException) {
            return new ApiException(
                    409,
                    "GROUP_NOT_EMPTY",
                    message + "; stop the group's consumers (DELETE their HTTP consumer instances) first",
                    error);
        }
        if (error instanceof RecordTooLargeException || error instanceof RecordBatchTooLargeException) {
            return new ApiException(413, "RECORD_TOO_LARGE", message, error);
        }
        if (error instanceof InvalidConfigurationException
                || error instanceof InvalidRequestException
                || error instanceof PolicyViolationException) {
            return new ApiException(400, "INVALID_CONFIG", message, error);
        }
        if (error instanceof InvalidPartitionsException
                || error instanceof InvalidReplicationFactorException
                || error instanceof InvalidTopicException) {
            return new ApiException(400, codeOf(error), message, error);
        }
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            // The admin client wraps a timeout in a plain KafkaException ("Failed to find brokers to send ...").
            if (cause instanceof TimeoutException || cause instanceof RetriableException) {
                return unavailable(cause);
            }
        }
        if (error instanceof org.apache.kafka.common.errors.ApiException) {
            return new ApiException(500, codeOf(error), message, error);
        }
        return new ApiException(500, "INTERNAL_ERROR", error.getClass().getSimpleName() + ": " + message, error);
    }

    /** {@code InvalidPartitionsException} → {@code INVALID_PARTITIONS}. */
    private static String codeOf(Throwable error) {
        String name = error.getClass().getSimpleName().replaceFirst("Exception$", "");
        return name.replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
    }

    private void throwIfClosed() {
        if (closed) {
            throw new ApiException(503, "SHUTTING_DOWN", "the server is shutting down");
        }
    }

    /** Closes the producers (flushing what they hold) and the admin client. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<AutoCloseable> clients = new ArrayList<>(producers.values());
        if (admin != null) {
            clients.add(admin);
        }
        RuntimeException failure = null;
        for (AutoCloseable client : clients) {
            try {
                if (client instanceof KafkaProducer<?, ?> producer) {
                    producer.close(timeout);
                } else if (client instanceof Admin closing) {
                    closing.close(timeout);
                }
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        producers.clear();
        if (failure != null) {
            throw failure;
        }
    }
}
