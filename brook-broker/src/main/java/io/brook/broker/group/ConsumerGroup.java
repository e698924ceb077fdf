package io.brook.broker.group;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.FencedMemberEpochException;
import org.apache.kafka.common.errors.GroupMaxSizeReachedException;
import org.apache.kafka.common.errors.InvalidRegularExpression;
import org.apache.kafka.common.errors.UnknownMemberIdException;
import org.apache.kafka.common.errors.UnreleasedInstanceIdException;

/**
 * A group of the consumer protocol (KIP-848): the broker assigns partitions itself. Every change of membership,
 * subscriptions or subscribed topics bumps the group epoch; the target assignment is recomputed for the new epoch;
 * each member then moves towards its target one heartbeat at a time: it first gives up partitions it must revoke
 * (keeping its epoch), then takes the new ones (moving to the target epoch), but only those the previous owner has
 * released. Not thread-safe: the coordinator calls it under the group's monitor.
 */
final class ConsumerGroup {
    static final int LEAVE_EPOCH = -1;
    static final int STATIC_LEAVE_EPOCH = -2;

    /** Where a member is in reaching its target assignment. */
    enum MemberState {
        STABLE,
        /** Must give up partitions first; its epoch waits. */
        UNREVOKED_PARTITIONS,
        /** Has its new epoch, but some target partitions are still owned by others. */
        UNRELEASED_PARTITIONS
    }

    /** A member and its reconciliation state. */
    static final class Member {
        final String memberId;
        String instanceId;
        String rackId;
        String clientId;
        String clientHost;
        int rebalanceTimeoutMs;
        List<String> subscribedTopicNames = List.of();
        String subscribedTopicRegex;
        String serverAssignor;
        int memberEpoch;
        int previousMemberEpoch;
        MemberState state = MemberState.STABLE;
        Map<Uuid, Set<Integer>> assigned = new TreeMap<>();
        Map<Uuid, Set<Integer>> pendingRevocation = new TreeMap<>();
        /** What the last response told the member, to answer "no change" with a null assignment. */
        Map<Uuid, Set<Integer>> lastSentAssignment;

        long lastHeartbeatNanos;
        /** When the member entered UNREVOKED_PARTITIONS; it must revoke within its rebalance timeout. */
        long revocationStartedNanos;

        Member(String memberId) {
            this.memberId = memberId;
        }

        boolean isStatic() {
            return instanceId != null;
        }
    }

    final String groupId;
    private final int maxSize;
    int groupEpoch;
    int assignmentEpoch;
    /** Hash of the subscribed topics' ids and partition counts the target was computed for. */
    long metadataHash;

    final Map<String, Member> members = new LinkedHashMap<>();
    Map<String, Map<Uuid, Set<Integer>>> targetAssignment = new HashMap<>();
    /** Subscription regexes compiled once: every heartbeat resolves every member's subscription. */
    private final Map<String, Pattern> patterns = new HashMap<>();

    ConsumerGroup(String groupId, int maxSize) {
        this.groupId = groupId;
        this.maxSize = maxSize;
    }

    /** The state string Kafka's tools show: Empty, Assigning, Reconciling or Stable. */
    String state() {
        if (members.isEmpty()) {
            return "Empty";
        }
        if (groupEpoch > assignmentEpoch) {
            return "Assigning";
        }
        for (Member member : members.values()) {
            if (member.state != MemberState.STABLE || member.memberEpoch != assignmentEpoch) {
                return "Reconciling";
            }
        }
        return "Stable";
    }

    /** The assignor most members ask for, uniform when none does. */
    String assignorName() {
        Map<String, Integer> votes = new HashMap<>();
        members.values().stream()
                .map(member -> member.serverAssignor)
                .filter(Objects::nonNull)
                .forEach(name -> votes.merge(name, 1, Integer::sum));
        return votes.entrySet().stream()
                .max(Map.Entry.<String, Integer>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
                .map(Map.Entry::getKey)
                .orElse(Assignors.UNIFORM);
    }

    /**
     * Finds or creates the member a heartbeat is about, applying the join, static-membership and epoch rules.
     *
     * @throws ApiException with the protocol error for a member that may not go on
     */
    Member memberFor(String memberId, int memberEpoch, String instanceId, Map<Uuid, Set<Integer>> owned) {
        if (instanceId != null) {
            return staticMemberFor(memberId, memberEpoch, instanceId, owned);
        }
        Member member = members.get(memberId);
        if (member == null) {
            if (memberEpoch != 0) {
                throw new UnknownMemberIdException("member " + memberId + " is not in group " + groupId);
            }
            return newMember(memberId);
        }
        checkEpoch(member, memberEpoch, owned);
        return member;
    }

    private Member staticMemberFor(String memberId, int memberEpoch, String instanceId, Map<Uuid, Set<Integer>> owned) {
        Member holder = null;
        for (Member member : members.values()) {
            if (instanceId.equals(member.instanceId)) {
                holder = member;
            }
        }
        if (memberEpoch != 0) {
            if (holder == null) {
                throw new UnknownMemberIdException("instance " + instanceId + " is not in group " + groupId);
            }
            if (!holder.memberId.equals(memberId)) {
                throw new FencedInstanceIdException("instance " + instanceId + " is held by member " + holder.memberId);
            }
            checkEpoch(holder, memberEpoch, owned);
            return holder;
        }
        if (holder == null) {
            Member member = newMember(memberId);
            member.instanceId = instanceId;
            return member;
        }
        if (holder.memberId.equals(memberId)) {
            return holder; // the same member joining again (after being fenced, say)
        }
        if (holder.memberEpoch != STATIC_LEAVE_EPOCH) {
            throw new UnreleasedInstanceIdException(
                    "instance " + instanceId + " is still held by member " + holder.memberId + " of group " + groupId);
        }
        // A static member that left temporarily comes back under a new id: it takes over the old member's place and
        // partitions, without a rebalance.
        Member replacement = new Member(memberId);
        replacement.instanceId = instanceId;
        replacement.subscribedTopicNames = holder.subscribedTopicNames;
        replacement.subscribedTopicRegex = holder.subscribedTopicRegex;
        replacement.serverAssignor = holder.serverAssignor;
        replacement.rebalanceTimeoutMs = holder.rebalanceTimeoutMs;
        replacement.memberEpoch = 0;
        members.remove(holder.memberId);
        members.put(memberId, replacement);
        Map<Uuid, Set<Integer>> target = targetAssignment.remove(holder.memberId);
        if (target != null) {
            targetAssignment.put(memberId, target);
        }
        return replacement;
    }

    private Member newMember(String memberId) {
        if (members.size() >= maxSize) {
            throw new GroupMaxSizeReachedException("group " + groupId + " has reached its maximum of " + maxSize);
        }
        Member member = new Member(memberId);
        members.put(memberId, member);
        return member;
    }

    private static void checkEpoch(Member member, int received, Map<Uuid, Set<Integer>> owned) {
        if (received == 0 || received == member.memberEpoch) {
            return;
        }
        // A response may have been lost: the previous epoch is accepted while the member owns nothing it lost.
        if (received < member.memberEpoch
                && received == member.previousMemberEpoch
                && owned != null
                && isSubset(owned, member.assigned)) {
            return;
        }
        throw new FencedMemberEpochException(
                "member " + member.memberId + " sent epoch " + received + " but its epoch is " + member.memberEpoch);
    }

    private static boolean isSubset(Map<Uuid, Set<Integer>> small, Map<Uuid, Set<Integer>> big) {
        for (Map.Entry<Uuid, Set<Integer>> entry : small.entrySet()) {
            Set<Integer> partitions = big.get(entry.getKey());
            if (!entry.getValue().isEmpty() && (partitions == null || !partitions.containsAll(entry.getValue()))) {
                return false;
            }
        }
        return true;
    }

    static Pattern compileRegex(String regex) {
        try {
            return Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new InvalidRegularExpression("invalid subscription regex '" + regex + "': " + e.getDescription());
        }
    }

    /** Topic names the members subscribe to, by name or by regex over {@code topicNames}. */
    Set<String> subscribedTopics(Member member, Set<String> topicNames) {
        Set<String> topics = new TreeSet<>(member.subscribedTopicNames);
        if (member.subscribedTopicRegex != null && !member.subscribedTopicRegex.isEmpty()) {
            Pattern pattern = patterns.computeIfAbsent(member.subscribedTopicRegex, ConsumerGroup::compileRegex);
            for (String name : topicNames) {
                if (pattern.matcher(name).matches()) {
                    topics.add(name);
                }
            }
        }
        return topics;
    }

    /**
     * Moves the member one step towards its target: partitions it must give up first (its epoch waits until it says
     * it no longer owns them), then the new epoch with the target partitions that nobody else still owns.
     *
     * @param owned what the member reports it owns now; null when unchanged since its last heartbeat
     */
    void reconcile(Member member, Map<Uuid, Set<Integer>> owned, long nowNanos) {
        switch (member.state) {
            case STABLE -> {
                if (member.memberEpoch != assignmentEpoch) {
                    computeNext(member, nowNanos);
                }
            }
            case UNREVOKED_PARTITIONS -> {
                if (owned != null && !intersects(owned, member.pendingRevocation)) {
                    member.pendingRevocation = new TreeMap<>();
                    computeNext(member, nowNanos);
                }
            }
            case UNRELEASED_PARTITIONS -> computeNext(member, nowNanos);
        }
    }

    private void computeNext(Member member, long nowNanos) {
        Map<Uuid, Set<Integer>> target = targetAssignment.getOrDefault(member.memberId, Map.of());
        Map<Uuid, Set<Integer>> kept = new TreeMap<>();
        Map<Uuid, Set<Integer>> revoke = new TreeMap<>();
        member.assigned.forEach((topic, partitions) -> {
            for (int partition : partitions) {
                boolean stays = target.getOrDefault(topic, Set.of()).contains(partition);
                (stays ? kept : revoke)
                        .computeIfAbsent(topic, t -> new TreeSet<>())
                        .add(partition);
            }
        });
        if (!revoke.isEmpty()) {
            member.state = MemberState.UNREVOKED_PARTITIONS;
            member.assigned = kept;
            member.pendingRevocation = revoke;
            member.revocationStartedNanos = nowNanos;
            return;
        }
        Map<Uuid, Set<Integer>> ownedByOthers = ownedByOthers(member);
        Map<Uuid, Set<Integer>> next = new TreeMap<>();
        boolean withheld = false;
        for (Map.Entry<Uuid, Set<Integer>> entry : target.entrySet()) {
            for (int partition : entry.getValue()) {
                boolean mine = kept.getOrDefault(entry.getKey(), Set.of()).contains(partition);
                if (mine
                        || !ownedByOthers.getOrDefault(entry.getKey(), Set.of()).contains(partition)) {
                    next.computeIfAbsent(entry.getKey(), t -> new TreeSet<>()).add(partition);
                } else {
                    withheld = true;
                }
            }
        }
        member.previousMemberEpoch = member.memberEpoch;
        member.memberEpoch = assignmentEpoch;
        member.assigned = next;
        member.pendingRevocation = new TreeMap<>();
        member.state = withheld ? MemberState.UNRELEASED_PARTITIONS : MemberState.STABLE;
    }

    private Map<Uuid, Set<Integer>> ownedByOthers(Member self) {
        Map<Uuid, Set<Integer>> owned = new HashMap<>();
        for (Member other : members.values()) {
            if (other == self) {
                continue;
            }
            other.assigned.forEach((topic, partitions) ->
                    owned.computeIfAbsent(topic, t -> new HashSet<>()).addAll(partitions));
            other.pendingRevocation.forEach((topic, partitions) ->
                    owned.computeIfAbsent(topic, t -> new HashSet<>()).addAll(partitions));
        }
        return owned;
    }

    private static boolean intersects(Map<Uuid, Set<Integer>> a, Map<Uuid, Set<Integer>> b) {
        for (Map.Entry<Uuid, Set<Integer>> entry : a.entrySet()) {
            Set<Integer> other = b.get(entry.getKey());
            if (other != null) {
                for (int partition : entry.getValue()) {
                    if (other.contains(partition)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** Removes a member (left, timed out or fenced); the group epoch moves so the others rebalance. */
    void remove(Member member) {
        members.remove(member.memberId);
        targetAssignment.remove(member.memberId);
        groupEpoch++;
    }

    /** Recomputes the target assignment for the current group epoch. */
    void computeTargetAssignment(Map<String, Uuid> topicIds, Map<Uuid, Integer> partitionCounts, long hash) {
        List<Assignors.MemberSpec> specs = new ArrayList<>();
        for (Member member : members.values()) {
            Set<Uuid> topics = new HashSet<>();
            for (String name : subscribedTopics(member, topicIds.keySet())) {
                Uuid id = topicIds.get(name);
                if (id != null) {
                    topics.add(id);
                }
            }
            specs.add(new Assignors.MemberSpec(
                    member.memberId,
                    member.instanceId,
                    topics,
                    targetAssignment.getOrDefault(member.memberId, Map.of())));
        }
        targetAssignment = new HashMap<>(Assignors.assign(assignorName(), specs, partitionCounts));
        assignmentEpoch = groupEpoch;
        metadataHash = hash;
    }
}
