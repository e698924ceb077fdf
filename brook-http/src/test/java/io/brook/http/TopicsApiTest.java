package io.brook.http;

import static io.brook.http.ClientApiServer.code;
import static io.brook.http.ClientApiServer.json;
import static io.brook.http.ClientApiServer.message;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The topic endpoints over a real broker, called with the JDK's HTTP client on 127.0.0.1. */
class TopicsApiTest {
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

    @Test
    void createsListsDescribesAltersAndDeletesATopic() throws Exception {
        // When
        HttpResponse<String> created = server.post(
                "/topics", "{\"name\": \"orders\", \"partitions\": 3, \"configs\": {\"retention.ms\": 86400000}}");

        // Then
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(created.body())
                .isEqualTo("{\"name\":\"orders\",\"partitions\":3,\"configs\":{\"retention.ms\":\"86400000\"}}");
        assertThat(created.headers().firstValue("Location")).hasValue("/topics/orders");

        // When
        HttpResponse<String> listed = server.get("/topics");

        // Then
        assertThat(listed.statusCode()).isEqualTo(200);
        assertThat(json(listed).path("topics").findValuesAsText("name")).contains("orders");

        // Given: two records in partition 1
        HttpResponse<String> produced = server.post(
                "/topics/orders/records",
                "{\"records\": [{\"value\": {\"id\": 1}, \"partition\": 1}, {\"value\": {\"id\": 2}, \"partition\": 1}]}");
        assertThat(produced.statusCode()).as(produced.body()).isEqualTo(200);

        // When
        HttpResponse<String> described = server.get("/topics/orders");

        // Then
        assertThat(described.statusCode()).as(described.body()).isEqualTo(200);
        JsonNode topic = json(described);
        assertThat(topic.path("name").asText()).isEqualTo("orders");
        assertThat(topic.path("partitions")).hasSize(3);
        JsonNode partition1 = topic.path("partitions").get(1);
        assertThat(partition1.path("partition").asInt()).isEqualTo(1);
        assertThat(partition1.path("logStartOffset").asLong()).isZero();
        assertThat(partition1.path("logEndOffset").asLong()).isEqualTo(2);
        assertThat(partition1.path("sizeBytes").asLong()).isPositive();
        assertThat(topic.path("partitions").get(0).path("logEndOffset").asLong())
                .isZero();
        assertThat(topic.path("sizeBytes").asLong())
                .isEqualTo(partition1.path("sizeBytes").asLong());
        // and its traffic: two records in, none fetched yet
        assertThat(topic.at("/traffic/recordsIn").asLong()).isEqualTo(2);
        assertThat(topic.at("/traffic/bytesIn").asLong()).isPositive();
        assertThat(topic.at("/traffic/bytesOut").asLong()).isZero();
        assertThat(topic.at("/configs/retention.ms/value").asText()).isEqualTo("86400000");
        assertThat(topic.at("/configs/retention.ms/default").asBoolean()).isFalse();
        assertThat(topic.at("/configs/cleanup.policy/value").asText()).isEqualTo("delete");

        // When
        HttpResponse<String> altered = server.send(
                "PATCH",
                "/topics/orders/configs",
                "{\"set\": {\"retention.ms\": \"3600000\", \"cleanup.policy\": \"compact\"}}");

        // Then
        assertThat(altered.statusCode()).as(altered.body()).isEqualTo(204);
        JsonNode after = json(server.get("/topics/orders"));
        assertThat(after.at("/configs/retention.ms/value").asText()).isEqualTo("3600000");
        assertThat(after.at("/configs/cleanup.policy/value").asText()).isEqualTo("compact");

        // When: one config back to its default
        HttpResponse<String> reverted =
                server.send("PATCH", "/topics/orders/configs", "{\"delete\": [\"cleanup.policy\"]}");

        // Then
        assertThat(reverted.statusCode()).as(reverted.body()).isEqualTo(204);
        assertThat(json(server.get("/topics/orders"))
                        .at("/configs/cleanup.policy/value")
                        .asText())
                .isEqualTo("delete");

        // When
        HttpResponse<String> deleted = server.send("DELETE", "/topics/orders", null);

        // Then
        assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(204);
        assertThat(server.get("/topics/orders").statusCode()).isEqualTo(404);
    }

    @Test
    void unknownTopicIs404WithAMessageThatNamesTheFix() throws Exception {
        // When
        HttpResponse<String> described = server.get("/topics/nope");
        HttpResponse<String> deleted = server.send("DELETE", "/topics/nope", null);
        HttpResponse<String> altered =
                server.send("PATCH", "/topics/nope/configs", "{\"set\": {\"retention.ms\": \"1000\"}}");

        // Then
        assertThat(described.statusCode()).isEqualTo(404);
        assertThat(code(described)).isEqualTo("TOPIC_NOT_FOUND");
        assertThat(message(described)).isEqualTo("topic 'nope' does not exist; GET /topics lists the topics");
        assertThat(deleted.statusCode()).isEqualTo(404);
        assertThat(code(deleted)).isEqualTo("TOPIC_NOT_FOUND");
        assertThat(altered.statusCode()).isEqualTo(404);
        assertThat(code(altered)).isEqualTo("TOPIC_NOT_FOUND");
    }

    @Test
    void creatingATopicThatExistsIs409() throws Exception {
        // Given
        server.createTopic("existing", 1);

        // When
        HttpResponse<String> response = server.post("/topics", "{\"name\": \"existing\"}");

        // Then
        assertThat(response.statusCode()).isEqualTo(409);
        assertThat(code(response)).isEqualTo("TOPIC_EXISTS");
    }

    @Test
    void badCreateRequestsAre400() throws Exception {
        // When / Then
        HttpResponse<String> notJson = server.post("/topics", "{name: ");
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(code(notJson)).isEqualTo("BAD_REQUEST");
        assertThat(message(notJson)).startsWith("the body is not JSON: ");

        HttpResponse<String> noName = server.post("/topics", "{\"partitions\": 2}");
        assertThat(noName.statusCode()).isEqualTo(400);
        assertThat(message(noName))
                .isEqualTo("the body needs a string field 'name'; send {\"name\": \"clicks\", \"partitions\": 3}");

        HttpResponse<String> zeroPartitions = server.post("/topics", "{\"name\": \"t0\", \"partitions\": 0}");
        assertThat(zeroPartitions.statusCode()).isEqualTo(400);
        assertThat(message(zeroPartitions)).isEqualTo("'partitions' must be 1-10000, was 0");

        HttpResponse<String> badConfigName =
                server.post("/topics", "{\"name\": \"t1\", \"configs\": {\"retention.msx\": \"1000\"}}");
        assertThat(badConfigName.statusCode()).as(badConfigName.body()).isEqualTo(400);
        assertThat(code(badConfigName)).isEqualTo("INVALID_CONFIG");
        assertThat(message(badConfigName)).contains("retention.msx");

        HttpResponse<String> badConfigValue =
                server.post("/topics", "{\"name\": \"t2\", \"configs\": {\"retention.ms\": \"soon\"}}");
        assertThat(badConfigValue.statusCode()).as(badConfigValue.body()).isEqualTo(400);
        assertThat(code(badConfigValue)).isEqualTo("INVALID_CONFIG");
        assertThat(message(badConfigValue)).contains("retention.ms");
    }

    @Test
    void badConfigChangesAre400() throws Exception {
        // Given
        server.createTopic("configured", 1);

        // When / Then
        HttpResponse<String> badName =
                server.send("PATCH", "/topics/configured/configs", "{\"set\": {\"retention.msx\": \"1000\"}}");
        assertThat(badName.statusCode()).as(badName.body()).isEqualTo(400);
        assertThat(code(badName)).isEqualTo("INVALID_CONFIG");
        assertThat(message(badName)).contains("retention.msx");

        HttpResponse<String> badValue =
                server.send("PATCH", "/topics/configured/configs", "{\"set\": {\"retention.ms\": \"soon\"}}");
        assertThat(badValue.statusCode()).as(badValue.body()).isEqualTo(400);
        assertThat(code(badValue)).isEqualTo("INVALID_CONFIG");

        HttpResponse<String> unknownField =
                server.send("PATCH", "/topics/configured/configs", "{\"retention.ms\": \"1000\"}");
        assertThat(unknownField.statusCode()).isEqualTo(400);
        assertThat(message(unknownField))
                .isEqualTo("unknown field 'retention.ms'; send {\"set\": {\"retention.ms\": \"3600000\"},"
                        + " \"delete\": [\"cleanup.policy\"]}");
    }

    @Test
    void unknownPathIs404AndAWrongMethodIs405AsJson() throws Exception {
        // When
        HttpResponse<String> unknown = server.get("/nowhere");
        HttpResponse<String> wrongMethod = server.send("PUT", "/topics", "{}");

        // Then
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(code(unknown)).isEqualTo("NOT_FOUND");
        assertThat(message(unknown)).contains("GET /topics");
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(code(wrongMethod)).isEqualTo("METHOD_NOT_ALLOWED");
    }
}
