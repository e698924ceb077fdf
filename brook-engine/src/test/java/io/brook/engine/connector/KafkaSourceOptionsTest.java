package io.brook.engine.connector;

import static org.assertj.core.api.Assertions.assertThat;

import io.brook.engine.BrookException;
import io.brook.engine.ErrorCode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** The Kafka source's options, defaults and refusals, and its offsets JSON; no broker. */
class KafkaSourceOptionsTest {
    private static Map<String, String> options(String... keysAndValues) {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("kafka.bootstrap.servers", "127.0.0.1:9092");
        for (int i = 0; i < keysAndValues.length; i += 2) {
            options.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return options;
    }

    private static String refusal(Map<String, String> options, boolean streaming) {
        try {
            KafkaSourceOptions.parse(options, streaming);
        } catch (BrookException e) {
            assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_OPTION);
            return e.getMessage();
        }
        throw new AssertionError("accepted " + options);
    }

    @Test
    void defaultsAreSparks() {
        // When
        KafkaSourceOptions stream =
                KafkaSourceOptions.parse(options("subscribe", "b, a", "kafka.client.id", "c"), true);
        KafkaSourceOptions bounded = KafkaSourceOptions.parse(options("subscribe", "a"), false);

        // Then
        assertThat(stream.subscription()).isEqualTo(new KafkaSourceOptions.Subscribe(java.util.List.of("a", "b")));
        assertThat(stream.starting().kind()).isEqualTo("latest");
        assertThat(stream.ending()).isNull();
        assertThat(stream.maxOffsetsPerTrigger()).isEqualTo(OptionalLong.empty());
        assertThat(stream.failOnDataLoss()).isTrue();
        assertThat(stream.pollTimeoutMillis()).isEqualTo(120_000);
        assertThat(stream.includeHeaders()).isFalse();
        assertThat(stream.consumerProperties())
                .containsExactly(Map.entry("bootstrap.servers", "127.0.0.1:9092"), Map.entry("client.id", "c"));
        assertThat(bounded.starting().kind()).isEqualTo("earliest");
        assertThat(bounded.ending().kind()).isEqualTo("latest");
    }

    @Test
    void includeHeadersIsABooleanOption() {
        // When
        KafkaSourceOptions headers =
                KafkaSourceOptions.parse(options("subscribe", "a", "includeHeaders", " TRUE "), false);

        // Then
        assertThat(headers.includeHeaders()).isTrue();
        assertThat(refusal(options("subscribe", "a", "includeHeaders", "yes"), true))
                .isEqualTo("option includeHeaders must be true or false; got 'yes'");
    }

    @Test
    void assignAndSpecificOffsetsParseFromJson() {
        // When
        KafkaSourceOptions parsed = KafkaSourceOptions.parse(
                options(
                        "assign", "{\"t\":[1,0]}",
                        "startingOffsets", "{\"t\":{\"0\":23,\"1\":-2}}",
                        "maxOffsetsPerTrigger", "100",
                        "failOnDataLoss", "false"),
                true);

        // Then
        assertThat(parsed.subscription().toString()).isEqualTo("Assign[t-0, t-1]");
        assertThat(parsed.starting().specific())
                .containsExactly(
                        Map.entry(new TopicPartition("t", 0), 23L), Map.entry(new TopicPartition("t", 1), -2L));
        assertThat(parsed.maxOffsetsPerTrigger()).isEqualTo(OptionalLong.of(100));
        assertThat(parsed.failOnDataLoss()).isFalse();
    }

    @Test
    void eachMistakeIsRefusedNamingTheOptionAndWhatIsAllowed() {
        assertThat(refusal(Map.of("subscribe", "t"), true))
                .isEqualTo("the kafka source needs option kafka.bootstrap.servers, e.g. \"127.0.0.1:9092\"");
        assertThat(refusal(options(), true))
                .isEqualTo("the kafka source needs exactly one of the options subscribe, subscribePattern and assign;"
                        + " got none");
        assertThat(refusal(options("subscribe", "t", "assign", "{\"t\":[0]}"), true))
                .isEqualTo("the kafka source needs exactly one of the options subscribe, subscribePattern and assign;"
                        + " got subscribe, assign");
        assertThat(refusal(options("subscribe", "t", "startingOffset", "earliest"), true))
                .isEqualTo("unknown option 'startingOffset' for the kafka source; it takes [assign, endingOffsets,"
                        + " failOnDataLoss, includeHeaders, kafkaConsumer.pollTimeoutMs, maxOffsetsPerTrigger,"
                        + " startingOffsets, subscribe, subscribePattern] and kafka.* consumer properties (e.g."
                        + " kafka.bootstrap.servers)");
        assertThat(refusal(options("subscribe", "t", "kafka.auto.offset.reset", "earliest"), true))
                .isEqualTo("kafka option 'kafka.auto.offset.reset' is not supported: set the source option"
                        + " startingOffsets instead");
        assertThat(refusal(options("subscribe", "t", "endingOffsets", "latest"), true))
                .isEqualTo("option endingOffsets is for bounded reads (read().format(\"kafka\")); a stream reads until"
                        + " it is stopped");
        assertThat(refusal(options("subscribe", "t", "startingOffsets", "latest"), false))
                .isEqualTo("option startingOffsets=latest is for streams; a bounded read starts at earliest or at"
                        + " specific offsets");
        assertThat(refusal(options("subscribe", "t", "startingOffsets", "{\"t\":{\"0\":\"x\"}}"), true))
                .isEqualTo("option startingOffsets: topic 't' partition '0' needs a partition >= 0 and a whole-number"
                        + " offset; got \"x\" (startingOffsets is earliest, latest or JSON like"
                        + " {\"t\":{\"0\":23,\"1\":-2}})".replace("{\"t\"", "{\"topic\""));
        assertThat(refusal(options("subscribe", "t", "maxOffsetsPerTrigger", "0"), true))
                .isEqualTo("option maxOffsetsPerTrigger must be a whole number > 0; got '0'");
        assertThat(refusal(options("subscribe", "t", "failOnDataLoss", "maybe"), true))
                .isEqualTo("option failOnDataLoss must be true or false; got 'maybe'");
        assertThat(refusal(options("assign", "[0]"), true))
                .isEqualTo("option assign must be JSON like {\"topic\":[0,1]}; got [0]");
        assertThat(refusal(options("subscribePattern", "("), true))
                .startsWith("option subscribePattern is not a Java" + " regular expression: Unclosed group");
    }

    @Test
    void offsetsJsonIsSortedAndRoundTrips() {
        // Given
        Map<TopicPartition, Long> offsets = new LinkedHashMap<>();
        offsets.put(new TopicPartition("b", 10), 7L);
        offsets.put(new TopicPartition("a", 1), 45L);
        offsets.put(new TopicPartition("b", 2), 3L);
        offsets.put(new TopicPartition("a", 0), 23L);

        // When
        String json = KafkaOffsets.toJson(offsets);

        // Then
        assertThat(json).isEqualTo("{\"a\":{\"0\":23,\"1\":45},\"b\":{\"2\":3,\"10\":7}}");
        assertThat(KafkaOffsets.fromJson(json, "test")).isEqualTo(offsets);
        assertThat(KafkaOffsets.toJson(Map.of())).isEqualTo("{}");
    }

    @Test
    void theRateLimitSharesMaxOffsetsByBacklogAndStarvesNoPartition() {
        // Given: backlogs of 100, 10 and 1 (a new partition starting at 5), and one partition with none
        TopicPartition a = new TopicPartition("t", 0);
        TopicPartition b = new TopicPartition("t", 1);
        TopicPartition c = new TopicPartition("t", 2);
        TopicPartition d = new TopicPartition("t", 3);
        SortedMap<TopicPartition, Long> until = new TreeMap<>(KafkaOffsets.ORDER);
        until.put(a, 100L);
        until.put(b, 20L);
        until.put(c, 6L);
        until.put(d, 50L);

        // When
        SortedMap<TopicPartition, Long> limited =
                KafkaSource.rateLimit(11, Map.of(a, 0L, b, 10L, d, 50L), Map.of(c, 5L), until);

        // Then: 11 * 100/111 = 9.9 -> 9; 11 * 10/111 = 0.99 -> 1; 11 * 1/111 = 0.099 -> 1
        assertThat(limited).containsExactly(Map.entry(a, 9L), Map.entry(b, 11L), Map.entry(c, 6L), Map.entry(d, 50L));
    }
}
