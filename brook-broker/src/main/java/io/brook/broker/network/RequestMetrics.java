package io.brook.broker.network;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.noop.NoopCounter;
import java.util.Set;
import org.apache.kafka.common.protocol.ApiKeys;

/**
 * The broker's request counters, per Kafka API: requests received, bytes received (request frames, size prefix
 * included) and bytes sent (response frames). Registered once, at start, in the registry the broker is given, as
 * {@code brook.broker.requests}, {@code brook.broker.bytes.in} and {@code brook.broker.bytes.out} with tag {@code api}
 * (Kafka's name of the API, e.g. {@code Produce}); Prometheus shows them as {@code brook_broker_requests_total} and so
 * on, and produce/fetch rates are their {@code rate()}.
 *
 * <p>The hot path is an array lookup and a counter increment: nothing is allocated per request. Thread-safe.
 */
public final class RequestMetrics {
    /** Counts nothing; for brokers started without a registry in tests. */
    public static final RequestMetrics NONE = new RequestMetrics(null, Set.of());

    private final Counter[] requests;
    private final Counter[] bytesIn;
    private final Counter[] bytesOut;

    private RequestMetrics(MeterRegistry registry, Set<ApiKeys> apis) {
        int size = 0;
        for (ApiKeys api : ApiKeys.values()) {
            size = Math.max(size, api.id + 1);
        }
        requests = new Counter[size];
        bytesIn = new Counter[size];
        bytesOut = new Counter[size];
        Counter none = new NoopCounter(null);
        for (ApiKeys api : ApiKeys.values()) {
            boolean counted = registry != null && apis.contains(api);
            requests[api.id] = counted ? counter(registry, "brook.broker.requests", "requests received", api) : none;
            bytesIn[api.id] =
                    counted ? counter(registry, "brook.broker.bytes.in", "request bytes received", api) : none;
            bytesOut[api.id] = counted ? counter(registry, "brook.broker.bytes.out", "response bytes sent", api) : none;
        }
    }

    /** Registers one counter per served API and direction in {@code registry}. */
    public static RequestMetrics register(MeterRegistry registry, Set<ApiKeys> apis) {
        requireNonNull(registry, "registry is null");
        requireNonNull(apis, "apis is null");
        return new RequestMetrics(registry, apis);
    }

    private static Counter counter(MeterRegistry registry, String name, String description, ApiKeys api) {
        return Counter.builder(name)
                .description("Kafka " + description + " by the broker, per API")
                .tag("api", api.name)
                .register(registry);
    }

    /** A request frame of {@code bytes} bytes (size prefix included) for {@code api} arrived. */
    void received(ApiKeys api, int bytes) {
        requests[api.id].increment();
        bytesIn[api.id].increment(bytes);
    }

    /** A response frame of {@code bytes} bytes (size prefix included) to {@code api} was encoded. */
    void sent(ApiKeys api, int bytes) {
        bytesOut[api.id].increment(bytes);
    }
}
