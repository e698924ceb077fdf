package io.brook.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.CreateTopicsResponseData;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProtocolTest {
    @TempDir
    Path dataDir;

    private Broker broker;

    @BeforeEach
    void startBroker() throws IOException {
        broker = Broker.start(BrokerConfig.parse(Map.of(
                BrokerConfig.DATA_DIR, dataDir.toString(),
                BrokerConfig.KAFKA_PORT, "0",
                BrokerConfig.SOCKET_REQUEST_MAX_BYTES, "65536")));
    }

    @AfterEach
    void stopBroker() throws IOException {
        broker.close();
    }

    @Test
    void answersTooNewApiVersionsWithVersionZeroAndTheServedRanges() throws IOException {
        try (RawKafkaConnection connection = new RawKafkaConnection(broker.kafkaPort())) {
            // When
            ApiVersionsResponseData response = (ApiVersionsResponseData)
                    connection.send(ApiKeys.API_VERSIONS, (short) 4, new ApiVersionsRequestData(), (short) 4);
            // Then: a v4 request is fine; now ask with a version from the future, sent as raw bytes
            assertThat(response.errorCode()).isEqualTo(Errors.NONE.code());
            ByteBuffer request = ByteBuffer.allocate(4 + 8 + 2);
            request.putInt(10)
                    .putShort(ApiKeys.API_VERSIONS.id)
                    .putShort((short) 99)
                    .putInt(7)
                    .putShort((short) -1);
            connection.writeRaw(request.array());
            ByteBuffer frame = connection.readFrame();
            assertThat(frame.getInt()).isEqualTo(7);
            ApiVersionsResponseData tooNew = new ApiVersionsResponseData(
                    new org.apache.kafka.common.protocol.ByteBufferAccessor(frame), (short) 0);
            assertThat(tooNew.errorCode()).isEqualTo(Errors.UNSUPPORTED_VERSION.code());
            assertThat(tooNew.apiKeys().find(ApiKeys.PRODUCE.id).maxVersion()).isEqualTo((short) 13);
        }
    }

    @Test
    void advertisesExactlyTheServedVersions() throws IOException {
        try (RawKafkaConnection connection = new RawKafkaConnection(broker.kafkaPort())) {
            ApiVersionsResponseData response = (ApiVersionsResponseData)
                    connection.send(ApiKeys.API_VERSIONS, (short) 3, new ApiVersionsRequestData(), (short) 3);
            assertThat(response.apiKeys().find(ApiKeys.FETCH.id).minVersion()).isEqualTo((short) 4);
            assertThat(response.apiKeys().find(ApiKeys.FETCH.id).maxVersion()).isEqualTo((short) 18);
            assertThat(response.apiKeys().find(ApiKeys.METADATA.id).minVersion())
                    .isEqualTo((short) 0);
            assertThat(response.apiKeys().find(ApiKeys.JOIN_GROUP.id).maxVersion())
                    .isEqualTo((short) 9);
            assertThat(response.apiKeys().find(ApiKeys.OFFSET_COMMIT.id).minVersion())
                    .isEqualTo((short) 2);
            assertThat(response.apiKeys()
                            .find(ApiKeys.CONSUMER_GROUP_HEARTBEAT.id)
                            .maxVersion())
                    .isEqualTo((short) 1);
            // Not served yet, so not advertised: transactions and share groups.
            assertThat(response.apiKeys().find(ApiKeys.ADD_PARTITIONS_TO_TXN.id))
                    .isNull();
            assertThat(response.apiKeys().find(ApiKeys.SHARE_GROUP_HEARTBEAT.id))
                    .isNull();
        }
    }

    @Test
    void closesTheConnectionOnAnOversizedFrameAndKeepsServingOthers() throws IOException {
        try (RawKafkaConnection bad = new RawKafkaConnection(broker.kafkaPort());
                RawKafkaConnection good = new RawKafkaConnection(broker.kafkaPort())) {
            // When
            bad.writeRaw(ByteBuffer.allocate(4).putInt(1_000_000).array());
            // Then
            assertThat(bad.isClosedByBroker()).isTrue();
            ApiVersionsResponseData response = (ApiVersionsResponseData)
                    good.send(ApiKeys.API_VERSIONS, (short) 3, new ApiVersionsRequestData(), (short) 3);
            assertThat(response.errorCode()).isZero();
        }
    }

    @Test
    void metadataVersionZeroWithNoTopicsListsAllTopics() throws IOException {
        try (RawKafkaConnection connection = new RawKafkaConnection(broker.kafkaPort())) {
            // Given
            createTopic(connection, "alpha", 2);
            // When
            MetadataResponseData response = (MetadataResponseData)
                    connection.send(ApiKeys.METADATA, (short) 0, new MetadataRequestData().setTopics(List.of()));
            // Then
            assertThat(response.topics()).hasSize(1);
            assertThat(response.topics().find("alpha").partitions()).hasSize(2);
            assertThat(response.brokers().find(1).port()).isEqualTo(broker.kafkaPort());
        }
    }

    @Test
    void incrementalFetchSessionSendsOnlyPartitionsWithNews() throws IOException {
        try (RawKafkaConnection connection = new RawKafkaConnection(broker.kafkaPort())) {
            // Given: two partitions, one of them with a record
            createTopic(connection, "news", 2);
            produce(connection, "news", 0, "hello");
            short version = 12;
            // When: a full fetch opens a session
            FetchResponseData full = fetch(connection, version, 0, 0, List.of(0, 1), 0, 0);
            // Then
            assertThat(full.sessionId()).isNotZero();
            assertThat(partitions(full)).containsExactly(0, 1);
            // When: an incremental fetch after reading partition 0 up to its end, nothing new anywhere
            FetchResponseData quiet = fetch(connection, version, full.sessionId(), 1, List.of(0), 1, 0);
            // Then
            assertThat(quiet.errorCode()).isZero();
            assertThat(partitions(quiet)).isEmpty();
            // When: new data in partition 1
            produce(connection, "news", 1, "world");
            FetchResponseData news = fetch(connection, version, full.sessionId(), 2, List.of(), 0, 0);
            // Then
            assertThat(partitions(news)).containsExactly(1);
            // When: a wrong epoch
            FetchResponseData wrongEpoch = fetch(connection, version, full.sessionId(), 7, List.of(), 0, 0);
            // Then
            assertThat(wrongEpoch.errorCode()).isEqualTo(Errors.INVALID_FETCH_SESSION_EPOCH.code());
        }
    }

    @Test
    void longPollAnswersWhenDataArrives() throws Exception {
        try (RawKafkaConnection consumer = new RawKafkaConnection(broker.kafkaPort());
                RawKafkaConnection producer = new RawKafkaConnection(broker.kafkaPort())) {
            // Given
            createTopic(producer, "waiting", 1);
            Thread later = new Thread(() -> {
                try {
                    Thread.sleep(300);
                    produce(producer, "waiting", 0, "late");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            later.start();
            // When: a fetch that would wait up to 10 s
            long start = System.nanoTime();
            FetchResponseData response = fetchWithWait(consumer, 10_000);
            long elapsedMs = (System.nanoTime() - start) / 1_000_000;
            later.join();
            // Then: it returned with the record well before the max wait
            assertThat(response.responses().get(0).partitions().get(0).records().sizeInBytes())
                    .isPositive();
            assertThat(elapsedMs).isLessThan(9_000);
        }
    }

    private static FetchResponseData fetchWithWait(RawKafkaConnection connection, int maxWaitMs) throws IOException {
        FetchRequestData request = new FetchRequestData()
                .setReplicaId(-1)
                .setMaxWaitMs(maxWaitMs)
                .setMinBytes(1)
                .setMaxBytes(1 << 20)
                .setSessionId(0)
                .setSessionEpoch(-1);
        request.topics()
                .add(new FetchRequestData.FetchTopic()
                        .setTopic("waiting")
                        .setPartitions(List.of(new FetchRequestData.FetchPartition()
                                .setPartition(0)
                                .setFetchOffset(0)
                                .setPartitionMaxBytes(1 << 20))));
        return (FetchResponseData) connection.send(ApiKeys.FETCH, (short) 12, request);
    }

    private static List<Integer> partitions(FetchResponseData response) {
        return response.responses().stream()
                .flatMap(topic -> topic.partitions().stream())
                .map(FetchResponseData.PartitionData::partitionIndex)
                .toList();
    }

    private static FetchResponseData fetch(
            RawKafkaConnection connection,
            short version,
            int sessionId,
            int epoch,
            List<Integer> partitions,
            long offset,
            int maxWaitMs)
            throws IOException {
        FetchRequestData request = new FetchRequestData()
                .setReplicaId(-1)
                .setMaxWaitMs(maxWaitMs)
                .setMinBytes(1)
                .setMaxBytes(1 << 20)
                .setSessionId(sessionId)
                .setSessionEpoch(epoch);
        FetchRequestData.FetchTopic topic = new FetchRequestData.FetchTopic().setTopic("news");
        for (int partition : partitions) {
            topic.partitions()
                    .add(new FetchRequestData.FetchPartition()
                            .setPartition(partition)
                            .setFetchOffset(offset)
                            .setPartitionMaxBytes(1 << 20));
        }
        if (!partitions.isEmpty()) {
            request.topics().add(topic);
        }
        return (FetchResponseData) connection.send(ApiKeys.FETCH, version, request);
    }

    private static void createTopic(RawKafkaConnection connection, String name, int partitions) throws IOException {
        CreateTopicsRequestData request = new CreateTopicsRequestData().setTimeoutMs(5000);
        request.topics()
                .add(new CreateTopicsRequestData.CreatableTopic()
                        .setName(name)
                        .setNumPartitions(partitions)
                        .setReplicationFactor((short) 1));
        CreateTopicsResponseData response =
                (CreateTopicsResponseData) connection.send(ApiKeys.CREATE_TOPICS, (short) 7, request);
        assertThat(response.topics().find(name).errorCode()).isZero();
    }

    private static void produce(RawKafkaConnection connection, String topic, int partition, String value)
            throws IOException {
        MemoryRecords records = MemoryRecords.withRecords(
                Compression.NONE, new SimpleRecord(value.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        ProduceRequestData request =
                new ProduceRequestData().setAcks((short) -1).setTimeoutMs(5000);
        ProduceRequestData.TopicProduceData topicData = new ProduceRequestData.TopicProduceData().setName(topic);
        topicData
                .partitionData()
                .add(new ProduceRequestData.PartitionProduceData()
                        .setIndex(partition)
                        .setRecords(records));
        request.topicData().add(topicData);
        ProduceResponseData response = (ProduceResponseData) connection.send(ApiKeys.PRODUCE, (short) 12, request);
        assertThat(response.responses()
                        .iterator()
                        .next()
                        .partitionResponses()
                        .get(0)
                        .errorCode())
                .isZero();
    }
}
