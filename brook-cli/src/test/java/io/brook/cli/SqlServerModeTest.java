package io.brook.cli;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.brook.http.SqlHttpClient;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.DumbTerminal;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * {@code brook sql --server} against a real {@code brook server} (broker, engine and HTTP API in this JVM on 127.0.0.1,
 * free ports), each client a separate command run, as separate processes would be.
 */
class SqlServerModeTest {
    private static final Logger LOGGER = LoggerFactory.getLogger(SqlServerModeTest.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Pattern READY = Pattern.compile("HTTP API on (http://\\S+) .*\\nBrook ready on (\\S+)\\n");
    private static final String CLICKS = "CREATE SOURCE clicks (page STRING, latency_ms INT) WITH (connector = 'kafka',"
            + " topic = 'clicks', bootstrap.servers = '${BOOTSTRAP}', format = 'json', startingOffsets = 'earliest');";

    @TempDir
    static Path directory;

    private static Thread serverThread;
    private static final CountDownLatch SHUTDOWN = new CountDownLatch(1);
    private static final AtomicInteger SERVER_EXIT = new AtomicInteger(-1);
    private static String url;
    private static String bootstrap;

    /** Stands for SIGTERM: released when the tests are done. */
    private static final class TestSignal implements ShutdownSignal {
        @Override
        public void await() throws InterruptedException {
            SHUTDOWN.await();
        }

        @Override
        public void finished(int exitCode) {
            SERVER_EXIT.set(exitCode);
        }
    }

    @BeforeAll
    static void startServer() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        serverThread = new Thread(
                () -> {
                    CommandLine commandLine = new CommandLine(new ServerCommand(new TestSignal()));
                    commandLine.setOut(new PrintWriter(out, true));
                    commandLine.setErr(new PrintWriter(err, true));
                    commandLine.execute(
                            "--data-dir",
                            directory.resolve("data").toString(),
                            "--kafka-port",
                            "0",
                            "--http-port",
                            "0",
                            "--host",
                            "127.0.0.1");
                },
                "brook-server-under-test");
        serverThread.start();
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        Matcher ready = READY.matcher("");
        while (!ready.reset(out.toString()).find()) {
            assertThat(serverThread.isAlive()).as("server stopped: " + err).isTrue();
            assertThat(System.nanoTime())
                    .as("server not ready in " + TIMEOUT + ": " + out + err)
                    .isLessThan(deadline);
            Thread.sleep(50);
        }
        url = ready.group(1);
        bootstrap = ready.group(2);
        LOGGER.info("brook server up: HTTP {} Kafka {}", url, bootstrap);
        createTopic("clicks");
        createTopic("slow_clicks");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                clientProperties(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG),
                new StringSerializer(),
                new StringSerializer())) {
            for (String value : List.of(
                    "{\"page\": \"/home\", \"latency_ms\": 12}",
                    "{\"page\": \"/docs\", \"latency_ms\": 3}",
                    "{\"page\": \"/cart\", \"latency_ms\": 40}")) {
                producer.send(new ProducerRecord<>("clicks", value)).get(TIMEOUT.toSeconds(), SECONDS);
            }
        }
    }

    @AfterAll
    static void stopServer() throws InterruptedException {
        SHUTDOWN.countDown();
        if (serverThread != null) {
            serverThread.join(TIMEOUT.toMillis());
            assertThat(serverThread.isAlive()).isFalse();
            assertThat(SERVER_EXIT.get()).isZero();
        }
    }

    private static Properties clientProperties(String bootstrapKey) {
        Properties properties = new Properties();
        properties.put(bootstrapKey, bootstrap);
        return properties;
    }

    private static void createTopic(String topic) throws Exception {
        try (Admin admin = Admin.create(clientProperties(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(TIMEOUT.toSeconds(), SECONDS);
        }
    }

    /** One {@code brook sql} run, as a separate client process would make it; with {@code --server} when remote. */
    private static CliRun sql(boolean remote, String stdin, String... args) {
        List<String> all = new ArrayList<>();
        if (remote) {
            all.add("--server");
            all.add(url);
        }
        all.addAll(List.of(args));
        SqlCommand command = new SqlCommand(
                SqlSessions::fastClock,
                new SqlSessions.NoSignal(),
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                () -> false);
        return CliRun.command(command, all.toArray(new String[0]));
    }

    private static List<String> readSinkTopic(int count) {
        Properties properties = clientProperties(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG);
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<String> values = new ArrayList<>();
        TopicPartition partition = new TopicPartition("slow_clicks", 0);
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(properties, new StringDeserializer(), new StringDeserializer())) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (values.size() < count && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> values.add(record.value()));
            }
        }
        return values;
    }

    @Test
    void theServerAlsoServesTheClientApiAndMetricsWithTheBrokersRequestCounts() throws Exception {
        // Given
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();

        // When
        java.net.http.HttpResponse<String> topics = http.send(
                java.net.http.HttpRequest.newBuilder(URI.create(url + "/topics/clicks"))
                        .timeout(TIMEOUT)
                        .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        java.net.http.HttpResponse<String> metrics = http.send(
                java.net.http.HttpRequest.newBuilder(URI.create(url + "/metrics"))
                        .timeout(TIMEOUT)
                        .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());

        // Then: the three records of the set-up were produced one request each
        assertThat(topics.statusCode()).as(topics.body()).isEqualTo(200);
        assertThat(topics.body()).contains("\"logEndOffset\":3");
        assertThat(metrics.statusCode()).isEqualTo(200);
        Matcher produced = Pattern.compile("(?m)^brook_broker_requests_total\\{api=\"Produce\"} (\\S+)$")
                .matcher(metrics.body());
        assertThat(produced.find()).as(metrics.body()).isTrue();
        assertThat(Double.parseDouble(produced.group(1))).isGreaterThanOrEqualTo(3.0);
        assertThat(metrics.body()).contains("brook_log_end_offset{partition=\"0\",topic=\"clicks\"} 3.0");
    }

    @Test
    void anInsertStartedByOneClientRunsOnAndIsSeenAndStoppedByOthers() {
        // When
        CliRun created = sql(
                true,
                "",
                "-e",
                CLICKS + "\nCREATE SINK slow_clicks WITH (connector = 'kafka', topic = 'slow_clicks',"
                        + " bootstrap.servers = '${BOOTSTRAP}');\n"
                        + "INSERT INTO slow_clicks SELECT page, latency_ms FROM clicks WHERE latency_ms > 10;");

        // Then: the client returns while the query runs on in the server
        assertThat(created.err).isEmpty();
        assertThat(created.exitCode).isZero();
        assertThat(created.out)
                .startsWith("Created source clicks\nCreated sink slow_clicks\nStarted query slow_clicks (id ")
                .contains(
                        "checkpoint " + directory.resolve("data").resolve("sql").resolve("checkpoints"));
        assertThat(readSinkTopic(2))
                .containsExactly("{\"page\":\"/home\",\"latency_ms\":12}", "{\"page\":\"/cart\",\"latency_ms\":40}");

        // When
        CliRun shown = sql(true, "", "-e", "SHOW QUERIES;");

        // Then
        assertThat(shown.exitCode).isZero();
        assertThat(shown.out).containsPattern("\\|slow_clicks\\|[0-9a-f-]{36}\\| *RUNNING\\|slow_clicks\\|");

        // When
        CliRun stopped = sql(true, "STOP QUERY slow_clicks;\nSHOW QUERIES;\n");

        // Then
        assertThat(stopped.exitCode).isZero();
        assertThat(stopped.out)
                .startsWith("Stopped query slow_clicks\n")
                .containsPattern("\\|slow_clicks\\|[0-9a-f-]{36}\\| *STOPPED\\|slow_clicks\\|");
    }

    @Test
    void aBoundedSelectFromAFilePrintsAsTheEmbeddedShellDoes() throws Exception {
        // Given
        Path pages = directory.resolve("pages.csv");
        Files.writeString(pages, "page,title\n/home,Home\n/docs,Documentation\n", StandardCharsets.UTF_8);
        Path script = directory.resolve("pages.sql");
        Files.writeString(
                script,
                "CREATE OR REPLACE TABLE pages (page STRING, title STRING) WITH (connector = 'files', format = 'csv',"
                        + " path = '" + pages + "', header = 'true');\n"
                        + "SELECT page, title, LENGTH(title) AS letters FROM pages ORDER BY page;\n",
                StandardCharsets.UTF_8);

        // When
        CliRun remote = sql(true, "", "-f", script.toString());
        CliRun embedded = sql(false, "", "-f", script.toString());

        // Then
        assertThat(remote.err).isEmpty();
        assertThat(remote.exitCode).isZero();
        assertThat(remote.out)
                .isEqualTo("Created table pages\n"
                        + "+-----+-------------+-------+\n"
                        + "| page|        title|letters|\n"
                        + "+-----+-------------+-------+\n"
                        + "|/docs|Documentation|     13|\n"
                        + "|/home|         Home|      4|\n"
                        + "+-----+-------------+-------+\n"
                        + "2 rows\n");
        assertThat(remote.out).isEqualTo(embedded.out);
    }

    @Test
    void anErrorPrintsItsLineColumnAndCaretAsTheEmbeddedShellDoes() throws Exception {
        // Given
        Path script = directory.resolve("broken.sql");
        Files.writeString(script, "RESET 'output-mode';\nDESCRIBE  nowhere;\nSHOW SOURCES;\n", StandardCharsets.UTF_8);

        // When
        CliRun remote = sql(true, "", "-f", script.toString());
        CliRun embedded = sql(false, "", "-f", script.toString());

        // Then
        assertThat(remote.exitCode).isEqualTo(1);
        assertThat(remote.err)
                .isEqualTo("Error: " + script + ": line 2:11: no source, sink, table or view named 'nowhere'"
                        + "\nDESCRIBE  nowhere;\n          ^\n");
        assertThat(remote.err).isEqualTo(embedded.err);
        assertThat(remote.out).isEqualTo(embedded.out);
        assertThat(remote.out).isEqualTo("Reset output-mode\n");
    }

    @Test
    void aLiveSelectPrintsItsResultUntilTheQueryEnds() {
        // When
        CliRun run = sql(
                true,
                "",
                "-e",
                CLICKS.replace("CREATE SOURCE clicks", "CREATE OR REPLACE SOURCE live_clicks")
                        + "\nSET 'trigger' = 'available-now';\nSELECT page FROM live_clicks WHERE latency_ms > 10;"
                        + "\nRESET 'trigger';");

        // Then
        assertThat(run.err).isEmpty();
        assertThat(run.exitCode).isZero();
        assertThat(run.out)
                .startsWith("Created source live_clicks\nSet trigger = available-now\nStarted query select")
                .contains("|/home|\n|/cart|\n")
                .endsWith("Query select ended: it read all its input\n");
    }

    @Test
    void theInteractiveShellRunsStatementsOnTheServerAndShowsErrors() throws Exception {
        // Given
        String typed = "CREATE OR REPLACE VIEW shell_view AS SELECT page FROM pages_for_shell;\n"
                + "CREATE OR REPLACE TABLE pages_for_shell (page STRING) WITH (connector = 'files', format = 'csv',"
                + " path = '" + directory.resolve("shell.csv") + "', header = 'true');\n"
                + "SELECT page FROM pages_for_shell;\nquit\n";
        Files.writeString(directory.resolve("shell.csv"), "page\n/shell\n", StandardCharsets.UTF_8);
        ByteArrayOutputStream screen = new ByteArrayOutputStream();

        // When
        try (Terminal terminal =
                new DumbTerminal(new ByteArrayInputStream(typed.getBytes(StandardCharsets.UTF_8)), screen)) {
            SqlShell shell = new SqlShell(
                    terminal, new RemoteShellBackend(new SqlHttpClient(URI.create(url), TIMEOUT), Map.of()), null);
            shell.run();
        }

        // Then
        assertThat(screen.toString(StandardCharsets.UTF_8))
                .contains(
                        "Error: line 1:55: no source, table or view named 'pages_for_shell'",
                        "Created table pages_for_shell",
                        "+------+\n|  page|\n+------+\n|/shell|\n+------+\n1 row\n");
    }

    @Test
    void theInteractiveShellShowsALiveSelectOnTheServerUntilItEnds() throws Exception {
        // Given: the SELECT and the RESET in one input, which the server runs before the live result shows
        String typed = CLICKS.replace("CREATE SOURCE clicks", "CREATE OR REPLACE SOURCE shell_clicks")
                + "\nSET 'trigger' = 'available-now';\n"
                + "SELECT page FROM shell_clicks WHERE latency_ms > 10; RESET 'trigger';\n";
        ByteArrayOutputStream screen = new ByteArrayOutputStream();

        // When
        try (Terminal terminal =
                new DumbTerminal(new ByteArrayInputStream(typed.getBytes(StandardCharsets.UTF_8)), screen)) {
            new SqlShell(terminal, new RemoteShellBackend(new SqlHttpClient(URI.create(url), TIMEOUT), Map.of()), null)
                    .run();
        }

        // Then
        assertThat(screen.toString(StandardCharsets.UTF_8))
                .contains(
                        "Started query select",
                        "Showing its result live; Ctrl-C or q stops it.",
                        "|/home|\n|/cart|\n",
                        "batch 0: 2 rows so far\n",
                        "Query select ended: it read all its input\nReset trigger\n");
    }

    @Test
    void aServerThatIsNotThereIsAnError() {
        // When
        CliRun run = CliRun.command(
                new SqlCommand(
                        SqlSessions::fastClock,
                        new SqlSessions.NoSignal(),
                        new ByteArrayInputStream(new byte[0]),
                        () -> false),
                "--server",
                "http://127.0.0.1:1",
                "-e",
                "SHOW SOURCES;");

        // Then
        assertThat(run.exitCode).isEqualTo(1);
        assertThat(run.err)
                .isEqualTo("Error: cannot reach the Brook server at http://127.0.0.1:1 (is `brook server` running"
                        + " there?)\n");
    }

    @Test
    void aServerThatIsNotAUrlIsAUsageError() {
        // When
        CliRun run = sql(false, "", "--server", "127.0.0.1:8080", "-e", "SHOW SOURCES;");

        // Then
        assertThat(run.exitCode).isEqualTo(2);
        assertThat(run.err).startsWith("Error: --server takes the URL of a brook server's HTTP API");
    }
}
