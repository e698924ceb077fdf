package io.brook.http;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;

/**
 * Consumer groups and their lag over HTTP, through the shared {@link Admin}:
 *
 * <ul>
 *   <li>{@code GET /groups}: every group with its type, protocol type, state, assignor and member count.
 *   <li>{@code GET /groups/{group}}: state, assignor, members (member id, client id, host, assigned partitions) and per
 *       partition the committed offset, the log end offset and the lag (null where nothing is committed); 404 for a
 *       group that has neither members nor committed offsets.
 *   <li>{@code DELETE /groups/{group}}: 204; 409 while it has members.
 *   <li>{@code POST /groups/{group}/offsets/reset} with {@code {"to": "earliest" | "latest" | "offset" | "timestamp",
 *       "offset": 42, "timestamp": 1767225600000, "topics": ["clicks"]}}: sets the committed offsets of the topics'
 *       partitions (the group's committed topics when {@code topics} is left out); 409 while it has members.
 * </ul>
 */
final class GroupsApi implements HttpRoutes {
    private final KafkaClients clients;

    GroupsApi(KafkaClients clients) {
        this.clients = requireNonNull(clients, "clients is null");
    }

    @Override
    public void addTo(JavalinDefaultRoutingApi routes) {
        routes.get("/groups", this::list);
        routes.get("/groups/{group}", this::describe);
        routes.delete("/groups/{group}", this::delete);
        routes.post("/groups/{group}/offsets/reset", this::reset);
    }

    private void list(Context ctx) {
        Admin admin = clients.admin();
        Map<String, GroupListing> listings = new TreeMap<>();
        for (GroupListing listing : clients.await(admin.listGroups().all())) {
            listings.put(listing.groupId(), listing);
        }
        List<String> consumerGroups = listings.values().stream()
                .filter(listing -> "consumer".equals(listing.protocol()))
                .map(GroupListing::groupId)
                .toList();
        Map<String, ConsumerGroupDescription> descriptions = consumerGroups.isEmpty()
                ? Map.of()
                : clients.await(admin.describeConsumerGroups(consumerGroups).all());
        ArrayNode groups = ApiJson.NODES.arrayNode();
        for (GroupListing listing : listings.values()) {
            ObjectNode node = groups.addObject();
            node.put("groupId", listing.groupId());
            node.put(
                    "type",
                    listing.type()
                            .map(type -> type.toString().toLowerCase(Locale.ROOT))
                            .orElse(null));
            node.put("protocolType", listing.protocol());
            node.put("state", listing.groupState().map(GroupState::toString).orElse(null));
            ConsumerGroupDescription description = descriptions.get(listing.groupId());
            if (description != null) {
                node.put("protocol", description.partitionAssignor());
                node.put("members", description.members().size());
            }
        }
        ObjectNode root = ApiJson.NODES.objectNode();
        root.set("groups", groups);
        ApiJson.write(ctx, 200, root);
    }

    private void describe(Context ctx) {
        String group = ctx.pathParam("group");
        ConsumerGroupDescription description = describeGroup(group);
        Map<TopicPartition, OffsetAndMetadata> committed = committed(group);
        if (description.members().isEmpty()
                && committed.isEmpty()
                && (description.groupState() == GroupState.DEAD || description.groupState() == GroupState.EMPTY)) {
            throw notFound(group);
        }
        Set<TopicPartition> partitions = new TreeSet<>(PARTITION_ORDER);
        partitions.addAll(committed.keySet());
        Map<TopicPartition, String> owners = new HashMap<>();
        for (MemberDescription member : description.members()) {
            for (TopicPartition partition : member.assignment().topicPartitions()) {
                partitions.add(partition);
                owners.put(partition, member.consumerId());
            }
        }
        Map<TopicPartition, Long> ends = TopicsApi.offsets(clients, partitions, OffsetSpec.latest());
        ObjectNode root = ApiJson.NODES.objectNode();
        root.put("groupId", group);
        root.put("state", description.groupState().toString());
        root.put("type", description.type().toString().toLowerCase(Locale.ROOT));
        root.put("protocol", description.partitionAssignor());
        if (description.coordinator() != null) {
            root.put("coordinator", description.coordinator().id());
        }
        ArrayNode members = root.putArray("members");
        List<MemberDescription> sortedMembers = new ArrayList<>(description.members());
        sortedMembers.sort(Comparator.comparing(MemberDescription::consumerId));
        for (MemberDescription member : sortedMembers) {
            ObjectNode node = members.addObject();
            node.put("memberId", member.consumerId());
            node.put("clientId", member.clientId());
            node.put("host", member.host());
            member.groupInstanceId().ifPresent(id -> node.put("groupInstanceId", id));
            ArrayNode assignment = node.putArray("assignment");
            Set<TopicPartition> assigned = new TreeSet<>(PARTITION_ORDER);
            assigned.addAll(member.assignment().topicPartitions());
            assigned.forEach(partition ->
                    assignment.addObject().put("topic", partition.topic()).put("partition", partition.partition()));
        }
        ArrayNode offsets = root.putArray("offsets");
        long totalLag = 0;
        for (TopicPartition partition : partitions) {
            ObjectNode node = offsets.addObject();
            node.put("topic", partition.topic());
            node.put("partition", partition.partition());
            OffsetAndMetadata offset = committed.get(partition);
            Long end = ends.get(partition);
            if (offset == null) {
                node.putNull("committedOffset");
            } else {
                node.put("committedOffset", offset.offset());
            }
            if (end == null) {
                node.putNull("logEndOffset");
            } else {
                node.put("logEndOffset", end);
            }
            if (offset == null || end == null) {
                node.putNull("lag");
            } else {
                long lag = Math.max(0, end - offset.offset());
                totalLag += lag;
                node.put("lag", lag);
            }
            String owner = owners.get(partition);
            if (owner == null) {
                node.putNull("memberId");
            } else {
                node.put("memberId", owner);
            }
        }
        root.put("totalLag", totalLag);
        ApiJson.write(ctx, 200, root);
    }

    private void delete(Context ctx) {
        String group = ctx.pathParam("group");
        groupCall(
                group,
                () -> clients.await(
                        clients.admin().deleteConsumerGroups(List.of(group)).all()));
        ctx.status(204);
    }

    private void reset(Context ctx) {
        String group = ctx.pathParam("group");
        JsonNode body = ApiJson.body(ctx, false);
        String to = ApiJson.text(body, "to", null);
        if (to == null) {
            throw ApiException.badRequest(
                    "the body needs 'to': earliest, latest, offset or timestamp; send {\"to\": \"earliest\"}");
        }
        OffsetSpec spec;
        Long exact = null;
        switch (to.toLowerCase(Locale.ROOT)) {
            case "earliest" -> spec = OffsetSpec.earliest();
            case "latest" -> spec = OffsetSpec.latest();
            case "timestamp" -> {
                Long timestamp = ApiJson.integer(body, "timestamp", null);
                if (timestamp == null || timestamp < 0) {
                    throw ApiException.badRequest("'to': 'timestamp' needs 'timestamp' in ms since the epoch (>= 0)");
                }
                spec = OffsetSpec.forTimestamp(timestamp);
            }
            case "offset" -> {
                exact = ApiJson.integer(body, "offset", null);
                if (exact == null || exact < 0) {
                    throw ApiException.badRequest("'to': 'offset' needs 'offset' >= 0");
                }
                spec = null;
            }
            default ->
                throw ApiException.badRequest("'to' must be earliest, latest, offset or timestamp, was '" + to + "'");
        }
        ConsumerGroupDescription description = describeGroup(group);
        if (!description.members().isEmpty()) {
            throw new ApiException(
                    409,
                    "GROUP_NOT_EMPTY",
                    "group '" + group + "' has " + description.members().size()
                            + " active members; stop them (DELETE their HTTP consumer instances) before resetting");
        }
        List<String> topics = ApiJson.strings(body, "topics");
        Set<TopicPartition> partitions = new TreeSet<>(PARTITION_ORDER);
        if (topics.isEmpty()) {
            partitions.addAll(committed(group).keySet());
            if (partitions.isEmpty()) {
                throw notFound(group);
            }
        } else {
            for (String topic : topics) {
                for (TopicPartitionInfo info :
                        TopicsApi.describeTopic(clients, topic).partitions()) {
                    partitions.add(new TopicPartition(topic, info.partition()));
                }
            }
        }
        Map<TopicPartition, Long> targets = new HashMap<>();
        if (spec == null) {
            for (TopicPartition partition : partitions) {
                targets.put(partition, exact);
            }
        } else {
            Map<TopicPartition, Long> found = TopicsApi.offsets(clients, partitions, spec);
            Map<TopicPartition, Long> ends = TopicsApi.offsets(clients, partitions, OffsetSpec.latest());
            for (TopicPartition partition : partitions) {
                long offset = found.getOrDefault(partition, -1L);
                // A timestamp after the last record finds nothing: start at the end, as a consumer would.
                targets.put(partition, offset < 0 ? ends.getOrDefault(partition, 0L) : offset);
            }
        }
        Map<TopicPartition, OffsetAndMetadata> request = new HashMap<>();
        targets.forEach((partition, offset) -> request.put(partition, new OffsetAndMetadata(offset)));
        clients.await(clients.admin().alterConsumerGroupOffsets(group, request).all());
        ArrayNode offsets = ApiJson.NODES.arrayNode();
        for (TopicPartition partition : partitions) {
            offsets.addObject()
                    .put("topic", partition.topic())
                    .put("partition", partition.partition())
                    .put("offset", targets.get(partition));
        }
        ObjectNode root = ApiJson.NODES.objectNode();
        root.set("offsets", offsets);
        ApiJson.write(ctx, 200, root);
    }

    private static final Comparator<TopicPartition> PARTITION_ORDER =
            Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition);

    private ConsumerGroupDescription describeGroup(String group) {
        Map<String, ConsumerGroupDescription> descriptions = groupCall(
                group,
                () -> clients.await(
                        clients.admin().describeConsumerGroups(List.of(group)).all()));
        ConsumerGroupDescription description = descriptions.get(group);
        if (description == null) {
            throw notFound(group);
        }
        return description;
    }

    private Map<TopicPartition, OffsetAndMetadata> committed(String group) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        Map<TopicPartition, OffsetAndMetadata> fetched =
                clients.await(clients.admin().listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata());
        fetched.forEach((partition, offset) -> {
            if (offset != null) {
                offsets.put(partition, offset);
            }
        });
        return offsets;
    }

    /** Runs an admin call about {@code group}, answering "not found" in this API's words. */
    private static <T> T groupCall(String group, java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (ApiException e) {
            if (e.code().equals("GROUP_NOT_FOUND")) {
                throw notFound(group);
            }
            throw e;
        }
    }

    private static ApiException notFound(String group) {
        return ApiException.notFound(
                "GROUP_NOT_FOUND",
                "group '" + group + "' has no members and no committed offsets; GET /groups lists the groups");
    }
}
