package io.brook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.brook.http.BrookHttpServer;
import io.brook.http.SqlService;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The demo's webhook on a real HTTP server: what it counts, and what it refuses. */
class DemoWebhookTest {
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    private static HttpResponse<String> post(int port, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + DemoWebhook.PATH))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void countsTheRecordsOfEachDeliveryAndRefusesWhatIsNotOne() throws Exception {
        // Given
        DemoWebhook webhook = new DemoWebhook();
        try (SqlService sql = new SqlService(
                        () -> {
                            throw new IllegalStateException("the webhook needs no SQL");
                        },
                        false,
                        Duration.ofSeconds(30));
                BrookHttpServer server = BrookHttpServer.start("127.0.0.1", 0, sql, List.of(webhook))) {
            // When: two deliveries, as a push subscription sends them
            HttpResponse<String> first = post(
                    server.port(),
                    "{\"subscription\": \"s\", \"topic\": \"page-stats\", \"partition\": 0, \"records\": ["
                            + "{\"offset\": 0, \"value\": \"{\\\"page\\\": \\\"/\\\"}\"},"
                            + "{\"offset\": 1, \"value\": \"{\\\"page\\\": \\\"/docs\\\"}\"}]}");
            HttpResponse<String> second = post(
                    server.port(),
                    "{\"subscription\": \"s\", \"topic\": \"page-stats\", \"partition\": 0, \"records\": ["
                            + "{\"offset\": 2, \"value\": \"{\\\"page\\\": \\\"/blog\\\"}\"}]}");

            // Then
            assertThat(first.statusCode()).isEqualTo(204);
            assertThat(second.statusCode()).isEqualTo(204);
            assertThat(webhook.records()).isEqualTo(3);
            assertThat(webhook.batches()).isEqualTo(2);
            assertThat(webhook.lastValue()).isEqualTo("{\"page\": \"/blog\"}");

            // When: bodies that are not deliveries
            HttpResponse<String> notJson = post(server.port(), "page-stats, please");
            HttpResponse<String> noRecords = post(server.port(), "{\"records\": 3}");

            // Then: 400, counted as nothing (a push subscription would dead-letter such a batch, not retry it)
            assertThat(notJson.statusCode()).isEqualTo(400);
            assertThat(notJson.body()).isEqualTo("not a push delivery: a JSON object with a \"records\" array");
            assertThat(noRecords.statusCode()).isEqualTo(400);
            assertThat(webhook.records()).isEqualTo(3);
            assertThat(webhook.batches()).isEqualTo(2);
        }
    }
}
