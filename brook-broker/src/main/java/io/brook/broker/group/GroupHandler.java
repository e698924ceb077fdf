package io.brook.broker.group;

import io.brook.broker.BrokerContext;
import io.brook.broker.network.Request;
import io.brook.broker.topic.Topic;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor;
import org.apache.kafka.clients.consumer.internals.ConsumerProtocol;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ConsumerGroupDescribeRequestData;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.apache.kafka.common.message.DeleteGroupsRequestData;
import org.apache.kafka.common.message.DeleteGroupsResponseData;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetDeleteResponseData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.Errors;

/**
 * The group APIs on the wire: FindCoordinator, the classic membership protocol and the offset APIs. Turns requests
 * into {@link GroupCoordinator} calls and shapes responses for the version asked (fields a version cannot carry are
 * left at their defaults, or the codec refuses to write them).
 */
public final class GroupHandler {
    private static final byte GROUP_KEY = 0;
    /** Kafka's default offset.metadata.max.bytes. */
    private static final int MAX_METADATA_BYTES = 4096;

    private final BrokerContext context;
    private final GroupCoordinator coordinator;

    public GroupHandler(BrokerContext context, GroupCoordinator coordinator) {
        this.context = context;
        this.coordinator = coordinator;
    }

    // ---------------------------------------------------------------------------------------------- FindCoordinator

    public FindCoordinatorResponseData findCoordinator(FindCoordinatorRequestData request, short version) {
        FindCoordinatorResponseData response = new FindCoordinatorResponseData();
        if (version < 4) {
            Errors error = coordinatorError(request.keyType());
            response.setErrorCode(error.code()).setNodeId(error == Errors.NONE ? context.nodeId() : -1);
            response.setHost(error == Errors.NONE ? context.host() : "");
            response.setPort(error == Errors.NONE ? context.port().getAsInt() : -1);
            if (version >= 1) {
                response.setErrorMessage(coordinatorMessage(request.keyType()));
            }
            return response;
        }
        for (String key : request.coordinatorKeys()) {
            Errors error = coordinatorError(request.keyType());
            response.coordinators()
                    .add(new FindCoordinatorResponseData.Coordinator()
                            .setKey(key)
                            .setErrorCode(error.code())
                            .setErrorMessage(coordinatorMessage(request.keyType()))
                            .setNodeId(error == Errors.NONE ? context.nodeId() : -1)
                            .setHost(error == Errors.NONE ? context.host() : "")
                            .setPort(error == Errors.NONE ? context.port().getAsInt() : -1));
        }
        return response;
    }

    private static Errors coordinatorError(byte keyType) {
        return keyType == GROUP_KEY ? Errors.NONE : Errors.UNSUPPORTED_VERSION;
    }

    private static String coordinatorMessage(byte keyType) {
        return switch (keyType) {
            case GROUP_KEY -> null;
            case 1 -> "Brook does not support transactions yet";
            case 2 -> "Brook does not support share groups";
            default -> "unknown coordinator key type " + keyType;
        };
    }

    // ----------------------------------------------------------------------------------- consumer protocol (KIP-848)

    public CompletableFuture<ConsumerGroupHeartbeatResponseData> consumerGroupHeartbeat(
            Request request, ConsumerGroupHeartbeatRequestData body, short version) {
        String invalid = invalidHeartbeat(body, version);
        if (invalid != null) {
            return CompletableFuture.completedFuture(new ConsumerGroupHeartbeatResponseData()
                    .setErrorCode(Errors.INVALID_REQUEST.code())
                    .setErrorMessage(invalid)
                    .setMemberEpoch(-1));
        }
        if (body.serverAssignor() != null && !Assignors.NAMES.contains(body.serverAssignor())) {
            return CompletableFuture.completedFuture(new ConsumerGroupHeartbeatResponseData()
                    .setErrorCode(Errors.UNSUPPORTED_ASSIGNOR.code())
                    .setErrorMessage("Brook's assignors are " + Assignors.NAMES + "; the member asked for '"
                            + body.serverAssignor() + "'")
                    .setMemberEpoch(-1));
        }
        return coordinator.consumerHeartbeat(body, request.header().clientId(), clientHost(request));
    }

    /** Why a heartbeat is malformed (Kafka's rules), or null. */
    private static String invalidHeartbeat(ConsumerGroupHeartbeatRequestData body, short version) {
        int epoch = body.memberEpoch();
        if (body.memberId().isBlank() && (version >= 1 || epoch > 0 || epoch == ConsumerGroup.LEAVE_EPOCH)) {
            return "MemberId can't be empty.";
        }
        if (body.groupId().isBlank()) {
            return "GroupId can't be empty.";
        }
        if (body.instanceId() != null && body.instanceId().isBlank()) {
            return "InstanceId can't be empty.";
        }
        if (body.rackId() != null && body.rackId().isBlank()) {
            return "RackId can't be empty.";
        }
        if (epoch == 0) {
            if (body.rebalanceTimeoutMs() == -1) {
                return "RebalanceTimeoutMs must be provided in first request.";
            }
            if (body.topicPartitions() == null || !body.topicPartitions().isEmpty()) {
                return "TopicPartitions must be empty when (re-)joining.";
            }
            if (body.subscribedTopicNames() == null && body.subscribedTopicRegex() == null) {
                return "SubscribedTopicNames or SubscribedTopicRegex must be set in first request.";
            }
        } else if (epoch == ConsumerGroup.STATIC_LEAVE_EPOCH && body.instanceId() == null) {
            return "InstanceId can't be null for a static leave (epoch -2).";
        } else if (epoch < ConsumerGroup.STATIC_LEAVE_EPOCH) {
            return "MemberEpoch is invalid: " + epoch;
        }
        return null;
    }

    public ConsumerGroupDescribeResponseData consumerGroupDescribe(ConsumerGroupDescribeRequestData body) {
        ConsumerGroupDescribeResponseData response = new ConsumerGroupDescribeResponseData();
        for (String groupId : body.groupIds()) {
            if (groupId.isEmpty()) {
                response.groups()
                        .add(new ConsumerGroupDescribeResponseData.DescribedGroup()
                                .setGroupId(groupId)
                                .setErrorCode(Errors.INVALID_GROUP_ID.code())
                                .setErrorMessage("Group id can't be empty."));
            } else {
                response.groups().add(coordinator.describeConsumerGroup(groupId));
            }
        }
        return response;
    }

    // ---------------------------------------------------------------------------------------- classic membership

    public CompletableFuture<JoinGroupResponseData> join(Request request, JoinGroupRequestData body, short version) {
        if (body.groupId().isEmpty()) {
            return CompletableFuture.completedFuture(fitJoin(
                    new JoinGroupResponseData()
                            .setErrorCode(Errors.INVALID_GROUP_ID.code())
                            .setGenerationId(-1)
                            .setMemberId(body.memberId()),
                    version));
        }
        return coordinator
                .join(body, version, request.header().clientId(), clientHost(request))
                .thenApply(response -> fitJoin(response, version));
    }

    private static JoinGroupResponseData fitJoin(JoinGroupResponseData response, short version) {
        if (version < 9) {
            response.setSkipAssignment(false);
        }
        if (version < 7) {
            response.setProtocolType(null);
            if (response.protocolName() == null) {
                response.setProtocolName("");
            }
        }
        if (version < 5) {
            response.members().forEach(member -> member.setGroupInstanceId(null));
        }
        return response;
    }

    public CompletableFuture<SyncGroupResponseData> sync(SyncGroupRequestData body, short version) {
        return coordinator.sync(body).thenApply(response -> {
            if (version < 5) {
                response.setProtocolType(null).setProtocolName(null);
            }
            return response;
        });
    }

    public HeartbeatResponseData heartbeat(HeartbeatRequestData body) {
        return new HeartbeatResponseData()
                .setErrorCode(coordinator
                        .heartbeat(body.groupId(), body.memberId(), body.groupInstanceId(), body.generationId())
                        .code());
    }

    public LeaveGroupResponseData leave(LeaveGroupRequestData body, short version) {
        LeaveGroupResponseData response = new LeaveGroupResponseData();
        if (version < 3) {
            return response.setErrorCode(
                    coordinator.leave(body.groupId(), body.memberId(), null).code());
        }
        for (LeaveGroupRequestData.MemberIdentity member : body.members()) {
            Errors error = coordinator.leave(body.groupId(), member.memberId(), member.groupInstanceId());
            response.members()
                    .add(new LeaveGroupResponseData.MemberResponse()
                            .setMemberId(member.memberId())
                            .setGroupInstanceId(member.groupInstanceId())
                            .setErrorCode(error.code()));
        }
        return response;
    }

    // ------------------------------------------------------------------------------------------------------ offsets

    public CompletableFuture<OffsetCommitResponseData> commitOffsets(OffsetCommitRequestData body, short version) {
        OffsetCommitResponseData response = new OffsetCommitResponseData();
        long now = context.time().milliseconds();
        Map<TopicPartition, CommittedOffset> accepted = new LinkedHashMap<>();
        Map<OffsetCommitResponseData.OffsetCommitResponsePartition, TopicPartition> pending = new LinkedHashMap<>();
        for (OffsetCommitRequestData.OffsetCommitRequestTopic topic : body.topics()) {
            OffsetCommitResponseData.OffsetCommitResponseTopic topicResponse =
                    new OffsetCommitResponseData.OffsetCommitResponseTopic();
            Optional<Topic> known = version >= 10
                    ? context.topics().topic(topic.topicId())
                    : context.topics().topic(topic.name());
            if (version >= 10) {
                topicResponse.setTopicId(topic.topicId());
            } else {
                topicResponse.setName(topic.name());
            }
            for (OffsetCommitRequestData.OffsetCommitRequestPartition partition : topic.partitions()) {
                OffsetCommitResponseData.OffsetCommitResponsePartition result =
                        new OffsetCommitResponseData.OffsetCommitResponsePartition()
                                .setPartitionIndex(partition.partitionIndex());
                topicResponse.partitions().add(result);
                if (known.isEmpty()
                        || partition.partitionIndex() < 0
                        || partition.partitionIndex() >= known.get().partitions()) {
                    result.setErrorCode((version >= 10 && known.isEmpty()
                                    ? Errors.UNKNOWN_TOPIC_ID
                                    : Errors.UNKNOWN_TOPIC_OR_PARTITION)
                            .code());
                } else if (partition.committedMetadata() != null
                        && partition.committedMetadata().length() > MAX_METADATA_BYTES) {
                    result.setErrorCode(Errors.OFFSET_METADATA_TOO_LARGE.code());
                } else {
                    TopicPartition key = new TopicPartition(known.get().name(), partition.partitionIndex());
                    accepted.put(
                            key,
                            new CommittedOffset(
                                    partition.committedOffset(),
                                    partition.committedLeaderEpoch(),
                                    partition.committedMetadata() == null ? "" : partition.committedMetadata(),
                                    now));
                    pending.put(result, key);
                }
            }
            response.topics().add(topicResponse);
        }
        CompletableFuture<Errors> outcome = body.groupId().isEmpty()
                ? CompletableFuture.completedFuture(Errors.INVALID_GROUP_ID)
                : coordinator.commitOffsets(
                        body.groupId(),
                        body.memberId(),
                        body.groupInstanceId(),
                        body.generationIdOrMemberEpoch(),
                        accepted);
        return outcome.thenApply(error -> {
            pending.keySet().forEach(result -> result.setErrorCode(error.code()));
            return response;
        });
    }

    public OffsetFetchResponseData fetchOffsets(OffsetFetchRequestData body, short version) {
        OffsetFetchResponseData response = new OffsetFetchResponseData();
        if (version < 8) {
            OffsetFetchResponseData.OffsetFetchResponseGroup group = fetchGroup(
                    body.groupId(),
                    body.topics() == null
                            ? null
                            : body.topics().stream()
                                    .map(topic -> new OffsetFetchRequestData.OffsetFetchRequestTopics()
                                            .setName(topic.name())
                                            .setPartitionIndexes(topic.partitionIndexes()))
                                    .toList(),
                    version);
            for (OffsetFetchResponseData.OffsetFetchResponseTopics topic : group.topics()) {
                OffsetFetchResponseData.OffsetFetchResponseTopic old =
                        new OffsetFetchResponseData.OffsetFetchResponseTopic().setName(topic.name());
                for (OffsetFetchResponseData.OffsetFetchResponsePartitions partition : topic.partitions()) {
                    old.partitions()
                            .add(new OffsetFetchResponseData.OffsetFetchResponsePartition()
                                    .setPartitionIndex(partition.partitionIndex())
                                    .setCommittedOffset(partition.committedOffset())
                                    .setCommittedLeaderEpoch(partition.committedLeaderEpoch())
                                    .setMetadata(partition.metadata())
                                    .setErrorCode(partition.errorCode()));
                }
                response.topics().add(old);
            }
            if (version >= 2) {
                response.setErrorCode(group.errorCode());
            }
            return response;
        }
        for (OffsetFetchRequestData.OffsetFetchRequestGroup group : body.groups()) {
            // v9+: a member of a consumer-protocol group fetches as itself, at its current epoch.
            Errors error = version >= 9
                    ? coordinator.validateOffsetFetch(group.groupId(), group.memberId(), group.memberEpoch())
                    : Errors.NONE;
            if (error != Errors.NONE) {
                response.groups()
                        .add(new OffsetFetchResponseData.OffsetFetchResponseGroup()
                                .setGroupId(group.groupId())
                                .setErrorCode(error.code()));
            } else {
                response.groups().add(fetchGroup(group.groupId(), group.topics(), version));
            }
        }
        return response;
    }

    private OffsetFetchResponseData.OffsetFetchResponseGroup fetchGroup(
            String groupId, List<OffsetFetchRequestData.OffsetFetchRequestTopics> topics, short version) {
        OffsetFetchResponseData.OffsetFetchResponseGroup result =
                new OffsetFetchResponseData.OffsetFetchResponseGroup().setGroupId(groupId);
        boolean byId = version >= 10;
        if (topics == null) {
            // All topics: everything the group has committed.
            Map<String, List<Map.Entry<TopicPartition, CommittedOffset>>> byTopic =
                    coordinator.committed(groupId).entrySet().stream()
                            .collect(Collectors.groupingBy(
                                    entry -> entry.getKey().topic()));
            byTopic.forEach((topic, entries) -> {
                OffsetFetchResponseData.OffsetFetchResponseTopics topicResult = topicResult(topic, byId);
                entries.forEach(entry -> topicResult
                        .partitions()
                        .add(partitionResult(entry.getKey().partition(), entry.getValue(), version)));
                result.topics().add(topicResult);
            });
            return result;
        }
        for (OffsetFetchRequestData.OffsetFetchRequestTopics topic : topics) {
            Optional<Topic> known = byId ? context.topics().topic(topic.topicId()) : Optional.empty();
            String name = byId ? known.map(Topic::name).orElse(null) : topic.name();
            OffsetFetchResponseData.OffsetFetchResponseTopics topicResult = byId
                    ? new OffsetFetchResponseData.OffsetFetchResponseTopics().setTopicId(topic.topicId())
                    : topicResult(name, false);
            for (int partition : topic.partitionIndexes()) {
                if (name == null) {
                    topicResult
                            .partitions()
                            .add(partitionResult(partition, null, version)
                                    .setErrorCode(Errors.UNKNOWN_TOPIC_ID.code()));
                } else {
                    topicResult
                            .partitions()
                            .add(partitionResult(
                                    partition,
                                    coordinator.committed(groupId, new TopicPartition(name, partition)),
                                    version));
                }
            }
            result.topics().add(topicResult);
        }
        return result;
    }

    private OffsetFetchResponseData.OffsetFetchResponseTopics topicResult(String name, boolean byId) {
        OffsetFetchResponseData.OffsetFetchResponseTopics topic =
                new OffsetFetchResponseData.OffsetFetchResponseTopics();
        if (byId) {
            topic.setTopicId(context.topics().topic(name).map(Topic::id).orElse(Uuid.ZERO_UUID));
        } else {
            topic.setName(name);
        }
        return topic;
    }

    private static OffsetFetchResponseData.OffsetFetchResponsePartitions partitionResult(
            int partition, CommittedOffset committed, short version) {
        OffsetFetchResponseData.OffsetFetchResponsePartitions result =
                new OffsetFetchResponseData.OffsetFetchResponsePartitions()
                        .setPartitionIndex(partition)
                        .setCommittedOffset(committed == null ? -1 : committed.offset())
                        .setMetadata(committed == null ? "" : committed.metadata());
        if (version >= 5 && committed != null) {
            result.setCommittedLeaderEpoch(committed.leaderEpoch());
        }
        return result;
    }

    public OffsetDeleteResponseData deleteOffsets(OffsetDeleteRequestData body) {
        OffsetDeleteResponseData response = new OffsetDeleteResponseData();
        if (!coordinator.exists(body.groupId())) {
            return response.setErrorCode(Errors.GROUP_ID_NOT_FOUND.code());
        }
        Set<String> subscribed = subscribedTopics(body.groupId());
        for (OffsetDeleteRequestData.OffsetDeleteRequestTopic topic : body.topics()) {
            OffsetDeleteResponseData.OffsetDeleteResponseTopic topicResult =
                    new OffsetDeleteResponseData.OffsetDeleteResponseTopic().setName(topic.name());
            for (OffsetDeleteRequestData.OffsetDeleteRequestPartition partition : topic.partitions()) {
                Errors error = coordinator.deleteOffsets(
                        body.groupId(), new TopicPartition(topic.name(), partition.partitionIndex()), subscribed);
                topicResult
                        .partitions()
                        .add(new OffsetDeleteResponseData.OffsetDeleteResponsePartition()
                                .setPartitionIndex(partition.partitionIndex())
                                .setErrorCode(error.code()));
            }
            response.topics().add(topicResult);
        }
        return response;
    }

    /** Topics the members of a consumer group subscribe to, read from their join metadata. */
    private Set<String> subscribedTopics(String groupId) {
        if (coordinator.isConsumerGroup(groupId)) {
            return coordinator.consumerGroupSubscriptions(groupId);
        }
        Set<String> topics = new HashSet<>();
        boolean consumerGroup = coordinator
                .describe(groupId)
                .map(summary -> summary.protocolType().equals(ConsumerProtocol.PROTOCOL_TYPE))
                .orElse(false);
        if (!consumerGroup) {
            return topics;
        }
        for (byte[] metadata : coordinator.memberMetadata(groupId)) {
            try {
                ConsumerPartitionAssignor.Subscription subscription =
                        ConsumerProtocol.deserializeSubscription(ByteBuffer.wrap(metadata));
                topics.addAll(subscription.topics());
            } catch (RuntimeException e) {
                // Not consumer-protocol metadata after all; such a member protects nothing.
            }
        }
        return topics;
    }

    // ---------------------------------------------------------------------------------------- list, describe, delete

    public ListGroupsResponseData listGroups(ListGroupsRequestData body, short version) {
        Set<String> states = body.statesFilter().stream()
                .map(state -> state.toLowerCase(Locale.ROOT))
                .collect(Collectors.toSet());
        Set<String> types = body.typesFilter().stream()
                .map(type -> type.toLowerCase(Locale.ROOT))
                .collect(Collectors.toSet());
        ListGroupsResponseData response = new ListGroupsResponseData();
        for (GroupCoordinator.ListedGroup group : coordinator.listAll()) {
            if ((!states.isEmpty() && !states.contains(group.state().toLowerCase(Locale.ROOT)))
                    || (!types.isEmpty() && !types.contains(group.type()))) {
                continue;
            }
            ListGroupsResponseData.ListedGroup listed = new ListGroupsResponseData.ListedGroup()
                    .setGroupId(group.groupId())
                    .setProtocolType(group.protocolType());
            if (version >= 4) {
                listed.setGroupState(group.state());
            }
            if (version >= 5) {
                listed.setGroupType(group.type());
            }
            response.groups().add(listed);
        }
        return response;
    }

    public DescribeGroupsResponseData describeGroups(DescribeGroupsRequestData body, short version) {
        DescribeGroupsResponseData response = new DescribeGroupsResponseData();
        for (String groupId : body.groups()) {
            DescribeGroupsResponseData.DescribedGroup described =
                    new DescribeGroupsResponseData.DescribedGroup().setGroupId(groupId);
            Optional<GroupSummary> summary = coordinator.describe(groupId);
            if (coordinator.isConsumerGroup(groupId)) {
                // Admin asks ConsumerGroupDescribe first and comes here only for classic groups.
                described
                        .setGroupState(GroupState.DEAD.displayName())
                        .setProtocolType("")
                        .setProtocolData("");
                if (version >= 6) {
                    described
                            .setErrorCode(Errors.GROUP_ID_NOT_FOUND.code())
                            .setErrorMessage("Group " + groupId + " is not a classic group.");
                }
            } else if (summary.isEmpty()) {
                described
                        .setGroupState(GroupState.DEAD.displayName())
                        .setProtocolType("")
                        .setProtocolData("");
                if (version >= 6) {
                    described
                            .setErrorCode(Errors.GROUP_ID_NOT_FOUND.code())
                            .setErrorMessage("Group " + groupId + " not found.");
                }
            } else {
                GroupSummary group = summary.get();
                described
                        .setGroupState(group.state().displayName())
                        .setProtocolType(group.protocolType())
                        .setProtocolData(group.protocolName());
                for (GroupSummary.Member member : group.members()) {
                    described
                            .members()
                            .add(new DescribeGroupsResponseData.DescribedGroupMember()
                                    .setMemberId(member.memberId())
                                    .setGroupInstanceId(version >= 4 ? member.groupInstanceId() : null)
                                    .setClientId(member.clientId() == null ? "" : member.clientId())
                                    .setClientHost(member.clientHost())
                                    .setMemberMetadata(member.metadata())
                                    .setMemberAssignment(member.assignment()));
                }
            }
            response.groups().add(described);
        }
        return response;
    }

    public DeleteGroupsResponseData deleteGroups(DeleteGroupsRequestData body) {
        DeleteGroupsResponseData response = new DeleteGroupsResponseData();
        for (String groupId : body.groupsNames()) {
            response.results()
                    .add(new DeleteGroupsResponseData.DeletableGroupResult()
                            .setGroupId(groupId)
                            .setErrorCode(coordinator.delete(groupId).code()));
        }
        return response;
    }

    private static String clientHost(Request request) {
        if (request.remoteAddress() instanceof InetSocketAddress address) {
            return "/" + address.getAddress().getHostAddress();
        }
        return String.valueOf(request.remoteAddress());
    }
}
