package io.brook.http;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Long-poll consume over HTTP with consumer groups, in the style of Confluent's REST Proxy v2. Each consumer instance
 * is one {@link KafkaConsumer} in its group, subscribed to its topics, with offsets committed only when asked:
 *
 * <ul>
 *   <li>{@code POST /consumers/{group}} with {@code {"name": "c1", "topics": ["clicks"], "format": "json",
 *       "autoOffsetReset": "earliest"}} creates the instance (201, {@code {"instanceId", "uri"}}); {@code name} is
 *       optional, {@code format} (json, string or base64) says how keys and values are shown, {@code autoOffsetReset}
 *       (earliest or latest) where a partition without a committed offset starts.
 *   <li>{@code GET .../instances/{id}/records?timeoutMs=1000&maxRecords=500&maxBytes=1048576} waits up to {@code
 *       timeoutMs} for records and answers at most {@code maxRecords} of at most {@code maxBytes} of keys and values
 *       (always at least one record when there is one). Records fetched beyond that wait for the next GET.
 *   <li>{@code POST .../instances/{id}/offsets} commits what the instance has returned (an empty body), or the given
 *       {@code {"offsets": [{"topic", "partition", "offset"}]}}, where {@code offset} is the next one to read, as in
 *       Kafka.
 *   <li>{@code POST .../instances/{id}/positions} with {@code {"partitions": [{"topic", "partition", "offset"} or
 *       {"topic", "partition", "timestamp"}]}}, and {@code POST .../positions/beginning} or {@code .../positions/end}
 *       with {@code {"partitions": [{"topic", "partition"}]}} (all assigned partitions when left out), move the
 *       instance's position (seek). Only partitions assigned to the instance can be moved: a new instance is assigned
 *       its partitions by its first GET of records.
 *   <li>{@code GET .../instances/{id}/assignments} lists the assigned partitions; {@code DELETE .../instances/{id}}
 *       leaves the group and closes the instance (204).
 * </ul>
 *
 * <p>An instance without a request for {@code idleTimeout} expires: it leaves its group, and requests to it are then
 * answered 404 {@code CONSUMER_INSTANCE_EXPIRED}. Requests to one instance run one at a time (a KafkaConsumer is
 * single-threaded); different instances run in parallel. {@link #close()} closes every instance.
 */
final class ConsumersApi implements HttpRoutes, AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(ConsumersApi.class);
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,200}");
    private static final int EXPIRED_REMEMBERED = 1000;
    private static final long MAX_TIMEOUT_MS = 30_000;

    private final KafkaClients clients;
    private final Duration idleTimeout;
    private final LongSupplier nanoTime;
    private final Map<String, Instance> instances = new ConcurrentHashMap<>();
    private final Map<String, Long> expired = java.util.Collections.synchronizedMap(new LinkedHashMap<>() {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > EXPIRED_REMEMBERED;
        }
    });
    private final ScheduledExecutorService expiry;

    ConsumersApi(KafkaClients clients, Duration idleTimeout, LongSupplier nanoTime) {
        this.clients = requireNonNull(clients, "clients is null");
        this.idleTimeout = requireNonNull(idleTimeout, "idleTimeout is null");
        this.nanoTime = requireNonNull(nanoTime, "nanoTime is null");
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("idleTimeout must be > 0, was " + idleTimeout);
        }
        this.expiry = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "brook-http-consumer-expiry");
            thread.setDaemon(true);
            return thread;
        });
        long period = Math.max(50, Math.min(1000, idleTimeout.toMillis() / 4));
        expiry.scheduleWithFixedDelay(this::expireIdle, period, period, TimeUnit.MILLISECONDS);
    }

    @Override
    public void addTo(JavalinDefaultRoutingApi routes) {
        routes.post("/consumers/{group}", this::create);
        String instance = "/consumers/{group}/instances/{id}";
        routes.delete(instance, this::delete);
        routes.get(instance + "/records", this::records);
        routes.post(instance + "/offsets", this::commit);
        routes.get(instance + "/assignments", this::assignments);
        routes.post(instance + "/positions", ctx -> seek(ctx, Seek.OFFSET));
        routes.post(instance + "/positions/beginning", ctx -> seek(ctx, Seek.BEGINNING));
        routes.post(instance + "/positions/end", ctx -> seek(ctx, Seek.END));
    }

    private enum Format {
        JSON,
        STRING,
        BASE64
    }

    private enum Seek {
        OFFSET,
        BEGINNING,
        END
    }

    /** One HTTP consumer instance; every field but {@code lastUsed} is guarded by {@code lock}. */
    private final class Instance {
        final String group;
        final String id;
        final Format format;
        final KafkaConsumer<byte[], byte[]> consumer;
        final ReentrantLock lock = new ReentrantLock();
        final ArrayDeque<ConsumerRecord<byte[], byte[]>> buffered = new ArrayDeque<>();
        /** The next offset after the last record returned, per partition: what an empty commit commits. */
        final Map<TopicPartition, Long> returned = new HashMap<>();

        volatile long lastUsed;
        boolean closed;

        Instance(String group, String id, Format format, KafkaConsumer<byte[], byte[]> consumer) {
            this.group = group;
            this.id = id;
            this.format = format;
            this.consumer = consumer;
            this.lastUsed = nanoTime.getAsLong();
        }

        void forget(Collection<TopicPartition> partitions) {
            buffered.removeIf(record -> partitions.contains(new TopicPartition(record.topic(), record.partition())));
            partitions.forEach(returned::remove);
        }

        void close() {
            if (!closed) {
                closed = true;
                consumer.close(Duration.ofSeconds(5));
            }
        }
    }

    private static String key(String group, String id) {
        return group + "\u0000" + id;
    }

    private void create(Context ctx) {
        String group = ctx.pathParam("group");
        JsonNode body = ApiJson.body(ctx, false);
        String id = ApiJson.text(body, "name", null);
        if (id == null) {
            id = "http-" + UUID.randomUUID();
        } else if (!NAME.matcher(id).matches()) {
            throw ApiException.badRequest("'name' must be 1-200 of A-Z a-z 0-9 . _ -, was '" + id + "'");
        }
        List<String> topics = ApiJson.strings(body, "topics");
        if (topics.isEmpty()) {
            throw ApiException.badRequest("the body needs a non-empty array 'topics'; send {\"topics\": [\"clicks\"]}");
        }
        Format format = switch (ApiJson.text(body, "format", "json").toLowerCase(Locale.ROOT)) {
            case "json" -> Format.JSON;
            case "string" -> Format.STRING;
            case "base64" -> Format.BASE64;
            default ->
                throw ApiException.badRequest(
                        "'format' must be json, string or base64, was '" + ApiJson.text(body, "format", "json") + "'");
        };
        String reset = ApiJson.text(body, "autoOffsetReset", "earliest").toLowerCase(Locale.ROOT);
        if (!reset.equals("earliest") && !reset.equals("latest")) {
            throw ApiException.badRequest("'autoOffsetReset' must be earliest or latest, was '" + reset + "'");
        }
        for (String topic : topics) {
            TopicsApi.describeTopic(clients, topic);
        }
        String key = key(group, id);
        if (instances.containsKey(key)) {
            throw new ApiException(
                    409,
                    "CONSUMER_INSTANCE_EXISTS",
                    "group '" + group + "' already has a consumer instance '" + id
                            + "'; pick another name or leave 'name' out");
        }
        KafkaConsumer<byte[], byte[]> consumer;
        try {
            consumer = new KafkaConsumer<>(
                    clients.consumerProperties(group, "brook-http-" + id, reset),
                    new ByteArrayDeserializer(),
                    new ByteArrayDeserializer());
        } catch (KafkaException e) {
            throw KafkaClients.translate(e);
        }
        Instance instance = new Instance(group, id, format, consumer);
        consumer.subscribe(topics, new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                instance.forget(partitions);
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {}

            @Override
            public void onPartitionsLost(Collection<TopicPartition> partitions) {
                instance.forget(partitions);
            }
        });
        if (instances.putIfAbsent(key, instance) != null) {
            consumer.close(Duration.ZERO);
            throw new ApiException(
                    409,
                    "CONSUMER_INSTANCE_EXISTS",
                    "group '" + group + "' already has a consumer instance '" + id + "'");
        }
        String uri = "/consumers/" + group + "/instances/" + id;
        ObjectNode root = ApiJson.NODES.objectNode();
        root.put("instanceId", id);
        root.put("group", group);
        root.put("uri", uri);
        ctx.header("Location", uri);
        ApiJson.write(ctx, 201, root);
    }

    /** Runs {@code action} on the instance the path names, holding its lock; 404 when it is gone. */
    private <T> T withInstance(Context ctx, java.util.function.Function<Instance, T> action) {
        String group = ctx.pathParam("group");
        String id = ctx.pathParam("id");
        Instance instance = instances.get(key(group, id));
        if (instance == null) {
            throw missing(group, id);
        }
        instance.lock.lock();
        try {
            if (instance.closed) {
                throw missing(group, id);
            }
            instance.lastUsed = nanoTime.getAsLong();
            try {
                return action.apply(instance);
            } catch (KafkaException e) {
                throw KafkaClients.translate(e);
            } finally {
                instance.lastUsed = nanoTime.getAsLong();
            }
        } finally {
            instance.lock.unlock();
        }
    }

    private ApiException missing(String group, String id) {
        if (expired.containsKey(key(group, id))) {
            return ApiException.notFound(
                    "CONSUMER_INSTANCE_EXPIRED",
                    "consumer instance '" + id + "' of group '" + group + "' expired after " + idleTimeout.toMillis()
                            + " ms without a request; create a new one with POST /consumers/" + group);
        }
        return ApiException.notFound(
                "CONSUMER_INSTANCE_NOT_FOUND",
                "group '" + group + "' has no consumer instance '" + id + "'; create one with POST /consumers/"
                        + group);
    }

    private void delete(Context ctx) {
        String group = ctx.pathParam("group");
        String id = ctx.pathParam("id");
        Instance waiting = instances.get(key(group, id));
        if (waiting != null) {
            // A long poll in progress holds the instance: end it now rather than at its timeout.
            waiting.consumer.wakeup();
        }
        withInstance(ctx, instance -> {
            instances.remove(key(group, id), instance);
            instance.close();
            return null;
        });
        ctx.status(204);
    }

    private void records(Context ctx) {
        long timeoutMs = ApiJson.queryLong(ctx, "timeoutMs", 1000, 0, MAX_TIMEOUT_MS);
        long maxRecords = ApiJson.queryLong(ctx, "maxRecords", 500, 1, 100_000);
        long maxBytes = ApiJson.queryLong(ctx, "maxBytes", 1 << 20, 1, 64L << 20);
        ArrayNode records = withInstance(ctx, instance -> {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
            while (instance.buffered.isEmpty()) {
                long left = deadline - System.nanoTime();
                try {
                    for (ConsumerRecord<byte[], byte[]> record :
                            instance.consumer.poll(Duration.ofNanos(Math.max(0, left)))) {
                        instance.buffered.add(record);
                    }
                } catch (WakeupException e) {
                    break; // the instance is being deleted or the server stops: answer what there is
                }
                if (left <= 0) {
                    break;
                }
            }
            ArrayNode out = ApiJson.NODES.arrayNode();
            long bytes = 0;
            while (!instance.buffered.isEmpty() && out.size() < maxRecords) {
                ConsumerRecord<byte[], byte[]> record = instance.buffered.peek();
                long size = Math.max(0, record.serializedKeySize()) + Math.max(0, record.serializedValueSize());
                if (!out.isEmpty() && bytes + size > maxBytes) {
                    break;
                }
                instance.buffered.poll();
                bytes += size;
                out.add(json(record, instance.format));
                instance.returned.put(new TopicPartition(record.topic(), record.partition()), record.offset() + 1);
            }
            return out;
        });
        ObjectNode root = ApiJson.NODES.objectNode();
        root.set("records", records);
        ApiJson.write(ctx, 200, root);
    }

    private void commit(Context ctx) {
        JsonNode body = ApiJson.body(ctx, true);
        Map<TopicPartition, Long> explicit = new LinkedHashMap<>();
        JsonNode offsets = body.get("offsets");
        if (offsets != null && !offsets.isNull()) {
            if (!offsets.isArray()) {
                throw ApiException.badRequest(
                        "'offsets' must be an array of {\"topic\", \"partition\", \"offset\"}, was " + offsets);
            }
            for (JsonNode offset : offsets) {
                TopicPartition partition = partition(offset);
                Long value = ApiJson.integer(offset, "offset", null);
                if (value == null || value < 0) {
                    throw ApiException.badRequest(
                            "each of 'offsets' needs an 'offset' >= 0 (the next offset to read); got " + offset);
                }
                explicit.put(partition, value);
            }
        }
        ArrayNode committed = withInstance(ctx, instance -> {
            Map<TopicPartition, Long> toCommit = explicit.isEmpty() ? new HashMap<>(instance.returned) : explicit;
            Map<TopicPartition, OffsetAndMetadata> request = new HashMap<>();
            toCommit.forEach((partition, offset) -> request.put(partition, new OffsetAndMetadata(offset)));
            if (!request.isEmpty()) {
                instance.consumer.commitSync(request);
            }
            ArrayNode out = ApiJson.NODES.arrayNode();
            sorted(toCommit.keySet())
                    .forEach(partition -> out.addObject()
                            .put("topic", partition.topic())
                            .put("partition", partition.partition())
                            .put("offset", toCommit.get(partition)));
            return out;
        });
        ObjectNode root = ApiJson.NODES.objectNode();
        root.set("committed", committed);
        ApiJson.write(ctx, 200, root);
    }

    private void assignments(Context ctx) {
        ArrayNode partitions = withInstance(ctx, instance -> {
            ArrayNode out = ApiJson.NODES.arrayNode();
            sorted(instance.consumer.assignment())
                    .forEach(partition ->
                            out.addObject().put("topic", partition.topic()).put("partition", partition.partition()));
            return out;
        });
        ObjectNode root = ApiJson.NODES.objectNode();
        root.set("partitions", partitions);
        ApiJson.write(ctx, 200, root);
    }

    private void seek(Context ctx, Seek seek) {
        JsonNode body = ApiJson.body(ctx, seek != Seek.OFFSET);
        JsonNode partitionsNode = body.get("partitions");
        List<JsonNode> entries = new ArrayList<>();
        if (partitionsNode != null && !partitionsNode.isNull()) {
            if (!partitionsNode.isArray()) {
                throw ApiException.badRequest(
                        "'partitions' must be an array of {\"topic\", \"partition\"}, was " + partitionsNode);
            }
            partitionsNode.forEach(entries::add);
        }
        if (seek == Seek.OFFSET && entries.isEmpty()) {
            throw ApiException.badRequest("send {\"partitions\": [{\"topic\": \"clicks\", \"partition\": 0, \"offset\":"
                    + " 42}]} (or \"timestamp\" in ms instead of \"offset\")");
        }
        Map<TopicPartition, Long> offsets = new LinkedHashMap<>();
        Map<TopicPartition, Long> timestamps = new LinkedHashMap<>();
        for (JsonNode entry : entries) {
            TopicPartition partition = partition(entry);
            if (seek == Seek.OFFSET) {
                Long offset = ApiJson.integer(entry, "offset", null);
                Long timestamp = ApiJson.integer(entry, "timestamp", null);
                if ((offset == null) == (timestamp == null)) {
                    throw ApiException.badRequest("each partition needs either 'offset' or 'timestamp'; got " + entry);
                }
                if (offset != null && offset < 0 || timestamp != null && timestamp < 0) {
                    throw ApiException.badRequest("'offset' and 'timestamp' must be >= 0; got " + entry);
                }
                if (offset != null) {
                    offsets.put(partition, offset);
                } else {
                    timestamps.put(partition, timestamp);
                }
            } else {
                offsets.put(partition, -1L);
            }
        }
        ArrayNode moved = withInstance(ctx, instance -> {
            Set<TopicPartition> assigned = instance.consumer.assignment();
            Set<TopicPartition> wanted = new java.util.LinkedHashSet<>();
            wanted.addAll(offsets.keySet());
            wanted.addAll(timestamps.keySet());
            if (entries.isEmpty()) {
                wanted.addAll(assigned);
            }
            for (TopicPartition partition : wanted) {
                if (!assigned.contains(partition)) {
                    throw new ApiException(
                            409,
                            "PARTITION_NOT_ASSIGNED",
                            "partition " + partition + " is not assigned to consumer instance '" + instance.id
                                    + "' (assigned: " + sorted(assigned)
                                    + "); GET its records once so that it joins the group, then seek");
                }
            }
            instance.forget(wanted);
            switch (seek) {
                case BEGINNING -> instance.consumer.seekToBeginning(wanted);
                case END -> instance.consumer.seekToEnd(wanted);
                case OFFSET -> {
                    offsets.forEach(instance.consumer::seek);
                    if (!timestamps.isEmpty()) {
                        Map<TopicPartition, OffsetAndTimestamp> found = instance.consumer.offsetsForTimes(timestamps);
                        Set<TopicPartition> pastTheEnd = new java.util.HashSet<>();
                        for (TopicPartition partition : timestamps.keySet()) {
                            OffsetAndTimestamp at = found.get(partition);
                            if (at == null) {
                                pastTheEnd.add(partition);
                            } else {
                                instance.consumer.seek(partition, at.offset());
                            }
                        }
                        if (!pastTheEnd.isEmpty()) {
                            instance.consumer.seekToEnd(pastTheEnd);
                        }
                    }
                }
            }
            ArrayNode out = ApiJson.NODES.arrayNode();
            for (TopicPartition partition : sorted(wanted)) {
                out.addObject()
                        .put("topic", partition.topic())
                        .put("partition", partition.partition())
                        .put("offset", instance.consumer.position(partition));
            }
            return out;
        });
        ObjectNode root = ApiJson.NODES.objectNode();
        root.set("positions", moved);
        ApiJson.write(ctx, 200, root);
    }

    private static TopicPartition partition(JsonNode entry) {
        if (!entry.isObject()) {
            throw ApiException.badRequest("expected {\"topic\": ..., \"partition\": ...}, got " + entry);
        }
        String topic = ApiJson.text(entry, "topic", null);
        Long partition = ApiJson.integer(entry, "partition", null);
        if (topic == null || partition == null || partition < 0 || partition > Integer.MAX_VALUE) {
            throw ApiException.badRequest("expected {\"topic\": string, \"partition\": integer >= 0}, got " + entry);
        }
        return new TopicPartition(topic, partition.intValue());
    }

    private static List<TopicPartition> sorted(Collection<TopicPartition> partitions) {
        List<TopicPartition> list = new ArrayList<>(partitions);
        list.sort(Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition));
        return list;
    }

    private static ObjectNode json(ConsumerRecord<byte[], byte[]> record, Format format) {
        ObjectNode node = ApiJson.NODES.objectNode();
        node.put("topic", record.topic());
        node.put("partition", record.partition());
        node.put("offset", record.offset());
        node.put("timestamp", record.timestamp());
        put(node, "key", record.key(), format);
        put(node, "value", record.value(), format);
        ArrayNode headers = node.putArray("headers");
        for (Header header : record.headers()) {
            ObjectNode h = headers.addObject().put("name", header.key());
            if (header.value() == null) {
                h.putNull("value");
            } else {
                h.put("value", new String(header.value(), StandardCharsets.UTF_8));
            }
        }
        return node;
    }

    /**
     * Writes bytes under {@code field} in {@code format}. Under json, bytes that are not JSON (a plain string a Kafka
     * producer wrote) are shown as a string, with {@code <field>Format: "string"} saying so.
     */
    private static void put(ObjectNode node, String field, byte[] bytes, Format format) {
        if (bytes == null) {
            node.putNull(field);
            return;
        }
        switch (format) {
            case BASE64 -> node.put(field, Base64.getEncoder().encodeToString(bytes));
            case STRING -> node.put(field, new String(bytes, StandardCharsets.UTF_8));
            case JSON -> {
                try {
                    node.set(field, ApiJson.MAPPER.readTree(bytes));
                } catch (IOException e) {
                    node.put(field, new String(bytes, StandardCharsets.UTF_8));
                    node.put(field + "Format", "string");
                }
            }
        }
    }

    private void expireIdle() {
        long now = nanoTime.getAsLong();
        for (Iterator<Map.Entry<String, Instance>> it = instances.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Instance> entry = it.next();
            Instance instance = entry.getValue();
            if (now - instance.lastUsed < idleTimeout.toNanos() || !instance.lock.tryLock()) {
                continue;
            }
            try {
                if (now - instance.lastUsed < idleTimeout.toNanos()) {
                    continue;
                }
                expired.put(entry.getKey(), now);
                it.remove();
                LOGGER.info(
                        "[group {}] consumer instance {} expired after {} ms idle; it leaves the group",
                        instance.group,
                        instance.id,
                        idleTimeout.toMillis());
                instance.close();
            } catch (RuntimeException e) {
                LOGGER.warn("[group {}] closing expired consumer instance {} failed", instance.group, instance.id, e);
            } finally {
                instance.lock.unlock();
            }
        }
    }

    /** The instances, for tests and the dashboard: group → instance ids, sorted. */
    Map<String, List<String>> instanceIds() {
        Map<String, List<String>> ids = new TreeMap<>();
        instances
                .values()
                .forEach(i ->
                        ids.computeIfAbsent(i.group, g -> new ArrayList<>()).add(i.id));
        ids.values().forEach(list -> list.sort(null));
        return ids;
    }

    /** Stops expiring and closes every instance (each leaves its group). Idempotent. */
    @Override
    public void close() {
        expiry.shutdownNow();
        instances.values().forEach(instance -> instance.consumer.wakeup());
        for (Instance instance : instances.values()) {
            instance.lock.lock();
            try {
                instance.close();
            } catch (RuntimeException e) {
                LOGGER.warn("[group {}] closing consumer instance {} failed", instance.group, instance.id, e);
            } finally {
                instance.lock.unlock();
            }
        }
        instances.clear();
    }
}
