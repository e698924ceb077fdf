package io.brook.http;

import static io.brook.http.ClientApiServer.code;
import static io.brook.http.ClientApiServer.json;
import static io.brook.http.ClientApiServer.message;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** POST /topics/{topic}/records over a real broker, read back with a Kafka consumer. */
class ProduceApiTest {
    @TempDir
    static Path directory;

    private static ClientApiServer server;

    @BeforeAll
    static void start() throws Exception {
        server = ClientApiServer.start(directory, Duration.ofMinutes(1));
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private static List<ConsumerRecord<byte[], byte[]>> readAll(String topic, int partitions, int expected) {
        Map<String, Object> properties = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                server.bootstrap(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                "false");
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> all = new ArrayList<>();
            for (int i = 0; i < partitions; i++) {
                all.add(new TopicPartition(topic, i));
            }
            consumer.assign(all);
            consumer.seekToBeginning(all);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (records.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    @Test
    void writesJsonStringAndBase64RecordsWithHeadersThatAKafkaConsumerReads() throws Exception {
        // Given
        server.createTopic("events", 2);

        // When
        HttpResponse<String> json = server.post(
                "/topics/events/records",
                "{\"keyFormat\": \"string\", \"records\": ["
                        + "{\"key\": \"user-1\", \"value\": {\"page\": \"/home\", \"ms\": 12}, \"partition\": 0,"
                        + " \"headers\": [{\"name\": \"source\", \"value\": \"web\"}], \"timestamp\": 1767225600000},"
                        + "{\"key\": \"user-2\", \"value\": null, \"partition\": 1}]}");
        HttpResponse<String> base64 = server.post(
                "/topics/events/records",
                "{\"acks\": 1, \"keyFormat\": \"base64\", \"valueFormat\": \"base64\", \"records\": ["
                        + "{\"key\": \"AAE=\", \"value\": \"aGVsbG8=\", \"partition\": 0}]}");
        HttpResponse<String> none = server.post(
                "/topics/events/records",
                "{\"acks\": \"0\", \"valueFormat\": \"string\", \"records\": [{\"value\": \"fire and forget\","
                        + " \"partition\": 1}]}");

        // Then
        assertThat(json.statusCode()).as(json.body()).isEqualTo(200);
        assertThat(json.body())
                .isEqualTo("{\"offsets\":[{\"partition\":0,\"offset\":0},{\"partition\":1,\"offset\":0}]}");
        assertThat(base64.statusCode()).as(base64.body()).isEqualTo(200);
        assertThat(base64.body()).isEqualTo("{\"offsets\":[{\"partition\":0,\"offset\":1}]}");
        assertThat(none.statusCode()).as(none.body()).isEqualTo(200);
        assertThat(none.body()).isEqualTo("{\"offsets\":[{\"partition\":1,\"offset\":null}]}");

        List<ConsumerRecord<byte[], byte[]>> records = readAll("events", 2, 4);
        assertThat(records).hasSize(4);
        ConsumerRecord<byte[], byte[]> first = records.stream()
                .filter(r -> r.partition() == 0 && r.offset() == 0)
                .findFirst()
                .orElseThrow();
        assertThat(new String(first.key(), StandardCharsets.UTF_8)).isEqualTo("user-1");
        assertThat(new String(first.value(), StandardCharsets.UTF_8)).isEqualTo("{\"page\":\"/home\",\"ms\":12}");
        assertThat(first.timestamp()).isEqualTo(1767225600000L);
        assertThat(new String(first.headers().lastHeader("source").value(), StandardCharsets.UTF_8))
                .isEqualTo("web");
        ConsumerRecord<byte[], byte[]> tombstone = records.stream()
                .filter(r -> r.partition() == 1 && r.offset() == 0)
                .findFirst()
                .orElseThrow();
        assertThat(tombstone.value()).isNull();
        ConsumerRecord<byte[], byte[]> binary = records.stream()
                .filter(r -> r.partition() == 0 && r.offset() == 1)
                .findFirst()
                .orElseThrow();
        assertThat(binary.key()).containsExactly(0, 1);
        assertThat(new String(binary.value(), StandardCharsets.UTF_8)).isEqualTo("hello");
        assertThat(records)
                .filteredOn(r -> r.partition() == 1 && r.offset() == 1)
                .singleElement()
                .satisfies(r -> assertThat(new String(r.value(), StandardCharsets.UTF_8))
                        .isEqualTo("fire and forget"));
    }

    @Test
    void aPartitionThatDoesNotExistFailsOnlyItsRecordWith207() throws Exception {
        // Given
        server.createTopic("three", 3);

        // When
        HttpResponse<String> some = server.post(
                "/topics/three/records",
                "{\"records\": [{\"value\": 1, \"partition\": 2}, {\"value\": 2, \"partition\": 7}]}");
        HttpResponse<String> all =
                server.post("/topics/three/records", "{\"records\": [{\"value\": 1, \"partition\": 3}]}");

        // Then
        assertThat(some.statusCode()).as(some.body()).isEqualTo(207);
        JsonNode offsets = json(some).path("offsets");
        assertThat(offsets.get(0).path("partition").asInt()).isEqualTo(2);
        assertThat(offsets.get(0).path("offset").asLong()).isZero();
        assertThat(offsets.get(1).path("partition").asInt()).isEqualTo(7);
        assertThat(offsets.get(1).at("/error/code").asText()).isEqualTo("PARTITION_NOT_FOUND");
        assertThat(offsets.get(1).at("/error/message").asText()).isEqualTo("topic 'three' has partitions 0-2; got 7");
        assertThat(all.statusCode()).as(all.body()).isEqualTo(404);
        assertThat(json(all).at("/offsets/0/error/code").asText()).isEqualTo("PARTITION_NOT_FOUND");
    }

    @Test
    void aRecordLargerThanTheBrokerAcceptsIs413() throws Exception {
        // Given: a topic that takes at most 1 KiB per batch
        HttpResponse<String> created =
                server.post("/topics", "{\"name\": \"small\", \"configs\": {\"max.message.bytes\": \"1024\"}}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);

        // When
        HttpResponse<String> response = server.post(
                "/topics/small/records",
                "{\"valueFormat\": \"string\", \"records\": [{\"value\": \"" + "x".repeat(4096) + "\"}]}");

        // Then
        assertThat(response.statusCode()).as(response.body()).isEqualTo(413);
        assertThat(json(response).at("/offsets/0/error/code").asText()).isEqualTo("RECORD_TOO_LARGE");
    }

    @Test
    void badInputIs400AndWritesNothing() throws Exception {
        // Given
        server.createTopic("strict", 1);

        // When / Then
        assertBadRequest("{\"records\": [", "the body is not JSON: ");
        assertBadRequest(
                "{\"acks\": 2, \"records\": [{\"value\": 1}]}", "acks must be 0, 1 or all (-1 means all), was '2'");
        assertBadRequest(
                "{\"records\": []}",
                "the body needs a non-empty array 'records'; send {\"records\": [{\"value\": {\"page\": \"/\"}}]}");
        assertBadRequest(
                "{\"valueFormat\": \"base64\", \"records\": [{\"value\": \"aGk=\"}, {\"value\": \"not base64!\"}]}",
                "records[1].value is not base64 (");
        assertBadRequest(
                "{\"valueFormat\": \"xml\", \"records\": [{\"value\": 1}]}",
                "'valueFormat' must be json, string or base64, was 'xml'");
        assertBadRequest(
                "{\"records\": [{\"value\": 1, \"partition\": -1}]}",
                "records[0].partition must be an integer >= 0, was -1; leave it out to let the key choose");
        assertBadRequest(
                "{\"valueFormat\": \"string\", \"records\": [{\"value\": 5}]}",
                "records[0].value must be a JSON string under format string, was 5");
        assertThat(json(server.get("/topics/strict"))
                        .at("/partitions/0/logEndOffset")
                        .asLong())
                .isZero();
    }

    @Test
    void anUnknownTopicIs404() throws Exception {
        // When
        HttpResponse<String> response = server.post("/topics/missing/records", "{\"records\": [{\"value\": 1}]}");

        // Then
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(code(response)).isEqualTo("TOPIC_NOT_FOUND");
        assertThat(message(response)).isEqualTo("topic 'missing' does not exist; GET /topics lists the topics");
    }

    @Test
    void aBodyOverTheRequestLimitIs413AsJson() throws Exception {
        // Given: a body of 20 MB
        String body = "{\"valueFormat\": \"string\", \"records\": [{\"value\": \"" + "x".repeat(20 << 20) + "\"}]}";

        // When
        HttpResponse<String> response = server.post("/topics/strict/records", body);

        // Then
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(code(response)).isEqualTo("REQUEST_TOO_LARGE");
        assertThat(message(response)).isEqualTo("the request body is over 16777216 bytes; send smaller batches");
    }

    private static void assertBadRequest(String body, String messageStart) throws Exception {
        HttpResponse<String> response = server.post("/topics/strict/records", body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(code(response)).isEqualTo("BAD_REQUEST");
        assertThat(message(response)).startsWith(messageStart);
    }
}
