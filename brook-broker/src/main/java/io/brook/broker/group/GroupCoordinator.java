package io.brook.broker.group;

import io.brook.broker.GroupSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.LongSupplier;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.Errors;

/**
 * The group coordinator of this single broker: every group's membership (the classic protocol) and committed offsets.
 * Groups are created by their first JoinGroup or offset commit and live until deleted.
 */
public final class GroupCoordinator {
    private final GroupSettings settings;
    private final ScheduledExecutorService timer;
    private final LongSupplier nanoTime;
    private final Map<String, ClassicGroup> groups = new ConcurrentHashMap<>();
    private final OffsetStore offsets = new OffsetStore();

    public GroupCoordinator(GroupSettings settings, ScheduledExecutorService timer, LongSupplier nanoTime) {
        this.settings = settings;
        this.timer = timer;
        this.nanoTime = nanoTime;
    }

    private ClassicGroup getOrCreate(String groupId) {
        return groups.computeIfAbsent(groupId, id -> new ClassicGroup(id, settings, timer, nanoTime));
    }

    private Optional<ClassicGroup> group(String groupId) {
        return Optional.ofNullable(groups.get(groupId));
    }

    public CompletableFuture<JoinGroupResponseData> join(
            JoinGroupRequestData request, short version, String clientId, String clientHost) {
        return getOrCreate(request.groupId()).join(request, version, clientId, clientHost);
    }

    public CompletableFuture<SyncGroupResponseData> sync(SyncGroupRequestData request) {
        ClassicGroup group = groups.get(request.groupId());
        if (group == null) {
            return CompletableFuture.completedFuture(new SyncGroupResponseData()
                    .setErrorCode(Errors.UNKNOWN_MEMBER_ID.code())
                    .setAssignment(new byte[0]));
        }
        return group.sync(request);
    }

    public Errors heartbeat(String groupId, String memberId, String instanceId, int generation) {
        return group(groupId)
                .map(group -> group.heartbeat(memberId, instanceId, generation))
                .orElse(Errors.UNKNOWN_MEMBER_ID);
    }

    public Errors leave(String groupId, String memberId, String instanceId) {
        return group(groupId).map(group -> group.leave(memberId, instanceId)).orElse(Errors.UNKNOWN_MEMBER_ID);
    }

    /** Validates a commit against the group's membership and stores the offsets if allowed. */
    public Errors commitOffsets(
            String groupId,
            String memberId,
            String instanceId,
            int generation,
            Map<TopicPartition, CommittedOffset> commits) {
        ClassicGroup group = groups.get(groupId);
        if (group == null) {
            if (generation >= 0) {
                return Errors.ILLEGAL_GENERATION; // a member of a group that does not exist (any more)
            }
            group = getOrCreate(groupId);
        }
        synchronized (group) {
            Errors error = group.validateOffsetCommit(memberId, instanceId, generation);
            if (error == Errors.NONE && !commits.isEmpty()) {
                offsets.commit(groupId, commits);
            }
            return error;
        }
    }

    public CommittedOffset committed(String groupId, TopicPartition partition) {
        return offsets.get(groupId, partition);
    }

    public Map<TopicPartition, CommittedOffset> committed(String groupId) {
        return offsets.all(groupId);
    }

    public Optional<GroupSummary> describe(String groupId) {
        return group(groupId).map(ClassicGroup::summary);
    }

    /** Every group with its state. */
    public List<GroupSummary> list() {
        List<GroupSummary> summaries = new ArrayList<>();
        groups.values().forEach(group -> summaries.add(group.summary()));
        return summaries;
    }

    /** Deletes an empty group and its offsets. */
    public Errors delete(String groupId) {
        ClassicGroup group = groups.get(groupId);
        if (group == null) {
            return Errors.GROUP_ID_NOT_FOUND;
        }
        synchronized (group) {
            if (!group.isEmpty()) {
                return Errors.NON_EMPTY_GROUP;
            }
            group.markDead();
            groups.remove(groupId, group);
            offsets.deleteGroup(groupId);
            return Errors.NONE;
        }
    }

    /**
     * Deletes committed offsets of a group; a partition of a topic that a member of the group subscribes to is
     * refused with GROUP_SUBSCRIBED_TO_TOPIC.
     */
    public Errors deleteOffsets(String groupId, TopicPartition partition, java.util.Set<String> subscribedTopics) {
        if (subscribedTopics.contains(partition.topic())) {
            return Errors.GROUP_SUBSCRIBED_TO_TOPIC;
        }
        offsets.delete(groupId, partition);
        return Errors.NONE;
    }

    public boolean exists(String groupId) {
        return groups.containsKey(groupId);
    }

    /** The protocol metadata of every member of a group (for the consumer protocol: its subscription). */
    public List<byte[]> memberMetadata(String groupId) {
        return group(groupId).map(ClassicGroup::memberMetadata).orElse(List.of());
    }

    public void topicDeleted(String topic) {
        offsets.deleteTopic(topic);
    }
}
