package io.brook.broker.group;

import io.brook.broker.GroupSettings;
import io.brook.broker.topic.TopicManager;
import io.brook.log.Time;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
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
    private static final org.slf4j.Logger LOGGER = org.slf4j.LoggerFactory.getLogger(GroupCoordinator.class);

    private final GroupSettings settings;
    private final ScheduledExecutorService timer;
    private final LongSupplier nanoTime;
    private final Time time;
    /** When each group last had members (or the broker started): its offsets expire a retention after that. */
    private final Map<String, Long> lastActiveMs = new ConcurrentHashMap<>();

    private final long startedMs;
    private final Map<String, ClassicGroup> groups = new ConcurrentHashMap<>();
    private final OffsetStore offsets = new OffsetStore();
    private final GroupLog log;
    private final ConsumerGroupManager consumerGroups;
    /** Guards creating, converting and deleting groups, so one id is never a classic and a consumer group at once. */
    private final Object registry = new Object();

    private GroupCoordinator(
            GroupSettings settings, ScheduledExecutorService timer, Time time, GroupLog log, TopicManager topics) {
        this.settings = settings;
        this.timer = timer;
        this.time = time;
        this.nanoTime = time::nanoseconds;
        this.startedMs = time.milliseconds();
        this.log = log;
        this.consumerGroups = new ConsumerGroupManager(settings, topics, timer, this.nanoTime, log);
    }

    /** A coordinator with the offsets and groups stored in {@code log} (replayed now). */
    public static GroupCoordinator load(
            GroupSettings settings, ScheduledExecutorService timer, Time time, GroupLog log, TopicManager topics) {
        GroupCoordinator coordinator = new GroupCoordinator(settings, timer, time, log, topics);
        coordinator.replay();
        return coordinator;
    }

    private void replay() {
        long started = System.nanoTime();
        Map<String, GroupRecords.StoredGroup> stored = new java.util.HashMap<>();
        Map<String, ConsumerGroup> storedConsumerGroups = new java.util.HashMap<>();
        long[] entries = {0};
        log.replay((key, value) -> {
            entries[0]++;
            GroupRecords.Key decoded = GroupRecords.readKey(key);
            if (decoded.type() == GroupRecords.OFFSET_KEY) {
                if (value == null) {
                    offsets.delete(decoded.group(), decoded.partition());
                } else {
                    offsets.commit(decoded.group(), Map.of(decoded.partition(), GroupRecords.readOffset(value)));
                }
            } else if (decoded.type() == GroupRecords.CONSUMER_GROUP_KEY) {
                if (value == null) {
                    storedConsumerGroups.remove(decoded.group());
                } else {
                    storedConsumerGroups.put(
                            decoded.group(),
                            GroupRecords.readConsumerGroup(decoded.group(), settings.maxSize(), value));
                    stored.remove(decoded.group()); // the classic group it was converted from
                }
            } else if (value == null) {
                stored.remove(decoded.group());
            } else {
                stored.put(decoded.group(), GroupRecords.readGroup(value));
                storedConsumerGroups.remove(decoded.group());
            }
        });
        storedConsumerGroups.values().forEach(consumerGroups::restore);
        stored.forEach((groupId, group) -> getOrCreate(groupId).restore(group));
        for (String groupId : offsets.groups()) {
            if (!consumerGroups.groups.containsKey(groupId)) {
                getOrCreate(groupId); // a group with offsets only (members that assign partitions themselves)
            }
        }
        LOGGER.info(
                "loaded {} groups and the offsets of {} from {} stored entries in {} ms",
                stored.size(),
                offsets.groups().size(),
                entries[0],
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }

    private ClassicGroup getOrCreate(String groupId) {
        ClassicGroup existing = groups.get(groupId);
        if (existing != null) {
            return existing;
        }
        synchronized (registry) {
            if (consumerGroups.groups.containsKey(groupId)) {
                throw new org.apache.kafka.common.errors.InconsistentGroupProtocolException(
                        "group " + groupId + " uses the consumer protocol (group.protocol=consumer)");
            }
            return createClassic(groupId);
        }
    }

    private ClassicGroup createClassic(String groupId) {
        return groups.computeIfAbsent(
                groupId,
                id -> new ClassicGroup(
                        id,
                        settings,
                        timer,
                        nanoTime,
                        group -> log.append(List.of(
                                new GroupLog.Entry(GroupRecords.groupKey(id), GroupRecords.groupValue(group))))));
    }

    private Optional<ClassicGroup> group(String groupId) {
        return Optional.ofNullable(groups.get(groupId));
    }

    public CompletableFuture<JoinGroupResponseData> join(
            JoinGroupRequestData request, short version, String clientId, String clientHost) {
        ClassicGroup group;
        try {
            group = getOrCreate(request.groupId());
        } catch (org.apache.kafka.common.errors.InconsistentGroupProtocolException e) {
            return CompletableFuture.completedFuture(new JoinGroupResponseData()
                    .setErrorCode(Errors.INCONSISTENT_GROUP_PROTOCOL.code())
                    .setGenerationId(-1)
                    .setProtocolName(null)
                    .setLeader("")
                    .setMemberId(request.memberId()));
        }
        return group.join(request, version, clientId, clientHost);
    }

    /**
     * A heartbeat of the consumer protocol. The first join (epoch 0) creates the group, or converts an empty classic
     * group of the same id (its offsets stay); a non-empty classic group cannot be joined this way.
     */
    public CompletableFuture<ConsumerGroupHeartbeatResponseData> consumerHeartbeat(
            ConsumerGroupHeartbeatRequestData request, String clientId, String clientHost) {
        String groupId = request.groupId();
        ConsumerGroup group;
        synchronized (registry) {
            ClassicGroup classic = groups.get(groupId);
            if (classic != null) {
                synchronized (classic) {
                    if (request.memberEpoch() != 0 || !classic.isEmpty()) {
                        return consumerError(
                                Errors.GROUP_ID_NOT_FOUND,
                                "Group " + groupId + " is a classic group (group.protocol=classic) with members.");
                    }
                    classic.markDead();
                    groups.remove(groupId, classic);
                }
                log.append(List.of(new GroupLog.Entry(GroupRecords.groupKey(groupId), null)));
            }
            group = consumerGroups.groups.get(groupId);
            if (group == null) {
                if (request.memberEpoch() != 0) {
                    return consumerError(Errors.GROUP_ID_NOT_FOUND, "Group " + groupId + " does not exist.");
                }
                group = new ConsumerGroup(groupId, settings.maxSize());
                consumerGroups.groups.put(groupId, group);
            }
        }
        return consumerGroups.heartbeat(group, request, clientId, clientHost);
    }

    private static CompletableFuture<ConsumerGroupHeartbeatResponseData> consumerError(Errors error, String message) {
        return CompletableFuture.completedFuture(new ConsumerGroupHeartbeatResponseData()
                .setErrorCode(error.code())
                .setErrorMessage(message)
                .setMemberEpoch(-1));
    }

    /** ConsumerGroupDescribe of one group. */
    public ConsumerGroupDescribeResponseData.DescribedGroup describeConsumerGroup(String groupId) {
        try {
            return consumerGroups.describe(groupId);
        } catch (org.apache.kafka.common.errors.ApiException e) {
            return new ConsumerGroupDescribeResponseData.DescribedGroup()
                    .setGroupId(groupId)
                    .setErrorCode(Errors.forException(e).code())
                    .setErrorMessage(e.getMessage());
        }
    }

    /** Looks for expired offsets every offsets.retention.check.interval.ms. */
    public void startOffsetExpiry() {
        long interval = settings.offsetsRetentionCheckIntervalMs();
        timer.scheduleWithFixedDelay(
                () -> {
                    try {
                        expireOffsets(time.milliseconds());
                    } catch (RuntimeException e) {
                        LOGGER.error("offset expiry failed", e);
                    }
                },
                interval,
                interval,
                TimeUnit.MILLISECONDS);
    }

    /**
     * Deletes the offsets of groups without members once offsets.retention.minutes have passed since the group last
     * had members and since the commit; a group left with neither members nor offsets is deleted too.
     *
     * @return how many offsets expired
     */
    int expireOffsets(long nowMs) {
        int expired = 0;
        for (String groupId : new ArrayList<>(offsets.groups())) {
            ClassicGroup classic = groups.get(groupId);
            ConsumerGroup consumer = consumerGroups.groups.get(groupId);
            Object lock = classic != null ? classic : consumer != null ? consumer : registry;
            synchronized (registry) {
                synchronized (lock) {
                    boolean active = (classic != null && !classic.isEmpty())
                            || (consumer != null && !consumer.members.isEmpty());
                    if (active) {
                        lastActiveMs.put(groupId, nowMs);
                        continue;
                    }
                    long since = lastActiveMs.getOrDefault(groupId, startedMs);
                    List<TopicPartition> gone = new ArrayList<>();
                    offsets.all(groupId).forEach((partition, offset) -> {
                        if (nowMs - Math.max(offset.commitTimestampMs(), since) >= settings.offsetsRetentionMs()) {
                            gone.add(partition);
                        }
                    });
                    if (gone.isEmpty()) {
                        continue;
                    }
                    List<GroupLog.Entry> tombstones = offsetTombstones(groupId, gone);
                    gone.forEach(partition -> offsets.delete(groupId, partition));
                    expired += gone.size();
                    if (!offsets.hasOffsets(groupId)) {
                        if (classic != null) {
                            classic.markDead();
                            groups.remove(groupId, classic);
                            tombstones.add(new GroupLog.Entry(GroupRecords.groupKey(groupId), null));
                        }
                        if (consumer != null) {
                            consumerGroups.groups.remove(groupId, consumer);
                            tombstones.add(new GroupLog.Entry(GroupRecords.consumerGroupKey(groupId), null));
                        }
                        offsets.deleteGroup(groupId);
                        lastActiveMs.remove(groupId);
                    }
                    log.append(tombstones);
                    LOGGER.info(
                            "Group {}: {} committed offsets expired (no members for offsets.retention.minutes)",
                            groupId,
                            gone.size());
                }
            }
        }
        return expired;
    }

    /**
     * Whether a member may fetch a consumer-protocol group's offsets: a tool (no member id, epoch below 0) always may; a
     * member must exist and be at its current epoch.
     */
    public Errors validateOffsetFetch(String groupId, String memberId, int memberEpoch) {
        ConsumerGroup group = consumerGroups.groups.get(groupId);
        if (group == null || memberId == null || (memberId.isEmpty() && memberEpoch < 0)) {
            return Errors.NONE;
        }
        synchronized (group) {
            ConsumerGroup.Member member = group.members.get(memberId);
            if (member == null) {
                return Errors.UNKNOWN_MEMBER_ID;
            }
            return member.memberEpoch == memberEpoch ? Errors.NONE : Errors.STALE_MEMBER_EPOCH;
        }
    }

    public boolean isConsumerGroup(String groupId) {
        return consumerGroups.groups.containsKey(groupId);
    }

    /** Topics the members of a group subscribe to (consumer protocol), for OffsetDelete. */
    public Set<String> consumerGroupSubscriptions(String groupId) {
        return consumerGroups.subscribedTopics(groupId);
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

    /**
     * Validates a commit against the group's membership and, if allowed, stores the offsets; completes with the
     * error for every partition once they are durable.
     */
    public CompletableFuture<Errors> commitOffsets(
            String groupId,
            String memberId,
            String instanceId,
            int generation,
            Map<TopicPartition, CommittedOffset> commits) {
        ConsumerGroup consumerGroup = consumerGroups.groups.get(groupId);
        if (consumerGroup != null) {
            return commitConsumerGroupOffsets(consumerGroup, memberId, generation, commits);
        }
        ClassicGroup group = groups.get(groupId);
        if (group == null) {
            if (generation >= 0) {
                // A member of a group that does not exist (any more).
                return CompletableFuture.completedFuture(Errors.ILLEGAL_GENERATION);
            }
            group = getOrCreate(groupId);
        }
        CompletableFuture<Void> durable;
        synchronized (group) {
            Errors error = group.validateOffsetCommit(memberId, instanceId, generation);
            if (error != Errors.NONE || commits.isEmpty()) {
                return CompletableFuture.completedFuture(error);
            }
            try {
                durable = log.append(offsetEntries(groupId, commits));
            } catch (RuntimeException e) {
                LOGGER.error("Group {}: cannot store committed offsets", groupId, e);
                return CompletableFuture.completedFuture(Errors.COORDINATOR_NOT_AVAILABLE);
            }
            offsets.commit(groupId, commits);
        }
        return durable.handle((ignored, error) -> {
            if (error != null) {
                LOGGER.error("Group {}: committed offsets were not made durable", groupId, error);
                return Errors.COORDINATOR_NOT_AVAILABLE;
            }
            return Errors.NONE;
        });
    }

    /**
     * A commit to a consumer-protocol group: by a member at its current epoch (or the previous one, while a
     * rebalance moves it on), or by a tool (no member, epoch -1) while the group is empty.
     */
    private CompletableFuture<Errors> commitConsumerGroupOffsets(
            ConsumerGroup group, String memberId, int epoch, Map<TopicPartition, CommittedOffset> commits) {
        CompletableFuture<Void> durable;
        synchronized (group) {
            Errors error = Errors.NONE;
            if (epoch < 0 && (memberId == null || memberId.isEmpty())) {
                if (!group.members.isEmpty()) {
                    error = Errors.UNKNOWN_MEMBER_ID;
                }
            } else {
                ConsumerGroup.Member member = group.members.get(memberId);
                if (member == null) {
                    error = Errors.UNKNOWN_MEMBER_ID;
                } else if (epoch != member.memberEpoch && epoch != member.previousMemberEpoch) {
                    error = Errors.STALE_MEMBER_EPOCH;
                }
            }
            if (error != Errors.NONE || commits.isEmpty()) {
                return CompletableFuture.completedFuture(error);
            }
            durable = log.append(offsetEntries(group.groupId, commits));
            offsets.commit(group.groupId, commits);
        }
        return durable.handle((ignored, failure) -> failure == null ? Errors.NONE : Errors.COORDINATOR_NOT_AVAILABLE);
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

    /** A group as ListGroups shows it. */
    public record ListedGroup(String groupId, String protocolType, String state, String type) {}

    /** Every group of both protocols with its state and type. */
    public List<ListedGroup> listAll() {
        List<ListedGroup> listed = new ArrayList<>();
        for (GroupSummary summary : list()) {
            listed.add(new ListedGroup(
                    summary.groupId(), summary.protocolType(), summary.state().displayName(), "classic"));
        }
        for (ConsumerGroup group : consumerGroups.groups.values()) {
            synchronized (group) {
                listed.add(new ListedGroup(group.groupId, "consumer", group.state(), "consumer"));
            }
        }
        return listed;
    }

    /** Every classic group with its state. */
    public List<GroupSummary> list() {
        List<GroupSummary> summaries = new ArrayList<>();
        groups.values().forEach(group -> summaries.add(group.summary()));
        return summaries;
    }

    /** Deletes an empty group and its offsets, durably. */
    public Errors delete(String groupId) {
        ConsumerGroup consumerGroup = consumerGroups.groups.get(groupId);
        if (consumerGroup != null) {
            return deleteConsumerGroup(consumerGroup);
        }
        ClassicGroup group = groups.get(groupId);
        if (group == null) {
            return Errors.GROUP_ID_NOT_FOUND;
        }
        CompletableFuture<Void> durable;
        synchronized (group) {
            if (!group.isEmpty()) {
                return Errors.NON_EMPTY_GROUP;
            }
            List<GroupLog.Entry> tombstones =
                    offsetTombstones(groupId, offsets.all(groupId).keySet());
            tombstones.add(new GroupLog.Entry(GroupRecords.groupKey(groupId), null));
            durable = log.append(tombstones);
            group.markDead();
            groups.remove(groupId, group);
            offsets.deleteGroup(groupId);
        }
        return awaitStored(groupId, durable);
    }

    private Errors deleteConsumerGroup(ConsumerGroup group) {
        CompletableFuture<Void> durable;
        synchronized (registry) {
            synchronized (group) {
                if (!group.members.isEmpty()) {
                    return Errors.NON_EMPTY_GROUP;
                }
                List<GroupLog.Entry> tombstones = offsetTombstones(
                        group.groupId, offsets.all(group.groupId).keySet());
                tombstones.add(new GroupLog.Entry(GroupRecords.consumerGroupKey(group.groupId), null));
                durable = log.append(tombstones);
                consumerGroups.groups.remove(group.groupId, group);
                offsets.deleteGroup(group.groupId);
            }
        }
        return awaitStored(group.groupId, durable);
    }

    /**
     * Deletes committed offsets of a group; a partition of a topic that a member of the group subscribes to is
     * refused with GROUP_SUBSCRIBED_TO_TOPIC.
     */
    public Errors deleteOffsets(String groupId, TopicPartition partition, Set<String> subscribedTopics) {
        if (subscribedTopics.contains(partition.topic())) {
            return Errors.GROUP_SUBSCRIBED_TO_TOPIC;
        }
        Object group = groups.containsKey(groupId) ? groups.get(groupId) : consumerGroups.groups.get(groupId);
        if (group == null) {
            return Errors.GROUP_ID_NOT_FOUND;
        }
        CompletableFuture<Void> durable;
        synchronized (group) {
            if (offsets.get(groupId, partition) == null) {
                return Errors.NONE;
            }
            durable = log.append(offsetTombstones(groupId, List.of(partition)));
            offsets.delete(groupId, partition);
        }
        return awaitStored(groupId, durable);
    }

    /** Waits for a deletion to be durable; these admin calls run on a handler thread, never a network thread. */
    private static Errors awaitStored(String groupId, CompletableFuture<Void> durable) {
        try {
            durable.join();
            return Errors.NONE;
        } catch (RuntimeException e) {
            LOGGER.error("Group {}: a deletion was not made durable", groupId, e);
            return Errors.COORDINATOR_NOT_AVAILABLE;
        }
    }

    public boolean exists(String groupId) {
        return groups.containsKey(groupId) || consumerGroups.groups.containsKey(groupId);
    }

    /** The protocol metadata of every member of a group (for the consumer protocol: its subscription). */
    public List<byte[]> memberMetadata(String groupId) {
        return group(groupId).map(ClassicGroup::memberMetadata).orElse(List.of());
    }

    private static List<GroupLog.Entry> offsetEntries(String groupId, Map<TopicPartition, CommittedOffset> commits) {
        List<GroupLog.Entry> entries = new ArrayList<>(commits.size());
        commits.forEach((partition, offset) -> entries.add(
                new GroupLog.Entry(GroupRecords.offsetKey(groupId, partition), GroupRecords.offsetValue(offset))));
        return entries;
    }

    /** Log entries deleting these committed offsets; a mutable list, so the caller can add the group's own. */
    private static List<GroupLog.Entry> offsetTombstones(
            String groupId, java.util.Collection<TopicPartition> partitions) {
        List<GroupLog.Entry> tombstones = new ArrayList<>(partitions.size() + 1);
        partitions.forEach(
                partition -> tombstones.add(new GroupLog.Entry(GroupRecords.offsetKey(groupId, partition), null)));
        return tombstones;
    }
}
