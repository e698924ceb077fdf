package io.brook.http;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.ReplicaInfo;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;

/**
 * Topics over HTTP, through the shared {@link Admin}:
 *
 * <ul>
 *   <li>{@code GET /topics}: names and partition counts, internal topics left out.
 *   <li>{@code GET /topics/{topic}}: partitions (leader, log start and end offsets, size on disk), every config
 *       with its value and whether it is the default, and {@code traffic}: the bytes and records produced and the
 *       bytes fetched since the broker started (counters; their rate over time is the topic's in and out rate).
 *   <li>{@code POST /topics} with {@code {"name": "clicks", "partitions": 3, "configs": {"retention.ms": "86400000"}}}:
 *       201; 409 when it exists.
 *   <li>{@code DELETE /topics/{topic}}: 204.
 *   <li>{@code PATCH /topics/{topic}/configs} with {@code {"set": {"retention.ms": "3600000"}, "delete":
 *       ["cleanup.policy"]}}: changes only the named configs (deleted ones return to their default); 204.
 * </ul>
 */
final class TopicsApi implements HttpRoutes {
    private final KafkaClients clients;
    private final MeterRegistry registry;

    /** Topics through {@code clients}; their traffic counters read from {@code registry}, where the broker keeps them. */
    TopicsApi(KafkaClients clients, MeterRegistry registry) {
        this.clients = requireNonNull(clients, "clients is null");
        this.registry = requireNonNull(registry, "registry is null");
    }

    @Override
    public void addTo(JavalinDefaultRoutingApi routes) {
        routes.get("/topics", this::list);
        routes.post("/topics", this::create);
        routes.get("/topics/{topic}", this::describe);
        routes.delete("/topics/{topic}", this::delete);
        routes.patch("/topics/{topic}/configs", this::alterConfigs);
    }

    private void list(Context ctx) {
        Admin admin = clients.admin();
        Collection<String> names =
                new TreeSet<>(clients.await(admin.listTopics().names()));
        Map<String, TopicDescription> descriptions = names.isEmpty()
                ? Map.of()
                : clients.await(admin.describeTopics(names).allTopicNames());
        ArrayNode topics = ApiJson.NODES.arrayNode();
        for (String name : names) {
            TopicDescription description = descriptions.get(name);
            if (description == null) {
                continue; // deleted between the two calls
            }
            topics.addObject()
                    .put("name", name)
                    .put("partitions", description.partitions().size());
        }
        ObjectNode root = ApiJson.NODES.objectNode();
        root.set("topics", topics);
        ApiJson.write(ctx, 200, root);
    }

    private void describe(Context ctx) {
        String topic = ctx.pathParam("topic");
        Admin admin = clients.admin();
        TopicDescription description = describeTopic(clients, topic);
        List<TopicPartition> partitions = new ArrayList<>();
        for (TopicPartitionInfo info : description.partitions()) {
            partitions.add(new TopicPartition(topic, info.partition()));
        }
        Map<TopicPartition, Long> starts = offsets(clients, partitions, OffsetSpec.earliest());
        Map<TopicPartition, Long> ends = offsets(clients, partitions, OffsetSpec.latest());
        Map<TopicPartition, Long> sizes = sizes(clients, List.of(topic));
        ObjectNode root = ApiJson.NODES.objectNode();
        root.put("name", topic);
        root.put("id", description.topicId().toString());
        root.put("internal", description.isInternal());
        ArrayNode partitionNodes = root.putArray("partitions");
        long totalSize = 0;
        for (TopicPartitionInfo info : description.partitions()) {
            TopicPartition partition = new TopicPartition(topic, info.partition());
            long size = sizes.getOrDefault(partition, 0L);
            totalSize += size;
            ObjectNode node = partitionNodes.addObject();
            node.put("partition", info.partition());
            Node leader = info.leader();
            if (leader == null) {
                node.putNull("leader");
            } else {
                node.put("leader", leader.id());
            }
            node.put("logStartOffset", starts.getOrDefault(partition, 0L));
            node.put("logEndOffset", ends.getOrDefault(partition, 0L));
            node.put("sizeBytes", size);
        }
        root.put("sizeBytes", totalSize);
        ObjectNode traffic = root.putObject("traffic");
        traffic.put("bytesIn", count("brook.topic.bytes.in", topic));
        traffic.put("recordsIn", count("brook.topic.records.in", topic));
        traffic.put("bytesOut", count("brook.topic.bytes.out", topic));
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        Config config =
                clients.await(admin.describeConfigs(List.of(resource)).all()).get(resource);
        ObjectNode configs = root.putObject("configs");
        Map<String, ConfigEntry> sorted = new TreeMap<>();
        if (config != null) {
            config.entries().forEach(entry -> sorted.put(entry.name(), entry));
        }
        sorted.forEach((name, entry) -> configs.putObject(name)
                .put("value", entry.value())
                .put("default", entry.isDefault())
                .put("source", entry.source().name()));
        ApiJson.write(ctx, 200, root);
    }

    private void create(Context ctx) {
        JsonNode body = ApiJson.body(ctx, false);
        String name = ApiJson.text(body, "name", null);
        if (name == null || name.isBlank()) {
            throw ApiException.badRequest(
                    "the body needs a string field 'name'; send {\"name\": \"clicks\", \"partitions\": 3}");
        }
        long partitions = ApiJson.integer(body, "partitions", 1L);
        if (partitions < 1 || partitions > 10_000) {
            throw ApiException.badRequest("'partitions' must be 1-10000, was " + partitions);
        }
        long replicationFactor = ApiJson.integer(body, "replicationFactor", 1L);
        if (replicationFactor != 1) {
            throw ApiException.badRequest(
                    "'replicationFactor' must be 1 (Brook runs a single broker), was " + replicationFactor);
        }
        Map<String, String> configs = stringMap(body, "configs");
        NewTopic topic = new NewTopic(name, (int) partitions, (short) 1).configs(configs);
        clients.await(clients.admin().createTopics(List.of(topic)).all());
        ObjectNode root = ApiJson.NODES.objectNode();
        root.put("name", name);
        root.put("partitions", partitions);
        ObjectNode configNode = root.putObject("configs");
        new TreeMap<>(configs).forEach(configNode::put);
        ctx.header("Location", "/topics/" + name);
        ApiJson.write(ctx, 201, root);
    }

    /** A broker counter of the topic's traffic ({@code TopicMetrics}); 0 before its first traffic. */
    private long count(String name, String topic) {
        Counter counter = registry.find(name).tag("topic", topic).counter();
        return counter == null ? 0 : (long) counter.count();
    }

    private void delete(Context ctx) {
        String topic = ctx.pathParam("topic");
        describeTopic(clients, topic);
        clients.await(clients.admin().deleteTopics(List.of(topic)).all());
        ctx.status(204);
    }

    private void alterConfigs(Context ctx) {
        String topic = ctx.pathParam("topic");
        JsonNode body = ApiJson.body(ctx, false);
        for (java.util.Iterator<String> fields = body.fieldNames(); fields.hasNext(); ) {
            String field = fields.next();
            if (!field.equals("set") && !field.equals("delete")) {
                throw ApiException.badRequest("unknown field '" + field
                        + "'; send {\"set\": {\"retention.ms\": \"3600000\"}, \"delete\": [\"cleanup.policy\"]}");
            }
        }
        Map<String, String> set = stringMap(body, "set");
        List<String> delete = ApiJson.strings(body, "delete");
        if (set.isEmpty() && delete.isEmpty()) {
            throw ApiException.badRequest(
                    "nothing to change; send {\"set\": {\"retention.ms\": \"3600000\"}} and/or {\"delete\": [...]}");
        }
        describeTopic(clients, topic);
        List<AlterConfigOp> ops = new ArrayList<>();
        set.forEach((key, value) -> ops.add(new AlterConfigOp(new ConfigEntry(key, value), AlterConfigOp.OpType.SET)));
        delete.forEach(key -> ops.add(new AlterConfigOp(new ConfigEntry(key, ""), AlterConfigOp.OpType.DELETE)));
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        clients.await(
                clients.admin().incrementalAlterConfigs(Map.of(resource, ops)).all());
        ctx.status(204);
    }

    /** The topic's description; 404 when there is no such topic. */
    static TopicDescription describeTopic(KafkaClients clients, String topic) {
        Map<String, TopicDescription> descriptions;
        try {
            descriptions =
                    clients.await(clients.admin().describeTopics(List.of(topic)).allTopicNames());
        } catch (ApiException e) {
            if (e.code().equals("TOPIC_NOT_FOUND")) {
                throw topicNotFound(topic);
            }
            throw e;
        }
        return Optional.ofNullable(descriptions.get(topic)).orElseThrow(() -> topicNotFound(topic));
    }

    private static ApiException topicNotFound(String topic) {
        return ApiException.notFound(
                "TOPIC_NOT_FOUND", "topic '" + topic + "' does not exist; GET /topics lists the topics");
    }

    /** The offset {@code spec} names (earliest, latest, for a timestamp) of each partition. */
    static Map<TopicPartition, Long> offsets(
            KafkaClients clients, Collection<TopicPartition> partitions, OffsetSpec spec) {
        Map<TopicPartition, Long> offsets = new HashMap<>();
        if (partitions.isEmpty()) {
            return offsets;
        }
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        partitions.forEach(partition -> request.put(partition, spec));
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> infos =
                clients.await(clients.admin().listOffsets(request).all());
        infos.forEach((partition, info) -> offsets.put(partition, info.offset()));
        return offsets;
    }

    /** Bytes on disk per partition of {@code topics}, from the broker's DescribeLogDirs. */
    static Map<TopicPartition, Long> sizes(KafkaClients clients, Collection<String> topics) {
        Admin admin = clients.admin();
        Collection<Node> nodes = clients.await(admin.describeCluster().nodes());
        List<Integer> ids = nodes.stream().map(Node::id).toList();
        Map<Integer, Map<String, LogDirDescription>> dirs =
                clients.await(admin.describeLogDirs(ids).allDescriptions());
        Map<TopicPartition, Long> sizes = new HashMap<>();
        for (Map<String, LogDirDescription> byDir : dirs.values()) {
            for (LogDirDescription dir : byDir.values()) {
                for (Map.Entry<TopicPartition, ReplicaInfo> replica :
                        dir.replicaInfos().entrySet()) {
                    if (topics == null || topics.contains(replica.getKey().topic())) {
                        sizes.merge(replica.getKey(), replica.getValue().size(), Long::sum);
                    }
                }
            }
        }
        return sizes;
    }

    /** An object of string values (numbers and booleans are taken as their text), or empty when absent. */
    private static Map<String, String> stringMap(JsonNode body, String field) {
        JsonNode node = body.get(field);
        Map<String, String> map = new TreeMap<>();
        if (node == null || node.isNull()) {
            return map;
        }
        if (!node.isObject()) {
            throw ApiException.badRequest("'" + field
                    + "' must be an object of config names to values, e.g. {\"retention.ms\": \"3600000\"}");
        }
        for (java.util.Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            JsonNode value = entry.getValue();
            if (!value.isValueNode() || value.isNull()) {
                throw ApiException.badRequest(
                        "config '" + entry.getKey() + "' must have a string, number or boolean value, was " + value);
            }
            map.put(entry.getKey(), value.asText());
        }
        return map;
    }
}
