package io.brook.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The SQL endpoints over a real broker, engine and session, called with the JDK's HTTP client on 127.0.0.1. */
class BrookHttpServerTest {
    private static final Logger LOGGER = LoggerFactory.getLogger(BrookHttpServerTest.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    static Path directory;

    private static SqlApiServer server;
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @BeforeAll
    static void start() throws Exception {
        server = SqlApiServer.start(directory);
        server.createTopic("clicks");
        server.send(
                "clicks",
                "{\"page\": \"/home\", \"latency_ms\": 12}",
                "{\"page\": \"/docs\", \"latency_ms\": 30}",
                "{\"page\": \"/home\", \"latency_ms\": 7}");
        LOGGER.info("SQL API on {}, broker on {}", server.uri(), server.bootstrap());
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private static HttpResponse<String> post(String path, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(server.uri().resolve(path))
                .timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static HttpResponse<String> get(String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(server.uri().resolve(path))
                .timeout(TIMEOUT)
                .GET()
                .build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static HttpResponse<String> sql(String script) throws Exception {
        return post("/sql", MAPPER.writeValueAsString(Map.of("sql", script)));
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return MAPPER.readTree(response.body());
    }

    private static String clicksSource(String name) {
        return "CREATE OR REPLACE SOURCE " + name + " (page STRING, latency_ms INT) WITH (connector = 'kafka',"
                + " topic = 'clicks', bootstrap.servers = '${BOOTSTRAP}', format = 'json',"
                + " startingOffsets = 'earliest');";
    }

    @Test
    void runsAScriptAndAnswersEachStatementsKindMessageColumnsTypesAndRows() throws Exception {
        // When
        HttpResponse<String> response = sql("CREATE OR REPLACE TABLE pages (page STRING, hits BIGINT) WITH"
                + " (connector = 'files', format = 'csv', path = '${PAGES}', header = 'true');\n"
                + "SELECT page, hits * 2 AS doubled FROM pages ORDER BY page;");

        // Then: ${PAGES} is not defined yet
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).at("/error/code").asText()).isEqualTo("INVALID_OPTION");

        // Given
        Path pages = directory.resolve("pages.csv");
        java.nio.file.Files.writeString(pages, "page,hits\n/home,3\n/docs,5\n", StandardCharsets.UTF_8);

        // When
        response = post(
                "/sql",
                MAPPER.writeValueAsString(Map.of(
                        "sql",
                        "CREATE OR REPLACE TABLE pages (page STRING, hits BIGINT) WITH (connector = 'files',"
                                + " format = 'csv', path = '${PAGES}', header = 'true');\n"
                                + "SELECT page, hits * 2 AS doubled FROM pages ORDER BY page;",
                        "variables",
                        Map.of("PAGES", pages.toString()))));

        // Then
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        assertThat(response.body())
                .isEqualTo("{\"statements\":["
                        + "{\"kind\":\"message\",\"message\":\"Created table pages\"},"
                        + "{\"kind\":\"rows\",\"columns\":[{\"name\":\"page\",\"type\":\"VARCHAR\"},"
                        + "{\"name\":\"doubled\",\"type\":\"BIGINT\"}],"
                        + "\"rows\":[[\"/docs\",10],[\"/home\",6]]}]}");
    }

    @Test
    void insertIntoKeepsRunningAndShowQueriesAndStopQuerySeeItFromAnotherRequest() throws Exception {
        // Given
        HttpResponse<String> created = sql(clicksSource("clicks_for_insert")
                + "\nCREATE OR REPLACE SINK slow_pages (page STRING, latency_ms INT) WITH (connector = 'memory');");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);

        // When
        HttpResponse<String> inserted =
                sql("INSERT INTO slow_pages SELECT page, latency_ms FROM clicks_for_insert WHERE latency_ms > 10;");

        // Then
        assertThat(inserted.statusCode()).as(inserted.body()).isEqualTo(200);
        JsonNode insert = json(inserted).at("/statements/0");
        assertThat(insert.path("kind").asText()).isEqualTo("query");
        assertThat(insert.at("/query/name").asText()).isEqualTo("slow_pages");
        assertThat(insert.path("message").asText())
                .startsWith("Started query slow_pages (id ")
                .contains(directory.resolve("checkpoints").resolve("slow_pages").toString());

        // When
        JsonNode shown = json(sql("SHOW QUERIES;"));

        // Then
        assertThat(shown.at("/statements/0/columns/2/name").asText()).isEqualTo("status");
        assertThat(rowsNamed(shown, "slow_pages"))
                .extracting(row -> row.get(2).asText())
                .containsExactly("RUNNING");

        // When
        HttpResponse<String> stopped = sql("STOP QUERY slow_pages;");

        // Then
        assertThat(stopped.statusCode()).isEqualTo(200);
        assertThat(json(stopped).at("/statements/0/message").asText()).isEqualTo("Stopped query slow_pages");
        assertThat(rowsNamed(json(sql("SHOW QUERIES;")), "slow_pages"))
                .extracting(row -> row.get(2).asText())
                .containsExactly("STOPPED");
    }

    @Test
    void queriesListsTheSessionsContinuousQueriesWithTheirProgress() throws Exception {
        // Given
        assertThat(sql(clicksSource("clicks_for_progress")
                                + "\nCREATE OR REPLACE SINK progress_pages (page STRING) WITH (connector = 'memory');"
                                + "\nINSERT INTO progress_pages SELECT page FROM clicks_for_progress;")
                        .statusCode())
                .isEqualTo(200);

        // When: the query has run a micro-batch (bounded wait)
        JsonNode query = null;
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            query = queryNamed(json(get("/queries")), "progress_pages");
            if (query != null && !query.path("lastProgress").isNull()) {
                break;
            }
            Thread.sleep(50);
        }

        // Then
        assertThat(query).isNotNull();
        assertThat(query.path("active").asBoolean()).isTrue();
        assertThat(query.path("sink").asText()).isEqualTo("progress_pages");
        assertThat(query.path("sql").asText()).contains("INSERT INTO progress_pages");
        assertThat(query.at("/lastProgress/batchId").isNumber()).isTrue();
        assertThat(query.at("/lastProgress/durationMs").isObject()).isTrue();
        JsonNode detail = json(get("/queries/progress_pages"));
        assertThat(detail.path("recentProgress").isArray()).isTrue();
        assertThat(detail.path("recentProgress").size()).isPositive();
        HttpResponse<String> unknown = get("/queries/nope");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("no query 'nope'");
        assertThat(sql("STOP QUERY progress_pages;").statusCode()).isEqualTo(200);
        assertThat(queryNamed(json(get("/queries")), "progress_pages")
                        .path("active")
                        .asBoolean())
                .isFalse();
    }

    private static JsonNode queryNamed(JsonNode queries, String name) {
        for (JsonNode query : queries) {
            if (query.path("name").asText().equals(name)) {
                return query;
            }
        }
        return null;
    }

    private static List<JsonNode> rowsNamed(JsonNode response, String name) {
        List<JsonNode> rows = new ArrayList<>();
        for (JsonNode row : response.at("/statements/0/rows")) {
            if (row.get(0).asText().equals(name)) {
                rows.add(row);
            }
        }
        return rows;
    }

    @Test
    void badSqlIs400WithTheCodeLineColumnAndCaretAfterTheResultsBeforeIt() throws Exception {
        // When
        HttpResponse<String> response = sql("SHOW SINKS;\nDESCRIBE  nowhere;");

        // Then
        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode body = json(response);
        assertThat(body.path("statements")).hasSize(1);
        assertThat(body.at("/statements/0/kind").asText()).isEqualTo("rows");
        assertThat(body.at("/error/code").asText()).isEqualTo("INVALID_EXPRESSION");
        assertThat(body.at("/error/type").asText()).isEqualTo("USER");
        assertThat(body.at("/error/line").asInt()).isEqualTo(2);
        assertThat(body.at("/error/column").asInt()).isEqualTo(11);
        assertThat(body.at("/error/message").asText())
                .startsWith("line 2:11: no source, sink, table or view named 'nowhere'")
                .endsWith("\nDESCRIBE  nowhere;\n          ^");
    }

    @Test
    void anUnknownStatementIs400AtItsFirstWord() throws Exception {
        // When
        HttpResponse<String> response = sql("\n  FROBNICATE everything;");

        // Then
        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode error = json(response).path("error");
        assertThat(error.path("line").asInt()).isEqualTo(2);
        assertThat(error.path("column").asInt()).isEqualTo(3);
        assertThat(error.path("message").asText()).startsWith("line 2:3: ").endsWith("\n  FROBNICATE everything;\n  ^");
    }

    @Test
    void aBodyThatIsNotJsonIs400() throws Exception {
        // When
        HttpResponse<String> response = post("/sql", "{\"sql\": \"SHOW SOURCES;\"");

        // Then
        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode error = json(response).path("error");
        assertThat(error.path("code").asText()).isEqualTo("BAD_REQUEST");
        assertThat(error.path("message").asText()).startsWith("the body is not JSON: ");
    }

    @Test
    void aBodyWithoutSqlIs400() throws Exception {
        // When
        HttpResponse<String> response = post("/sql", "{\"query\": \"SHOW SOURCES;\"}");

        // Then
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).at("/error/message").asText())
                .isEqualTo("the body has no string field 'sql'; send {\"sql\": \"SHOW SOURCES;\"}");
    }

    @Test
    void aWrongMethodIs405AndAnUnknownPathIs404() throws Exception {
        // When
        HttpResponse<String> get = HTTP.send(
                HttpRequest.newBuilder(server.uri().resolve("/sql")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> unknown = post("/sequel", "{}");

        // Then
        assertThat(get.statusCode()).isEqualTo(405);
        assertThat(json(get).at("/error/code").asText()).isEqualTo("METHOD_NOT_ALLOWED");
        assertThat(json(get).at("/error/message").asText()).isEqualTo("GET is not allowed on /sql");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(json(unknown).at("/error/code").asText()).isEqualTo("NOT_FOUND");
    }

    @Test
    void aLiveSelectStreamsSnapshotsUntilTheClientLeavesThenStops() throws Exception {
        // Given
        assertThat(sql(clicksSource("clicks_live")).statusCode()).isEqualTo(200);
        SqlHttpClient client = new SqlHttpClient(server.uri(), TIMEOUT);

        // When
        ScriptResponse started = client.execute("SELECT page, latency_ms FROM clicks_live;", Map.of());

        // Then
        assertThat(started.error()).isNull();
        StatementResult live = started.statements().get(0);
        assertThat(live.kind()).isEqualTo(StatementResult.Kind.LIVE);
        String name = live.query().name();

        // When: the client follows it until it has seen all three rows, then leaves
        AtomicReference<io.brook.sql.LiveResult.Snapshot> last = new AtomicReference<>();
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        LiveEnd end = client.follow(
                name,
                last::set,
                () -> System.nanoTime() > deadline
                        || (last.get() != null && last.get().totalRows() >= 3));

        // Then
        assertThat(end).isNull();
        assertThat(last.get().columns()).containsExactly("page", "latency_ms");
        assertThat(last.get().rows()).hasSize(3);
        assertThat(last.get().render())
                .startsWith("+-----+----------+\n"
                        + "| page|latency_ms|\n"
                        + "+-----+----------+\n"
                        + "|/home|        12|\n");
        Awaitility.await()
                .atMost(TIMEOUT)
                .untilAsserted(() -> assertThat(rowsNamed(json(sql("SHOW QUERIES;")), name))
                        .extracting(row -> row.get(2).asText())
                        .containsExactly("STOPPED"));

        // When: a second stream of the same query
        HttpResponse<String> again = HTTP.send(
                HttpRequest.newBuilder(server.uri().resolve("/sql/live/" + name))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        // Then
        assertThat(again.statusCode()).isEqualTo(404);
        assertThat(json(again).at("/error/message").asText()).startsWith("no live query '" + name + "'");
    }

    @Test
    void aLiveSelectThatEndsByItselfSendsItsEnd() throws Exception {
        // Given
        SqlHttpClient client = new SqlHttpClient(server.uri(), TIMEOUT);
        assertThat(sql(clicksSource("clicks_once")).statusCode()).isEqualTo(200);

        // When
        ScriptResponse started = client.execute(
                "SET 'trigger' = 'available-now';\nSELECT page FROM clicks_once WHERE latency_ms < 20;\n"
                        + "RESET 'trigger';",
                Map.of());
        // ... and the client comes only after the query ended and the reaper has looked (once a second)
        String name = started.statements().get(1).query().name();
        Awaitility.await()
                .pollDelay(Duration.ofMillis(1500))
                .atMost(TIMEOUT)
                .untilAsserted(() -> assertThat(rowsNamed(json(sql("SHOW QUERIES;")), name))
                        .extracting(row -> row.get(2).asText())
                        .containsExactly("STOPPED"));
        List<io.brook.sql.LiveResult.Snapshot> snapshots = new ArrayList<>();
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        LiveEnd end = client.follow(
                started.statements().get(1).query().name(), snapshots::add, () -> System.nanoTime() > deadline);

        // Then
        assertThat(end).isEqualTo(new LiveEnd(LiveEnd.Status.ENDED, "Query select ended: it read all its input"));
        assertThat(snapshots.get(snapshots.size() - 1).rows())
                .containsExactly(io.brook.engine.api.Row.of("/home"), io.brook.engine.api.Row.of("/home"));
    }

    @Test
    void aLiveSelectStoppedByAnotherClientEndsItsStreamSayingSo() throws Exception {
        // Given
        SqlHttpClient client = new SqlHttpClient(server.uri(), TIMEOUT);
        assertThat(sql(clicksSource("clicks_stopped")).statusCode()).isEqualTo(200);
        String name = client.execute("SELECT page FROM clicks_stopped;", Map.of())
                .statements()
                .get(0)
                .query()
                .name();
        AtomicReference<LiveEnd> end = new AtomicReference<>();
        AtomicReference<io.brook.sql.LiveResult.Snapshot> last = new AtomicReference<>();
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        Thread follower = new Thread(
                () -> {
                    try {
                        end.set(client.follow(name, last::set, () -> System.nanoTime() > deadline));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "test-follower");
        follower.start();
        Awaitility.await()
                .atMost(TIMEOUT)
                .until(() -> last.get() != null && last.get().totalRows() >= 3);

        // When
        HttpResponse<String> stopped = sql("STOP QUERY " + name + ";");
        follower.join(TIMEOUT.toMillis());

        // Then
        assertThat(stopped.statusCode()).isEqualTo(200);
        assertThat(end.get()).isEqualTo(new LiveEnd(LiveEnd.Status.STOPPED, "Stopped query " + name + " (STOP QUERY)"));
    }

    @Test
    void theClientThrowsTheServersErrorAsTheEmbeddedSessionWould() throws Exception {
        // Given
        SqlHttpClient client = new SqlHttpClient(server.uri(), TIMEOUT);

        // When
        ScriptResponse response = client.execute("SET 'nonsense' = 'x';", Map.of());

        // Then
        assertThat(response.statements()).isEmpty();
        RuntimeException error = response.error().toException();
        assertThat(error).isInstanceOf(io.brook.engine.BrookException.class);
        assertThat(error.getMessage()).startsWith("line 1: unknown setting 'nonsense'");
    }

    @Test
    void aServerThatIsNotThereIsUnreachable() {
        // Given
        SqlHttpClient client = new SqlHttpClient(URI.create("http://127.0.0.1:1"), TIMEOUT);

        // When / Then
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> client.execute("SHOW SOURCES;", Map.of()))
                .isInstanceOf(SqlServerException.class)
                .hasMessage("cannot reach the Brook server at http://127.0.0.1:1 (is `brook server` running there?)");
    }
}
