package io.brook.it;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Debian's kcat 1.7.1 on librdkafka 2.0.2: metadata listing ({@code -L}), an idempotent producer ({@code -P}) with
 * every codec, and the simple consumer ({@code -C -o beginning -e}, no group), which asks ListOffsets v2 where to
 * start and fetches with Fetch v11, and a balanced consumer ({@code -G}) in a consumer group.
 */
class KcatIT {
    @RegisterExtension
    static final BrookBrokerExtension BROKER = new BrookBrokerExtension();

    private static final List<String> CODECS = List.of("none", "gzip", "snappy", "lz4", "zstd");
    private static final int RECORDS_PER_CODEC = 200;

    @BeforeEach
    void requireKcat() {
        ExternalTools.requireKcat();
    }

    @Test
    void kcatListsBrokersTopicsAndPartitions(BrookCluster cluster) throws Exception {
        // Given
        createTopic(cluster, "kcat-metadata", 3);
        int node = cluster.broker().config().nodeId();

        // When
        ExternalProcess.Result result =
                kcat(List.of("-L", "-b", cluster.bootstrapServers(), "-t", "kcat-metadata"), "");

        // Then
        assertThat(result.exitCode()).as(result.describe()).isZero();
        assertThat(result.stdout().lines().toList())
                .as(result.describe())
                .containsExactly(
                        "Metadata for kcat-metadata (from broker " + node + ": " + cluster.bootstrapServers() + "/"
                                + node + "):",
                        " 1 brokers:",
                        "  broker " + node + " at " + cluster.bootstrapServers() + " (controller)",
                        " 1 topics:",
                        "  topic \"kcat-metadata\" with 3 partitions:",
                        "    partition 0, leader " + node + ", replicas: " + node + ", isrs: " + node,
                        "    partition 1, leader " + node + ", replicas: " + node + ", isrs: " + node,
                        "    partition 2, leader " + node + ", replicas: " + node + ", isrs: " + node);
    }

    @Test
    void kcatProducesWithEveryCodecAndConsumesFromTheBeginning(BrookCluster cluster) throws Exception {
        // Given
        createTopic(cluster, "kcat-records", 1);
        List<String> expected = new ArrayList<>();

        // When
        for (int c = 0; c < CODECS.size(); c++) {
            String codec = CODECS.get(c);
            StringBuilder lines = new StringBuilder();
            for (int i = c * RECORDS_PER_CODEC; i < (c + 1) * RECORDS_PER_CODEC; i++) {
                lines.append("key-")
                        .append(i)
                        .append(':')
                        .append("value-")
                        .append(i)
                        .append('\n');
                expected.add(i + " key-" + i + " value-" + i + " src=kcat,codec=" + codec);
            }
            ExternalProcess.Result produced = kcat(
                    List.of(
                            "-P",
                            "-b",
                            cluster.bootstrapServers(),
                            "-t",
                            "kcat-records",
                            "-p",
                            "0",
                            "-K",
                            ":",
                            "-z",
                            codec,
                            "-H",
                            "src=kcat",
                            "-H",
                            "codec=" + codec,
                            "-X",
                            "enable.idempotence=true"),
                    lines.toString());
            assertThat(produced.exitCode()).as(produced.describe()).isZero();
        }
        ExternalProcess.Result consumed = kcat(
                List.of(
                        "-C",
                        "-b",
                        cluster.bootstrapServers(),
                        "-t",
                        "kcat-records",
                        "-p",
                        "0",
                        "-o",
                        "beginning",
                        "-e",
                        "-f",
                        "%o %k %s %h\\n"),
                "");

        // Then
        assertThat(consumed.exitCode()).as(consumed.describe()).isZero();
        assertThat(consumed.stdout().lines().toList()).as(consumed.describe()).containsExactlyElementsOf(expected);
    }

    @Test
    void kcatConsumesAsAGroupMemberAndCommitsItsOffsets(BrookCluster cluster) throws Exception {
        // Given: 3 partitions with 30 records
        createTopic(cluster, "kcat-group", 3);
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            lines.append("key-")
                    .append(i)
                    .append(':')
                    .append("value-")
                    .append(i)
                    .append('\n');
        }
        ExternalProcess.Result produced =
                kcat(List.of("-P", "-b", cluster.bootstrapServers(), "-t", "kcat-group", "-K", ":"), lines.toString());
        assertThat(produced.exitCode()).as(produced.describe()).isZero();

        // When: a balanced consumer (-G) joins a group and reads to the end of every partition
        ExternalProcess.Result consumed = kcat(
                List.of(
                        "-b",
                        cluster.bootstrapServers(),
                        "-G",
                        "kcat-members",
                        "-X",
                        "auto.offset.reset=earliest",
                        "-e",
                        "-f",
                        "%s\\n",
                        "kcat-group"),
                "");

        // Then: it read every record, and the group committed the end offsets
        assertThat(consumed.exitCode()).as(consumed.describe()).isZero();
        assertThat(consumed.stdout().lines().toList())
                .as(consumed.describe())
                .containsExactlyInAnyOrderElementsOf(java.util.stream.IntStream.range(0, 30)
                        .mapToObj(i -> "value-" + i)
                        .toList());
        try (Admin admin = KafkaClients.admin(cluster.bootstrapServers())) {
            long committed = admin
                    .listConsumerGroupOffsets("kcat-members")
                    .partitionsToOffsetAndMetadata()
                    .get(30, SECONDS)
                    .values()
                    .stream()
                    .mapToLong(offset -> offset.offset())
                    .sum();
            assertThat(committed).isEqualTo(30);
        }
    }

    private static void createTopic(BrookCluster cluster, String topic, int partitions) throws Exception {
        try (Admin admin = KafkaClients.admin(cluster.bootstrapServers())) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1)))
                    .all()
                    .get(30, SECONDS);
        }
    }

    private static ExternalProcess.Result kcat(List<String> arguments, String stdin) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(ExternalTools.KCAT.toString());
        command.addAll(arguments);
        return ExternalProcess.run(command, stdin, Duration.ofSeconds(30), ExternalProcess.plainEnvironment());
    }
}
