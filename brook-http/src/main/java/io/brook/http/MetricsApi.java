package io.brook.http;

import static java.util.Objects.requireNonNull;

import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /metrics}: the server's Micrometer registry in Prometheus text format. It holds
 *
 * <ul>
 *   <li>the broker's request counters ({@code brook_broker_requests_total}, {@code brook_broker_bytes_in_total},
 *       {@code brook_broker_bytes_out_total}, tag {@code api}), registered by the broker in the same registry;
 *   <li>per partition, refreshed at each scrape through the shared Admin: {@code brook_log_size_bytes}, {@code
 *       brook_log_start_offset}, {@code brook_log_end_offset} (tags {@code topic}, {@code partition});
 *   <li>per consumer group and partition, likewise: {@code brook_group_committed_offset} and {@code brook_group_lag}
 *       (tags {@code group}, {@code topic}, {@code partition});
 *   <li>the JVM's memory, GC, threads, class loading, CPU and uptime (Micrometer's binders).
 * </ul>
 *
 * <p>More meters: register them in {@link #registry()} (a counter or gauge shows up at the next scrape), and add a
 * refresher with {@link #onScrape} for values that must be read just before a scrape (as the log and group gauges
 * are). A refresher that fails is logged and the others still run; the scrape then shows the values of the last
 * successful refresh. {@link #close()} unbinds the GC listener; the registry belongs to whoever made it.
 */
public final class MetricsApi implements HttpRoutes, AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(MetricsApi.class);
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry;
    private final KafkaClients clients;
    private final List<Runnable> refreshers = new CopyOnWriteArrayList<>();
    private final JvmGcMetrics gc;
    private final MultiGauge logSize;
    private final MultiGauge logStart;
    private final MultiGauge logEnd;
    private final MultiGauge groupCommitted;
    private final MultiGauge groupLag;

    MetricsApi(PrometheusMeterRegistry registry, KafkaClients clients) {
        this.registry = requireNonNull(registry, "registry is null");
        this.clients = requireNonNull(clients, "clients is null");
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        gc = new JvmGcMetrics();
        gc.bindTo(registry);
        logSize = MultiGauge.builder("brook.log.size")
                .baseUnit("bytes")
                .description("Bytes on disk of a partition's log")
                .register(registry);
        logStart = MultiGauge.builder("brook.log.start.offset")
                .description("First offset still in a partition's log")
                .register(registry);
        logEnd = MultiGauge.builder("brook.log.end.offset")
                .description("Offset the next record appended to a partition gets")
                .register(registry);
        groupCommitted = MultiGauge.builder("brook.group.committed.offset")
                .description("Offset a consumer group committed for a partition (the next one it reads)")
                .register(registry);
        groupLag = MultiGauge.builder("brook.group.lag")
                .description("Records of a partition a consumer group has not committed yet")
                .register(registry);
        onScrape(this::refreshLogsAndGroups);
    }

    /** The registry {@code /metrics} serves; register more meters here. */
    public MeterRegistry registry() {
        return registry;
    }

    /** Runs {@code refresher} before every scrape (on the scraping request's thread). */
    public void onScrape(Runnable refresher) {
        refreshers.add(requireNonNull(refresher, "refresher is null"));
    }

    @Override
    public void addTo(JavalinDefaultRoutingApi routes) {
        routes.get("/metrics", this::scrape);
    }

    private void scrape(Context ctx) {
        for (Runnable refresher : refreshers) {
            try {
                refresher.run();
            } catch (RuntimeException e) {
                LOGGER.warn("a metrics refresher failed; /metrics shows its last values: {}", e.toString());
                LOGGER.debug("metrics refresher failure", e);
            }
        }
        ctx.status(200).contentType(PROMETHEUS_TEXT).result(registry.scrape());
    }

    private void refreshLogsAndGroups() {
        Admin admin = clients.admin();
        Set<String> topics = new TreeSet<>(clients.await(admin.listTopics().names()));
        List<TopicPartition> partitions = new ArrayList<>();
        if (!topics.isEmpty()) {
            Map<String, TopicDescription> descriptions =
                    clients.await(admin.describeTopics(topics).allTopicNames());
            for (TopicDescription description : descriptions.values()) {
                for (TopicPartitionInfo info : description.partitions()) {
                    partitions.add(new TopicPartition(description.name(), info.partition()));
                }
            }
        }
        Map<TopicPartition, Long> sizes = TopicsApi.sizes(clients, topics);
        Map<TopicPartition, Long> starts = TopicsApi.offsets(clients, partitions, OffsetSpec.earliest());
        Map<TopicPartition, Long> ends = TopicsApi.offsets(clients, partitions, OffsetSpec.latest());
        logSize.register(rows(partitions, sizes), true);
        logStart.register(rows(partitions, starts), true);
        logEnd.register(rows(partitions, ends), true);

        Collection<GroupListing> listings = clients.await(admin.listGroups().all());
        Map<String, ListConsumerGroupOffsetsSpec> specs = new HashMap<>();
        for (GroupListing listing : listings) {
            if ("consumer".equals(listing.protocol()) || listing.protocol().isEmpty()) {
                specs.put(listing.groupId(), new ListConsumerGroupOffsetsSpec());
            }
        }
        List<MultiGauge.Row<?>> committedRows = new ArrayList<>();
        List<MultiGauge.Row<?>> lagRows = new ArrayList<>();
        if (!specs.isEmpty()) {
            Map<String, Map<TopicPartition, OffsetAndMetadata>> committed =
                    clients.await(admin.listConsumerGroupOffsets(specs).all());
            for (Map.Entry<String, Map<TopicPartition, OffsetAndMetadata>> group : committed.entrySet()) {
                for (Map.Entry<TopicPartition, OffsetAndMetadata> offset :
                        group.getValue().entrySet()) {
                    if (offset.getValue() == null) {
                        continue;
                    }
                    TopicPartition partition = offset.getKey();
                    Tags tags = Tags.of(
                            "group",
                            group.getKey(),
                            "topic",
                            partition.topic(),
                            "partition",
                            Integer.toString(partition.partition()));
                    long committedOffset = offset.getValue().offset();
                    committedRows.add(MultiGauge.Row.of(tags, committedOffset));
                    Long end = ends.get(partition);
                    if (end != null) {
                        lagRows.add(MultiGauge.Row.of(tags, Math.max(0, end - committedOffset)));
                    }
                }
            }
        }
        groupCommitted.register(committedRows, true);
        groupLag.register(lagRows, true);
    }

    private static List<MultiGauge.Row<?>> rows(List<TopicPartition> partitions, Map<TopicPartition, Long> values) {
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        for (TopicPartition partition : partitions) {
            Long value = values.get(partition);
            if (value != null) {
                rows.add(MultiGauge.Row.of(
                        Tags.of("topic", partition.topic(), "partition", Integer.toString(partition.partition())),
                        value));
            }
        }
        return rows;
    }

    @Override
    public void close() {
        gc.close();
    }
}
