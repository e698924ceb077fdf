package io.brook.broker.topic;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Traffic per topic, as Kafka's BrokerTopicMetrics (BytesInPerSec, MessagesInPerSec, BytesOutPerSec): {@code
 * brook.topic.bytes.in} and {@code brook.topic.records.in} count what produce requests appended (duplicates that
 * idempotence dropped are not counted), {@code brook.topic.bytes.out} what fetch responses carried (consumers, the
 * engine's sources, push subscriptions), each tagged {@code topic}. Prometheus shows them as {@code
 * brook_topic_bytes_in_total} and so on; their {@code rate()} is a topic's in and out rate.
 *
 * <p>A topic's counters are registered at its first traffic; after that the hot path is a map lookup and a counter
 * increment. Thread-safe.
 */
public final class TopicMetrics {
    /** Counts nothing; for brokers started without a registry. */
    public static final TopicMetrics NONE = new TopicMetrics(null);

    private final MeterRegistry registry;
    private final Map<String, Counters> byTopic = new ConcurrentHashMap<>();

    private record Counters(Counter bytesIn, Counter recordsIn, Counter bytesOut) {}

    private TopicMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Counters registered in {@code registry}; {@link #NONE} when it is null. */
    public static TopicMetrics of(MeterRegistry registry) {
        return registry == null ? NONE : new TopicMetrics(registry);
    }

    /** A produce request appended {@code records} records in {@code bytes} bytes of batches to {@code topic}. */
    public void appended(String topic, long records, int bytes) {
        if (registry == null) {
            return;
        }
        Counters counters = counters(topic);
        counters.recordsIn().increment(records);
        counters.bytesIn().increment(bytes);
    }

    /** A fetch response carries {@code bytes} bytes of {@code topic}'s batches. */
    public void fetched(String topic, long bytes) {
        if (registry == null || bytes <= 0) {
            return;
        }
        counters(topic).bytesOut().increment(bytes);
    }

    /** Removes a deleted topic's counters, as Kafka removes its BrokerTopicMetrics: a topic made again starts at 0. */
    public void forget(String topic) {
        Counters counters = byTopic.remove(topic);
        if (counters != null) {
            registry.remove(counters.bytesIn());
            registry.remove(counters.recordsIn());
            registry.remove(counters.bytesOut());
        }
    }

    private Counters counters(String topic) {
        Counters counters = byTopic.get(topic);
        return counters != null ? counters : byTopic.computeIfAbsent(topic, this::register);
    }

    private Counters register(String topic) {
        return new Counters(
                counter("brook.topic.bytes.in", "Bytes of record batches appended to the topic", topic),
                counter("brook.topic.records.in", "Records appended to the topic", topic),
                counter("brook.topic.bytes.out", "Bytes of record batches fetched from the topic", topic));
    }

    private Counter counter(String name, String description, String topic) {
        return Counter.builder(name)
                .description(description)
                .tag("topic", topic)
                .register(registry);
    }
}
