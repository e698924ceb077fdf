package io.brook.it;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.admin.ReplicaInfo;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicCollection;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.OffsetOutOfRangeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.message.AlterConfigsRequestData;
import org.apache.kafka.common.message.AlterConfigsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The pinned Java kafka-clients against Brook: the default (idempotent) producer with every codec, consumers that
 * check every record, and the AdminClient's topic, config, offset and cluster calls with their error cases.
 */
class JavaClientsIT {
    @RegisterExtension
    static final BrookBrokerExtension BROKER = new BrookBrokerExtension();

    /** Records per codec: 3 topics × 4 partitions receive them round-robin. */
    private static final int RECORDS_PER_CODEC = Integer.getInteger("brook.it.recordsPerCodec", 200_000);

    private static final int TOPICS = 3;
    private static final int PARTITIONS = 4;
    private static final String PADDING = " the quick brown fox jumps over the lazy dog".repeat(2);
    private static final long BASE_TIMESTAMP =
            Instant.now().minus(Duration.ofHours(1)).toEpochMilli();

    @ParameterizedTest(name = "compression.type={0}")
    @ValueSource(strings = {"none", "gzip", "snappy", "lz4", "zstd"})
    void idempotentProducerRecordsComeBackInOrderWithKeysHeadersAndTimestamps(String codec, BrookCluster cluster)
            throws Exception {
        // Given
        List<String> topics = IntStream.range(0, TOPICS)
                .mapToObj(i -> "records-" + codec + "-" + i)
                .toList();
        try (Admin admin = KafkaClients.admin(cluster.bootstrapServers())) {
            admin.createTopics(topics.stream()
                            .map(topic -> new NewTopic(topic, PARTITIONS, (short) 1))
                            .toList())
                    .all()
                    .get(30, SECONDS);
        }
        AtomicInteger acknowledged = new AtomicInteger();
        AtomicInteger wrongOffsets = new AtomicInteger();
        AtomicReference<Exception> firstFailure = new AtomicReference<>();

        // When
        try (KafkaProducer<String, String> producer = KafkaClients.producer(
                cluster.bootstrapServers(), Map.of(ProducerConfig.COMPRESSION_TYPE_CONFIG, codec))) {
            for (int sequence = 0; sequence < RECORDS_PER_CODEC; sequence++) {
                long expectedOffset = sequence / (TOPICS * PARTITIONS);
                producer.send(record(topics, codec, sequence), (RecordMetadata metadata, Exception error) -> {
                    if (error != null) {
                        firstFailure.compareAndSet(null, error);
                    } else {
                        acknowledged.incrementAndGet();
                        if (metadata.offset() != expectedOffset) {
                            wrongOffsets.incrementAndGet();
                        }
                    }
                });
            }
            producer.flush();
        }
        RecordChecker checker = new RecordChecker(topics, codec);
        List<TopicPartition> partitions = partitionsOf(topics);
        try (KafkaConsumer<String, String> consumer = KafkaClients.consumer(
                cluster.bootstrapServers(), Map.of("max.poll.records", 5_000, "fetch.max.bytes", 8 * 1024 * 1024))) {
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (checker.seen() < RECORDS_PER_CODEC && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(checker::check);
            }
        }
        long storedBytes;
        try (Admin admin = KafkaClients.admin(cluster.bootstrapServers())) {
            storedBytes = storedBytes(admin, Set.copyOf(topics));
        }

        // Then
        assertThat(firstFailure.get()).as("first failed send").isNull();
        assertThat(acknowledged.get()).isEqualTo(RECORDS_PER_CODEC);
        assertThat(wrongOffsets.get())
                .as("acknowledged offsets that differ from the expected one")
                .isZero();
        assertThat(checker.problems()).as("records read back wrong").isEmpty();
        assertThat(checker.seen()).isEqualTo(RECORDS_PER_CODEC);
        long valueBytes = (long) RECORDS_PER_CODEC * value(0).length();
        if (codec.equals("none")) {
            assertThat(storedBytes).isGreaterThan(valueBytes);
        } else {
            assertThat(storedBytes)
                    .as("log bytes of %s batches (stored compressed)", codec)
                    .isLessThan(valueBytes / 2);
        }
    }

    private static ProducerRecord<String, String> record(List<String> topics, String codec, int sequence) {
        int slot = sequence % (TOPICS * PARTITIONS);
        List<Header> headers = new ArrayList<>();
        headers.add(new RecordHeader("sequence", Integer.toString(sequence).getBytes(StandardCharsets.UTF_8)));
        headers.add(new RecordHeader("codec", codec.getBytes(StandardCharsets.UTF_8)));
        if (sequence % 7 == 0) {
            headers.add(new RecordHeader("nullable", null));
        }
        return new ProducerRecord<>(
                topics.get(slot / PARTITIONS),
                slot % PARTITIONS,
                BASE_TIMESTAMP + sequence,
                key(sequence),
                value(sequence),
                headers);
    }

    private static String key(int sequence) {
        return sequence % 10 == 0 ? null : "key-" + sequence;
    }

    private static String value(int sequence) {
        return String.format("value-%07d%s", sequence, PADDING);
    }

    private static List<TopicPartition> partitionsOf(List<String> topics) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : topics) {
            for (int partition = 0; partition < PARTITIONS; partition++) {
                partitions.add(new TopicPartition(topic, partition));
            }
        }
        return partitions;
    }

    /** Checks each record against the one the producer sent at that position; keeps the first problems found. */
    private static final class RecordChecker {
        private final List<String> topics;
        private final String codec;
        private final Map<TopicPartition, Integer> nextSequence = new LinkedHashMap<>();
        private final List<String> problems = new ArrayList<>();
        private int seen;

        RecordChecker(List<String> topics, String codec) {
            this.topics = topics;
            this.codec = codec;
            for (int slot = 0; slot < TOPICS * PARTITIONS; slot++) {
                nextSequence.put(new TopicPartition(topics.get(slot / PARTITIONS), slot % PARTITIONS), slot);
            }
        }

        void check(ConsumerRecord<String, String> record) {
            seen++;
            TopicPartition partition = new TopicPartition(record.topic(), record.partition());
            int sequence = nextSequence.getOrDefault(partition, -1);
            nextSequence.put(partition, sequence + TOPICS * PARTITIONS);
            ProducerRecord<String, String> sent = JavaClientsIT.record(topics, codec, sequence);
            List<Header> headers = List.of(record.headers().toArray());
            boolean same = record.offset() == sequence / (TOPICS * PARTITIONS)
                    && Objects.equals(record.key(), sent.key())
                    && record.value().equals(sent.value())
                    && record.timestamp() == sent.timestamp()
                    && record.timestampType() == TimestampType.CREATE_TIME
                    && headers.equals(List.of(sent.headers().toArray()));
            if (!same && problems.size() < 10) {
                problems.add(partition + "@" + record.offset() + ": expected sequence " + sequence + " " + sent
                        + " but read key=" + record.key() + " value=" + record.value() + " timestamp="
                        + record.timestamp() + " " + record.timestampType() + " headers=" + headers);
            }
        }

        int seen() {
            return seen;
        }

        List<String> problems() {
            return problems;
        }
    }

    private static long storedBytes(Admin admin, Set<String> topics) throws Exception {
        int nodeId = onlyNode(admin).id();
        Map<String, LogDirDescription> dirs = admin.describeLogDirs(List.of(nodeId))
                .allDescriptions()
                .get(30, SECONDS)
                .get(nodeId);
        long bytes = 0;
        for (LogDirDescription dir : dirs.values()) {
            for (Map.Entry<TopicPartition, ReplicaInfo> replica :
                    dir.replicaInfos().entrySet()) {
                if (topics.contains(replica.getKey().topic())) {
                    bytes += replica.getValue().size();
                }
            }
        }
        return bytes;
    }

    private static Node onlyNode(Admin admin) throws Exception {
        Collection<Node> nodes = admin.describeCluster().nodes().get(30, SECONDS);
        assertThat(nodes).hasSize(1);
        return nodes.iterator().next();
    }

    @Test
    void adminCreatesListsDescribesAndDeletesTopics(BrookCluster cluster) throws Exception {
        try (Admin admin = KafkaClients.admin(cluster.bootstrapServers())) {
            // Given
            NewTopic topic = new NewTopic("admin-lifecycle", 3, (short) 1).configs(Map.of("retention.ms", "3600000"));

            // When
            admin.createTopics(
                            List.of(new NewTopic("admin-validate-only", 2, (short) 1)),
                            new CreateTopicsOptions().validateOnly(true))
                    .all()
                    .get(30, SECONDS);
            admin.createTopics(List.of(topic)).all().get(30, SECONDS);
            Set<String> listed = admin.listTopics().names().get(30, SECONDS);
            TopicDescription description = admin.describeTopics(List.of("admin-lifecycle"))
                    .allTopicNames()
                    .get(30, SECONDS)
                    .get("admin-lifecycle");
            Node node = onlyNode(admin);
            TopicDescription byId = admin.describeTopics(
                            TopicCollection.ofTopicIds(List.of(description.topicId())), new DescribeTopicsOptions())
                    .allTopicIds()
                    .get(30, SECONDS)
                    .get(description.topicId());
            admin.deleteTopics(List.of("admin-lifecycle")).all().get(30, SECONDS);
            Set<String> afterDelete = admin.listTopics().names().get(30, SECONDS);

            // Then
            assertThat(listed).contains("admin-lifecycle").doesNotContain("admin-validate-only");
            assertThat(description.name()).isEqualTo("admin-lifecycle");
            assertThat(description.isInternal()).isFalse();
            assertThat(description.topicId()).isNotEqualTo(Uuid.ZERO_UUID);
            assertThat(description.partitions()).hasSize(3);
            for (TopicPartitionInfo partition : description.partitions()) {
                assertThat(partition.leader()).isEqualTo(node);
                assertThat(partition.replicas()).containsExactly(node);
                assertThat(partition.isr()).containsExactly(node);
            }
            assertThat(description.partitions().stream().map(TopicPartitionInfo::partition))
                    .containsExactly(0, 1, 2);
            assertThat(byId.name()).isEqualTo("admin-lifecycle");
            assertThat(afterDelete).doesNotContain("admin-lifecycle");
            assertThatThrownBy(() -> admin.describeTopics(List.of("admin-lifecycle"))
                            .allTopicNames()
                            .get(30, SECONDS))
                    .hasCauseInstanceOf(UnknownTopicOrPartitionException.class);
        }
    }

    @Test
    void adminDescribesAndAltersTopicConfigs(BrookCluster cluster) throws Exception {
        try (Admin admin = KafkaClients.admin(cluster.bootstrapServers())) {
            // Given
            admin.createTopics(List.of(
                            new NewTopic("admin-configs", 1, (short) 1).configs(Map.of("retention.ms", "3600000"))))
                    .all()
                    .get(30, SECONDS);
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, "admin-configs");

            // When
            Config created = describe(admin, resource);
            admin.incrementalAlterConfigs(Map.of(
                            resource,
                            List.of(
                                    new AlterConfigOp(
                                            new ConfigEntry("retention.ms", "7200000"), AlterConfigOp.OpType.SET),
                                    new AlterConfigOp(
                                            new ConfigEntry("max.message.bytes", "2000000"),
                                            AlterConfigOp.OpType.SET))))
                    .all()
                    .get(30, SECONDS);
            Config incremented = describe(admin, resource);
            admin.incrementalAlterConfigs(Map.of(
                            resource,
                            List.of(new AlterConfigOp(
                                    new ConfigEntry("retention.ms", ""), AlterConfigOp.OpType.DELETE))))
                    .all()
                    .get(30, SECONDS);
            Config deleted = describe(admin, resource);
            // The 4.x AdminClient no longer has alterConfigs (AlterConfigs, API 33); send it as a 3.x client would.
            AlterConfigsResponseData legacy;
            try (RawKafkaConnection connection = new RawKafkaConnection("127.0.0.1", cluster.port())) {
                AlterConfigsRequestData.AlterableConfigCollection configs =
                        new AlterConfigsRequestData.AlterableConfigCollection();
                configs.add(new AlterConfigsRequestData.AlterableConfig()
                        .setName("segment.bytes")
                        .setValue("2097152"));
                AlterConfigsRequestData.AlterConfigsResourceCollection resources =
                        new AlterConfigsRequestData.AlterConfigsResourceCollection();
                resources.add(new AlterConfigsRequestData.AlterConfigsResource()
                        .setResourceType(ConfigResource.Type.TOPIC.id())
                        .setResourceName("admin-configs")
                        .setConfigs(configs));
                legacy = connection.call(
                        ApiKeys.ALTER_CONFIGS,
                        (short) 2,
                        new AlterConfigsRequestData().setResources(resources),
                        AlterConfigsResponseData.class);
            }
            Config replaced = describe(admin, resource);
            Config broker = describe(
                    admin,
                    new ConfigResource(
                            ConfigResource.Type.BROKER,
                            Integer.toString(onlyNode(admin).id())));

            // Then
            assertThat(created.get("retention.ms").value()).isEqualTo("3600000");
            assertThat(created.get("retention.ms").source()).isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
            assertThat(created.get("cleanup.policy").value()).isEqualTo("delete");
            assertThat(created.get("cleanup.policy").source()).isEqualTo(ConfigEntry.ConfigSource.DEFAULT_CONFIG);
            assertThat(incremented.get("retention.ms").value()).isEqualTo("7200000");
            assertThat(incremented.get("max.message.bytes").value()).isEqualTo("2000000");
            assertThat(deleted.get("retention.ms").value()).isEqualTo("604800000");
            assertThat(deleted.get("retention.ms").source()).isEqualTo(ConfigEntry.ConfigSource.DEFAULT_CONFIG);
            assertThat(deleted.get("max.message.bytes").value()).isEqualTo("2000000");
            assertThat(legacy.responses()).hasSize(1);
            assertThat(legacy.responses().get(0).errorCode()).isEqualTo(Errors.NONE.code());
            assertThat(replaced.get("segment.bytes").value()).isEqualTo("2097152");
            // AlterConfigs replaces the whole set of overrides.
            assertThat(replaced.get("max.message.bytes").source()).isEqualTo(ConfigEntry.ConfigSource.DEFAULT_CONFIG);
            assertThat(broker.get("num.partitions").value()).isEqualTo("1");
        }
    }

    private static Config describe(Admin admin, ConfigResource resource) throws Exception {
        return admin.describeConfigs(List.of(resource)).all().get(30, SECONDS).get(resource);
    }

    @Test
    void adminAddsPartitions(BrookCluster cluster) throws Exception {
        try (Admin admin = KafkaClients.admin(cluster.bootstrapServers());
                KafkaProducer<String, String> producer = KafkaClients.producer(cluster.bootstrapServers(), Map.of())) {
            // Given
            admin.createTopics(List.of(new NewTopic("admin-partitions", 2, (short) 1)))
                    .all()
                    .get(30, SECONDS);

            // When
            admin.createPartitions(Map.of("admin-partitions", NewPartitions.increaseTo(5)))
                    .all()
                    .get(30, SECONDS);
            TopicDescription description = admin.describeTopics(List.of("admin-partitions"))
                    .allTopicNames()
                    .get(30, SECONDS)
                    .get("admin-partitions");
            RecordMetadata sentToNewPartition = producer.send(new ProducerRecord<>("admin-partitions", 4, "k", "v"))
                    .get(30, SECONDS);

            // Then
            assertThat(description.partitions()).hasSize(5);
            assertThat(sentToNewPartition.partition()).isEqualTo(4);
            assertThat(sentToNewPartition.offset()).isZero();
            assertThatThrownBy(() -> admin.createPartitions(Map.of("admin-partitions", NewPartitions.increaseTo(3)))
                            .all()
                            .get(30, SECONDS))
                    .hasCauseInstanceOf(InvalidPartitionsException.class);
        }
    }

    @Test
    void adminListsOffsetsAndDeleteRecordsMovesTheEarliestOffset(BrookCluster cluster) throws Exception {
        TopicPartition partition = new TopicPartition("admin-offsets", 0);
        long base = BASE_TIMESTAMP;
        try (Admin admin = KafkaClients.admin(cluster.bootstrapServers())) {
            // Given
            admin.createTopics(List.of(new NewTopic(partition.topic(), 1, (short) 1)))
                    .all()
                    .get(30, SECONDS);
            try (KafkaProducer<String, String> producer =
                    KafkaClients.producer(cluster.bootstrapServers(), Map.of(ProducerConfig.LINGER_MS_CONFIG, 0))) {
                for (int i = 0; i < 100; i++) {
                    // Record 60 carries the largest timestamp; the others increase by a second each.
                    long timestamp = i == 60 ? base + 1_000_000 : base + i * 1_000L;
                    producer.send(new ProducerRecord<>(partition.topic(), 0, timestamp, "k" + i, "v" + i))
                            .get(30, SECONDS);
                }
            }

            // When
            Map<String, Long> before = new TreeMap<>();
            before.put(
                    "earliest", offset(admin, partition, OffsetSpec.earliest()).offset());
            before.put("latest", offset(admin, partition, OffsetSpec.latest()).offset());
            ListOffsetsResultInfo max = offset(admin, partition, OffsetSpec.maxTimestamp());
            before.put("maxTimestamp", max.offset());
            before.put(
                    "forTimestamp",
                    offset(admin, partition, OffsetSpec.forTimestamp(base + 30_500))
                            .offset());
            before.put(
                    "afterLast",
                    offset(admin, partition, OffsetSpec.forTimestamp(base + 2_000_000))
                            .offset());
            long lowWatermark = admin.deleteRecords(Map.of(partition, RecordsToDelete.beforeOffset(40)))
                    .lowWatermarks()
                    .get(partition)
                    .get(30, SECONDS)
                    .lowWatermark();
            long earliestAfter = offset(admin, partition, OffsetSpec.earliest()).offset();
            long forTimestampAfter =
                    offset(admin, partition, OffsetSpec.forTimestamp(base)).offset();
            List<ConsumerRecord<String, String>> remaining = KafkaClients.readFromBeginning(
                    cluster.bootstrapServers(), List.of(partition), 60, Duration.ofSeconds(30));

            // Then
            assertThat(before)
                    .containsExactlyInAnyOrderEntriesOf(Map.of(
                            "earliest", 0L,
                            "latest", 100L,
                            "maxTimestamp", 60L,
                            "forTimestamp", 31L,
                            "afterLast", -1L));
            assertThat(max.timestamp()).isEqualTo(base + 1_000_000);
            assertThat(lowWatermark).isEqualTo(40);
            assertThat(earliestAfter).isEqualTo(40);
            assertThat(forTimestampAfter).isEqualTo(40);
            assertThat(remaining).hasSize(60);
            assertThat(remaining.get(0).offset()).isEqualTo(40);
            assertThat(remaining.get(0).value()).isEqualTo("v40");
            assertThatThrownBy(() -> admin.deleteRecords(Map.of(partition, RecordsToDelete.beforeOffset(200)))
                            .all()
                            .get(30, SECONDS))
                    .hasCauseInstanceOf(OffsetOutOfRangeException.class);
        }
    }

    private static ListOffsetsResultInfo offset(Admin admin, TopicPartition partition, OffsetSpec spec)
            throws Exception {
        return admin.listOffsets(Map.of(partition, spec))
                .partitionResult(partition)
                .get(30, SECONDS);
    }

    @Test
    void adminDescribesClusterAndLogDirs(BrookCluster cluster) throws Exception {
        try (Admin admin = KafkaClients.admin(cluster.bootstrapServers())) {
            // Given
            admin.createTopics(List.of(new NewTopic("admin-log-dirs", 2, (short) 1)))
                    .all()
                    .get(30, SECONDS);
            try (KafkaProducer<String, String> producer = KafkaClients.producer(cluster.bootstrapServers(), Map.of())) {
                producer.send(new ProducerRecord<>("admin-log-dirs", 1, "k", "v"))
                        .get(30, SECONDS);
            }

            // When
            DescribeClusterResult described = admin.describeCluster();
            Collection<Node> nodes = described.nodes().get(30, SECONDS);
            Node controller = described.controller().get(30, SECONDS);
            String clusterId = described.clusterId().get(30, SECONDS);
            Map<String, LogDirDescription> dirs = admin.describeLogDirs(List.of(controller.id()))
                    .allDescriptions()
                    .get(30, SECONDS)
                    .get(controller.id());

            // Then
            assertThat(clusterId).isEqualTo(cluster.broker().clusterId());
            assertThat(nodes).containsExactly(controller);
            assertThat(controller.host()).isEqualTo("127.0.0.1");
            assertThat(controller.port()).isEqualTo(cluster.port());
            assertThat(dirs).hasSize(1);
            LogDirDescription dir = dirs.values().iterator().next();
            assertThat(dir.error()).isNull();
            assertThat(dir.replicaInfos())
                    .containsKeys(new TopicPartition("admin-log-dirs", 0), new TopicPartition("admin-log-dirs", 1));
            assertThat(dir.replicaInfos()
                            .get(new TopicPartition("admin-log-dirs", 1))
                            .size())
                    .isPositive();
            assertThat(dir.replicaInfos()
                            .get(new TopicPartition("admin-log-dirs", 0))
                            .size())
                    .isZero();
        }
    }

    @Test
    void creatingAnExistingTopicFailsWithTopicExists(BrookCluster cluster) throws Exception {
        try (Admin admin = KafkaClients.admin(cluster.bootstrapServers())) {
            // Given
            admin.createTopics(List.of(new NewTopic("admin-twice", 1, (short) 1)))
                    .all()
                    .get(30, SECONDS);

            // When / Then
            assertThatThrownBy(() -> admin.createTopics(List.of(new NewTopic("admin-twice", 1, (short) 1)))
                            .all()
                            .get(30, SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(TopicExistsException.class);
        }
    }

    @Test
    void replicationFactorThreeFailsOnASingleBroker(BrookCluster cluster) throws Exception {
        try (Admin admin = KafkaClients.admin(cluster.bootstrapServers())) {
            // When / Then
            assertThatThrownBy(() -> admin.createTopics(List.of(new NewTopic("admin-rf3", 1, (short) 3)))
                            .all()
                            .get(30, SECONDS))
                    .hasCauseInstanceOf(InvalidReplicationFactorException.class);
            assertThat(admin.listTopics().names().get(30, SECONDS)).doesNotContain("admin-rf3");
        }
    }

    @Test
    void unknownTopicConfigKeyIsInvalidConfiguration(BrookCluster cluster) throws Exception {
        try (Admin admin = KafkaClients.admin(cluster.bootstrapServers())) {
            // Given
            admin.createTopics(List.of(new NewTopic("admin-known", 1, (short) 1)))
                    .all()
                    .get(30, SECONDS);
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, "admin-known");

            // When / Then
            assertThatThrownBy(() -> admin.createTopics(List.of(new NewTopic("admin-unknown-key", 1, (short) 1)
                                    .configs(Map.of("retention.mss", "1000"))))
                            .all()
                            .get(30, SECONDS))
                    .hasCauseInstanceOf(InvalidConfigurationException.class)
                    .hasMessageContaining("retention.mss");
            assertThatThrownBy(() -> admin.incrementalAlterConfigs(Map.of(
                                    resource,
                                    List.of(new AlterConfigOp(
                                            new ConfigEntry("retention.mss", "1000"), AlterConfigOp.OpType.SET))))
                            .all()
                            .get(30, SECONDS))
                    .hasCauseInstanceOf(InvalidConfigurationException.class)
                    .hasMessageContaining("retention.mss");
            assertThat(admin.listTopics().names().get(30, SECONDS)).doesNotContain("admin-unknown-key");
        }
    }

    @Test
    void producingToAnUnknownTopicFailsWhenAutoCreateIsOff(BrookCluster cluster) throws Exception {
        // Given
        try (KafkaProducer<String, String> producer =
                KafkaClients.producer(cluster.bootstrapServers(), Map.of(ProducerConfig.MAX_BLOCK_MS_CONFIG, 2_000))) {
            // When / Then
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>("no-such-topic", "k", "v"))
                            .get(30, SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(TimeoutException.class)
                    .hasMessageContaining("not present in metadata");
        }
        try (Admin admin = KafkaClients.admin(cluster.bootstrapServers())) {
            assertThat(admin.listTopics().names().get(30, SECONDS)).doesNotContain("no-such-topic");
        }
    }

    @ParameterizedTest(name = "acks={0}")
    @ValueSource(strings = {"0", "1", "all"})
    void producerWithEachAcksSettingIsStored(String acks, BrookCluster cluster) throws Exception {
        // Given
        String topic = "acks-" + acks;
        try (Admin admin = KafkaClients.admin(cluster.bootstrapServers())) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, SECONDS);
        }

        // When: idempotence needs acks=all, so it is off for 0 and 1.
        try (KafkaProducer<String, String> producer = KafkaClients.producer(
                cluster.bootstrapServers(),
                Map.of(
                        ProducerConfig.ACKS_CONFIG,
                        acks,
                        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                        acks.equals("all")))) {
            for (int i = 0; i < 1_000; i++) {
                producer.send(new ProducerRecord<>(topic, 0, "k" + i, "v" + i));
            }
            producer.flush();
        }
        List<ConsumerRecord<String, String>> records = KafkaClients.readFromBeginning(
                cluster.bootstrapServers(), List.of(new TopicPartition(topic, 0)), 1_000, Duration.ofSeconds(30));

        // Then
        assertThat(records)
                .extracting(ConsumerRecord::value)
                .containsExactlyElementsOf(
                        IntStream.range(0, 1_000).mapToObj(i -> "v" + i).toList());
    }

    @Test
    void idempotentProducerCarriesOnAcrossACleanBrokerRestart(BrookCluster cluster) throws Exception {
        // Given
        TopicPartition partition = new TopicPartition("restarted", 0);
        try (Admin admin = KafkaClients.admin(cluster.bootstrapServers())) {
            admin.createTopics(List.of(new NewTopic(partition.topic(), 1, (short) 1)))
                    .all()
                    .get(30, SECONDS);
        }
        try (KafkaProducer<String, String> producer = KafkaClients.producer(cluster.bootstrapServers(), Map.of())) {
            for (int i = 0; i < 100; i++) {
                producer.send(new ProducerRecord<>(partition.topic(), 0, "k", "v" + i))
                        .get(30, SECONDS);
            }

            // When: the same producer (same producer id, continuing sequences) sends after a restart.
            cluster.restart();
            for (int i = 100; i < 200; i++) {
                producer.send(new ProducerRecord<>(partition.topic(), 0, "k", "v" + i))
                        .get(30, SECONDS);
            }
        }
        List<ConsumerRecord<String, String>> records = KafkaClients.readFromBeginning(
                cluster.bootstrapServers(), List.of(partition), 200, Duration.ofSeconds(30));

        // Then
        assertThat(records)
                .extracting(ConsumerRecord::value)
                .containsExactlyElementsOf(
                        IntStream.range(0, 200).mapToObj(i -> "v" + i).toList());
        assertThat(records)
                .extracting(ConsumerRecord::offset)
                .containsExactlyElementsOf(
                        IntStream.range(0, 200).mapToObj(i -> (long) i).toList());
    }
}
