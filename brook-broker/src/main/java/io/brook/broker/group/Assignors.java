package io.brook.broker.group;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.common.Uuid;

/**
 * The server-side assignors of the consumer protocol (KIP-848). {@code uniform} (the default) balances partitions to
 * within one per member and keeps partitions where they are when it can; {@code range} gives each member a contiguous
 * range of every topic it subscribes to.
 */
final class Assignors {
    static final String UNIFORM = "uniform";
    static final String RANGE = "range";
    static final List<String> NAMES = List.of(UNIFORM, RANGE);

    private Assignors() {}

    /** What the assignor knows of a member. */
    record MemberSpec(String memberId, String instanceId, Set<Uuid> topics, Map<Uuid, Set<Integer>> current) {}

    /** Computes the target assignment: member id to topic id to partitions. */
    static Map<String, Map<Uuid, Set<Integer>>> assign(
            String assignor, List<MemberSpec> members, Map<Uuid, Integer> partitionCounts) {
        return RANGE.equals(assignor) ? range(members, partitionCounts) : uniform(members, partitionCounts);
    }

    private static Map<String, Map<Uuid, Set<Integer>>> emptyAssignment(List<MemberSpec> members) {
        Map<String, Map<Uuid, Set<Integer>>> assignment = new LinkedHashMap<>();
        members.forEach(member -> assignment.put(member.memberId(), new TreeMap<>()));
        return assignment;
    }

    private static Map<String, Map<Uuid, Set<Integer>>> range(
            List<MemberSpec> members, Map<Uuid, Integer> partitionCounts) {
        Map<String, Map<Uuid, Set<Integer>>> assignment = emptyAssignment(members);
        // Static members first (by instance id), then by member id, so a restart keeps the same ranges.
        List<MemberSpec> ordered = new ArrayList<>(members);
        ordered.sort(Comparator.comparing((MemberSpec m) -> m.instanceId() == null)
                .thenComparing(m -> m.instanceId() == null ? "" : m.instanceId())
                .thenComparing(MemberSpec::memberId));
        for (Map.Entry<Uuid, Integer> topic : new TreeMap<>(partitionCounts).entrySet()) {
            List<MemberSpec> subscribers = ordered.stream()
                    .filter(m -> m.topics().contains(topic.getKey()))
                    .toList();
            if (subscribers.isEmpty()) {
                continue;
            }
            int count = topic.getValue();
            int each = count / subscribers.size();
            int extra = count % subscribers.size();
            int next = 0;
            for (int i = 0; i < subscribers.size(); i++) {
                int size = each + (i < extra ? 1 : 0);
                Set<Integer> partitions = new TreeSet<>();
                for (int p = next; p < next + size; p++) {
                    partitions.add(p);
                }
                next += size;
                if (!partitions.isEmpty()) {
                    assignment.get(subscribers.get(i).memberId()).put(topic.getKey(), partitions);
                }
            }
        }
        return assignment;
    }

    /** A partition of a topic. */
    private record Slot(Uuid topic, int partition) {}

    private static Map<String, Map<Uuid, Set<Integer>>> uniform(
            List<MemberSpec> members, Map<Uuid, Integer> partitionCounts) {
        Map<String, MemberSpec> byId = new LinkedHashMap<>();
        members.forEach(member -> byId.put(member.memberId(), member));
        Map<Slot, String> owner = new LinkedHashMap<>();
        Map<String, Integer> load = new HashMap<>();
        members.forEach(member -> load.put(member.memberId(), 0));
        // 1. Sticky: every member keeps what it has, if it still subscribes to the topic and the partition exists.
        for (MemberSpec member : members) {
            member.current().forEach((topic, partitions) -> {
                Integer count = partitionCounts.get(topic);
                if (count == null || !member.topics().contains(topic)) {
                    return;
                }
                for (int partition : partitions) {
                    Slot slot = new Slot(topic, partition);
                    if (partition < count && !owner.containsKey(slot)) {
                        owner.put(slot, member.memberId());
                        load.merge(member.memberId(), 1, Integer::sum);
                    }
                }
            });
        }
        // 2. Every unowned partition goes to the least-loaded member that subscribes to its topic.
        for (Map.Entry<Uuid, Integer> topic : new TreeMap<>(partitionCounts).entrySet()) {
            for (int partition = 0; partition < topic.getValue(); partition++) {
                Slot slot = new Slot(topic.getKey(), partition);
                if (owner.containsKey(slot)) {
                    continue;
                }
                String least = null;
                for (MemberSpec member : members) {
                    if (member.topics().contains(slot.topic())
                            && (least == null || load.get(member.memberId()) < load.get(least))) {
                        least = member.memberId();
                    }
                }
                if (least != null) {
                    owner.put(slot, least);
                    load.merge(least, 1, Integer::sum);
                }
            }
        }
        // 3. Balance: move a partition from a member to one with at least two fewer that can take it. Each move lowers
        // the sum of squared loads, so this ends; bounded anyway.
        boolean moved = true;
        for (int round = 0; moved && round < 100_000; round++) {
            moved = false;
            for (Map.Entry<Slot, String> entry : owner.entrySet()) {
                String from = entry.getValue();
                String to = null;
                for (MemberSpec member : members) {
                    if (member.topics().contains(entry.getKey().topic())
                            && load.get(member.memberId()) < load.get(from) - 1
                            && (to == null || load.get(member.memberId()) < load.get(to))) {
                        to = member.memberId();
                    }
                }
                if (to != null) {
                    entry.setValue(to);
                    load.merge(from, -1, Integer::sum);
                    load.merge(to, 1, Integer::sum);
                    moved = true;
                }
            }
        }
        Map<String, Map<Uuid, Set<Integer>>> assignment = emptyAssignment(members);
        owner.forEach((slot, member) -> assignment
                .get(member)
                .computeIfAbsent(slot.topic(), topic -> new TreeSet<>())
                .add(slot.partition()));
        return assignment;
    }
}
