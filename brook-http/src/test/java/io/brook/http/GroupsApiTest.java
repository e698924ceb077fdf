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
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Groups and lag over HTTP, for groups that Kafka consumers and HTTP consumer instances make. */
class GroupsApiTest {
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

    private static void produce(String topic, int partition, int count) throws Exception {
        StringBuilder body = new StringBuilder("{\"records\": [");
        for (int i = 0; i < count; i++) {
            body.append(i == 0 ? "" : ",")
                    .append("{\"value\": ")
                    .append(i)
                    .append(", \"partition\": ")
                    .append(partition)
                    .append('}');
        }
        HttpResponse<String> response =
                server.post("/topics/" + topic + "/records", body.append("]}").toString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    private static void commit(String group, TopicPartition partition, long offset) throws Exception {
        server.admin()
                .alterConsumerGroupOffsets(group, Map.of(partition, new OffsetAndMetadata(offset)))
                .all()
                .get(30, SECONDS);
    }

    @Test
    void describesMembersCommittedOffsetsAndLagOfAnActiveGroup() throws Exception {
        // Given: a Kafka consumer in group 'billing', with 3 of 5 records committed on partition 0
        server.createTopic("invoices", 2);
        produce("invoices", 0, 5);
        produce("invoices", 1, 2);
        Map<String, Object> properties = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, server.bootstrap(),
                ConsumerConfig.GROUP_ID_CONFIG, "billing",
                ConsumerConfig.CLIENT_ID_CONFIG, "billing-client",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(properties, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of("invoices"));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (consumer.assignment().size() < 2 && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200));
            }
            consumer.commitSync(Map.of(new TopicPartition("invoices", 0), new OffsetAndMetadata(3)));

            // When
            HttpResponse<String> described = server.get("/groups/billing");
            HttpResponse<String> listed = server.get("/groups");
            HttpResponse<String> deleteBusy = server.send("DELETE", "/groups/billing", null);
            HttpResponse<String> resetBusy = server.post("/groups/billing/offsets/reset", "{\"to\": \"earliest\"}");

            // Then
            assertThat(described.statusCode()).as(described.body()).isEqualTo(200);
            JsonNode group = json(described);
            assertThat(group.path("state").asText()).isEqualTo("Stable");
            assertThat(group.path("protocol").asText()).isNotEmpty();
            assertThat(group.path("members")).hasSize(1);
            JsonNode member = group.path("members").get(0);
            assertThat(member.path("clientId").asText()).isEqualTo("billing-client");
            assertThat(member.path("host").asText()).contains("127.0.0.1");
            assertThat(member.path("assignment")).hasSize(2);
            JsonNode partition0 = group.path("offsets").get(0);
            assertThat(partition0.path("partition").asInt()).isZero();
            assertThat(partition0.path("committedOffset").asLong()).isEqualTo(3);
            assertThat(partition0.path("logEndOffset").asLong()).isEqualTo(5);
            assertThat(partition0.path("lag").asLong()).isEqualTo(2);
            assertThat(partition0.path("memberId").asText())
                    .isEqualTo(member.path("memberId").asText());
            JsonNode partition1 = group.path("offsets").get(1);
            assertThat(partition1.path("committedOffset").isNull()).isTrue();
            assertThat(partition1.path("lag").isNull()).isTrue();
            assertThat(partition1.path("logEndOffset").asLong()).isEqualTo(2);
            assertThat(group.path("totalLag").asLong()).isEqualTo(2);

            assertThat(listed.statusCode()).isEqualTo(200);
            JsonNode billing = null;
            for (JsonNode listing : json(listed).path("groups")) {
                if (listing.path("groupId").asText().equals("billing")) {
                    billing = listing;
                }
            }
            assertThat(billing).isNotNull();
            assertThat(billing.path("state").asText()).isEqualTo("Stable");
            assertThat(billing.path("members").asInt()).isEqualTo(1);
            assertThat(billing.path("protocolType").asText()).isEqualTo("consumer");

            assertThat(deleteBusy.statusCode()).as(deleteBusy.body()).isEqualTo(409);
            assertThat(code(deleteBusy)).isEqualTo("GROUP_NOT_EMPTY");
            assertThat(resetBusy.statusCode()).as(resetBusy.body()).isEqualTo(409);
            assertThat(message(resetBusy)).contains("has 1 active members");
        }
    }

    @Test
    void resetsAndDeletesAnEmptyGroup() throws Exception {
        // Given
        server.createTopic("ledger", 1);
        produce("ledger", 0, 4);
        TopicPartition partition = new TopicPartition("ledger", 0);
        commit("auditors", partition, 1);

        // When / Then
        HttpResponse<String> latest = server.post("/groups/auditors/offsets/reset", "{\"to\": \"latest\"}");
        assertThat(latest.statusCode()).as(latest.body()).isEqualTo(200);
        assertThat(latest.body()).isEqualTo("{\"offsets\":[{\"topic\":\"ledger\",\"partition\":0,\"offset\":4}]}");
        assertThat(json(server.get("/groups/auditors")).at("/offsets/0/lag").asLong())
                .isZero();

        HttpResponse<String> exact = server.post(
                "/groups/auditors/offsets/reset", "{\"to\": \"offset\", \"offset\": 2, \"topics\": [\"ledger\"]}");
        assertThat(exact.statusCode()).as(exact.body()).isEqualTo(200);
        assertThat(json(server.get("/groups/auditors")).at("/offsets/0/lag").asLong())
                .isEqualTo(2);

        HttpResponse<String> earliest = server.post("/groups/auditors/offsets/reset", "{\"to\": \"earliest\"}");
        assertThat(earliest.statusCode()).isEqualTo(200);
        assertThat(json(server.get("/groups/auditors"))
                        .at("/offsets/0/committedOffset")
                        .asLong())
                .isZero();

        HttpResponse<String> badTo = server.post("/groups/auditors/offsets/reset", "{\"to\": \"yesterday\"}");
        assertThat(badTo.statusCode()).isEqualTo(400);
        assertThat(message(badTo)).isEqualTo("'to' must be earliest, latest, offset or timestamp, was 'yesterday'");

        HttpResponse<String> deleted = server.send("DELETE", "/groups/auditors", null);
        assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(204);
        HttpResponse<String> gone = server.get("/groups/auditors");
        assertThat(gone.statusCode()).isEqualTo(404);
        assertThat(code(gone)).isEqualTo("GROUP_NOT_FOUND");
    }

    @Test
    void anUnknownGroupIs404() throws Exception {
        // When
        HttpResponse<String> described = server.get("/groups/nobody");
        HttpResponse<String> deleted = server.send("DELETE", "/groups/nobody", null);
        HttpResponse<String> reset = server.post("/groups/nobody/offsets/reset", "{\"to\": \"earliest\"}");

        // Then
        assertThat(described.statusCode()).isEqualTo(404);
        assertThat(code(described)).isEqualTo("GROUP_NOT_FOUND");
        assertThat(message(described))
                .isEqualTo("group 'nobody' has no members and no committed offsets; GET /groups lists the groups");
        assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(404);
        assertThat(code(deleted)).isEqualTo("GROUP_NOT_FOUND");
        assertThat(reset.statusCode()).isEqualTo(404);
    }
}
