package io.brook.broker.topic;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.Uuid;

/** A topic: name, id, partition count and configuration overrides (sorted). */
public record Topic(String name, Uuid id, int partitions, Map<String, String> overrides) {
    public Topic {
        requireNonNull(name, "name is null");
        requireNonNull(id, "id is null");
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be >= 1, was " + partitions);
        }
        overrides = Collections.unmodifiableMap(new TreeMap<>(requireNonNull(overrides, "overrides is null")));
    }

    public Topic withPartitions(int count) {
        return new Topic(name, id, count, overrides);
    }

    public Topic withOverrides(Map<String, String> newOverrides) {
        return new Topic(name, id, partitions, newOverrides);
    }
}
