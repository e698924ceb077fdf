package io.brook.it;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Committed offsets and group membership survive a SIGKILL of the broker, for both group protocols: after the restart
 * the group is stable with the same member and generation or member epoch (the member goes on heartbeating without a
 * rebalance), and the offsets, metadata strings included, are as committed.
 */
class GroupCrashIT {
    private static final String TOPIC = "durable-groups";
    private static final Duration WAIT = Duration.ofSeconds(60);

    @ParameterizedTest(name = "group.protocol={0}")
    @ValueSource(strings = {"classic", "consumer"})
    void offsetsAndMembershipSurviveASigkill(String protocol) throws Exception {
        Path work = TestPaths.newDirectory("group-crash-");
        Path logs = Files.createDirectories(work.resolve("logs"));
        try (ChildBroker broker = ChildBroker.start(work.resolve("data"), logs)) {
            // Given: a member of group "durable" that read and committed 300 records, and a standalone commit
            try (Admin admin = KafkaClients.admin(broker.bootstrapServers())) {
                admin.createTopics(List.of(new NewTopic(TOPIC, 3, (short) 1)))
                        .all()
                        .get(30, SECONDS);
            }
            produce(broker, 0, 300);
            TopicPartition manual = new TopicPartition(TOPIC, 2);
            try (KafkaConsumer<String, String> standalone = KafkaClients.consumer(
                    broker.bootstrapServers(), Map.of(ConsumerConfig.GROUP_ID_CONFIG, "manual"))) {
                standalone.assign(List.of(manual));
                standalone.commitSync(Map.of(manual, new OffsetAndMetadata(42, "checkpoint-42")));
            }
            Map<String, Object> settings = new HashMap<>();
            settings.put(ConsumerConfig.GROUP_ID_CONFIG, "durable");
            settings.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, protocol);
            if (protocol.equals("classic")) {
                settings.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 45_000);
                settings.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 500);
            }
            // With its only broker down, the client would otherwise re-bootstrap (KIP-899): its metadata then lacks
            // the topic's partitions for a moment, and the leader rejoins because "cached metadata has changed", a
            // rebalance that Apache Kafka would see too. Without it, any rebalance here is the broker's doing.
            settings.put(org.apache.kafka.clients.CommonClientConfigs.METADATA_RECOVERY_STRATEGY_CONFIG, "none");
            try (KafkaConsumer<String, String> member = KafkaClients.consumer(broker.bootstrapServers(), settings)) {
                member.subscribe(List.of(TOPIC));
                List<String> read = pollFor(member, 300);
                assertThat(read).hasSize(300);
                member.commitSync();
                int generation = member.groupMetadata().generationId();
                String memberId = member.groupMetadata().memberId();

                // When: the broker is killed and restarted on the same data directory and port
                broker.kill();
                broker.restart();

                // Then: the member goes on in the same generation (member epoch) and reads only what is new; had the
                // group been lost, the classic member would have a new id and the consumer-protocol member a fatal
                // GROUP_ID_NOT_FOUND
                produce(broker, 300, 30);
                List<String> after = pollFor(member, 30);
                assertThat(after)
                        .hasSize(30)
                        .allSatisfy(value ->
                                assertThat(Integer.parseInt(value.substring(6))).isGreaterThanOrEqualTo(300));
                assertThat(member.groupMetadata().generationId()).isEqualTo(generation);
                assertThat(member.groupMetadata().memberId()).isEqualTo(memberId);
                member.commitSync();
                try (Admin admin = KafkaClients.admin(broker.bootstrapServers())) {
                    ConsumerGroupDescription description = admin.describeConsumerGroups(List.of("durable"))
                            .describedGroups()
                            .get("durable")
                            .get(30, SECONDS);
                    assertThat(description.groupState()).isEqualTo(GroupState.STABLE);
                    assertThat(description.members())
                            .singleElement()
                            .satisfies(m -> assertThat(m.consumerId()).isEqualTo(memberId));
                    Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("durable")
                            .partitionsToOffsetAndMetadata()
                            .get(30, SECONDS);
                    assertThat(committed.values().stream()
                                    .mapToLong(OffsetAndMetadata::offset)
                                    .sum())
                            .isEqualTo(330);
                    assertThat(admin.listConsumerGroupOffsets("manual")
                                    .partitionsToOffsetAndMetadata()
                                    .get(30, SECONDS))
                            .isEqualTo(Map.of(manual, new OffsetAndMetadata(42, "checkpoint-42")));
                }
            }
        }
    }

    private static void produce(ChildBroker broker, int from, int count) throws Exception {
        try (KafkaProducer<String, String> producer = KafkaClients.producer(broker.bootstrapServers(), Map.of())) {
            for (int i = from; i < from + count; i++) {
                producer.send(new ProducerRecord<>(TOPIC, "key-" + i, "value-" + i));
            }
            producer.flush();
        }
    }

    private static List<String> pollFor(KafkaConsumer<String, String> consumer, int count) {
        List<String> values = new ArrayList<>();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (values.size() < count && System.nanoTime() < deadline) {
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                values.add(record.value());
            }
        }
        assertThat(Set.copyOf(values)).as("distinct values read").hasSameSizeAs(values);
        return values;
    }
}
