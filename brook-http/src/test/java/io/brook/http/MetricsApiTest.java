package io.brook.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GET /metrics: Prometheus text with the broker's, the logs', the groups' and the JVM's meters. */
class MetricsApiTest {
    /** A sample line of the Prometheus text format: name, optional labels, value. */
    private static final Pattern SAMPLE =
            Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(?:[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\]|\\\\.)*\",?)*\\})?"
                    + " (-?[0-9.eE+-]+|NaN|\\+Inf|-Inf)$");

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

    /** Every sample of a scrape, as "name{labels}" → value; fails on a line that is not Prometheus text. */
    private static Map<String, Double> scrape() throws Exception {
        HttpResponse<String> response = server.get("/metrics");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("text/plain; version=0.0.4"));
        Map<String, Double> samples = new HashMap<>();
        for (String line : response.body().split("\n")) {
            if (line.isEmpty() || line.startsWith("# HELP ") || line.startsWith("# TYPE ")) {
                continue;
            }
            Matcher matcher = SAMPLE.matcher(line);
            assertThat(matcher.matches())
                    .as("a Prometheus sample line: %s", line)
                    .isTrue();
            samples.put(
                    matcher.group(1) + (matcher.group(2) == null ? "" : matcher.group(2)),
                    Double.parseDouble(matcher.group(3)));
        }
        return samples;
    }

    @Test
    void countsTheRequestsMadeAndShowsLogsGroupsAndTheJvm() throws Exception {
        // Given
        Map<String, Double> before = scrape();
        server.createTopic("metered", 2);

        // When: three produce requests over HTTP, one record each, and a group with a committed offset
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> produced =
                    server.post("/topics/metered/records", "{\"records\": [{\"value\": " + i + ", \"partition\": 1}]}");
            assertThat(produced.statusCode()).isEqualTo(200);
        }
        server.admin()
                .alterConsumerGroupOffsets(
                        "watchers",
                        Map.of(
                                new org.apache.kafka.common.TopicPartition("metered", 1),
                                new org.apache.kafka.clients.consumer.OffsetAndMetadata(1)))
                .all()
                .get(30, java.util.concurrent.TimeUnit.SECONDS);
        Map<String, Double> after = scrape();

        // Then: the broker counted the three Produce requests (acks=all: one request per HTTP call)
        String produce = "brook_broker_requests_total{api=\"Produce\"}";
        assertThat(after.get(produce) - before.getOrDefault(produce, 0.0)).isEqualTo(3.0);
        assertThat(after.get("brook_broker_requests_total{api=\"CreateTopics\"}"))
                .isGreaterThanOrEqualTo(1.0);
        assertThat(after.get("brook_broker_bytes_in_total{api=\"Produce\"}")).isPositive();
        assertThat(after.get("brook_broker_bytes_out_total{api=\"Produce\"}")).isPositive();
        // Then: the logs
        assertThat(after.get("brook_log_end_offset{partition=\"1\",topic=\"metered\"}"))
                .isEqualTo(3.0);
        assertThat(after.get("brook_log_end_offset{partition=\"0\",topic=\"metered\"}"))
                .isEqualTo(0.0);
        assertThat(after.get("brook_log_start_offset{partition=\"1\",topic=\"metered\"}"))
                .isEqualTo(0.0);
        assertThat(after.get("brook_log_size_bytes{partition=\"1\",topic=\"metered\"}"))
                .isPositive();
        // Then: the group's lag
        assertThat(after.get("brook_group_committed_offset{group=\"watchers\",partition=\"1\",topic=\"metered\"}"))
                .isEqualTo(1.0);
        assertThat(after.get("brook_group_lag{group=\"watchers\",partition=\"1\",topic=\"metered\"}"))
                .isEqualTo(2.0);
        // Then: the HTTP requests, by route pattern and status
        String produced = "brook_http_requests_seconds_count{method=\"POST\",route=\"/topics/{topic}/records\","
                + "status=\"200\"}";
        assertThat(after.get(produced) - before.getOrDefault(produced, 0.0)).isEqualTo(3.0);
        assertThat(server.get("/no/such/thing").statusCode()).isEqualTo(404);
        assertThat(scrape().get("brook_http_requests_seconds_count{method=\"GET\",route=\"unmatched\","
                        + "status=\"404\"}"))
                .isGreaterThanOrEqualTo(1.0);
        // Then: the JVM
        assertThat(after.keySet()).anyMatch(name -> name.startsWith("jvm_memory_used_bytes{"));
        assertThat(after.keySet()).anyMatch(name -> name.startsWith("jvm_threads_live_threads"));
        assertThat(after.keySet()).anyMatch(name -> name.startsWith("jvm_gc_"));
    }

    @Test
    void metersRegisteredByOtherPartsShowUpAtTheNextScrape() throws Exception {
        // Given
        Counter deliveries = Counter.builder("brook.push.deliveries")
                .tag("subscription", "hooks")
                .register(server.api().metrics().registry());
        int[] refreshed = {0};
        server.api().metrics().onScrape(() -> refreshed[0]++);

        // When
        deliveries.increment(4);
        Map<String, Double> samples = scrape();

        // Then
        assertThat(samples.get("brook_push_deliveries_total{subscription=\"hooks\"}"))
                .isEqualTo(4.0);
        assertThat(refreshed[0]).isEqualTo(1);
    }
}
