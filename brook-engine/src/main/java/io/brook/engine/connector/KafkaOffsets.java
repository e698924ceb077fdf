package io.brook.engine.connector;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.kafka.common.TopicPartition;

/**
 * Offsets per topic-partition in Spark's JSON, {@code {"clicks":{"0":23,"1":45}}}: topics and partitions sorted, so the
 * same offsets always give the same one-line text (the engine compares offsets by their JSON). In a source offset
 * each value is the next offset to read; in {@code startingOffsets} and {@code endingOffsets} -2 means earliest and -1
 * latest.
 */
final class KafkaOffsets {
    static final long EARLIEST = -2;
    static final long LATEST = -1;
    static final Comparator<TopicPartition> ORDER =
            Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition);
    private static final ObjectMapper JSON = new ObjectMapper();

    private KafkaOffsets() {}

    static SortedMap<TopicPartition, Long> sorted(Map<TopicPartition, Long> offsets) {
        SortedMap<TopicPartition, Long> sorted = new TreeMap<>(ORDER);
        sorted.putAll(offsets);
        return Collections.unmodifiableSortedMap(sorted);
    }

    static String toJson(Map<TopicPartition, Long> offsets) {
        StringBuilder json = new StringBuilder("{");
        String topic = null;
        for (Map.Entry<TopicPartition, Long> entry : sorted(offsets).entrySet()) {
            TopicPartition partition = entry.getKey();
            if (!partition.topic().equals(topic)) {
                json.append(topic == null ? "" : "},");
                json.append(quote(partition.topic())).append(":{");
                topic = partition.topic();
            } else {
                json.append(',');
            }
            json.append('"').append(partition.partition()).append("\":").append(entry.getValue());
        }
        return json.append(topic == null ? "}" : "}}").toString();
    }

    private static String quote(String text) {
        try {
            return JSON.writeValueAsString(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a string as JSON: " + text, e);
        }
    }

    /**
     * Parses {@code {"topic":{"0":23}}}.
     *
     * @param what names the text in an error, e.g. {@code option startingOffsets}
     * @throws IllegalArgumentException saying what is wrong and what is expected
     */
    static SortedMap<TopicPartition, Long> fromJson(String json, String what) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(what + " is not JSON like {\"topic\":{\"0\":23,\"1\":-2}}: " + json, e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(
                    what + " must be a JSON object like {\"topic\":{\"0\":23}}; got " + json);
        }
        SortedMap<TopicPartition, Long> offsets = new TreeMap<>(ORDER);
        for (Iterator<Map.Entry<String, JsonNode>> topics = root.fields(); topics.hasNext(); ) {
            Map.Entry<String, JsonNode> topic = topics.next();
            if (!topic.getValue().isObject()) {
                throw new IllegalArgumentException(what + ": topic '" + topic.getKey()
                        + "' must map partitions to offsets, like {\"0\":23}; got " + topic.getValue());
            }
            for (Iterator<Map.Entry<String, JsonNode>> partitions =
                            topic.getValue().fields();
                    partitions.hasNext(); ) {
                Map.Entry<String, JsonNode> partition = partitions.next();
                int number;
                try {
                    number = Integer.parseInt(partition.getKey());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(
                            what + ": partition '" + partition.getKey() + "' of topic '" + topic.getKey()
                                    + "' is not a number",
                            e);
                }
                if (number < 0 || !partition.getValue().canConvertToLong()) {
                    throw new IllegalArgumentException(what + ": topic '" + topic.getKey() + "' partition '"
                            + partition.getKey() + "' needs a partition >= 0 and a whole-number offset; got "
                            + partition.getValue());
                }
                offsets.put(
                        new TopicPartition(topic.getKey(), number),
                        partition.getValue().asLong());
            }
        }
        return offsets;
    }
}
