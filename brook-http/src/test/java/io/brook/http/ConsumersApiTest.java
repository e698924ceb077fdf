package io.brook.http;

import static io.brook.http.ClientApiServer.code;
import static io.brook.http.ClientApiServer.json;
import static io.brook.http.ClientApiServer.message;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Long-poll consume over HTTP with consumer groups, commits and seeks, over a real broker. */
class ConsumersApiTest {
    @TempDir
    static Path directory;

    private static ClientApiServer server;

    @BeforeAll
    static void start() throws Exception {
        server = ClientApiServer.start(directory, Duration.ofSeconds(3));
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private static String instance(String group, String body) throws Exception {
        HttpResponse<String> created = server.post("/consumers/" + group, body);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return json(created).path("uri").asText();
    }

    /** GETs records until {@code count} arrived; bounded in requests and time. */
    private static List<JsonNode> poll(String uri, int count) throws Exception {
        List<JsonNode> records = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        for (int i = 0; i < 60 && records.size() < count && System.nanoTime() < deadline; i++) {
            HttpResponse<String> response = server.get(uri + "/records?timeoutMs=1000");
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            json(response).path("records").forEach(records::add);
        }
        return records;
    }

    private static void produce(String topic, String... values) throws Exception {
        StringBuilder body = new StringBuilder("{\"records\": [");
        for (int i = 0; i < values.length; i++) {
            body.append(i == 0 ? "" : ",")
                    .append("{\"value\": ")
                    .append(values[i])
                    .append('}');
        }
        HttpResponse<String> response =
                server.post("/topics/" + topic + "/records", body.append("]}").toString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    @Test
    void producesThenConsumesCommitsAndSeeksOverHttp() throws Exception {
        // Given
        server.createTopic("trips", 1);
        produce("trips", "{\"id\": 1}", "{\"id\": 2}", "{\"id\": 3}");
        String uri = instance("riders", "{\"name\": \"r1\", \"topics\": [\"trips\"]}");
        assertThat(uri).isEqualTo("/consumers/riders/instances/r1");

        // When: at most two records per GET
        List<JsonNode> first = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        for (int i = 0; i < 30 && first.isEmpty() && System.nanoTime() < deadline; i++) {
            json(server.get(uri + "/records?timeoutMs=1000&maxRecords=2"))
                    .path("records")
                    .forEach(first::add);
        }

        // Then
        assertThat(first).extracting(r -> r.at("/value/id").asInt()).containsExactly(1, 2);
        assertThat(first.get(0).path("topic").asText()).isEqualTo("trips");
        assertThat(first.get(0).path("partition").asInt()).isZero();
        assertThat(first.get(0).path("offset").asLong()).isZero();

        // When: commit what was returned
        HttpResponse<String> committed = server.post(uri + "/offsets", "");

        // Then
        assertThat(committed.statusCode()).as(committed.body()).isEqualTo(200);
        assertThat(committed.body()).isEqualTo("{\"committed\":[{\"topic\":\"trips\",\"partition\":0,\"offset\":2}]}");
        Map<TopicPartition, OffsetAndMetadata> stored = server.admin()
                .listConsumerGroupOffsets("riders")
                .partitionsToOffsetAndMetadata()
                .get(30, SECONDS);
        assertThat(stored.get(new TopicPartition("trips", 0)).offset()).isEqualTo(2);

        // When: the rest, then nothing more within the timeout
        List<JsonNode> rest = poll(uri, 1);
        HttpResponse<String> empty = server.get(uri + "/records?timeoutMs=200");

        // Then
        assertThat(rest).extracting(r -> r.at("/value/id").asInt()).containsExactly(3);
        assertThat(empty.body()).isEqualTo("{\"records\":[]}");

        // When: back to the beginning
        HttpResponse<String> rewound = server.post(
                uri + "/positions/beginning", "{\"partitions\": [{\"topic\": \"trips\", \"partition\": 0}]}");

        // Then
        assertThat(rewound.statusCode()).as(rewound.body()).isEqualTo(200);
        assertThat(poll(uri, 3)).extracting(r -> r.at("/value/id").asInt()).containsExactly(1, 2, 3);

        // When: to offset 1
        HttpResponse<String> moved = server.post(
                uri + "/positions", "{\"partitions\": [{\"topic\": \"trips\", \"partition\": 0, \"offset\": 1}]}");

        // Then
        assertThat(moved.statusCode()).as(moved.body()).isEqualTo(200);
        assertThat(moved.body()).isEqualTo("{\"positions\":[{\"topic\":\"trips\",\"partition\":0,\"offset\":1}]}");
        assertThat(poll(uri, 2)).extracting(r -> r.at("/value/id").asInt()).containsExactly(2, 3);

        // When: to the end, then a new record
        HttpResponse<String> toEnd = server.post(uri + "/positions/end", "");
        produce("trips", "{\"id\": 4}");

        // Then
        assertThat(toEnd.statusCode()).as(toEnd.body()).isEqualTo(200);
        assertThat(poll(uri, 1)).extracting(r -> r.at("/value/id").asInt()).containsExactly(4);

        // When: an explicit commit, then delete
        HttpResponse<String> explicit = server.post(
                uri + "/offsets", "{\"offsets\": [{\"topic\": \"trips\", \"partition\": 0, \"offset\": 4}]}");
        HttpResponse<String> deleted = server.send("DELETE", uri, null);

        // Then
        assertThat(explicit.statusCode()).as(explicit.body()).isEqualTo(200);
        assertThat(deleted.statusCode()).isEqualTo(204);
        HttpResponse<String> gone = server.get(uri + "/records");
        assertThat(gone.statusCode()).isEqualTo(404);
        assertThat(code(gone)).isEqualTo("CONSUMER_INSTANCE_NOT_FOUND");
        assertThat(message(gone))
                .isEqualTo("group 'riders' has no consumer instance 'r1'; create one with POST /consumers/riders");

        // Then: a new instance of the group starts at the committed offset
        String next = instance("riders", "{\"topics\": [\"trips\"]}");
        produce("trips", "{\"id\": 5}");
        assertThat(poll(next, 1)).extracting(r -> r.at("/value/id").asInt()).containsExactly(5);
        server.send("DELETE", next, null);
    }

    @Test
    void deletingAnInstanceEndsItsLongPollAtOnce() throws Exception {
        // Given: an instance that has joined its group and waits 30 s for records that do not come
        server.createTopic("quiet", 1);
        String uri = instance("waiters", "{\"topics\": [\"quiet\"]}");
        for (int i = 0;
                i < 30
                        && json(server.get(uri + "/assignments"))
                                .path("partitions")
                                .isEmpty();
                i++) {
            server.get(uri + "/records?timeoutMs=500");
        }
        assertThat(json(server.get(uri + "/assignments")).path("partitions")).hasSize(1);
        java.util.concurrent.CompletableFuture<HttpResponse<String>> waiting =
                java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                    try {
                        return server.get(uri + "/records?timeoutMs=30000");
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
        Thread.sleep(500);

        // When
        HttpResponse<String> deleted = server.send("DELETE", uri, null);

        // Then: the poll ends with what it had (nothing), well before its own 30 s
        assertThat(deleted.statusCode()).isEqualTo(204);
        HttpResponse<String> ended = waiting.get(15, SECONDS);
        assertThat(ended.statusCode()).isEqualTo(200);
        assertThat(ended.body()).isEqualTo("{\"records\":[]}");
    }

    @Test
    void seeksToATimestamp() throws Exception {
        // Given
        server.createTopic("timed", 1);
        HttpResponse<String> produced = server.post(
                "/topics/timed/records",
                "{\"records\": [{\"value\": 1, \"timestamp\": 1000}, {\"value\": 2, \"timestamp\": 2000},"
                        + " {\"value\": 3, \"timestamp\": 3000}]}");
        assertThat(produced.statusCode()).isEqualTo(200);
        String uri = instance("timers", "{\"topics\": [\"timed\"]}");
        assertThat(poll(uri, 3)).hasSize(3);

        // When
        HttpResponse<String> moved = server.post(
                uri + "/positions",
                "{\"partitions\": [{\"topic\": \"timed\", \"partition\": 0, \"timestamp\": 1500}]}");

        // Then
        assertThat(moved.statusCode()).as(moved.body()).isEqualTo(200);
        assertThat(poll(uri, 2)).extracting(r -> r.path("value").asInt()).containsExactly(2, 3);
        server.send("DELETE", uri, null);
    }

    @Test
    void readsWhatAKafkaProducerWroteInEachFormat() throws Exception {
        // Given
        server.createTopic("plain", 1);
        Map<String, Object> properties = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, server.bootstrap());
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(properties, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>("plain", "k1", "{\"n\": 1}")).get(30, SECONDS);
            producer.send(new ProducerRecord<>("plain", "k2", "not json")).get(30, SECONDS);
        }

        // When
        List<JsonNode> asJson = poll(instance("formats-json", "{\"topics\": [\"plain\"]}"), 2);
        List<JsonNode> asBase64 = poll(instance("formats-b64", "{\"topics\": [\"plain\"], \"format\": \"base64\"}"), 2);
        List<JsonNode> asString =
                poll(instance("formats-string", "{\"topics\": [\"plain\"], \"format\": \"string\"}"), 2);

        // Then: under json, a value that is not JSON comes as a string and says so
        assertThat(asJson.get(0).at("/value/n").asInt()).isEqualTo(1);
        assertThat(asJson.get(0).path("key").asText()).isEqualTo("k1");
        assertThat(asJson.get(0).path("keyFormat").asText()).isEqualTo("string");
        assertThat(asJson.get(1).path("value").asText()).isEqualTo("not json");
        assertThat(asJson.get(1).path("valueFormat").asText()).isEqualTo("string");
        assertThat(asBase64.get(1).path("value").asText()).isEqualTo("bm90IGpzb24=");
        assertThat(asString.get(0).path("value").asText()).isEqualTo("{\"n\": 1}");
    }

    @Test
    void anIdleInstanceExpiresAndSaysSo() throws Exception {
        // Given
        server.createTopic("idle", 1);
        String uri = instance("sleepy", "{\"name\": \"s1\", \"topics\": [\"idle\"]}");

        assertThat(server.api().consumerInstances()).containsEntry("sleepy", List.of("s1"));

        // When: no request for longer than the idle timeout (any request would keep it alive)
        Awaitility.await()
                .atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> !server.api().consumerInstances().containsKey("sleepy"));

        // Then
        HttpResponse<String> expired = server.get(uri + "/records");
        assertThat(code(expired)).isEqualTo("CONSUMER_INSTANCE_EXPIRED");
        assertThat(message(expired))
                .isEqualTo("consumer instance 's1' of group 'sleepy' expired after 3000 ms without a request; create a"
                        + " new one with POST /consumers/sleepy");
    }

    @Test
    void badRequestsAreAnsweredWithTheFix() throws Exception {
        // Given
        server.createTopic("checked", 2);
        String uri = instance("checkers", "{\"name\": \"c1\", \"topics\": [\"checked\"]}");

        // When / Then
        HttpResponse<String> unknownTopic = server.post("/consumers/g", "{\"topics\": [\"absent\"]}");
        assertThat(unknownTopic.statusCode()).isEqualTo(404);
        assertThat(code(unknownTopic)).isEqualTo("TOPIC_NOT_FOUND");

        HttpResponse<String> noTopics = server.post("/consumers/g", "{}");
        assertThat(noTopics.statusCode()).isEqualTo(400);
        assertThat(message(noTopics))
                .isEqualTo("the body needs a non-empty array 'topics'; send {\"topics\": [\"clicks\"]}");

        HttpResponse<String> badFormat =
                server.post("/consumers/g", "{\"topics\": [\"checked\"], \"format\": \"avro\"}");
        assertThat(badFormat.statusCode()).isEqualTo(400);
        assertThat(message(badFormat)).isEqualTo("'format' must be json, string or base64, was 'avro'");

        HttpResponse<String> duplicate =
                server.post("/consumers/checkers", "{\"name\": \"c1\", \"topics\": [\"checked\"]}");
        assertThat(duplicate.statusCode()).isEqualTo(409);
        assertThat(code(duplicate)).isEqualTo("CONSUMER_INSTANCE_EXISTS");

        HttpResponse<String> badTimeout = server.get(uri + "/records?timeoutMs=soon");
        assertThat(badTimeout.statusCode()).isEqualTo(400);
        assertThat(message(badTimeout)).isEqualTo("query parameter timeoutMs must be an integer 0-30000, was 'soon'");

        HttpResponse<String> badCommit = server.post(uri + "/offsets", "{\"offsets\": [{\"topic\": \"checked\"}]}");
        assertThat(badCommit.statusCode()).isEqualTo(400);

        HttpResponse<String> notAssigned = server.post(
                uri + "/positions", "{\"partitions\": [{\"topic\": \"checked\", \"partition\": 5, \"offset\": 0}]}");
        assertThat(notAssigned.statusCode()).isEqualTo(409);
        assertThat(code(notAssigned)).isEqualTo("PARTITION_NOT_ASSIGNED");
        assertThat(message(notAssigned)).endsWith("GET its records once so that it joins the group, then seek");

        HttpResponse<String> noOffset =
                server.post(uri + "/positions", "{\"partitions\": [{\"topic\": \"checked\", \"partition\": 0}]}");
        assertThat(noOffset.statusCode()).isEqualTo(400);
        assertThat(message(noOffset))
                .isEqualTo(
                        "each partition needs either 'offset' or 'timestamp'; got {\"topic\":\"checked\",\"partition\":0}");

        HttpResponse<String> unknownGroup = server.get("/consumers/other/instances/c1/records");
        assertThat(unknownGroup.statusCode()).isEqualTo(404);
        assertThat(code(unknownGroup)).isEqualTo("CONSUMER_INSTANCE_NOT_FOUND");
        server.send("DELETE", uri, null);
    }

    @Test
    void offsetsCommittedOverHttpAreWhatKafkaAdminSeesAsLag() throws Exception {
        // Given
        server.createTopic("lagging", 1);
        produce("lagging", "1", "2", "3", "4", "5");
        String uri = instance("laggards", "{\"topics\": [\"lagging\"]}");

        // When
        assertThat(poll(uri, 5)).hasSize(5);
        server.post(uri + "/offsets", "{\"offsets\": [{\"topic\": \"lagging\", \"partition\": 0, \"offset\": 3}]}");

        // Then
        long end = server.admin()
                .listOffsets(Map.of(new TopicPartition("lagging", 0), OffsetSpec.latest()))
                .all()
                .get(30, SECONDS)
                .get(new TopicPartition("lagging", 0))
                .offset();
        assertThat(end).isEqualTo(5);
        assertThat(server.admin()
                        .listConsumerGroupOffsets("laggards")
                        .partitionsToOffsetAndMetadata()
                        .get(30, SECONDS)
                        .get(new TopicPartition("lagging", 0))
                        .offset())
                .isEqualTo(3);
        server.send("DELETE", uri, null);
    }
}
