package io.brook.broker;

import io.brook.broker.admin.ClusterHandler;
import io.brook.broker.admin.ConfigsHandler;
import io.brook.broker.admin.MetadataHandler;
import io.brook.broker.admin.TopicAdminHandler;
import io.brook.broker.fetch.FetchHandler;
import io.brook.broker.fetch.ListOffsetsHandler;
import io.brook.broker.group.GroupHandler;
import io.brook.broker.network.Request;
import io.brook.broker.network.RequestHandler;
import io.brook.broker.network.SupportedApis;
import io.brook.broker.produce.ProduceHandler;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.message.AlterConfigsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.ConsumerGroupDescribeRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.CreatePartitionsRequestData;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.DeleteGroupsRequestData;
import org.apache.kafka.common.message.DeleteRecordsRequestData;
import org.apache.kafka.common.message.DeleteTopicsRequestData;
import org.apache.kafka.common.message.DescribeClusterRequestData;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.DescribeLogDirsRequestData;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/** Routes each request to the handler of its API. */
final class KafkaApis implements RequestHandler {
    private final SupportedApis apis;
    private final MetadataHandler metadata;
    private final TopicAdminHandler topicAdmin;
    private final ConfigsHandler configs;
    private final ClusterHandler cluster;
    private final ProduceHandler produce;
    private final FetchHandler fetch;
    private final ListOffsetsHandler listOffsets;
    private final GroupHandler groups;

    KafkaApis(
            SupportedApis apis,
            MetadataHandler metadata,
            TopicAdminHandler topicAdmin,
            ConfigsHandler configs,
            ClusterHandler cluster,
            ProduceHandler produce,
            FetchHandler fetch,
            ListOffsetsHandler listOffsets,
            GroupHandler groups) {
        this.apis = apis;
        this.metadata = metadata;
        this.topicAdmin = topicAdmin;
        this.configs = configs;
        this.cluster = cluster;
        this.produce = produce;
        this.fetch = fetch;
        this.listOffsets = listOffsets;
        this.groups = groups;
    }

    /**
     * Produce appends to the page cache and registers for fsync; Fetch reads index entries and batch headers and
     * hands out file regions or registers a long poll: neither waits, so the network thread runs them directly.
     */
    @Override
    public boolean isNonBlocking(org.apache.kafka.common.protocol.ApiKeys apiKey) {
        return apiKey == org.apache.kafka.common.protocol.ApiKeys.PRODUCE
                || apiKey == org.apache.kafka.common.protocol.ApiKeys.FETCH
                || apiKey == org.apache.kafka.common.protocol.ApiKeys.API_VERSIONS
                || apiKey == org.apache.kafka.common.protocol.ApiKeys.LIST_OFFSETS;
    }

    @Override
    public CompletionStage<ApiMessage> handle(Request request) {
        short version = request.version();
        ApiMessage body = request.body();
        return switch (request.header().apiKey()) {
            case PRODUCE -> produce.produce((ProduceRequestData) body, version);
            case FETCH -> fetch.fetch((FetchRequestData) body, version);
            case JOIN_GROUP ->
                groups.join(request, (JoinGroupRequestData) body, version).thenApply(r -> r);
            case SYNC_GROUP -> groups.sync((SyncGroupRequestData) body, version).thenApply(r -> r);
            case OFFSET_COMMIT ->
                groups.commitOffsets((OffsetCommitRequestData) body, version).thenApply(r -> r);
            case CONSUMER_GROUP_HEARTBEAT ->
                groups.consumerGroupHeartbeat(request, (ConsumerGroupHeartbeatRequestData) body, version)
                        .thenApply(r -> r);
            default -> CompletableFuture.completedFuture(handleNow(request, body, version));
        };
    }

    private ApiMessage handleNow(Request request, ApiMessage body, short version) {
        return switch (request.header().apiKey()) {
            case API_VERSIONS ->
                new ApiVersionsResponseData().setErrorCode(Errors.NONE.code()).setApiKeys(apis.toApiVersions());
            case METADATA -> metadata.handle((MetadataRequestData) body, version);
            case LIST_OFFSETS -> listOffsets.listOffsets((ListOffsetsRequestData) body, version);
            case OFFSET_FOR_LEADER_EPOCH ->
                listOffsets.offsetForLeaderEpoch((OffsetForLeaderEpochRequestData) body, version);
            case CREATE_TOPICS -> topicAdmin.createTopics((CreateTopicsRequestData) body, version);
            case DELETE_TOPICS -> topicAdmin.deleteTopics((DeleteTopicsRequestData) body, version);
            case CREATE_PARTITIONS -> topicAdmin.createPartitions((CreatePartitionsRequestData) body, version);
            case DESCRIBE_CONFIGS -> configs.describe((DescribeConfigsRequestData) body, version);
            case ALTER_CONFIGS -> configs.alter((AlterConfigsRequestData) body, version);
            case INCREMENTAL_ALTER_CONFIGS ->
                configs.incrementalAlter((IncrementalAlterConfigsRequestData) body, version);
            case DESCRIBE_CLUSTER -> cluster.describeCluster((DescribeClusterRequestData) body, version);
            case DESCRIBE_LOG_DIRS -> cluster.describeLogDirs((DescribeLogDirsRequestData) body, version);
            case DELETE_RECORDS -> cluster.deleteRecords((DeleteRecordsRequestData) body, version);
            case INIT_PRODUCER_ID -> produce.initProducerId((InitProducerIdRequestData) body, version);
            case FIND_COORDINATOR -> groups.findCoordinator((FindCoordinatorRequestData) body, version);
            case HEARTBEAT -> groups.heartbeat((HeartbeatRequestData) body);
            case LEAVE_GROUP -> groups.leave((LeaveGroupRequestData) body, version);
            case OFFSET_FETCH -> groups.fetchOffsets((OffsetFetchRequestData) body, version);
            case OFFSET_DELETE -> groups.deleteOffsets((OffsetDeleteRequestData) body);
            case LIST_GROUPS -> groups.listGroups((ListGroupsRequestData) body, version);
            case DESCRIBE_GROUPS -> groups.describeGroups((DescribeGroupsRequestData) body, version);
            case DELETE_GROUPS -> groups.deleteGroups((DeleteGroupsRequestData) body);
            case CONSUMER_GROUP_DESCRIBE -> groups.consumerGroupDescribe((ConsumerGroupDescribeRequestData) body);
            default ->
                throw new org.apache.kafka.common.errors.UnsupportedVersionException(
                        "Brook does not serve " + request.header().apiKey());
        };
    }
}
