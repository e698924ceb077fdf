package io.brook.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The dashboard as a person sees it: {@code brook demo} runs in a child JVM (broker, example 1's queries, a push
 * subscription to the demo's webhook, clicks at 40 per second) and headless Chromium, driven by Playwright
 * ({@code src/test/browser/dashboard-check.js}), opens the address the demo printed. The page must load without a
 * console error or a failed request, show the demo's topics, groups, push subscription and queries, draw each query's
 * charts and add to them as batches run, and tail a topic live. The screenshot stays in {@code
 * target/it-work/dashboard.png}.
 */
class DashboardIT {
    private static final Pattern DASHBOARD = Pattern.compile("Dashboard: +(http://127\\.0\\.0\\.1:\\d+/)");
    private static final String PRODUCING = "Producing clicks at ";
    private static final Duration CHECK_TIMEOUT = Duration.ofMinutes(3);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void showsTheDemosTopicsGroupsPushSubscriptionAndQueriesLiveWithoutConsoleErrors() throws Exception {
        // Given: the demo, producing until stopped
        ExternalTools.requireChromium();
        Path browserCheck = ExternalTools.browserCheck();
        Path work = TestPaths.newDirectory("dashboard-");
        Path log = work.resolve("demo.log");
        Path screenshot = TestPaths.workDir().resolve("dashboard.png");
        Files.deleteIfExists(screenshot);
        Process demo = new ProcessBuilder(ExternalProcess.javaCommand(
                        List.of("-Xmx768m"),
                        "io.brook.cli.BrookCommand",
                        List.of(
                                "demo",
                                "--data-dir",
                                work.resolve("data").toString(),
                                "--examples",
                                Path.of("..", "examples")
                                        .toAbsolutePath()
                                        .normalize()
                                        .toString(),
                                "--events",
                                "0",
                                "--rate",
                                "40",
                                "--trigger",
                                "1 second",
                                "--http-port",
                                "0")))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        try {
            String url = awaitDashboard(demo, log);

            // When: Chromium opens it, reads every panel, waits six seconds and reads them again
            ExternalProcess.Result check = ExternalProcess.run(
                    List.of(
                            "node",
                            browserCheck.resolve("dashboard-check.js").toString(),
                            url,
                            screenshot.toString(),
                            ExternalTools.CHROMIUM.toString(),
                            "6"),
                    "",
                    CHECK_TIMEOUT);

            // Then
            assertThat(check.exitCode()).as(check.describe()).isZero();
            JsonNode report = JSON.readTree(check.stdout());
            String shown = report.toPrettyString();
            assertThat(report.path("ready").asBoolean())
                    .as("every panel filled within a minute:\n" + shown)
                    .isTrue();
            assertThat(texts(report.path("problems")))
                    .as("console errors, page errors, failed requests")
                    .isEmpty();
            JsonNode first = report.path("first");
            JsonNode second = report.path("second");
            assertThat(second.path("status").asText()).as(shown).startsWith("updated ");

            Map<String, List<String>> topics = rows(second.path("topics"));
            assertThat(topics).as(shown).containsKeys("clicks", "page-stats");
            // Columns: topic, partitions, records, size, in (records/s), out (fetched)
            assertThat(topics.get("clicks").get(1)).isEqualTo("3");
            assertThat(Long.parseLong(topics.get("clicks").get(2))).isPositive();
            assertThat(Double.parseDouble(topics.get("clicks").get(4)))
                    .as("clicks arrive at 40/s: " + shown)
                    .isPositive();
            assertThat(topics.get("clicks").get(5)).as(shown).endsWith("/s");

            Map<String, List<String>> groups = rows(second.path("groups"));
            assertThat(groups).as(shown).containsKey("push.page-stats-webhook");

            Map<String, List<String>> push = rows(second.path("push"));
            assertThat(push).as(shown).containsKey("page-stats-webhook");
            // Columns: subscription, topic → URL, state, lag, delivered, retries, dead-lettered, last error
            List<String> subscription = push.get("page-stats-webhook");
            assertThat(subscription.get(1))
                    .startsWith("page-stats → http://127.0.0.1:")
                    .endsWith("/demo/webhook");
            assertThat(subscription.get(2)).isEqualTo("ACTIVE");
            assertThat(subscription.get(7)).isEqualTo("none");

            Map<String, JsonNode> firstQueries = queries(first);
            Map<String, JsonNode> secondQueries = queries(second);
            assertThat(secondQueries).as(shown).containsOnlyKeys("page_stats_topic", "page_stats_files");
            for (JsonNode query : secondQueries.values()) {
                String name = query.path("name").asText();
                assertThat(query.path("charts").asInt())
                        .as(name + ": rates, batch duration, watermark and state charts")
                        .isEqualTo(4);
                assertThat(query.path("canvases").asInt()).as(name).isGreaterThanOrEqualTo(4);
                assertThat(query.path("points").asInt()).as(name).isGreaterThan(1);
                assertThat(query.path("lastBatch").asLong())
                        .as(name + "'s charts gained the batches run between the two readings: " + shown)
                        .isGreaterThan(firstQueries.get(name).path("lastBatch").asLong());
                assertThat(query.path("facts").asText()).as(name).contains("watermark 20");
            }

            assertThat(second.path("tailTopic").asText()).isEqualTo("clicks");
            assertThat(second.path("tailLines").asInt())
                    .as("the live tail of clicks grows: " + shown)
                    .isGreaterThan(first.path("tailLines").asInt());

            byte[] image = Files.readAllBytes(screenshot);
            assertThat(image).as("a PNG screenshot").startsWith(0x89, 'P', 'N', 'G');
            assertThat(image.length).isGreaterThan(10_000);
        } finally {
            stop(demo, log);
        }
        assertThat(Files.readString(log, StandardCharsets.UTF_8)).contains("Stopping Brook... stopped cleanly.");
        TestPaths.deleteRecursively(work);
    }

    /** The dashboard's address, once the demo produces clicks (its queries run by then). */
    private static String awaitDashboard(Process demo, Path log) {
        String[] url = new String[1];
        await("brook demo producing clicks (log " + log + ")")
                .atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    String output = Files.readString(log, StandardCharsets.UTF_8);
                    if (!demo.isAlive()) {
                        throw new IllegalStateException("brook demo exited with " + demo.exitValue() + ":\n" + output);
                    }
                    Matcher dashboard = DASHBOARD.matcher(output);
                    if (dashboard.find() && output.contains(PRODUCING)) {
                        url[0] = dashboard.group(1);
                        return true;
                    }
                    return false;
                });
        return url[0];
    }

    /** SIGTERM, as Ctrl-C: the demo stops its queries, HTTP API and broker (SIGKILL after a minute). */
    private static void stop(Process demo, Path log) throws InterruptedException {
        demo.destroy();
        if (!demo.waitFor(60, TimeUnit.SECONDS)) {
            demo.destroyForcibly();
            demo.waitFor(30, TimeUnit.SECONDS);
            throw new AssertionError("brook demo did not stop within 60 s of SIGTERM; log " + log);
        }
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(node -> texts.add(node.asText()));
        return texts;
    }

    private static Map<String, List<String>> rows(JsonNode array) {
        Map<String, List<String>> rows = new TreeMap<>();
        array.forEach(row -> rows.put(row.path("key").asText(), texts(row.path("cells"))));
        return rows;
    }

    private static Map<String, JsonNode> queries(JsonNode panels) {
        Map<String, JsonNode> queries = new TreeMap<>();
        panels.path("queries").forEach(query -> queries.put(query.path("name").asText(), query));
        return queries;
    }
}
