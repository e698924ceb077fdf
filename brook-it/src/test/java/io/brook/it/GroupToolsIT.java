package io.brook.it;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code brook group} and Kafka's own ConsumerGroupCommand (kafka-tools) on the same groups: they list, describe
 * with lag (and agree on every figure), reset offsets, and a reset of a group with live members is refused.
 */
class GroupToolsIT {
    @RegisterExtension
    static final BrookBrokerExtension BROKER =
            BrookBrokerExtension.withConfig(Map.of("group.initial.rebalance.delay.ms", "0"));

    private static final String TOPIC = "tools-groups";
    private static final String GROUP = "tools-group";
    private static final String KAFKA_GROUPS = "org.apache.kafka.tools.consumer.group.ConsumerGroupCommand";

    @Test
    void brookAndKafkasGroupToolsAgreeAndResetOffsets(BrookCluster cluster) throws Exception {
        // Given: 2 partitions with 10 and 6 records, and a group that committed 3 and 2
        String bootstrap = cluster.bootstrapServers();
        try (Admin admin = KafkaClients.admin(bootstrap)) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 2, (short) 1))).all().get(30, SECONDS);
        }
        try (KafkaProducer<String, String> producer = KafkaClients.producer(bootstrap, Map.of())) {
            for (int i = 0; i < 16; i++) {
                producer.send(new ProducerRecord<>(TOPIC, i < 10 ? 0 : 1, "k", "v" + i));
            }
            producer.flush();
        }
        TopicPartition p0 = new TopicPartition(TOPIC, 0);
        TopicPartition p1 = new TopicPartition(TOPIC, 1);
        try (KafkaConsumer<String, String> consumer =
                KafkaClients.consumer(bootstrap, Map.of(ConsumerConfig.GROUP_ID_CONFIG, GROUP))) {
            consumer.assign(List.of(p0, p1));
            consumer.commitSync(Map.of(p0, new OffsetAndMetadata(3), p1, new OffsetAndMetadata(2)));
        }

        // When
        ExternalProcess.Result brookList = brook("group", "list", "-b", bootstrap);
        ExternalProcess.Result brookDescribe = brook("group", "describe", GROUP, "-b", bootstrap);
        ExternalProcess.Result kafkaDescribe =
                kafkaGroups("--bootstrap-server", bootstrap, "--describe", "--group", GROUP);
        ExternalProcess.Result kafkaList = kafkaGroups("--bootstrap-server", bootstrap, "--list");

        // Then: the same committed offsets, end offsets and lags
        assertThat(brookList.exitCode()).as(brookList.describe()).isZero();
        assertThat(brookList.stdout()).contains(GROUP);
        assertThat(kafkaList.exitCode()).as(kafkaList.describe()).isZero();
        assertThat(kafkaList.stdout().lines().map(String::strip)).contains(GROUP);
        assertThat(brookDescribe.exitCode()).as(brookDescribe.describe()).isZero();
        assertThat(kafkaDescribe.exitCode()).as(kafkaDescribe.describe()).isZero();
        Map<String, List<String>> expected = Map.of("0", List.of("3", "10", "7"), "1", List.of("2", "6", "4"));
        assertThat(rows(brookDescribe.stdout(), 1, 2, 3, 4))
                .as(brookDescribe.describe())
                .isEqualTo(expected);
        assertThat(rows(kafkaDescribe.stdout(), 2, 3, 4, 5))
                .as(kafkaDescribe.describe())
                .isEqualTo(expected);

        // When: brook resets to the earliest offsets, then Kafka's tool to the latest
        ExternalProcess.Result reset =
                brook("group", "reset-offsets", GROUP, "--topic", TOPIC, "--to-earliest", "-b", bootstrap);
        assertThat(reset.exitCode()).as(reset.describe()).isZero();
        assertThat(committed(bootstrap)).isEqualTo(Map.of(p0, 0L, p1, 0L));
        ExternalProcess.Result kafkaReset = kafkaGroups(
                "--bootstrap-server",
                bootstrap,
                "--reset-offsets",
                "--group",
                GROUP,
                "--topic",
                TOPIC,
                "--to-latest",
                "--execute");
        assertThat(kafkaReset.exitCode()).as(kafkaReset.describe()).isZero();

        // Then
        assertThat(committed(bootstrap)).isEqualTo(Map.of(p0, 10L, p1, 6L));
        ExternalProcess.Result toOffset =
                brook("group", "reset-offsets", GROUP, "--topic", TOPIC, "--to-offset", "8", "-b", bootstrap);
        assertThat(toOffset.exitCode()).as(toOffset.describe()).isZero();
        assertThat(committed(bootstrap)).as("8, kept within each partition").isEqualTo(Map.of(p0, 8L, p1, 6L));

        // When: a member is live, a reset is refused
        Map<String, Object> settings = new HashMap<>();
        settings.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP);
        try (KafkaConsumer<String, String> member = KafkaClients.consumer(bootstrap, settings)) {
            member.subscribe(List.of(TOPIC));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (member.assignment().isEmpty() && System.nanoTime() < deadline) {
                member.poll(Duration.ofMillis(100));
            }
            assertThat(member.assignment()).hasSize(2);
            ExternalProcess.Result refused =
                    brook("group", "reset-offsets", GROUP, "--topic", TOPIC, "--to-earliest", "-b", bootstrap);

            // Then
            assertThat(refused.exitCode()).as(refused.describe()).isEqualTo(1);
            assertThat(refused.stderr()).contains("live member");
            assertThat(committed(bootstrap)).isEqualTo(Map.of(p0, 8L, p1, 6L));
        }

        // And: once empty, the group can be deleted
        ExternalProcess.Result deleted = brook("group", "delete", GROUP, "-b", bootstrap);
        assertThat(deleted.exitCode()).as(deleted.describe()).isZero();
        assertThat(brook("group", "list", "-b", bootstrap).stdout()).doesNotContain(GROUP);
    }

    @Test
    void bothToolsDescribeAConsumerProtocolGroupWithItsMemberAndLag(BrookCluster cluster) throws Exception {
        // Given: a group of the consumer protocol (KIP-848) with one live member that committed 4 of 10 records
        String bootstrap = cluster.bootstrapServers();
        String topic = "tools-kip848";
        String group = "tools-kip848-group";
        try (Admin admin = KafkaClients.admin(bootstrap)) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, SECONDS);
        }
        try (KafkaProducer<String, String> producer = KafkaClients.producer(bootstrap, Map.of())) {
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>(topic, "k", "v" + i));
            }
            producer.flush();
        }
        TopicPartition partition = new TopicPartition(topic, 0);
        Map<String, Object> settings = new HashMap<>();
        settings.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        settings.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer");
        try (KafkaConsumer<String, String> member = KafkaClients.consumer(bootstrap, settings)) {
            member.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (member.assignment().isEmpty() && System.nanoTime() < deadline) {
                member.poll(Duration.ofMillis(100));
            }
            assertThat(member.assignment()).containsExactly(partition);
            member.commitSync(Map.of(partition, new OffsetAndMetadata(4)));

            // When
            ExternalProcess.Result brookDescribe = brook("group", "describe", group, "-b", bootstrap);
            ExternalProcess.Result kafkaDescribe =
                    kafkaGroups("--bootstrap-server", bootstrap, "--describe", "--group", group);

            // Then: both show the member owning the partition, at offset 4 of 10, lag 6
            assertThat(brookDescribe.exitCode()).as(brookDescribe.describe()).isZero();
            assertThat(kafkaDescribe.exitCode()).as(kafkaDescribe.describe()).isZero();
            String memberId = member.groupMetadata().memberId();
            assertThat(brookDescribe.stdout()).contains("Stable, 1 member").contains(memberId);
            assertThat(kafkaDescribe.stdout()).contains(memberId);
            Map<String, List<String>> expected = Map.of("0", List.of("4", "10", "6"));
            assertThat(rows(brookDescribe.stdout(), topic, 1, 2, 3, 4))
                    .as(brookDescribe.describe())
                    .isEqualTo(expected);
            assertThat(rows(kafkaDescribe.stdout(), topic, 2, 3, 4, 5))
                    .as(kafkaDescribe.describe())
                    .isEqualTo(expected);
        }
    }

    /** Partition number to the cells at the given columns, for rows of {@value #TOPIC} (or the topic given). */
    private static Map<String, List<String>> rows(String output, int partitionColumn, int... columns) {
        return rows(output, TOPIC, partitionColumn, columns);
    }

    private static Map<String, List<String>> rows(String output, String topic, int partitionColumn, int... columns) {
        Map<String, List<String>> rows = new HashMap<>();
        for (String line : output.lines().toList()) {
            String[] cells = line.trim().split("\\s+");
            int topicColumn = partitionColumn - 1;
            if (cells.length > partitionColumn && cells[topicColumn].equals(topic)) {
                List<String> values = new ArrayList<>();
                for (int column : columns) {
                    values.add(cells[column]);
                }
                rows.put(cells[partitionColumn], values);
            }
        }
        return rows;
    }

    private static Map<TopicPartition, Long> committed(String bootstrap) throws Exception {
        Map<TopicPartition, Long> offsets = new HashMap<>();
        try (Admin admin = KafkaClients.admin(bootstrap)) {
            admin.listConsumerGroupOffsets(GROUP)
                    .partitionsToOffsetAndMetadata()
                    .get(30, SECONDS)
                    .forEach((partition, offset) -> offsets.put(partition, offset.offset()));
        }
        return offsets;
    }

    private static ExternalProcess.Result brook(String... arguments) throws Exception {
        return ExternalProcess.run(
                ExternalProcess.javaCommand(List.of("-Xmx256m"), "io.brook.cli.BrookCommand", List.of(arguments)),
                "",
                Duration.ofSeconds(90));
    }

    private static ExternalProcess.Result kafkaGroups(String... arguments) throws Exception {
        return ExternalProcess.run(
                ExternalProcess.javaCommand(List.of("-Xmx256m"), KAFKA_GROUPS, List.of(arguments)),
                "",
                Duration.ofSeconds(90));
    }
}
