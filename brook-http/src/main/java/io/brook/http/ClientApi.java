package io.brook.http;

import static java.util.Objects.requireNonNull;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * The HTTP API for clients that do not speak Kafka: topics, produce, long-poll consume with consumer groups, groups and
 * lag, and Prometheus metrics. {@link BrookHttpServer} serves its {@link #routes()} beside the SQL endpoints.
 *
 * <p>Design. The API runs in the same process as the broker ({@code brook server}) but talks to it as a client would:
 * through kafka-clients' {@link org.apache.kafka.clients.admin.Admin}, {@code KafkaProducer} and {@code KafkaConsumer}
 * over loopback to the address {@code bootstrap} supplies. That reuses every protocol rule the broker already
 * enforces and tests (acks, idempotence, group membership and rebalances, offset commits, config validation, topic
 * naming) instead of a second path into the broker's objects that could drift from it, and it lets the API run
 * against any Kafka-compatible broker. The cost is a loopback hop per call, small beside HTTP's. Only the broker's
 * request counters come from inside the broker: it registers them in the same Micrometer registry, which {@code
 * /metrics} serves; log sizes, offsets and group lag are read through the Admin at each scrape (DescribeLogDirs,
 * ListOffsets, OffsetFetch), so they are exactly what Kafka's tools would see.
 *
 * <p>Clients: one Admin and one producer per acks level (0, 1, all; all is idempotent), shared by every request and
 * made at first use, as the broker may start after the API; one consumer per HTTP consumer instance. Errors are
 * {@code {"error": {"code", "message"}}} with 400 for bad input, 404 for an unknown topic, partition, group or
 * consumer instance, 409 for what exists or is busy, 413 for a record too large and 503 when the broker does not
 * answer, as the SQL endpoints answer theirs. {@link #close()} closes the consumer instances, then the producers and
 * the Admin; it is idempotent. The registry is its caller's.
 */
public final class ClientApi implements AutoCloseable {
    /** How the API waits on the broker, and how long an idle consumer instance lives. */
    public record Settings(Duration requestTimeout, Duration consumerIdleTimeout) {
        public Settings {
            requireNonNull(requestTimeout, "requestTimeout is null");
            requireNonNull(consumerIdleTimeout, "consumerIdleTimeout is null");
            if (requestTimeout.isNegative() || requestTimeout.isZero()) {
                throw new IllegalArgumentException("requestTimeout must be > 0, was " + requestTimeout);
            }
            if (consumerIdleTimeout.isNegative() || consumerIdleTimeout.isZero()) {
                throw new IllegalArgumentException("consumerIdleTimeout must be > 0, was " + consumerIdleTimeout);
            }
        }

        /** 15 s per broker call; consumer instances expire after 5 minutes without a request, as REST Proxy's do. */
        public static Settings defaults() {
            return new Settings(Duration.ofSeconds(15), Duration.ofMinutes(5));
        }
    }

    private final KafkaClients clients;
    private final ConsumersApi consumers;
    private final MetricsApi metrics;
    private final List<HttpRoutes> routes;
    private boolean closed;

    private ClientApi(
            KafkaClients clients, ConsumersApi consumers, MetricsApi metrics, PrometheusMeterRegistry registry) {
        this.clients = clients;
        this.consumers = consumers;
        this.metrics = metrics;
        this.routes = List.of(
                new HttpRequestMetrics(registry),
                new TopicsApi(clients, registry),
                new ProduceApi(clients),
                consumers,
                new GroupsApi(clients),
                metrics);
    }

    /**
     * An API over the broker at {@code bootstrap} (read at the first request; null until the broker is up, answered
     * 503), serving {@code registry} at {@code /metrics}.
     */
    public static ClientApi create(Supplier<String> bootstrap, PrometheusMeterRegistry registry, Settings settings) {
        requireNonNull(bootstrap, "bootstrap is null");
        requireNonNull(registry, "registry is null");
        requireNonNull(settings, "settings is null");
        KafkaClients clients = new KafkaClients(bootstrap, settings.requestTimeout());
        ConsumersApi consumers = new ConsumersApi(clients, settings.consumerIdleTimeout(), System::nanoTime);
        return new ClientApi(clients, consumers, new MetricsApi(registry, clients), registry);
    }

    /** The route modules to hand to {@link BrookHttpServer#start(String, int, SqlService, List)}. */
    public List<HttpRoutes> routes() {
        return routes;
    }

    /** {@code /metrics}: where other parts of the server register their meters and scrape-time refreshers. */
    public MetricsApi metrics() {
        return metrics;
    }

    /** The live HTTP consumer instances: group → instance ids, sorted (for the dashboard and tests). */
    public java.util.Map<String, List<String>> consumerInstances() {
        return consumers.instanceIds();
    }

    /** Closes the consumer instances (each leaves its group), the metrics binders, the producers and the Admin. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        RuntimeException failure = null;
        for (AutoCloseable part : List.<AutoCloseable>of(consumers, metrics, clients)) {
            try {
                part.close();
            } catch (Exception e) {
                RuntimeException wrapped = e instanceof RuntimeException r ? r : new IllegalStateException(e);
                if (failure == null) {
                    failure = wrapped;
                } else {
                    failure.addSuppressed(wrapped);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
