package io.brook.engine.connector;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.brook.engine.BrookException;
import io.brook.engine.ErrorCode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.apache.kafka.common.TopicPartition;

/**
 * The options of the Kafka source, with Spark's names, parsed and checked once: {@code kafka.bootstrap.servers}, one of
 * {@code subscribe}, {@code subscribePattern} or {@code assign}, {@code startingOffsets}, {@code endingOffsets} (bounded
 * reads only), {@code maxOffsetsPerTrigger} (streams only), {@code failOnDataLoss}, {@code kafkaConsumer.pollTimeoutMs},
 * {@code includeHeaders} (adds Spark's {@code headers} column), and any other {@code kafka.*} option, passed to the
 * consumer without its prefix.
 *
 * @param consumerProperties the {@code kafka.*} options without the prefix
 * @param starting {@link Offsets#earliest()}, {@link Offsets#latest()} or specific offsets (-2 earliest, -1 latest)
 * @param ending for bounded reads: latest or specific offsets; null for streams
 */
public record KafkaSourceOptions(
        Map<String, String> consumerProperties,
        Subscription subscription,
        Offsets starting,
        Offsets ending,
        OptionalLong maxOffsetsPerTrigger,
        boolean failOnDataLoss,
        long pollTimeoutMillis,
        boolean includeHeaders) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> SOURCE_OPTIONS = Collections.unmodifiableSet(new TreeSet<>(List.of(
            "subscribe",
            "subscribePattern",
            "assign",
            "startingOffsets",
            "endingOffsets",
            "maxOffsetsPerTrigger",
            "failOnDataLoss",
            "kafkaConsumer.pollTimeoutMs",
            "includeHeaders")));

    public KafkaSourceOptions {
        consumerProperties = Collections.unmodifiableMap(new TreeMap<>(consumerProperties));
        requireNonNull(subscription, "subscription is null");
        requireNonNull(starting, "starting is null");
        requireNonNull(maxOffsetsPerTrigger, "maxOffsetsPerTrigger is null");
        if (pollTimeoutMillis <= 0) {
            throw new IllegalArgumentException("pollTimeoutMillis must be > 0, was " + pollTimeoutMillis);
        }
    }

    /** Which partitions to read. */
    public sealed interface Subscription permits Subscribe, SubscribePattern, Assign {}

    /** {@code subscribe}: all partitions of these topics, including partitions added later. */
    public record Subscribe(List<String> topics) implements Subscription {
        public Subscribe {
            topics = List.copyOf(topics);
        }

        @Override
        public String toString() {
            return "Subscribe[" + String.join(",", topics) + "]";
        }
    }

    /** {@code subscribePattern}: all partitions of the topics whose whole name matches, including ones created later. */
    public record SubscribePattern(Pattern pattern) implements Subscription {
        public SubscribePattern {
            requireNonNull(pattern, "pattern is null");
        }

        @Override
        public String toString() {
            return "SubscribePattern[" + pattern.pattern() + "]";
        }
    }

    /** {@code assign}: exactly these partitions. */
    public record Assign(List<TopicPartition> partitions) implements Subscription {
        public Assign {
            List<TopicPartition> sorted = new ArrayList<>(partitions);
            sorted.sort(KafkaOffsets.ORDER);
            partitions = List.copyOf(sorted);
        }

        @Override
        public String toString() {
            List<String> names = new ArrayList<>();
            partitions.forEach(partition -> names.add(partition.toString()));
            return "Assign[" + String.join(", ", names) + "]";
        }
    }

    /** {@code earliest}, {@code latest}, or an offset per partition (-2 earliest, -1 latest). */
    public record Offsets(String kind, SortedMap<TopicPartition, Long> specific) {
        public Offsets {
            requireNonNull(kind, "kind is null");
            specific = specific == null ? null : KafkaOffsets.sorted(specific);
        }

        static Offsets earliest() {
            return new Offsets("earliest", null);
        }

        static Offsets latest() {
            return new Offsets("latest", null);
        }

        boolean isSpecific() {
            return specific != null;
        }
    }

    /**
     * Parses the options of {@code readStream().format("kafka")} ({@code streaming}) or {@code read().format("kafka")}.
     *
     * @throws BrookException INVALID_OPTION naming the option, its value and what is allowed
     */
    public static KafkaSourceOptions parse(Map<String, String> options, boolean streaming) {
        Map<String, String> consumer = new TreeMap<>();
        for (Map.Entry<String, String> option : options.entrySet()) {
            String key = option.getKey();
            if (key.startsWith("kafka.")) {
                String property = key.substring("kafka.".length());
                throwIfConsumerPropertyUnsupported(property);
                consumer.put(property, option.getValue());
            } else if (!SOURCE_OPTIONS.contains(key)) {
                throw invalid("unknown option '" + key + "' for the kafka source; it takes " + SOURCE_OPTIONS
                        + " and kafka.* consumer properties (e.g. kafka.bootstrap.servers)");
            }
        }
        if (consumer.get("bootstrap.servers") == null
                || consumer.get("bootstrap.servers").isBlank()) {
            throw invalid("the kafka source needs option kafka.bootstrap.servers, e.g. \"127.0.0.1:9092\"");
        }
        Subscription subscription = subscription(options);
        Offsets starting = offsets(options, "startingOffsets", streaming ? Offsets.latest() : Offsets.earliest());
        Offsets ending = null;
        if (streaming) {
            if (options.containsKey("endingOffsets")) {
                throw invalid("option endingOffsets is for bounded reads (read().format(\"kafka\")); a stream reads"
                        + " until it is stopped");
            }
        } else {
            ending = offsets(options, "endingOffsets", Offsets.latest());
            throwIfBoundedOffsetsInvalid(starting, ending);
            if (options.containsKey("maxOffsetsPerTrigger")) {
                throw invalid("option maxOffsetsPerTrigger is for streams (readStream().format(\"kafka\")); a bounded"
                        + " read reads startingOffsets to endingOffsets at once");
            }
        }
        if (starting.isSpecific() && subscription instanceof Assign assign) {
            for (TopicPartition partition : starting.specific().keySet()) {
                if (!assign.partitions().contains(partition)) {
                    throw invalid("option startingOffsets names " + partition + ", which option assign does not;"
                            + " assigned: " + assign.partitions());
                }
            }
        }
        OptionalLong maxOffsets = options.containsKey("maxOffsetsPerTrigger")
                ? OptionalLong.of(positive(options, "maxOffsetsPerTrigger"))
                : OptionalLong.empty();
        boolean failOnDataLoss = bool(options, "failOnDataLoss", true);
        long pollTimeout = options.containsKey("kafkaConsumer.pollTimeoutMs")
                ? positive(options, "kafkaConsumer.pollTimeoutMs")
                : 120_000;
        boolean includeHeaders = bool(options, "includeHeaders", false);
        return new KafkaSourceOptions(
                consumer, subscription, starting, ending, maxOffsets, failOnDataLoss, pollTimeout, includeHeaders);
    }

    /** Properties the source sets itself, as Spark refuses them. */
    private static void throwIfConsumerPropertyUnsupported(String property) {
        String instead = switch (property) {
            case "auto.offset.reset" -> "set the source option startingOffsets instead";
            case "key.deserializer", "value.deserializer" ->
                "keys and values are always read as bytes; cast them with CAST(value AS STRING) or a" + " function";
            case "enable.auto.commit" ->
                "the source does not commit offsets to Kafka; it keeps them in the" + " query's checkpoint";
            case "interceptor.classes" -> "interceptors would see the bytes the source reads, not rows";
            default -> null;
        };
        if (instead != null) {
            throw invalid("kafka option 'kafka." + property + "' is not supported: " + instead);
        }
    }

    private static Subscription subscription(Map<String, String> options) {
        List<String> given = new ArrayList<>();
        for (String key : List.of("subscribe", "subscribePattern", "assign")) {
            if (options.containsKey(key)) {
                given.add(key);
            }
        }
        if (given.size() != 1) {
            throw invalid("the kafka source needs exactly one of the options subscribe, subscribePattern and assign;"
                    + " got " + (given.isEmpty() ? "none" : String.join(", ", given)));
        }
        String value = options.get(given.get(0)).strip();
        switch (given.get(0)) {
            case "subscribe" -> {
                List<String> topics = new ArrayList<>();
                for (String topic : value.split(",", -1)) {
                    if (!topic.isBlank()) {
                        topics.add(topic.strip());
                    }
                }
                if (topics.isEmpty()) {
                    throw invalid("option subscribe needs a comma-separated list of topics; got '" + value + "'");
                }
                return new Subscribe(new ArrayList<>(new TreeSet<>(topics)));
            }
            case "subscribePattern" -> {
                if (value.isEmpty()) {
                    throw invalid("option subscribePattern needs a Java regular expression; got ''");
                }
                try {
                    return new SubscribePattern(Pattern.compile(value));
                } catch (PatternSyntaxException e) {
                    throw new BrookException(
                            ErrorCode.INVALID_OPTION,
                            "option subscribePattern is not a Java regular expression: " + e.getMessage(),
                            e);
                }
            }
            default -> {
                return new Assign(assignment(value));
            }
        }
    }

    private static List<TopicPartition> assignment(String json) {
        String expected = "option assign must be JSON like {\"topic\":[0,1]}; got " + json;
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new BrookException(ErrorCode.INVALID_OPTION, expected, e);
        }
        if (root == null || !root.isObject() || root.isEmpty()) {
            throw invalid(expected);
        }
        List<TopicPartition> partitions = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> topics = root.fields(); topics.hasNext(); ) {
            Map.Entry<String, JsonNode> topic = topics.next();
            if (!topic.getValue().isArray()) {
                throw invalid(expected);
            }
            for (JsonNode partition : topic.getValue()) {
                if (!partition.canConvertToInt() || partition.asInt() < 0) {
                    throw invalid("option assign: topic '" + topic.getKey() + "' lists partition " + partition
                            + "; partitions are whole numbers >= 0");
                }
                partitions.add(new TopicPartition(topic.getKey(), partition.asInt()));
            }
        }
        return partitions;
    }

    private static Offsets offsets(Map<String, String> options, String key, Offsets defaultValue) {
        String value = options.get(key);
        if (value == null) {
            return defaultValue;
        }
        String trimmed = value.strip();
        switch (trimmed.toLowerCase(Locale.ROOT)) {
            case "earliest" -> {
                return Offsets.earliest();
            }
            case "latest" -> {
                return Offsets.latest();
            }
            default -> {
                try {
                    SortedMap<TopicPartition, Long> specific = KafkaOffsets.fromJson(trimmed, "option " + key);
                    for (Map.Entry<TopicPartition, Long> offset : specific.entrySet()) {
                        if (offset.getValue() < KafkaOffsets.EARLIEST) {
                            throw invalid("option " + key + ": " + offset.getKey() + " has offset " + offset.getValue()
                                    + "; use an offset >= 0, -2 for earliest or -1 for latest");
                        }
                    }
                    return new Offsets("specific", specific);
                } catch (IllegalArgumentException e) {
                    throw new BrookException(
                            ErrorCode.INVALID_OPTION,
                            e.getMessage() + " (" + key + " is earliest, latest or JSON like"
                                    + " {\"topic\":{\"0\":23,\"1\":-2}})",
                            e);
                }
            }
        }
    }

    private static void throwIfBoundedOffsetsInvalid(Offsets starting, Offsets ending) {
        if (starting.kind().equals("latest")) {
            throw invalid("option startingOffsets=latest is for streams; a bounded read starts at earliest or at"
                    + " specific offsets");
        }
        if (starting.isSpecific() && starting.specific().containsValue(KafkaOffsets.LATEST)) {
            throw invalid("option startingOffsets: -1 (latest) is for streams; a bounded read starts at earliest (-2)"
                    + " or at an offset");
        }
        if (ending.kind().equals("earliest")) {
            throw invalid("option endingOffsets=earliest reads nothing; use latest or specific offsets");
        }
        if (ending.isSpecific() && ending.specific().containsValue(KafkaOffsets.EARLIEST)) {
            throw invalid("option endingOffsets: -2 (earliest) is not allowed; use -1 (latest) or an offset");
        }
    }

    private static long positive(Map<String, String> options, String key) {
        String value = options.get(key);
        try {
            long parsed = Long.parseLong(value.strip());
            if (parsed > 0) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw invalid("option " + key + " must be a whole number > 0; got '" + value + "'");
    }

    private static boolean bool(Map<String, String> options, String key, boolean defaultValue) {
        String value = options.get(key);
        if (value == null) {
            return defaultValue;
        }
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw invalid("option " + key + " must be true or false; got '" + value + "'");
        };
    }

    private static BrookException invalid(String message) {
        return new BrookException(ErrorCode.INVALID_OPTION, message);
    }
}
