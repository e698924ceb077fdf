package io.brook.broker.group;

import io.brook.broker.GroupSettings;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One group of the classic protocol (JoinGroup, SyncGroup, Heartbeat, LeaveGroup) as Kafka's group coordinator runs
 * it: members join, the coordinator picks a protocol and a leader, the leader computes the assignment and hands it
 * over in SyncGroup, and members that stop heartbeating are evicted, which starts a new rebalance.
 *
 * <p>Every method runs under the group's monitor; timers re-enter through it and check that the rebalance or
 * member they were set for is still current, so they never need cancelling.
 */
final class ClassicGroup {
    private static final Logger LOGGER = LoggerFactory.getLogger(ClassicGroup.class);

    final String groupId;
    private final GroupSettings settings;
    private final ScheduledExecutorService timer;
    private final LongSupplier nanoTime;
    /** Stores the group's membership durably; completes when it is. */
    private final java.util.function.Function<GroupRecords.StoredGroup, CompletableFuture<Void>> persister;

    private GroupState state = GroupState.EMPTY;
    private int generationId;
    private String protocolType;
    private String protocolName;
    private String leaderId;
    private final Map<String, GroupMember> members = new LinkedHashMap<>();
    /** Member ids handed out with MEMBER_ID_REQUIRED, not joined yet. */
    private final Set<String> pendingMembers = new HashSet<>();
    /** group.instance.id to the member id that currently holds it. */
    private final Map<String, String> staticMembers = new HashMap<>();
    /** Bumped by every new rebalance, so timers of an earlier one do nothing. */
    private long rebalanceEpoch;
    /** During the initial delay: how much longer the delay may still be extended, and whether someone joined. */
    private long initialDelayBudgetMs;

    private boolean newMemberJoinedDuringDelay;
    private boolean initialDelayRunning;

    ClassicGroup(
            String groupId,
            GroupSettings settings,
            ScheduledExecutorService timer,
            LongSupplier nanoTime,
            java.util.function.Function<GroupRecords.StoredGroup, CompletableFuture<Void>> persister) {
        this.groupId = groupId;
        this.settings = settings;
        this.timer = timer;
        this.nanoTime = nanoTime;
        this.persister = persister;
    }

    /**
     * Takes back the membership stored before a restart: the group is stable with its members, who keep their ids,
     * generation and assignments, and are evicted as usual if they do not heartbeat within their session timeout.
     */
    synchronized void restore(GroupRecords.StoredGroup stored) {
        protocolType = stored.protocolType();
        generationId = stored.generationId();
        protocolName = stored.protocolName();
        leaderId = stored.leaderId();
        members.clear();
        staticMembers.clear();
        long now = nanoTime.getAsLong();
        for (GroupRecords.StoredMember storedMember : stored.members()) {
            Map<String, byte[]> protocols = new LinkedHashMap<>();
            protocols.put(protocolName == null ? "" : protocolName, storedMember.metadata());
            GroupMember member = new GroupMember(
                    storedMember.memberId(),
                    storedMember.groupInstanceId(),
                    storedMember.clientId(),
                    storedMember.clientHost(),
                    storedMember.sessionTimeoutMs(),
                    storedMember.rebalanceTimeoutMs(),
                    protocols);
            member.assignment = storedMember.assignment();
            member.lastHeartbeatNanos = now;
            members.put(member.memberId, member);
            if (member.isStatic()) {
                staticMembers.put(member.groupInstanceId, member.memberId);
            }
        }
        state = members.isEmpty() ? GroupState.EMPTY : GroupState.STABLE;
        members.values().forEach(this::scheduleSessionExpiry);
    }

    private GroupRecords.StoredGroup stored() {
        List<GroupRecords.StoredMember> stored = new ArrayList<>();
        for (GroupMember member : members.values()) {
            stored.add(new GroupRecords.StoredMember(
                    member.memberId,
                    member.groupInstanceId,
                    member.clientId,
                    member.clientHost,
                    member.rebalanceTimeoutMs,
                    member.sessionTimeoutMs,
                    member.metadata(protocolName),
                    member.assignment));
        }
        return new GroupRecords.StoredGroup(protocolType, generationId, protocolName, leaderId, stored);
    }

    /** Stores the membership; a failure is logged (the members keep working; a restart may lose this generation). */
    private CompletableFuture<Void> persist() {
        return persister.apply(stored()).whenComplete((ignored, error) -> {
            if (error != null) {
                LOGGER.error("Group {}: cannot store generation {}", groupId, generationId, error);
            }
        });
    }

    synchronized GroupState state() {
        return state;
    }

    synchronized boolean isEmpty() {
        return members.isEmpty() && pendingMembers.isEmpty();
    }

    synchronized void markDead() {
        state = GroupState.DEAD;
    }

    synchronized String protocolType() {
        return protocolType;
    }

    // ---------------------------------------------------------------------------------------------------- JoinGroup

    synchronized CompletableFuture<JoinGroupResponseData> join(
            JoinGroupRequestData request, short version, String clientId, String clientHost) {
        CompletableFuture<JoinGroupResponseData> result = new CompletableFuture<>();
        int rebalanceTimeoutMs = version >= 1 ? request.rebalanceTimeoutMs() : request.sessionTimeoutMs();
        Map<String, byte[]> protocols = new LinkedHashMap<>();
        request.protocols().forEach(protocol -> protocols.putIfAbsent(protocol.name(), protocol.metadata()));
        String memberId = request.memberId();
        String instanceId = request.groupInstanceId();

        if (state == GroupState.DEAD) {
            // Deleted meanwhile: the client looks up the coordinator again and joins the group created in its place.
            return completed(result, joinError(memberId, Errors.COORDINATOR_NOT_AVAILABLE));
        }
        if (request.sessionTimeoutMs() < settings.minSessionTimeoutMs()
                || request.sessionTimeoutMs() > settings.maxSessionTimeoutMs()) {
            return completed(result, joinError(memberId, Errors.INVALID_SESSION_TIMEOUT));
        }
        if (!acceptsProtocols(request.protocolType(), protocols)) {
            return completed(result, joinError(memberId, Errors.INCONSISTENT_GROUP_PROTOCOL));
        }
        boolean unknownMember = memberId.isEmpty();
        if (unknownMember) {
            if (members.size() + pendingMembers.size() >= settings.maxSize()) {
                return completed(result, joinError(memberId, Errors.GROUP_MAX_SIZE_REACHED));
            }
            String newMemberId = (clientId == null ? "" : clientId) + "-" + UUID.randomUUID();
            if (instanceId != null) {
                joinStatic(
                        newMemberId, instanceId, clientId, clientHost, request, rebalanceTimeoutMs, protocols, result);
            } else if (version >= 4) {
                // KIP-394: a new member first learns its id, then joins with it, so a retried join cannot leave a
                // phantom member behind.
                pendingMembers.add(newMemberId);
                expirePendingMemberLater(newMemberId, request.sessionTimeoutMs());
                completed(result, joinError(newMemberId, Errors.MEMBER_ID_REQUIRED));
            } else {
                addMemberAndRebalance(
                        newMemberId, null, clientId, clientHost, request, rebalanceTimeoutMs, protocols, result);
            }
            return result;
        }

        if (instanceId != null) {
            String holder = staticMembers.get(instanceId);
            if (holder != null && !holder.equals(memberId)) {
                return completed(result, joinError(memberId, Errors.FENCED_INSTANCE_ID));
            }
        }
        if (pendingMembers.remove(memberId)) {
            addMemberAndRebalance(
                    memberId, instanceId, clientId, clientHost, request, rebalanceTimeoutMs, protocols, result);
            return result;
        }
        GroupMember member = members.get(memberId);
        if (member == null) {
            return completed(result, joinError(memberId, Errors.UNKNOWN_MEMBER_ID));
        }
        switch (state) {
            case PREPARING_REBALANCE -> {
                updateMember(member, request, rebalanceTimeoutMs, protocols, result);
                tryCompleteJoin();
            }
            case COMPLETING_REBALANCE, STABLE -> {
                if (member.hasSameProtocols(protocols)
                        && (state == GroupState.COMPLETING_REBALANCE || !memberId.equals(leaderId))) {
                    // A retried join, or a follower that rejoins without a change: tell it what it already got.
                    completed(result, joinResponse(member, Errors.NONE));
                } else {
                    updateMember(member, request, rebalanceTimeoutMs, protocols, result);
                    prepareRebalance("member " + memberId + " rejoined with changed protocols or as the leader");
                }
            }
            case EMPTY, DEAD -> completed(result, joinError(memberId, Errors.UNKNOWN_MEMBER_ID));
        }
        return result;
    }

    private void joinStatic(
            String newMemberId,
            String instanceId,
            String clientId,
            String clientHost,
            JoinGroupRequestData request,
            int rebalanceTimeoutMs,
            Map<String, byte[]> protocols,
            CompletableFuture<JoinGroupResponseData> result) {
        String oldMemberId = staticMembers.get(instanceId);
        GroupMember old = oldMemberId == null ? null : members.get(oldMemberId);
        if (old == null) {
            addMemberAndRebalance(
                    newMemberId, instanceId, clientId, clientHost, request, rebalanceTimeoutMs, protocols, result);
            return;
        }
        // A static member came back (a restart): it takes over its old member's place under a new id, fencing the
        // old one. If the group is stable and nothing changed, no rebalance happens (KIP-345).
        GroupMember replacement = new GroupMember(
                newMemberId,
                instanceId,
                clientId,
                clientHost,
                request.sessionTimeoutMs(),
                rebalanceTimeoutMs,
                protocols);
        replacement.assignment = old.assignment;
        replacement.lastHeartbeatNanos = nanoTime.getAsLong();
        boolean unchanged = old.hasSameProtocols(protocols);
        if (old.pendingJoin != null) {
            old.pendingJoin.complete(joinError(oldMemberId, Errors.FENCED_INSTANCE_ID));
        }
        if (old.pendingSync != null) {
            old.pendingSync.complete(syncError(Errors.FENCED_INSTANCE_ID));
        }
        replaceMember(old, replacement);
        switch (state) {
            case STABLE -> {
                if (unchanged) {
                    scheduleSessionExpiry(replacement);
                    // A returning static leader keeps the stored assignment; v9+ tells it not to compute one.
                    JoinGroupResponseData answer = joinResponse(replacement, Errors.NONE)
                            .setSkipAssignment(replacement.memberId.equals(leaderId));
                    // The old member id is fenced only once the new one is stored.
                    persist()
                            .whenComplete((ignored, error) -> result.complete(
                                    error == null ? answer : joinError(newMemberId, Errors.COORDINATOR_NOT_AVAILABLE)));
                } else {
                    replacement.pendingJoin = result;
                    prepareRebalance("static member " + instanceId + " rejoined with changed protocols");
                }
            }
            case COMPLETING_REBALANCE -> {
                replacement.pendingJoin = result;
                prepareRebalance("static member " + instanceId + " rejoined during a rebalance");
            }
            case PREPARING_REBALANCE -> {
                replacement.pendingJoin = result;
                tryCompleteJoin();
            }
            case EMPTY, DEAD -> {
                replacement.pendingJoin = result;
                prepareRebalance("static member " + instanceId + " joined");
            }
        }
    }

    private void replaceMember(GroupMember old, GroupMember replacement) {
        Map<String, GroupMember> reordered = new LinkedHashMap<>();
        for (Map.Entry<String, GroupMember> entry : members.entrySet()) {
            if (entry.getKey().equals(old.memberId)) {
                reordered.put(replacement.memberId, replacement);
            } else {
                reordered.put(entry.getKey(), entry.getValue());
            }
        }
        members.clear();
        members.putAll(reordered);
        staticMembers.put(replacement.groupInstanceId, replacement.memberId);
        if (old.memberId.equals(leaderId)) {
            leaderId = replacement.memberId;
        }
    }

    private void addMemberAndRebalance(
            String memberId,
            String instanceId,
            String clientId,
            String clientHost,
            JoinGroupRequestData request,
            int rebalanceTimeoutMs,
            Map<String, byte[]> protocols,
            CompletableFuture<JoinGroupResponseData> result) {
        GroupMember member = new GroupMember(
                memberId, instanceId, clientId, clientHost, request.sessionTimeoutMs(), rebalanceTimeoutMs, protocols);
        member.lastHeartbeatNanos = nanoTime.getAsLong();
        member.pendingJoin = result;
        if (members.isEmpty()) {
            protocolType = request.protocolType();
        }
        members.put(memberId, member);
        if (instanceId != null) {
            staticMembers.put(instanceId, memberId);
        }
        newMemberJoinedDuringDelay = true;
        if (state == GroupState.PREPARING_REBALANCE) {
            tryCompleteJoin();
        } else {
            prepareRebalance("member " + memberId + " joined");
        }
    }

    private void updateMember(
            GroupMember member,
            JoinGroupRequestData request,
            int rebalanceTimeoutMs,
            Map<String, byte[]> protocols,
            CompletableFuture<JoinGroupResponseData> result) {
        member.protocols = new LinkedHashMap<>(protocols);
        member.sessionTimeoutMs = request.sessionTimeoutMs();
        member.rebalanceTimeoutMs = rebalanceTimeoutMs;
        member.lastHeartbeatNanos = nanoTime.getAsLong();
        if (member.pendingJoin != null) {
            // The client gave up on an earlier join and sent another: answer the old one so it is not left hanging.
            member.pendingJoin.complete(joinError(member.memberId, Errors.REBALANCE_IN_PROGRESS));
        }
        member.pendingJoin = result;
    }

    private boolean acceptsProtocols(String type, Map<String, byte[]> protocols) {
        if (type == null || type.isEmpty() || protocols.isEmpty()) {
            return false;
        }
        if (members.isEmpty()) {
            return true;
        }
        if (!type.equals(protocolType)) {
            return false;
        }
        Set<String> common = commonProtocols(members.values());
        return protocols.keySet().stream().anyMatch(common::contains);
    }

    private static Set<String> commonProtocols(Collection<GroupMember> candidates) {
        Set<String> common = null;
        for (GroupMember member : candidates) {
            if (common == null) {
                common = new HashSet<>(member.protocols.keySet());
            } else {
                common.retainAll(member.protocols.keySet());
            }
        }
        return common == null ? Set.of() : common;
    }

    /** Each member votes for its most preferred protocol that all support; the most votes win. */
    private String selectProtocol() {
        Set<String> common = commonProtocols(members.values());
        Map<String, Integer> votes = new LinkedHashMap<>();
        for (GroupMember member : members.values()) {
            for (String protocol : member.protocols.keySet()) {
                if (common.contains(protocol)) {
                    votes.merge(protocol, 1, Integer::sum);
                    break;
                }
            }
        }
        return votes.entrySet().stream()
                .max(Map.Entry.comparingByValue())
                .map(Map.Entry::getKey)
                .orElseThrow(() -> new IllegalStateException("group " + groupId + " has no common protocol"));
    }

    // ------------------------------------------------------------------------------------------------- rebalancing

    private void prepareRebalance(String reason) {
        if (state == GroupState.COMPLETING_REBALANCE) {
            // Assignments of the aborted generation are void; members waiting in SyncGroup must rejoin.
            for (GroupMember member : members.values()) {
                member.assignment = new byte[0];
                if (member.pendingSync != null) {
                    member.pendingSync.complete(syncError(Errors.REBALANCE_IN_PROGRESS));
                    member.pendingSync = null;
                }
            }
        }
        boolean initial = state == GroupState.EMPTY;
        state = GroupState.PREPARING_REBALANCE;
        long epoch = ++rebalanceEpoch;
        long rebalanceTimeoutMs = maxRebalanceTimeoutMs();
        LOGGER.info("Group {}: preparing rebalance after generation {} ({})", groupId, generationId, reason);
        if (initial && settings.initialRebalanceDelayMs() > 0) {
            long delay = Math.min(settings.initialRebalanceDelayMs(), rebalanceTimeoutMs);
            initialDelayBudgetMs = rebalanceTimeoutMs - delay;
            newMemberJoinedDuringDelay = false;
            initialDelayRunning = true;
            schedule(delay, () -> initialDelayElapsed(epoch));
        } else {
            initialDelayRunning = false;
            schedule(rebalanceTimeoutMs, () -> rebalanceTimedOut(epoch));
            tryCompleteJoin();
        }
    }

    private long maxRebalanceTimeoutMs() {
        return members.values().stream()
                .mapToLong(member -> member.rebalanceTimeoutMs)
                .max()
                .orElse(0);
    }

    private synchronized void initialDelayElapsed(long epoch) {
        if (epoch != rebalanceEpoch || state != GroupState.PREPARING_REBALANCE) {
            return;
        }
        if (newMemberJoinedDuringDelay && initialDelayBudgetMs > 0) {
            // Members are still arriving: wait a little longer, within the rebalance timeout.
            long delay = Math.min(settings.initialRebalanceDelayMs(), initialDelayBudgetMs);
            initialDelayBudgetMs -= delay;
            newMemberJoinedDuringDelay = false;
            schedule(delay, () -> initialDelayElapsed(epoch));
            return;
        }
        completeJoin();
    }

    private synchronized void rebalanceTimedOut(long epoch) {
        if (epoch == rebalanceEpoch && state == GroupState.PREPARING_REBALANCE) {
            completeJoin();
        }
    }

    /** Completes the join phase early once every known member has rejoined, as Kafka does after the first one. */
    private void tryCompleteJoin() {
        if (state != GroupState.PREPARING_REBALANCE || !pendingMembers.isEmpty()) {
            return;
        }
        // During the initial delay only its timer completes the join: the point is to wait for more members.
        if (!initialDelayRunning && members.values().stream().allMatch(GroupMember::awaitingJoin)) {
            completeJoin();
        }
    }

    private void completeJoin() {
        initialDelayRunning = false;
        List<GroupMember> dropped = new ArrayList<>();
        for (GroupMember member : members.values()) {
            if (!member.awaitingJoin()) {
                dropped.add(member);
            }
        }
        for (GroupMember member : dropped) {
            LOGGER.info("Group {}: member {} did not rejoin in time; removing it", groupId, member.memberId);
            removeMember(member);
        }
        rebalanceEpoch++;
        generationId++;
        if (members.isEmpty()) {
            state = GroupState.EMPTY;
            protocolName = null;
            leaderId = null;
            LOGGER.info("Group {}: generation {} has no members; the group is empty", groupId, generationId);
            persist();
            return;
        }
        protocolName = selectProtocol();
        if (leaderId == null || !members.containsKey(leaderId)) {
            leaderId = members.keySet().iterator().next();
        }
        state = GroupState.COMPLETING_REBALANCE;
        LOGGER.info(
                "Group {}: generation {} with {} members, protocol {}, leader {}",
                groupId,
                generationId,
                members.size(),
                protocolName,
                leaderId);
        for (GroupMember member : members.values()) {
            CompletableFuture<JoinGroupResponseData> join = member.pendingJoin;
            member.pendingJoin = null;
            member.lastHeartbeatNanos = nanoTime.getAsLong();
            scheduleSessionExpiry(member);
            join.complete(joinResponse(member, Errors.NONE));
        }
    }

    private JoinGroupResponseData joinResponse(GroupMember member, Errors error) {
        JoinGroupResponseData response = new JoinGroupResponseData()
                .setErrorCode(error.code())
                .setGenerationId(generationId)
                .setProtocolType(protocolType)
                .setProtocolName(protocolName)
                .setLeader(leaderId)
                .setMemberId(member.memberId);
        if (member.memberId.equals(leaderId)) {
            for (GroupMember each : members.values()) {
                response.members()
                        .add(new JoinGroupResponseData.JoinGroupResponseMember()
                                .setMemberId(each.memberId)
                                .setGroupInstanceId(each.groupInstanceId)
                                .setMetadata(each.metadata(protocolName)));
            }
        }
        return response;
    }

    private static JoinGroupResponseData joinError(String memberId, Errors error) {
        return new JoinGroupResponseData()
                .setErrorCode(error.code())
                .setGenerationId(-1)
                .setProtocolName(null)
                .setLeader("")
                .setMemberId(memberId);
    }

    // ---------------------------------------------------------------------------------------------------- SyncGroup

    synchronized CompletableFuture<SyncGroupResponseData> sync(SyncGroupRequestData request) {
        CompletableFuture<SyncGroupResponseData> result = new CompletableFuture<>();
        Errors error = validateMember(request.memberId(), request.groupInstanceId(), request.generationId());
        if (error != Errors.NONE) {
            return completed(result, syncError(error));
        }
        if ((request.protocolType() != null && !request.protocolType().equals(protocolType))
                || (request.protocolName() != null && !request.protocolName().equals(protocolName))) {
            return completed(result, syncError(Errors.INCONSISTENT_GROUP_PROTOCOL));
        }
        GroupMember member = members.get(request.memberId());
        member.lastHeartbeatNanos = nanoTime.getAsLong();
        switch (state) {
            case PREPARING_REBALANCE -> completed(result, syncError(Errors.REBALANCE_IN_PROGRESS));
            case COMPLETING_REBALANCE -> {
                if (member.pendingSync != null) {
                    member.pendingSync.complete(syncError(Errors.REBALANCE_IN_PROGRESS));
                }
                member.pendingSync = result;
                if (member.memberId.equals(leaderId)) {
                    Map<String, byte[]> assignments = new HashMap<>();
                    request.assignments().forEach(each -> assignments.put(each.memberId(), each.assignment()));
                    for (GroupMember each : members.values()) {
                        byte[] assignment = assignments.get(each.memberId);
                        each.assignment = assignment == null ? new byte[0] : assignment;
                    }
                    state = GroupState.STABLE;
                    LOGGER.info("Group {}: generation {} is stable", groupId, generationId);
                    // As Kafka does, the members learn their assignment once it is stored.
                    Map<CompletableFuture<SyncGroupResponseData>, SyncGroupResponseData> answers =
                            new LinkedHashMap<>();
                    for (GroupMember each : members.values()) {
                        if (each.pendingSync != null) {
                            answers.put(each.pendingSync, syncResponse(each));
                            each.pendingSync = null;
                        }
                    }
                    persist()
                            .whenComplete((ignored, failure) -> answers.forEach((future, answer) -> future.complete(
                                    failure == null ? answer : syncError(Errors.COORDINATOR_NOT_AVAILABLE))));
                }
            }
            case STABLE -> completed(result, syncResponse(member));
            case EMPTY, DEAD -> completed(result, syncError(Errors.UNKNOWN_MEMBER_ID));
        }
        return result;
    }

    private SyncGroupResponseData syncResponse(GroupMember member) {
        return new SyncGroupResponseData()
                .setProtocolType(protocolType)
                .setProtocolName(protocolName)
                .setAssignment(member.assignment);
    }

    private static SyncGroupResponseData syncError(Errors error) {
        return new SyncGroupResponseData().setErrorCode(error.code()).setAssignment(new byte[0]);
    }

    /** The checks every request of a member makes: known member, not fenced, current generation. */
    private Errors validateMember(String memberId, String instanceId, int generation) {
        if (state == GroupState.DEAD) {
            return Errors.COORDINATOR_NOT_AVAILABLE;
        }
        if (instanceId != null) {
            String holder = staticMembers.get(instanceId);
            if (holder != null && !holder.equals(memberId)) {
                return Errors.FENCED_INSTANCE_ID;
            }
        }
        if (!members.containsKey(memberId)) {
            return Errors.UNKNOWN_MEMBER_ID;
        }
        if (generation != generationId) {
            return Errors.ILLEGAL_GENERATION;
        }
        return Errors.NONE;
    }

    // ---------------------------------------------------------------------------------------------------- Heartbeat

    synchronized Errors heartbeat(String memberId, String instanceId, int generation) {
        Errors error = validateMember(memberId, instanceId, generation);
        if (error != Errors.NONE) {
            return error;
        }
        GroupMember member = members.get(memberId);
        member.lastHeartbeatNanos = nanoTime.getAsLong();
        return switch (state) {
            case PREPARING_REBALANCE -> Errors.REBALANCE_IN_PROGRESS;
            case COMPLETING_REBALANCE, STABLE -> Errors.NONE;
            case EMPTY, DEAD -> Errors.UNKNOWN_MEMBER_ID;
        };
    }

    private void scheduleSessionExpiry(GroupMember member) {
        schedule(member.sessionTimeoutMs, () -> checkSession(member));
    }

    private synchronized void checkSession(GroupMember member) {
        if (members.get(member.memberId) != member) {
            return; // left, expired or replaced meanwhile
        }
        if (member.awaitingJoin() || member.awaitingSync()) {
            // A member blocked in JoinGroup or SyncGroup cannot heartbeat; the rebalance timeout covers it.
            scheduleSessionExpiry(member);
            return;
        }
        long idleMs = TimeUnit.NANOSECONDS.toMillis(nanoTime.getAsLong() - member.lastHeartbeatNanos);
        if (idleMs < member.sessionTimeoutMs) {
            schedule(member.sessionTimeoutMs - idleMs, () -> checkSession(member));
            return;
        }
        LOGGER.info(
                "Group {}: member {} sent no heartbeat for {} ms (session timeout {} ms); removing it",
                groupId,
                member.memberId,
                idleMs,
                member.sessionTimeoutMs);
        removeMember(member);
        afterMemberLeft("member " + member.memberId + " session expired");
    }

    private void expirePendingMemberLater(String memberId, int sessionTimeoutMs) {
        schedule(sessionTimeoutMs, () -> {
            synchronized (this) {
                if (pendingMembers.remove(memberId)) {
                    tryCompleteJoin();
                }
            }
        });
    }

    // --------------------------------------------------------------------------------------------------- LeaveGroup

    /** Removes a member that leaves of its own accord; returns the error for this member. */
    synchronized Errors leave(String memberId, String instanceId) {
        if (state == GroupState.DEAD) {
            return Errors.COORDINATOR_NOT_AVAILABLE;
        }
        String effectiveId = memberId;
        if (instanceId != null) {
            String holder = staticMembers.get(instanceId);
            if (holder == null) {
                return Errors.UNKNOWN_MEMBER_ID;
            }
            if (!memberId.isEmpty() && !holder.equals(memberId)) {
                return Errors.FENCED_INSTANCE_ID;
            }
            effectiveId = holder;
        }
        if (pendingMembers.remove(effectiveId)) {
            tryCompleteJoin();
            return Errors.NONE;
        }
        GroupMember member = members.get(effectiveId);
        if (member == null) {
            return Errors.UNKNOWN_MEMBER_ID;
        }
        LOGGER.info("Group {}: member {} left", groupId, effectiveId);
        removeMember(member);
        afterMemberLeft("member " + effectiveId + " left");
        return Errors.NONE;
    }

    private void removeMember(GroupMember member) {
        members.remove(member.memberId);
        if (member.isStatic() && member.memberId.equals(staticMembers.get(member.groupInstanceId))) {
            staticMembers.remove(member.groupInstanceId);
        }
        if (member.pendingJoin != null) {
            member.pendingJoin.complete(joinError(member.memberId, Errors.UNKNOWN_MEMBER_ID));
            member.pendingJoin = null;
        }
        if (member.pendingSync != null) {
            member.pendingSync.complete(syncError(Errors.UNKNOWN_MEMBER_ID));
            member.pendingSync = null;
        }
    }

    private void afterMemberLeft(String reason) {
        switch (state) {
            case STABLE, COMPLETING_REBALANCE -> prepareRebalance(reason);
            case PREPARING_REBALANCE -> {
                if (members.isEmpty()) {
                    completeJoin();
                } else {
                    tryCompleteJoin();
                }
            }
            case EMPTY, DEAD -> {}
        }
    }

    // ------------------------------------------------------------------------------------------- offsets, describe

    /**
     * Whether a member may commit offsets for this generation. Commits are allowed while the group prepares a
     * rebalance (consumers commit as they give up partitions) but not while the leader assigns.
     */
    synchronized Errors validateOffsetCommit(String memberId, String instanceId, int generation) {
        if (state == GroupState.DEAD) {
            return Errors.COORDINATOR_NOT_AVAILABLE;
        }
        if (generation < 0 && state == GroupState.EMPTY) {
            return Errors.NONE; // a consumer that assigns partitions itself stores offsets in a group with no members
        }
        if (instanceId != null) {
            String holder = staticMembers.get(instanceId);
            if (holder != null && !holder.equals(memberId)) {
                return Errors.FENCED_INSTANCE_ID;
            }
        }
        if (state == GroupState.COMPLETING_REBALANCE) {
            return Errors.REBALANCE_IN_PROGRESS;
        }
        GroupMember member = members.get(memberId);
        if (member == null) {
            return Errors.UNKNOWN_MEMBER_ID;
        }
        if (generation != generationId) {
            return Errors.ILLEGAL_GENERATION;
        }
        member.lastHeartbeatNanos = nanoTime.getAsLong();
        return Errors.NONE;
    }

    /** A consistent snapshot of the group for DescribeGroups, ListGroups and the CLI. */
    synchronized GroupSummary summary() {
        List<GroupSummary.Member> summaries = new ArrayList<>();
        boolean stable = state == GroupState.STABLE;
        for (GroupMember member : members.values()) {
            summaries.add(new GroupSummary.Member(
                    member.memberId,
                    member.groupInstanceId,
                    member.clientId,
                    member.clientHost,
                    stable ? member.metadata(protocolName) : new byte[0],
                    stable ? member.assignment : new byte[0]));
        }
        return new GroupSummary(
                groupId,
                state,
                protocolType == null ? "" : protocolType,
                protocolName == null ? "" : protocolName,
                generationId,
                leaderId,
                summaries);
    }

    /** Every member's current protocol metadata for the selected protocol (the consumer's subscriptions). */
    synchronized List<byte[]> memberMetadata() {
        List<byte[]> metadata = new ArrayList<>();
        if (protocolName != null) {
            members.values().forEach(member -> metadata.add(member.metadata(protocolName)));
        }
        return metadata;
    }

    private void schedule(long delayMs, Runnable task) {
        timer.schedule(
                () -> {
                    try {
                        task.run();
                    } catch (RuntimeException e) {
                        LOGGER.error("Group {}: timer task failed", groupId, e);
                    }
                },
                Math.max(0, delayMs),
                TimeUnit.MILLISECONDS);
    }

    private static <T> CompletableFuture<T> completed(CompletableFuture<T> future, T value) {
        future.complete(value);
        return future;
    }
}
