package io.brook.broker.group;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.TopicPartition;

/** Committed offsets per group, in memory; {@link GroupLog} keeps them durable and fills this at start-up. */
final class OffsetStore {
    private final Map<String, Map<TopicPartition, CommittedOffset>> offsets = new ConcurrentHashMap<>();

    void commit(String groupId, Map<TopicPartition, CommittedOffset> commits) {
        offsets.computeIfAbsent(groupId, id -> new ConcurrentHashMap<>()).putAll(commits);
    }

    CommittedOffset get(String groupId, TopicPartition partition) {
        Map<TopicPartition, CommittedOffset> group = offsets.get(groupId);
        return group == null ? null : group.get(partition);
    }

    /** Every committed offset of a group (a copy). */
    Map<TopicPartition, CommittedOffset> all(String groupId) {
        Map<TopicPartition, CommittedOffset> group = offsets.get(groupId);
        return group == null ? Map.of() : Map.copyOf(group);
    }

    boolean hasOffsets(String groupId) {
        Map<TopicPartition, CommittedOffset> group = offsets.get(groupId);
        return group != null && !group.isEmpty();
    }

    Set<String> groups() {
        return offsets.keySet();
    }

    void deleteGroup(String groupId) {
        offsets.remove(groupId);
    }

    void delete(String groupId, TopicPartition partition) {
        offsets.computeIfPresent(groupId, (id, group) -> {
            group.remove(partition);
            return group.isEmpty() ? null : group;
        });
    }
}
