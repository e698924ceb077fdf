package io.brook.it;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupNotEmptyException;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Consumer groups of the classic protocol with the pinned Java client: members share partitions, take over a
 * leaving member's partitions, commit offsets, static members rejoin without a rebalance, dead members are evicted
 * after their session timeout, and the Admin client lists, describes and deletes groups.
 */
class GroupsIT {
    @RegisterExtension
    static final BrookBrokerExtension BROKER = BrookBrokerExtension.withConfig(Map.of(
            "group.initial.rebalance.delay.ms", "0",
            "group.consumer.heartbeat.interval.ms", "300",
            "group.consumer.session.timeout.ms", "6000"));

    private static final Duration WAIT = Duration.ofSeconds(60);

    @ParameterizedTest(name = "group.protocol={0}")
    @ValueSource(strings = {"classic", "consumer"})
    void threeConsumersShareSixPartitionsTakeOverFromALeaverAndCommitEverything(String protocol, BrookCluster cluster)
            throws Exception {
        // Given: a 6-partition topic with 3000 keyed records and a group of 3 consumers
        String topic = "groups-share-" + protocol;
        String group = "share-group-" + protocol;
        createTopic(cluster, topic, 6);
        Set<String> produced = new HashSet<>(produce(cluster, topic, 0, 3000));
        List<KafkaConsumer<String, String>> consumers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            KafkaConsumer<String, String> consumer =
                    groupConsumer(cluster, group, Map.of(ConsumerConfig.GROUP_PROTOCOL_CONFIG, protocol));
            consumer.subscribe(List.of(topic));
            consumers.add(consumer);
        }
        Set<String> consumed = new HashSet<>();
        try {
            // When: all three poll until everything is read
            pollUntil(consumers, consumed, () -> consumed.containsAll(produced));

            // Then: each member got two partitions, and every record was read
            assertThat(consumers)
                    .allSatisfy(consumer -> assertThat(consumer.assignment()).hasSize(2));
            assertThat(consumers.stream().flatMap(c -> c.assignment().stream()).collect(Collectors.toSet()))
                    .hasSize(6);
            assertThat(consumed).containsAll(produced);

            // When: one member leaves and more records arrive
            consumers.remove(2).close();
            Set<String> more = new HashSet<>(produce(cluster, topic, 3000, 600));
            pollUntil(
                    consumers,
                    consumed,
                    () -> consumed.containsAll(more)
                            && consumers.stream()
                                            .mapToInt(c -> c.assignment().size())
                                            .sum()
                                    == 6);

            // Then: the two left took over all six partitions and read the new records
            assertThat(consumers)
                    .allSatisfy(consumer -> assertThat(consumer.assignment()).hasSize(3));
            try (Admin admin = KafkaClients.admin(cluster.bootstrapServers())) {
                ConsumerGroupDescription description = admin.describeConsumerGroups(List.of(group))
                        .describedGroups()
                        .get(group)
                        .get(30, SECONDS);
                assertThat(description.groupState()).isEqualTo(GroupState.STABLE);
                assertThat(description.members()).hasSize(2);
                assertThat(description.members().stream()
                                .flatMap(m -> m.assignment().topicPartitions().stream())
                                .collect(Collectors.toSet()))
                        .hasSize(6);
                assertThat(admin.listGroups().all().get(30, SECONDS).stream().map(g -> g.groupId()))
                        .contains(group);
                assertThatThrownBy(() ->
                                admin.deleteConsumerGroups(List.of(group)).all().get(30, SECONDS))
                        .hasCauseInstanceOf(GroupNotEmptyException.class);

                // And: the committed offsets are the end offsets of every partition
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                        .partitionsToOffsetAndMetadata()
                        .get(30, SECONDS);
                Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                IntStream.range(0, 6).forEach(p -> latest.put(new TopicPartition(topic, p), OffsetSpec.latest()));
                Map<TopicPartition, Long> ends = new HashMap<>();
                admin.listOffsets(latest).all().get(30, SECONDS).forEach((tp, info) -> ends.put(tp, info.offset()));
                await("offsets committed up to the end").atMost(WAIT).untilAsserted(() -> {
                    consumers.forEach(consumer -> {
                        consumer.poll(Duration.ofMillis(50));
                        consumer.commitSync();
                    });
                    Map<TopicPartition, Long> now = new HashMap<>();
                    admin.listConsumerGroupOffsets(group)
                            .partitionsToOffsetAndMetadata()
                            .get(30, SECONDS)
                            .forEach((tp, offset) -> now.put(tp, offset.offset()));
                    assertThat(now).isEqualTo(ends);
                });
                assertThat(committed).isNotEmpty();

                // When: every member leaves, the group is empty and can be deleted
                consumers.forEach(KafkaConsumer::close);
                consumers.clear();
                assertThat(admin.describeConsumerGroups(List.of(group))
                                .describedGroups()
                                .get(group)
                                .get(30, SECONDS)
                                .groupState())
                        .isEqualTo(GroupState.EMPTY);
                admin.deleteConsumerGroups(List.of(group)).all().get(30, SECONDS);
                assertThat(admin.listGroups().all().get(30, SECONDS).stream().map(g -> g.groupId()))
                        .doesNotContain(group);
            }
        } finally {
            consumers.forEach(KafkaConsumer::close);
        }
    }

    @ParameterizedTest(name = "group.protocol={0}")
    @ValueSource(strings = {"classic", "consumer"})
    void aStaticMemberThatRestartsWithinItsSessionRejoinsWithoutARebalance(String protocol, BrookCluster cluster)
            throws Exception {
        // Given: a static member (group.instance.id) that owns all partitions of a topic
        String topic = "groups-static-" + protocol;
        String group = "static-group-" + protocol;
        createTopic(cluster, topic, 3);
        produce(cluster, topic, 0, 30);
        Map<String, Object> staticMember = new HashMap<>();
        staticMember.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "instance-a");
        staticMember.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, protocol);
        if (protocol.equals("classic")) {
            staticMember.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 30_000);
        }
        int generation;
        Set<TopicPartition> assignment;
        try (KafkaConsumer<String, String> first = groupConsumer(cluster, group, staticMember)) {
            first.subscribe(List.of(topic));
            Set<String> consumed = new HashSet<>();
            pollUntil(List.of(first), consumed, () -> consumed.size() == 30);
            generation = first.groupMetadata().generationId();
            assignment = first.assignment();
        }

        // When: it restarts with the same instance id (a static member does not leave on close)
        try (KafkaConsumer<String, String> second = groupConsumer(cluster, group, staticMember)) {
            second.subscribe(List.of(topic));
            Set<String> consumed = new HashSet<>();
            produce(cluster, topic, 30, 3);
            pollUntil(List.of(second), consumed, () -> consumed.size() == 3);

            // Then: same generation, same partitions, and it continued from the committed offsets
            assertThat(second.groupMetadata().generationId()).isEqualTo(generation);
            assertThat(second.assignment()).isEqualTo(assignment);
            assertThat(consumed).containsExactlyInAnyOrder("value-30", "value-31", "value-32");
        }
    }

    @Test
    void aMemberThatStopsHeartbeatingIsEvictedAfterItsSessionTimeout(BrookCluster cluster) throws Exception {
        String group = "silent-group";
        try (RawKafkaConnection connection = new RawKafkaConnection("127.0.0.1", cluster.port())) {
            // Given: a session timeout below the broker's minimum is refused
            JoinGroupResponseData tooShort =
                    connection.call(ApiKeys.JOIN_GROUP, (short) 9, join(group, "", 1_000), JoinGroupResponseData.class);
            assertThat(tooShort.errorCode()).isEqualTo(Errors.INVALID_SESSION_TIMEOUT.code());

            // And: a new member first learns its id, then joins with it and syncs as the leader
            JoinGroupResponseData first =
                    connection.call(ApiKeys.JOIN_GROUP, (short) 9, join(group, "", 6_000), JoinGroupResponseData.class);
            assertThat(first.errorCode()).isEqualTo(Errors.MEMBER_ID_REQUIRED.code());
            String memberId = first.memberId();
            JoinGroupResponseData joined = connection.call(
                    ApiKeys.JOIN_GROUP, (short) 9, join(group, memberId, 6_000), JoinGroupResponseData.class);
            assertThat(joined.errorCode()).isEqualTo(Errors.NONE.code());
            assertThat(joined.leader()).isEqualTo(memberId);
            assertThat(joined.members()).hasSize(1);
            SyncGroupResponseData synced = connection.call(
                    ApiKeys.SYNC_GROUP,
                    (short) 5,
                    new SyncGroupRequestData()
                            .setGroupId(group)
                            .setGenerationId(joined.generationId())
                            .setMemberId(memberId)
                            .setProtocolType("consumer")
                            .setProtocolName("range")
                            .setAssignments(List.of(new SyncGroupRequestData.SyncGroupRequestAssignment()
                                    .setMemberId(memberId)
                                    .setAssignment(new byte[] {1, 2, 3}))),
                    SyncGroupResponseData.class);
            assertThat(synced.errorCode()).isEqualTo(Errors.NONE.code());
            assertThat(synced.assignment()).containsExactly(1, 2, 3);
            HeartbeatResponseData beat = connection.call(
                    ApiKeys.HEARTBEAT,
                    (short) 4,
                    new HeartbeatRequestData()
                            .setGroupId(group)
                            .setMemberId(memberId)
                            .setGenerationId(joined.generationId()),
                    HeartbeatResponseData.class);
            assertThat(beat.errorCode()).isEqualTo(Errors.NONE.code());
            assertThat(describe(connection, group).groupState()).isEqualTo("Stable");

            // When: it sends no more heartbeats
            // Then: after the 6 s session timeout it is removed and the group is empty
            await("member evicted")
                    .atMost(Duration.ofSeconds(20))
                    .untilAsserted(() ->
                            assertThat(describe(connection, group).groupState()).isEqualTo("Empty"));
            assertThat(describe(connection, group).members()).isEmpty();
            HeartbeatResponseData late = connection.call(
                    ApiKeys.HEARTBEAT,
                    (short) 4,
                    new HeartbeatRequestData()
                            .setGroupId(group)
                            .setMemberId(memberId)
                            .setGenerationId(joined.generationId()),
                    HeartbeatResponseData.class);
            assertThat(late.errorCode()).isEqualTo(Errors.UNKNOWN_MEMBER_ID.code());
        }
    }

    @Test
    void aConsumerThatAssignsPartitionsItselfStoresOffsetsInAGroup(BrookCluster cluster) throws Exception {
        String topic = "groups-standalone";
        createTopic(cluster, topic, 2);
        TopicPartition partition = new TopicPartition(topic, 1);
        try (KafkaConsumer<String, String> consumer = groupConsumer(cluster, "standalone", Map.of())) {
            consumer.assign(List.of(partition));
            consumer.commitSync(Map.of(partition, new OffsetAndMetadata(0, "checkpoint-a")));
            assertThat(consumer.committed(Set.of(partition)).get(partition))
                    .isEqualTo(new OffsetAndMetadata(0, "checkpoint-a"));
        }
        try (Admin admin = KafkaClients.admin(cluster.bootstrapServers())) {
            assertThat(admin.listConsumerGroupOffsets("standalone")
                            .partitionsToOffsetAndMetadata()
                            .get(30, SECONDS)
                            .get(partition)
                            .metadata())
                    .isEqualTo("checkpoint-a");
            assertThat(admin.listConsumerGroups().all().get(30, SECONDS).stream()
                            .map(ConsumerGroupListing::groupId))
                    .contains("standalone");
        }
    }

    private static JoinGroupRequestData join(String group, String memberId, int sessionTimeoutMs) {
        JoinGroupRequestData.JoinGroupRequestProtocolCollection protocols =
                new JoinGroupRequestData.JoinGroupRequestProtocolCollection();
        protocols.add(new JoinGroupRequestData.JoinGroupRequestProtocol()
                .setName("range")
                .setMetadata(new byte[] {0}));
        return new JoinGroupRequestData()
                .setGroupId(group)
                .setMemberId(memberId)
                .setSessionTimeoutMs(sessionTimeoutMs)
                .setRebalanceTimeoutMs(10_000)
                .setProtocolType("consumer")
                .setProtocols(protocols);
    }

    private static DescribeGroupsResponseData.DescribedGroup describe(RawKafkaConnection connection, String group)
            throws Exception {
        return connection
                .call(
                        ApiKeys.DESCRIBE_GROUPS,
                        (short) 5,
                        new DescribeGroupsRequestData().setGroups(List.of(group)),
                        DescribeGroupsResponseData.class)
                .groups()
                .get(0);
    }

    private static void createTopic(BrookCluster cluster, String topic, int partitions) throws Exception {
        try (Admin admin = KafkaClients.admin(cluster.bootstrapServers())) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1)))
                    .all()
                    .get(30, SECONDS);
        }
    }

    /** Produces values {@code value-<from>}... with keys spread over the partitions; returns the values. */
    private static List<String> produce(BrookCluster cluster, String topic, int from, int count) throws Exception {
        List<String> values = new ArrayList<>();
        try (KafkaProducer<String, String> producer = KafkaClients.producer(cluster.bootstrapServers(), Map.of())) {
            for (int i = from; i < from + count; i++) {
                values.add("value-" + i);
                producer.send(new ProducerRecord<>(topic, "key-" + (i % 50), "value-" + i));
            }
            producer.flush();
        }
        return values;
    }

    private static KafkaConsumer<String, String> groupConsumer(
            BrookCluster cluster, String group, Map<String, Object> overrides) {
        Map<String, Object> settings = new HashMap<>(overrides);
        settings.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        if (!"consumer".equals(settings.get(ConsumerConfig.GROUP_PROTOCOL_CONFIG))) {
            // The consumer protocol takes both from the broker (group.consumer.*) and refuses them here.
            settings.putIfAbsent(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
            settings.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 500);
        }
        return KafkaClients.consumer(cluster.bootstrapServers(), settings);
    }

    /** Polls every consumer in turn, committing after each poll, until {@code done} holds (bounded by WAIT). */
    private static void pollUntil(
            List<KafkaConsumer<String, String>> consumers,
            Set<String> consumed,
            java.util.function.BooleanSupplier done) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!done.getAsBoolean()) {
            assertThat(System.nanoTime()).as("reached the goal within %s", WAIT).isLessThan(deadline);
            for (KafkaConsumer<String, String> consumer : consumers) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
                    consumed.add(record.value());
                }
                try {
                    consumer.commitSync();
                } catch (org.apache.kafka.common.errors.RebalanceInProgressException e) {
                    // Committed again after the rebalance; the records may be read twice (at least once).
                }
            }
        }
    }
}
