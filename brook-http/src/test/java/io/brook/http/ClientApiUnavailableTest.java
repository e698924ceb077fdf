package io.brook.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the client API answers when the broker is not there: 503, while SQL and /metrics keep serving. */
class ClientApiUnavailableTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @TempDir
    Path directory;

    private static HttpResponse<String> get(BrookHttpServer server, String path) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                        .timeout(Duration.ofSeconds(60))
                        .build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    @Test
    void answers503WhileTheBrokerIsStartingAndWhenItDoesNotAnswer() throws Exception {
        // Given: no broker address yet
        AtomicReference<String> bootstrap = new AtomicReference<>();
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        SqlService sql = SqlService.forBroker(bootstrap::get, directory.resolve("checkpoints"));
        try (ClientApi api = ClientApi.create(
                        bootstrap::get,
                        registry,
                        new ClientApi.Settings(Duration.ofSeconds(1), Duration.ofMinutes(1)));
                BrookHttpServer server = BrookHttpServer.start("127.0.0.1", 0, sql, api.routes())) {
            // When
            HttpResponse<String> starting = get(server, "/topics");

            // Then
            assertThat(starting.statusCode()).isEqualTo(503);
            JsonNode error = MAPPER.readTree(starting.body()).path("error");
            assertThat(error.path("code").asText()).isEqualTo("BROKER_UNAVAILABLE");
            assertThat(error.path("message").asText()).isEqualTo("the broker is still starting; retry in a moment");

            // Given: an address where nothing listens
            int closedPort;
            try (ServerSocket socket = new ServerSocket(0)) {
                closedPort = socket.getLocalPort();
            }
            bootstrap.set("127.0.0.1:" + closedPort);

            // When
            HttpResponse<String> down = get(server, "/groups");
            HttpResponse<String> metrics = get(server, "/metrics");

            // Then
            assertThat(down.statusCode()).as(down.body()).isEqualTo(503);
            assertThat(MAPPER.readTree(down.body()).at("/error/code").asText()).isEqualTo("BROKER_UNAVAILABLE");
            assertThat(MAPPER.readTree(down.body()).at("/error/message").asText())
                    .startsWith("the broker did not answer in time")
                    .endsWith("; check that it runs, then retry");
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body()).contains("jvm_memory_used_bytes");
        } finally {
            sql.close();
        }
    }

    @Test
    void sqlOnlyServerStillAnswersUnknownPathsWithTheSqlHint() throws Exception {
        // Given
        SqlService sql = SqlService.forBroker(() -> null, directory.resolve("checkpoints"));
        try (BrookHttpServer server = BrookHttpServer.start("127.0.0.1", 0, sql, List.of())) {
            // When
            HttpResponse<String> response = get(server, "/topics");

            // Then
            assertThat(response.statusCode()).isEqualTo(404);
            assertThat(MAPPER.readTree(response.body()).at("/error/message").asText())
                    .isEqualTo("no endpoint /topics; try POST /sql");
        } finally {
            sql.close();
        }
    }
}
