package io.brook.it;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.message.AlterConfigsRequestData;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.ApiVersionsResponseData.ApiVersion;
import org.apache.kafka.common.message.CreatePartitionsRequestData;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.DeleteRecordsRequestData;
import org.apache.kafka.common.message.DeleteTopicsRequestData;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.DescribeLogDirsRequestData;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.ListOffsetsResponseData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every API at every version the broker advertises in ApiVersions gets a well-formed request about a real topic and
 * must answer it with a response that decodes at that version. Old clients use the low versions (CLIENTS.md), and a
 * response field that a version cannot carry fails only there. Produce v0-2 are advertised but refused by design.
 */
class ApiVersionsSweepIT {
    @RegisterExtension
    static final BrookBrokerExtension BROKER = new BrookBrokerExtension();

    private static final String TOPIC = "sweep";

    @Test
    void everyAdvertisedVersionOfEveryApiIsAnswered(BrookCluster cluster) throws Exception {
        // Given
        Uuid topicId;
        try (Admin admin = KafkaClients.admin(cluster.bootstrapServers())) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get(30, SECONDS);
            topicId = admin.describeTopics(List.of(TOPIC))
                    .allTopicNames()
                    .get(30, SECONDS)
                    .get(TOPIC)
                    .topicId();
        }
        ApiVersionsResponseData advertised;
        try (RawKafkaConnection connection = new RawKafkaConnection("127.0.0.1", cluster.port())) {
            advertised = connection.call(
                    ApiKeys.API_VERSIONS, (short) 0, new ApiVersionsRequestData(), ApiVersionsResponseData.class);
        }
        List<String> answered = new ArrayList<>();
        List<String> problems = new ArrayList<>();

        // When
        for (ApiVersion api : advertised.apiKeys()) {
            ApiKeys apiKey = ApiKeys.forId(api.apiKey());
            for (short version = api.minVersion(); version <= api.maxVersion(); version++) {
                if (apiKey == ApiKeys.PRODUCE && version < 3) {
                    continue;
                }
                String name = apiKey + " v" + version;
                try (RawKafkaConnection connection = new RawKafkaConnection("127.0.0.1", cluster.port())) {
                    ApiMessage response = connection.callWithin(
                            apiKey, version, request(apiKey, version, topicId), Duration.ofSeconds(5));
                    String error = partitionError(response);
                    if (error != null) {
                        problems.add(name + ": " + error);
                    } else {
                        answered.add(name);
                    }
                } catch (IOException | RuntimeException e) {
                    problems.add(name + ": " + e.getMessage());
                }
            }
        }

        // Then
        assertThat(problems)
                .as("requests not answered properly (answered: %s)", answered)
                .isEmpty();
        assertThat(answered).contains("API_VERSIONS v0", "METADATA v0", "FETCH v4", "LIST_OFFSETS v1", "PRODUCE v3");
    }

    /** A well-formed request about topic {@value #TOPIC} partition 0; changing nothing (validate-only or absent). */
    private static ApiMessage request(ApiKeys apiKey, short version, Uuid topicId) {
        boolean byId = usesTopicIds(apiKey, version);
        return switch (apiKey) {
            case PRODUCE -> {
                ProduceRequestData.TopicProduceDataCollection topics =
                        new ProduceRequestData.TopicProduceDataCollection();
                topics.add(new ProduceRequestData.TopicProduceData()
                        .setName(byId ? "" : TOPIC)
                        .setTopicId(byId ? topicId : Uuid.ZERO_UUID)
                        .setPartitionData(List.of(new ProduceRequestData.PartitionProduceData()
                                .setIndex(0)
                                .setRecords(MemoryRecords.withRecords(
                                        Compression.NONE, new SimpleRecord("v".getBytes(StandardCharsets.UTF_8)))))));
                yield new ProduceRequestData()
                        .setAcks((short) 1)
                        .setTimeoutMs(5_000)
                        .setTopicData(topics);
            }
            case FETCH ->
                new FetchRequestData()
                        .setMaxWaitMs(0)
                        .setMinBytes(0)
                        .setMaxBytes(1024 * 1024)
                        .setTopics(List.of(new FetchRequestData.FetchTopic()
                                .setTopic(byId ? "" : TOPIC)
                                .setTopicId(byId ? topicId : Uuid.ZERO_UUID)
                                .setPartitions(List.of(new FetchRequestData.FetchPartition()
                                        .setPartition(0)
                                        .setFetchOffset(0)
                                        .setPartitionMaxBytes(1024 * 1024)))));
            case LIST_OFFSETS ->
                new ListOffsetsRequestData()
                        .setReplicaId(-1)
                        .setTopics(List.of(new ListOffsetsRequestData.ListOffsetsTopic()
                                .setName(TOPIC)
                                .setPartitions(List.of(new ListOffsetsRequestData.ListOffsetsPartition()
                                        .setPartitionIndex(0)
                                        .setTimestamp(-1)))));
            case METADATA ->
                new MetadataRequestData()
                        .setTopics(List.of(new MetadataRequestData.MetadataRequestTopic().setName(TOPIC)))
                        .setAllowAutoTopicCreation(version < 4);
            case API_VERSIONS ->
                version >= 3
                        ? new ApiVersionsRequestData()
                                .setClientSoftwareName("brook-it")
                                .setClientSoftwareVersion("1")
                        : new ApiVersionsRequestData();
            case CREATE_TOPICS -> {
                CreateTopicsRequestData.CreatableTopicCollection topics =
                        new CreateTopicsRequestData.CreatableTopicCollection();
                topics.add(new CreateTopicsRequestData.CreatableTopic()
                        .setName("sweep-validate-only")
                        .setNumPartitions(1)
                        .setReplicationFactor((short) 1));
                yield new CreateTopicsRequestData()
                        .setTopics(topics)
                        .setTimeoutMs(5_000)
                        .setValidateOnly(true);
            }
            case DELETE_TOPICS ->
                version >= 6
                        ? new DeleteTopicsRequestData()
                                .setTopics(
                                        List.of(new DeleteTopicsRequestData.DeleteTopicState().setName("sweep-absent")))
                                .setTimeoutMs(5_000)
                        : new DeleteTopicsRequestData()
                                .setTopicNames(List.of("sweep-absent"))
                                .setTimeoutMs(5_000);
            case DELETE_RECORDS ->
                new DeleteRecordsRequestData()
                        .setTimeoutMs(5_000)
                        .setTopics(List.of(new DeleteRecordsRequestData.DeleteRecordsTopic()
                                .setName(TOPIC)
                                .setPartitions(List.of(new DeleteRecordsRequestData.DeleteRecordsPartition()
                                        .setPartitionIndex(0)
                                        .setOffset(0)))));
            case INIT_PRODUCER_ID ->
                new InitProducerIdRequestData().setTransactionalId(null).setTransactionTimeoutMs(60_000);
            case OFFSET_FOR_LEADER_EPOCH -> {
                OffsetForLeaderEpochRequestData.OffsetForLeaderTopicCollection topics =
                        new OffsetForLeaderEpochRequestData.OffsetForLeaderTopicCollection();
                topics.add(new OffsetForLeaderEpochRequestData.OffsetForLeaderTopic()
                        .setTopic(TOPIC)
                        .setPartitions(List.of(new OffsetForLeaderEpochRequestData.OffsetForLeaderPartition()
                                .setPartition(0)
                                .setLeaderEpoch(0))));
                yield new OffsetForLeaderEpochRequestData().setTopics(topics);
            }
            case DESCRIBE_CONFIGS ->
                new DescribeConfigsRequestData()
                        .setResources(List.of(new DescribeConfigsRequestData.DescribeConfigsResource()
                                .setResourceType(ConfigResource.Type.TOPIC.id())
                                .setResourceName(TOPIC)));
            case ALTER_CONFIGS -> {
                AlterConfigsRequestData.AlterableConfigCollection configs =
                        new AlterConfigsRequestData.AlterableConfigCollection();
                configs.add(new AlterConfigsRequestData.AlterableConfig()
                        .setName("retention.ms")
                        .setValue("3600000"));
                AlterConfigsRequestData.AlterConfigsResourceCollection resources =
                        new AlterConfigsRequestData.AlterConfigsResourceCollection();
                resources.add(new AlterConfigsRequestData.AlterConfigsResource()
                        .setResourceType(ConfigResource.Type.TOPIC.id())
                        .setResourceName(TOPIC)
                        .setConfigs(configs));
                yield new AlterConfigsRequestData().setResources(resources).setValidateOnly(true);
            }
            case INCREMENTAL_ALTER_CONFIGS -> {
                IncrementalAlterConfigsRequestData.AlterableConfigCollection configs =
                        new IncrementalAlterConfigsRequestData.AlterableConfigCollection();
                configs.add(new IncrementalAlterConfigsRequestData.AlterableConfig()
                        .setName("retention.ms")
                        .setConfigOperation((byte) 0)
                        .setValue("3600000"));
                IncrementalAlterConfigsRequestData.AlterConfigsResourceCollection resources =
                        new IncrementalAlterConfigsRequestData.AlterConfigsResourceCollection();
                resources.add(new IncrementalAlterConfigsRequestData.AlterConfigsResource()
                        .setResourceType(ConfigResource.Type.TOPIC.id())
                        .setResourceName(TOPIC)
                        .setConfigs(configs));
                yield new IncrementalAlterConfigsRequestData()
                        .setResources(resources)
                        .setValidateOnly(true);
            }
            case DESCRIBE_LOG_DIRS -> new DescribeLogDirsRequestData().setTopics(null);
            case CREATE_PARTITIONS -> {
                CreatePartitionsRequestData.CreatePartitionsTopicCollection topics =
                        new CreatePartitionsRequestData.CreatePartitionsTopicCollection();
                topics.add(new CreatePartitionsRequestData.CreatePartitionsTopic()
                        .setName(TOPIC)
                        .setCount(2)
                        .setAssignments(null));
                yield new CreatePartitionsRequestData()
                        .setTopics(topics)
                        .setTimeoutMs(5_000)
                        .setValidateOnly(true);
            }
            // An API added later gets its default request: it must be answered too, if only with an error.
            default -> apiKey.messageType.newRequest();
        };
    }

    private static boolean usesTopicIds(ApiKeys apiKey, short version) {
        return (apiKey == ApiKeys.FETCH && version >= 13) || (apiKey == ApiKeys.PRODUCE && version >= 13);
    }

    /** The error of the partition-level answer for the data APIs, or null when it is NONE (or not checked). */
    private static String partitionError(ApiMessage response) {
        short code = Errors.NONE.code();
        if (response instanceof ProduceResponseData produce) {
            code = produce.responses()
                    .iterator()
                    .next()
                    .partitionResponses()
                    .get(0)
                    .errorCode();
        } else if (response instanceof FetchResponseData fetch) {
            code = fetch.errorCode() != 0
                    ? fetch.errorCode()
                    : fetch.responses().get(0).partitions().get(0).errorCode();
        } else if (response instanceof ListOffsetsResponseData listOffsets) {
            code = listOffsets.topics().get(0).partitions().get(0).errorCode();
        } else if (response instanceof MetadataResponseData metadata) {
            code = metadata.topics().iterator().next().errorCode();
        }
        return code == Errors.NONE.code() ? null : "partition error " + Errors.forCode(code);
    }
}
