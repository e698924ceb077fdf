package io.brook.broker.group;

import io.brook.broker.GroupSettings;
import io.brook.broker.topic.Topic;
import io.brook.broker.topic.TopicManager;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.UnknownMemberIdException;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The groups of the consumer protocol (KIP-848): heartbeats, session and revocation timeouts, describe, and their
 * durable state in the offsets log. Each group's state is changed under its monitor and stored after every change
 * that a restart must not lose (epochs, membership, assignments); heartbeats that change nothing write nothing.
 */
final class ConsumerGroupManager {
    private static final Logger LOGGER = LoggerFactory.getLogger(ConsumerGroupManager.class);

    private final GroupSettings settings;
    private final TopicManager topics;
    private final ScheduledExecutorService timer;
    private final LongSupplier nanoTime;
    private final GroupLog log;
    final Map<String, ConsumerGroup> groups = new ConcurrentHashMap<>();

    ConsumerGroupManager(
            GroupSettings settings,
            TopicManager topics,
            ScheduledExecutorService timer,
            LongSupplier nanoTime,
            GroupLog log) {
        this.settings = settings;
        this.topics = topics;
        this.timer = timer;
        this.nanoTime = nanoTime;
        this.log = log;
    }

    /** Takes back a group stored before a restart; its members get a fresh session to heartbeat again. */
    void restore(ConsumerGroup group) {
        long now = nanoTime.getAsLong();
        groups.put(group.groupId, group);
        for (ConsumerGroup.Member member : group.members.values()) {
            member.lastHeartbeatNanos = now;
            scheduleSessionCheck(group, member);
        }
    }

    /** Handles one heartbeat of a group that exists (or is created by this join). */
    CompletableFuture<ConsumerGroupHeartbeatResponseData> heartbeat(
            ConsumerGroup group, ConsumerGroupHeartbeatRequestData request, String clientId, String clientHost) {
        synchronized (group) {
            long now = nanoTime.getAsLong();
            String before = fingerprint(group);
            ConsumerGroupHeartbeatResponseData response = new ConsumerGroupHeartbeatResponseData();
            try {
                if (request.memberEpoch() == ConsumerGroup.LEAVE_EPOCH
                        || request.memberEpoch() == ConsumerGroup.STATIC_LEAVE_EPOCH) {
                    leave(group, request, response);
                } else {
                    join(group, request, clientId, clientHost, now, response);
                }
            } catch (ApiException e) {
                return CompletableFuture.completedFuture(new ConsumerGroupHeartbeatResponseData()
                        .setErrorCode(Errors.forException(e).code())
                        .setErrorMessage(e.getMessage())
                        .setMemberEpoch(-1));
            }
            if (fingerprint(group).equals(before)) {
                return CompletableFuture.completedFuture(response);
            }
            return persist(group)
                    .handle((ignored, error) -> error == null
                            ? response
                            : new ConsumerGroupHeartbeatResponseData()
                                    .setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code())
                                    .setErrorMessage("the group's state could not be stored")
                                    .setMemberEpoch(-1));
        }
    }

    private void leave(
            ConsumerGroup group,
            ConsumerGroupHeartbeatRequestData request,
            ConsumerGroupHeartbeatResponseData response) {
        ConsumerGroup.Member member = group.members.get(request.memberId());
        if (request.instanceId() != null) {
            member = group.members.values().stream()
                    .filter(m -> request.instanceId().equals(m.instanceId))
                    .findFirst()
                    .orElse(null);
            if (member != null && !member.memberId.equals(request.memberId())) {
                throw new org.apache.kafka.common.errors.FencedInstanceIdException(
                        "instance " + request.instanceId() + " is held by member " + member.memberId);
            }
        }
        if (member == null) {
            throw new UnknownMemberIdException("member " + request.memberId() + " is not in group " + group.groupId);
        }
        if (request.memberEpoch() == ConsumerGroup.STATIC_LEAVE_EPOCH) {
            // A static member restarting: it keeps its partitions for its session, to come back without a rebalance.
            member.memberEpoch = ConsumerGroup.STATIC_LEAVE_EPOCH;
            member.pendingRevocation = new TreeMap<>();
            LOGGER.info("Group {}: static member {} left temporarily", group.groupId, member.memberId);
        } else {
            group.remove(member);
            LOGGER.info("Group {}: member {} left; group epoch {}", group.groupId, member.memberId, group.groupEpoch);
        }
        response.setMemberId(request.memberId()).setMemberEpoch(request.memberEpoch());
    }

    private void join(
            ConsumerGroup group,
            ConsumerGroupHeartbeatRequestData request,
            String clientId,
            String clientHost,
            long now,
            ConsumerGroupHeartbeatResponseData response) {
        Map<Uuid, Set<Integer>> owned = owned(request.topicPartitions());
        String memberId = request.memberId().isEmpty() ? Uuid.randomUuid().toString() : request.memberId();
        boolean isNew = !group.members.containsKey(memberId);
        ConsumerGroup.Member member = group.memberFor(memberId, request.memberEpoch(), request.instanceId(), owned);
        // A static member taking over its old place inherits its target assignment: no new epoch for that alone.
        boolean tookOver = isNew && request.instanceId() != null && group.targetAssignment.containsKey(memberId);
        boolean subscriptionChanged = isNew && !tookOver;
        member.clientId = clientId;
        member.clientHost = clientHost;
        if (request.rackId() != null) {
            member.rackId = request.rackId();
        }
        if (request.rebalanceTimeoutMs() != -1) {
            member.rebalanceTimeoutMs = request.rebalanceTimeoutMs();
        }
        if (request.subscribedTopicNames() != null
                && !new HashSet<>(request.subscribedTopicNames()).equals(new HashSet<>(member.subscribedTopicNames))) {
            member.subscribedTopicNames = List.copyOf(request.subscribedTopicNames());
            subscriptionChanged = true;
        }
        if (request.subscribedTopicRegex() != null) {
            String regex = request.subscribedTopicRegex().isEmpty() ? null : request.subscribedTopicRegex();
            if (regex != null) {
                ConsumerGroup.compileRegex(regex);
            }
            if (!java.util.Objects.equals(regex, member.subscribedTopicRegex)) {
                member.subscribedTopicRegex = regex;
                subscriptionChanged = true;
            }
        }
        if (request.serverAssignor() != null) {
            member.serverAssignor = request.serverAssignor();
        }
        if (subscriptionChanged) {
            group.groupEpoch++;
        }
        // The subscribed topics' ids and partition counts: a created, grown or deleted topic means a new assignment.
        Map<String, Uuid> topicIds = new TreeMap<>();
        Map<Uuid, Integer> partitionCounts = new HashMap<>();
        Set<String> allNames = new TreeSet<>();
        for (Topic topic : topics.topics()) {
            allNames.add(topic.name());
        }
        long hash = 1;
        for (ConsumerGroup.Member each : group.members.values()) {
            for (String name : group.subscribedTopics(each, allNames)) {
                topics.topic(name).ifPresent(topic -> {
                    topicIds.put(topic.name(), topic.id());
                    partitionCounts.put(topic.id(), topic.partitions());
                });
            }
        }
        for (Map.Entry<String, Uuid> entry : topicIds.entrySet()) {
            hash = hash * 31 + entry.getKey().hashCode();
            hash = hash * 31 + entry.getValue().hashCode();
            hash = hash * 31 + partitionCounts.get(entry.getValue());
        }
        if (group.groupEpoch == group.assignmentEpoch && hash != group.metadataHash) {
            group.groupEpoch++;
        }
        if (group.groupEpoch > group.assignmentEpoch) {
            group.computeTargetAssignment(topicIds, partitionCounts, hash);
            LOGGER.info(
                    "Group {}: epoch {} with {} members, assignor {}",
                    group.groupId,
                    group.groupEpoch,
                    group.members.size(),
                    group.assignorName());
        }
        ConsumerGroup.MemberState stateBefore = member.state;
        group.reconcile(member, owned, now);
        if (member.state == ConsumerGroup.MemberState.UNREVOKED_PARTITIONS
                && stateBefore != ConsumerGroup.MemberState.UNREVOKED_PARTITIONS) {
            scheduleRevocationCheck(group, member, member.revocationStartedNanos);
        }
        member.lastHeartbeatNanos = now;
        if (isNew) {
            scheduleSessionCheck(group, member);
        }
        boolean full = request.rebalanceTimeoutMs() != -1
                && (request.subscribedTopicNames() != null || request.subscribedTopicRegex() != null)
                && request.topicPartitions() != null;
        response.setMemberId(member.memberId)
                .setMemberEpoch(member.memberEpoch)
                .setHeartbeatIntervalMs(settings.consumerHeartbeatIntervalMs());
        if (request.memberEpoch() == 0 || full || !member.assigned.equals(member.lastSentAssignment)) {
            response.setAssignment(assignment(member.assigned));
            member.lastSentAssignment = copy(member.assigned);
        }
    }

    private static Map<Uuid, Set<Integer>> owned(List<ConsumerGroupHeartbeatRequestData.TopicPartitions> partitions) {
        if (partitions == null) {
            return null;
        }
        Map<Uuid, Set<Integer>> owned = new TreeMap<>();
        for (ConsumerGroupHeartbeatRequestData.TopicPartitions topic : partitions) {
            owned.computeIfAbsent(topic.topicId(), t -> new TreeSet<>()).addAll(topic.partitions());
        }
        return owned;
    }

    private static Map<Uuid, Set<Integer>> copy(Map<Uuid, Set<Integer>> partitions) {
        Map<Uuid, Set<Integer>> copy = new TreeMap<>();
        partitions.forEach((topic, set) -> copy.put(topic, new TreeSet<>(set)));
        return copy;
    }

    private static ConsumerGroupHeartbeatResponseData.Assignment assignment(Map<Uuid, Set<Integer>> partitions) {
        ConsumerGroupHeartbeatResponseData.Assignment assignment = new ConsumerGroupHeartbeatResponseData.Assignment();
        partitions.forEach((topic, set) -> {
            if (!set.isEmpty()) {
                assignment
                        .topicPartitions()
                        .add(new ConsumerGroupHeartbeatResponseData.TopicPartitions()
                                .setTopicId(topic)
                                .setPartitions(new ArrayList<>(set)));
            }
        });
        return assignment;
    }

    /** What a restart must keep: when it changes, the group is stored again. */
    private static String fingerprint(ConsumerGroup group) {
        StringBuilder text =
                new StringBuilder().append(group.groupEpoch).append('/').append(group.assignmentEpoch);
        for (ConsumerGroup.Member member : group.members.values()) {
            text.append('|')
                    .append(member.memberId)
                    .append(':')
                    .append(member.memberEpoch)
                    .append(':')
                    .append(member.state)
                    .append(':')
                    .append(member.assigned)
                    .append(':')
                    .append(member.pendingRevocation)
                    .append(':')
                    .append(member.subscribedTopicNames)
                    .append(':')
                    .append(member.subscribedTopicRegex);
        }
        return text.toString();
    }

    CompletableFuture<Void> persist(ConsumerGroup group) {
        return log.append(List.of(new GroupLog.Entry(
                GroupRecords.consumerGroupKey(group.groupId), GroupRecords.consumerGroupValue(group))));
    }

    private void scheduleSessionCheck(ConsumerGroup group, ConsumerGroup.Member member) {
        schedule(settings.consumerSessionTimeoutMs(), () -> checkSession(group, member));
    }

    private void checkSession(ConsumerGroup group, ConsumerGroup.Member member) {
        synchronized (group) {
            if (group.members.get(member.memberId) != member) {
                return;
            }
            long idleMs = TimeUnit.NANOSECONDS.toMillis(nanoTime.getAsLong() - member.lastHeartbeatNanos);
            if (idleMs < settings.consumerSessionTimeoutMs()) {
                schedule(settings.consumerSessionTimeoutMs() - idleMs, () -> checkSession(group, member));
                return;
            }
            LOGGER.info(
                    "Group {}: member {} sent no heartbeat for {} ms; removing it",
                    group.groupId,
                    member.memberId,
                    idleMs);
            group.remove(member);
            persist(group);
        }
    }

    private void scheduleRevocationCheck(ConsumerGroup group, ConsumerGroup.Member member, long startedNanos) {
        schedule(member.rebalanceTimeoutMs, () -> {
            synchronized (group) {
                if (group.members.get(member.memberId) == member
                        && member.state == ConsumerGroup.MemberState.UNREVOKED_PARTITIONS
                        && member.revocationStartedNanos == startedNanos) {
                    LOGGER.info(
                            "Group {}: member {} did not revoke its partitions within {} ms; removing it",
                            group.groupId,
                            member.memberId,
                            member.rebalanceTimeoutMs);
                    group.remove(member);
                    persist(group);
                }
            }
        });
    }

    private void schedule(long delayMs, Runnable task) {
        timer.schedule(
                () -> {
                    try {
                        task.run();
                    } catch (RuntimeException e) {
                        LOGGER.error("consumer group timer task failed", e);
                    }
                },
                Math.max(0, delayMs),
                TimeUnit.MILLISECONDS);
    }

    /** ConsumerGroupDescribe of one group; GROUP_ID_NOT_FOUND if it is not a consumer-protocol group. */
    ConsumerGroupDescribeResponseData.DescribedGroup describe(String groupId) {
        ConsumerGroup group = groups.get(groupId);
        if (group == null) {
            throw new GroupIdNotFoundException("Group " + groupId + " is not a consumer group.");
        }
        synchronized (group) {
            ConsumerGroupDescribeResponseData.DescribedGroup described =
                    new ConsumerGroupDescribeResponseData.DescribedGroup()
                            .setGroupId(groupId)
                            .setGroupState(group.state())
                            .setGroupEpoch(group.groupEpoch)
                            .setAssignmentEpoch(group.assignmentEpoch)
                            .setAssignorName(group.assignorName());
            for (ConsumerGroup.Member member : group.members.values()) {
                described
                        .members()
                        .add(new ConsumerGroupDescribeResponseData.Member()
                                .setMemberId(member.memberId)
                                .setInstanceId(member.instanceId)
                                .setRackId(member.rackId)
                                .setMemberEpoch(member.memberEpoch)
                                .setClientId(member.clientId == null ? "" : member.clientId)
                                .setClientHost(member.clientHost == null ? "" : member.clientHost)
                                .setSubscribedTopicNames(member.subscribedTopicNames)
                                .setSubscribedTopicRegex(
                                        member.subscribedTopicRegex == null ? "" : member.subscribedTopicRegex)
                                .setAssignment(describeAssignment(member.assigned))
                                .setTargetAssignment(describeAssignment(
                                        group.targetAssignment.getOrDefault(member.memberId, Map.of()))));
            }
            return described;
        }
    }

    private ConsumerGroupDescribeResponseData.Assignment describeAssignment(Map<Uuid, Set<Integer>> partitions) {
        ConsumerGroupDescribeResponseData.Assignment assignment = new ConsumerGroupDescribeResponseData.Assignment();
        partitions.forEach((topic, set) -> {
            if (!set.isEmpty()) {
                assignment
                        .topicPartitions()
                        .add(new ConsumerGroupDescribeResponseData.TopicPartitions()
                                .setTopicId(topic)
                                .setTopicName(
                                        topics.topic(topic).map(Topic::name).orElse(""))
                                .setPartitions(new ArrayList<>(set)));
            }
        });
        return assignment;
    }

    /** Topic names the members subscribe to (by name or regex), for OffsetDelete. */
    Set<String> subscribedTopics(String groupId) {
        ConsumerGroup group = groups.get(groupId);
        Set<String> subscribed = new HashSet<>();
        if (group == null) {
            return subscribed;
        }
        Set<String> allNames = new TreeSet<>();
        topics.topics().forEach(topic -> allNames.add(topic.name()));
        synchronized (group) {
            group.members.values().forEach(member -> subscribed.addAll(group.subscribedTopics(member, allNames)));
        }
        return subscribed;
    }
}
