package io.brook.it;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Kafka's own command-line tools from {@code kafka-tools} (the pinned version), each in a child JVM with this test's
 * classpath, since they end with {@code System.exit}: TopicCommand, the console producer and consumer,
 * GetOffsetShell and ProducerPerformance.
 */
class KafkaToolsIT {
    @RegisterExtension
    static final BrookBrokerExtension BROKER = new BrookBrokerExtension();

    @Test
    void topicCommandCreatesListsDescribesAltersAndDeletesTopics(BrookCluster cluster) throws Exception {
        // Given
        String bootstrap = cluster.bootstrapServers();
        String topicCommand = "org.apache.kafka.tools.TopicCommand";
        int node = cluster.broker().config().nodeId();

        // When
        ExternalProcess.Result created = tool(
                topicCommand,
                List.of(
                        "--bootstrap-server",
                        bootstrap,
                        "--create",
                        "--topic",
                        "tools-topic",
                        "--partitions",
                        "2",
                        "--replication-factor",
                        "1",
                        "--config",
                        "retention.ms=3600000"),
                "");
        ExternalProcess.Result listed = tool(topicCommand, List.of("--bootstrap-server", bootstrap, "--list"), "");
        ExternalProcess.Result described = tool(
                topicCommand, List.of("--bootstrap-server", bootstrap, "--describe", "--topic", "tools-topic"), "");
        ExternalProcess.Result altered = tool(
                topicCommand,
                List.of("--bootstrap-server", bootstrap, "--alter", "--topic", "tools-topic", "--partitions", "4"),
                "");
        ExternalProcess.Result describedAfterAlter = tool(
                topicCommand, List.of("--bootstrap-server", bootstrap, "--describe", "--topic", "tools-topic"), "");
        ExternalProcess.Result deleted =
                tool(topicCommand, List.of("--bootstrap-server", bootstrap, "--delete", "--topic", "tools-topic"), "");
        ExternalProcess.Result listedAfterDelete =
                tool(topicCommand, List.of("--bootstrap-server", bootstrap, "--list"), "");

        // Then
        for (ExternalProcess.Result result :
                List.of(created, listed, described, altered, describedAfterAlter, deleted, listedAfterDelete)) {
            assertThat(result.exitCode()).as(result.describe()).isZero();
        }
        assertThat(created.stdout()).isEqualTo("Created topic tools-topic.\n");
        assertThat(listed.stdout().lines()).contains("tools-topic");
        assertThat(described.stdout().lines().toList())
                .as(described.describe())
                .hasSize(3)
                .satisfies(lines -> assertThat(lines.get(0))
                        .matches("Topic: tools-topic\tTopicId: \\S{22}\tPartitionCount: 2\tReplicationFactor: 1\t"
                                + "Configs: retention\\.ms=3600000"))
                .satisfies(lines -> assertThat(lines.get(1))
                        .startsWith("\tTopic: tools-topic\tPartition: 0\tLeader: " + node + "\tReplicas: " + node
                                + "\tIsr: " + node));
        assertThat(describedAfterAlter.stdout().lines().toList())
                .as(describedAfterAlter.describe())
                .hasSize(5)
                .first()
                .asString()
                .contains("PartitionCount: 4");
        assertThat(listedAfterDelete.stdout().lines()).doesNotContain("tools-topic");
    }

    @Test
    void consoleProducerAndConsoleConsumerRoundTripKeyedRecords(BrookCluster cluster) throws Exception {
        // Given
        createTopic(cluster, "tools-console", 1);
        StringBuilder input = new StringBuilder();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            input.append("key-").append(i).append(":value-").append(i).append('\n');
            expected.add("Offset:" + i + "\tkey-" + i + "\tvalue-" + i);
        }

        // When
        ExternalProcess.Result produced = tool(
                "org.apache.kafka.tools.ConsoleProducer",
                List.of(
                        "--bootstrap-server",
                        cluster.bootstrapServers(),
                        "--topic",
                        "tools-console",
                        "--compression-codec",
                        "lz4",
                        "--reader-property",
                        "parse.key=true",
                        "--reader-property",
                        "key.separator=:"),
                input.toString());
        ExternalProcess.Result consumed = tool(
                "org.apache.kafka.tools.consumer.ConsoleConsumer",
                List.of(
                        "--bootstrap-server",
                        cluster.bootstrapServers(),
                        "--topic",
                        "tools-console",
                        "--partition",
                        "0",
                        "--offset",
                        "earliest",
                        "--max-messages",
                        "100",
                        "--timeout-ms",
                        "30000",
                        "--formatter-property",
                        "print.offset=true",
                        "--formatter-property",
                        "print.key=true"),
                "");

        // Then
        assertThat(produced.exitCode()).as(produced.describe()).isZero();
        assertThat(consumed.exitCode()).as(consumed.describe()).isZero();
        assertThat(consumed.stdout().lines().toList()).as(consumed.describe()).containsExactlyElementsOf(expected);
        assertThat(consumed.stderr()).contains("Processed a total of 100 messages");
    }

    @Test
    void getOffsetShellPrintsEarliestLatestAndMaxTimestampOffsets(BrookCluster cluster) throws Exception {
        // Given
        createTopic(cluster, "tools-offsets", 2);
        long base = Instant.now().minus(Duration.ofHours(1)).toEpochMilli();
        try (KafkaProducer<String, String> producer = KafkaClients.producer(cluster.bootstrapServers(), Map.of())) {
            for (int i = 0; i < 10; i++) {
                // Partition 0 gets 10 records whose newest timestamp is at offset 6; partition 1 gets 5.
                producer.send(new ProducerRecord<>("tools-offsets", 0, base + (i == 6 ? 100_000 : i), "k", "v"));
                if (i < 5) {
                    producer.send(new ProducerRecord<>("tools-offsets", 1, base + i, "k", "v"));
                }
            }
            producer.flush();
        }

        // When
        List<List<String>> offsets = new ArrayList<>();
        for (String time : List.of("-2", "-1", "-3", Long.toString(base + 3))) {
            ExternalProcess.Result result = tool(
                    "org.apache.kafka.tools.GetOffsetShell",
                    List.of(
                            "--bootstrap-server",
                            cluster.bootstrapServers(),
                            "--topic",
                            "tools-offsets",
                            "--time",
                            time),
                    "");
            assertThat(result.exitCode()).as(result.describe()).isZero();
            offsets.add(result.stdout().lines().sorted().toList());
        }

        // Then
        assertThat(offsets)
                .containsExactly(
                        List.of("tools-offsets:0:0", "tools-offsets:1:0"),
                        List.of("tools-offsets:0:10", "tools-offsets:1:5"),
                        List.of("tools-offsets:0:6", "tools-offsets:1:4"),
                        List.of("tools-offsets:0:3", "tools-offsets:1:3"));
    }

    @Test
    void producerPerformanceSendsFiftyThousandRecords(BrookCluster cluster) throws Exception {
        // Given
        createTopic(cluster, "tools-perf", 3);

        // When
        ExternalProcess.Result result = tool(
                "org.apache.kafka.tools.ProducerPerformance",
                List.of(
                        "--topic",
                        "tools-perf",
                        "--num-records",
                        "50000",
                        "--record-size",
                        "100",
                        "--throughput",
                        "-1",
                        // One option with several values: a repeated --command-property keeps only the last.
                        "--command-property",
                        "bootstrap.servers=" + cluster.bootstrapServers(),
                        "acks=all"),
                "");
        long stored;
        try (Admin admin = KafkaClients.admin(cluster.bootstrapServers())) {
            Map<TopicPartition, OffsetSpec> latest = new LinkedHashMap<>();
            IntStream.range(0, 3).forEach(p -> latest.put(new TopicPartition("tools-perf", p), OffsetSpec.latest()));
            stored = admin.listOffsets(latest).all().get(30, SECONDS).values().stream()
                    .mapToLong(info -> info.offset())
                    .sum();
        }

        // Then
        assertThat(result.exitCode()).as(result.describe()).isZero();
        assertThat(result.stdout().lines())
                .as(result.describe())
                .anyMatch(line -> line.startsWith("50000 records sent, "));
        assertThat(stored).isEqualTo(50_000);
    }

    private static void createTopic(BrookCluster cluster, String topic, int partitions) throws Exception {
        try (Admin admin = KafkaClients.admin(cluster.bootstrapServers())) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1)))
                    .all()
                    .get(30, SECONDS);
        }
    }

    private static ExternalProcess.Result tool(String mainClass, List<String> arguments, String stdin)
            throws Exception {
        return ExternalProcess.run(
                ExternalProcess.javaCommand(List.of("-Xmx256m"), mainClass, arguments), stdin, Duration.ofSeconds(90));
    }
}
