package io.brook.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.brook.engine.api.Brook;
import io.brook.engine.api.Row;
import io.brook.sql.SqlResult;
import io.brook.sql.SqlSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The streaming-ETL examples in {@code examples/} run end to end, as {@code ./brook run examples/NAME.sql} runs them,
 * against an embedded broker filled with generated events; each test checks the example's outputs against an answer
 * computed here from the same events.
 */
class SqlExamplesIT {
    @RegisterExtension
    static final BrookBrokerExtension BROKER = new BrookBrokerExtension();

    private static final Path EXAMPLES = Path.of("..", "examples");
    private static final Instant START = Instant.parse("2026-12-01T10:00:00Z");

    @TempDir
    Path out;

    /** Runs a script to the end of its input (trigger available-now): every INSERT's query has terminated. */
    private static void runToEnd(SqlSession session, String script) throws Exception {
        session.execute("SET 'trigger' = 'available-now';");
        List<SqlResult> results = session.execute(Files.readString(EXAMPLES.resolve(script)));
        int started = 0;
        for (SqlResult result : results) {
            if (result.query() != null) {
                started++;
                assertThat(result.query().awaitTermination(120_000)).isTrue();
                assertThat(result.query().exception()).isNull();
            }
        }
        assertThat(started).isPositive();
    }

    private static void createTopic(String name, int partitions) throws Exception {
        try (Admin admin = KafkaClients.admin(BROKER.cluster().bootstrapServers())) {
            admin.createTopics(List.of(new NewTopic(name, Optional.of(partitions), Optional.empty())))
                    .all()
                    .get();
        }
    }

    private static void produce(String topic, List<String> values) throws Exception {
        try (KafkaProducer<String, String> producer =
                KafkaClients.producer(BROKER.cluster().bootstrapServers(), Map.of())) {
            for (int i = 0; i < values.size(); i++) {
                producer.send(new ProducerRecord<>(topic, "k" + (i % 7), values.get(i)));
            }
            producer.flush();
        }
    }

    private static List<String> readTopic(String topic, int partitions, int expected) {
        List<TopicPartition> all = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            all.add(new TopicPartition(topic, p));
        }
        List<String> values = new ArrayList<>();
        for (ConsumerRecord<String, String> record : KafkaClients.readFromBeginning(
                BROKER.cluster().bootstrapServers(), all, expected, Duration.ofSeconds(30))) {
            values.add(record.value());
        }
        return values;
    }

    @Test
    void clickstreamCountsCleanEnrichedClicksPerPageAndMinute() throws Exception {
        // Given: 3 minutes of clicks, some dirty (no user, negative latency, a page not in the table), then one click
        // 10 minutes later whose watermark closes the three windows.
        String[] pages = {"/", " /Pricing", "/docs", "/DOCS/quickstart ", "/blog", "/signup", "/nowhere"};
        String[] canonical = {"/", "/pricing", "/docs", "/docs/quickstart", "/blog", "/signup", null};
        String[] sections = {"home", "sales", "docs", "docs", "blog", "sales", null};
        List<String> clicks = new ArrayList<>();
        Map<String, long[]> expected = new TreeMap<>(); // page|minute -> views, latency sum
        Map<String, Set<String>> users = new HashMap<>();
        Map<String, String> sectionOf = new HashMap<>();
        for (int i = 0; i < 180; i++) {
            int page = (i * 5 + i / 4) % pages.length;
            String user = i % 11 == 0 ? null : "user-" + (i * 3 % 8);
            int latency = i % 13 == 0 ? -1 : 20 + i % 50;
            Instant ts = START.plusSeconds(i).plusMillis(i % 4 * 250);
            clicks.add("{\"user_id\": " + (user == null ? "null" : "\"" + user + "\"") + ", \"page\": \"" + pages[page]
                    + "\", \"latency_ms\": " + latency + ", \"ts\": \"" + ts + "\"}");
            if (user != null && latency >= 0 && canonical[page] != null) {
                String key = canonical[page] + "|" + (i / 60);
                long[] sums = expected.computeIfAbsent(key, k -> new long[2]);
                sums[0]++;
                sums[1] += latency;
                users.computeIfAbsent(key, k -> new HashSet<>()).add(user);
                sectionOf.put(key, sections[page]);
            }
        }
        clicks.add("{\"user_id\": \"user-1\", \"page\": \"/\", \"latency_ms\": 1, \"ts\": \"" + START.plusSeconds(600)
                + "\"}");
        createTopic("clicks", 2);
        createTopic("page-stats", 1);
        produce("clicks", clicks);

        // When
        try (Brook brook = Brook.local();
                SqlSession session = new SqlSession(brook)) {
            session.define("BOOTSTRAP", BROKER.cluster().bootstrapServers());
            session.define("OUT", out.toString());
            session.define("PAGES", EXAMPLES.resolve("data/pages.csv").toString());
            runToEnd(session, "clickstream.sql");

            // Then: the Parquet files hold one row per page and minute, as computed here
            List<String> rows = new ArrayList<>();
            for (Row row :
                    brook.read().parquet(out.resolve("page-stats").toString()).collectAsList()) {
                rows.add(row.get(0) + "|" + ((Instant) row.get(2)).getEpochSecond() / 60 % 60 + "|" + row.get(1) + "|"
                        + row.get(4) + "|" + row.get(5) + "|" + row.get(6));
            }
            List<String> wanted = new ArrayList<>();
            expected.forEach((key, sums) -> {
                String[] parts = key.split("\\|");
                wanted.add(parts[0] + "|" + parts[1] + "|" + sectionOf.get(key) + "|" + sums[0] + "|"
                        + users.get(key).size() + "|" + (double) sums[1] / sums[0]);
            });
            assertThat(rows).containsExactlyInAnyOrderElementsOf(wanted);
            // and the same rows went to the Kafka topic as JSON
            List<String> published = readTopic("page-stats", 1, wanted.size());
            assertThat(published).hasSize(wanted.size());
            assertThat(published).allSatisfy(json -> assertThat(json).contains("\"views\":", "\"window_start\":"));
        }
    }

    private static String sensor(String device, int second, int temperature, int humidity) {
        return "{\"device\": \"" + device + "\", \"temperature\": " + temperature + ", \"humidity\": " + humidity
                + ", \"ts\": \"" + START.plusSeconds(second) + "\"}";
    }

    @Test
    void iotAveragesSlidingWindowsAlertsAndDropsLateReadings() throws Exception {
        // Given: two runs of the script on one checkpoint. Between them come readings from second 10, which the
        // first run's watermark (its latest reading, 118 s, minus 30 s) has closed every window of.
        String[] devices = {"dev-1", "dev-2", "dev-3"};
        List<String> first = new ArrayList<>();
        List<String> second = new ArrayList<>();
        List<int[]> counted = new ArrayList<>(); // device, second, temperature, humidity
        int alerts = 0;
        int critical = 0;
        for (int s = 0; s < 240; s += 2) {
            for (int d = 0; d < devices.length; d++) {
                int temperature = 60 + (s * 7 + d * 13) % 38;
                int humidity = 30 + (s + d * 5) % 40;
                (s < 120 ? first : second).add(sensor(devices[d], s, temperature, humidity));
                counted.add(new int[] {d, s, temperature, humidity});
                alerts += temperature > 80 ? 1 : 0;
                critical += temperature > 90 ? 1 : 0;
            }
        }
        for (int d = 0; d < devices.length; d++) {
            second.add(0, sensor(devices[d], 10, 95, 50)); // late: dropped from the averages, still an alert
            alerts++;
            critical++;
        }
        second.add(sensor("dev-1", 1000, 20, 20)); // moves the watermark past every window above
        createTopic("sensors", 2);
        createTopic("sensor-averages", 1);
        createTopic("sensor-alerts", 1);

        // When
        produce("sensors", first);
        runIot();
        produce("sensors", second);
        runIot();

        // Then: each device's one-minute windows, every 10 s, averaged here over the readings that were not late
        Map<String, long[]> windows = new TreeMap<>(); // device|start -> count, temperature sum, humidity sum
        for (int[] reading : counted) {
            for (int start = reading[1] / 10 * 10 - 50; start <= reading[1]; start += 10) {
                long[] sums = windows.computeIfAbsent(devices[reading[0]] + "|" + start, k -> new long[3]);
                sums[0]++;
                sums[1] += reading[2];
                sums[2] += reading[3];
            }
        }
        List<String> wanted = new ArrayList<>();
        windows.forEach((key, sums) -> wanted.add(key + "|" + sums[0] + "|" + round2((double) sums[1] / sums[0]) + "|"
                + round2((double) sums[2] / sums[0])));
        List<String> averages = new ArrayList<>();
        for (String json : readTopic("sensor-averages", 1, wanted.size())) {
            var node = JSON.readTree(json);
            long start = Instant.parse(node.get("window_start").asText()).getEpochSecond() - START.getEpochSecond();
            averages.add(node.get("device").asText() + "|" + start + "|"
                    + node.get("readings").asLong() + "|"
                    + node.get("avg_temperature").asDouble() + "|"
                    + node.get("avg_humidity").asDouble());
        }
        assertThat(averages).containsExactlyInAnyOrderElementsOf(wanted);
        List<String> alerted = readTopic("sensor-alerts", 1, alerts);
        assertThat(alerted).hasSize(alerts);
        assertThat(alerted.stream().filter(json -> json.contains("\"critical\"")))
                .hasSize(critical);
    }

    private void runIot() throws Exception {
        try (Brook brook = Brook.local();
                SqlSession session = new SqlSession(brook)) {
            session.define("BOOTSTRAP", BROKER.cluster().bootstrapServers());
            session.define("OUT", out.toString());
            runToEnd(session, "iot.sql");
        }
    }

    private static double round2(double value) {
        return java.math.BigDecimal.valueOf(value)
                .setScale(2, java.math.RoundingMode.HALF_UP)
                .doubleValue();
    }

    @Test
    void sessionsCloseAfterThirtyIdleMinutes() throws Exception {
        // Given: four users' actions, minutes apart, with pauses of 30 minutes or more between some; a last action
        // hours later closes every session before it.
        String[] actions = {"view", "view", "cart", "buy", "view"};
        List<String> events = new ArrayList<>();
        Map<String, List<int[]>> byUser = new TreeMap<>(); // user -> minute, action
        for (int i = 0; i < 60; i++) {
            String user = "u" + (i % 4);
            int minute = i * 3 + (i / 20) * 45 + (i % 4) * 7; // a 45-minute pause after every 20 actions
            int action = (i * 3 + i / 4) % actions.length;
            events.add("{\"user_id\": \"" + user + "\", \"action\": \"" + actions[action] + "\", \"ts\": \""
                    + START.plusSeconds(minute * 60L) + "\"}");
            byUser.computeIfAbsent(user, k -> new ArrayList<>()).add(new int[] {minute, action});
        }
        events.add("{\"user_id\": \"u9\", \"action\": \"view\", \"ts\": \"" + START.plusSeconds(86_400) + "\"}");
        createTopic("activity", 2);
        produce("activity", events);

        // When
        try (Brook brook = Brook.local();
                SqlSession session = new SqlSession(brook)) {
            session.define("BOOTSTRAP", BROKER.cluster().bootstrapServers());
            session.define("OUT", out.toString());
            runToEnd(session, "sessions.sql");

            // Then: the sessions as computed here: a session ends 30 minutes after its last action
            List<String> wanted = new ArrayList<>();
            byUser.forEach((user, list) -> {
                list.sort(java.util.Comparator.comparingInt(a -> a[0]));
                int begin = 0;
                for (int i = 1; i <= list.size(); i++) {
                    if (i == list.size() || list.get(i)[0] - list.get(i - 1)[0] >= 30) {
                        List<int[]> session1 = list.subList(begin, i);
                        long kinds = session1.stream()
                                .map(a -> actions[a[1]])
                                .distinct()
                                .count();
                        long buys = session1.stream()
                                .filter(a -> actions[a[1]].equals("buy"))
                                .count();
                        wanted.add(user + "|" + session1.get(0)[0] + "|" + (list.get(i - 1)[0] + 30) + "|"
                                + session1.size() + "|" + kinds + "|" + buys);
                        begin = i;
                    }
                }
            });
            List<String> sessions = new ArrayList<>();
            var written = brook.read().json(out.resolve("sessions").toString());
            assertThat(written.collectAsList())
                    .as(written.showString(5))
                    .allSatisfy(row -> assertThat(row.get(1)).isNotNull());
            for (Row row : written.collectAsList()) {
                Map<String, Object> values = new HashMap<>();
                for (int c = 0; c < row.size(); c++) {
                    values.put(row.schema().field(c).name(), row.get(c));
                }
                sessions.add(values.get("user_id") + "|" + minutes(values.get("session_start")) + "|"
                        + minutes(values.get("session_end")) + "|" + values.get("actions") + "|"
                        + values.get("kinds_of_action") + "|" + values.get("purchases"));
            }
            assertThat(sessions).containsExactlyInAnyOrderElementsOf(wanted);
        }
    }

    private static long minutes(Object timestamp) {
        Instant instant = timestamp instanceof Instant i ? i : Instant.parse(timestamp.toString());
        return (instant.getEpochSecond() - START.getEpochSecond()) / 60;
    }

    @Test
    void logsAreParsedIntoJsonAndUnparsedLinesKept() throws Exception {
        Path logs = out.resolve("logs-in");
        Files.createDirectories(logs);
        Files.copy(EXAMPLES.resolve("data/logs/access-1.log"), logs.resolve("access-1.log"));
        try (Brook brook = Brook.local();
                SqlSession session = new SqlSession(brook)) {
            session.define("LOGS", logs.toString());
            session.define("OUT", out.toString());
            runToEnd(session, "logs.sql");

            List<String> requests = new ArrayList<>();
            for (Row row : brook.read()
                    .json(out.resolve("requests").toString())
                    .select(
                            "client",
                            "user_name",
                            "ts",
                            "http_method",
                            "request_path",
                            "status",
                            "bytes",
                            "server_error")
                    .collectAsList()) {
                requests.add(row.toString());
            }
            assertThat(requests)
                    .containsExactlyInAnyOrder(
                            "[127.0.0.1,null,2026-12-01T10:00:01.000000Z,GET,/index.html,200,5120,false]",
                            "[10.0.0.7,alice,2026-12-01T10:00:02.000000Z,POST,/api/orders,201,312,false]",
                            "[10.0.0.9,null,2026-12-01T10:00:04.000000Z,GET,/missing,404,153,false]",
                            "[10.0.0.7,alice,2026-12-01T10:00:09.000000Z,GET,/api/orders/17,500,87,true]");
            List<String> unparsed = new ArrayList<>();
            for (Row row : brook.read().text(out.resolve("unparsed").toString()).collectAsList()) {
                unparsed.add(row.get(0).toString());
            }
            assertThat(unparsed).containsExactly("this line is not an access log line");
        }
    }

    @Test
    void ordersAreUpsertedIntoPostgresExactlyOnceAcrossARestart() throws Exception {
        try (io.zonky.test.db.postgres.embedded.EmbeddedPostgres postgres =
                io.zonky.test.db.postgres.embedded.EmbeddedPostgres.start()) {
            // Given: orders in two rounds; between them the first run's last commit is removed from its checkpoint,
            // as if the process died after the database committed the micro-batch but before the engine did.
            createTopic("orders", 2);
            Map<String, double[]> totals = new TreeMap<>(); // customer -> orders, amount
            List<String> first = new ArrayList<>();
            List<String> second = new ArrayList<>();
            String[] customers = {"acme", "globex", "initech", "umbrella"};
            for (int i = 0; i < 80; i++) {
                String customer = customers[(i * 3 + i / 5) % customers.length];
                double amount = 10 + i % 17 * 2.5;
                (i < 50 ? first : second)
                        .add("{\"order_id\": " + i + ", \"customer\": \"" + customer + "\", \"amount\": " + amount
                                + ", \"ts\": \"" + START.plusSeconds(i * 60L) + "\"}");
                double[] sum = totals.computeIfAbsent(customer, k -> new double[2]);
                sum[0]++;
                sum[1] += amount;
            }
            first.add("{\"order_id\": 999, \"customer\": null, \"amount\": 1.0, \"ts\": \"" + START + "\"}");
            String url = postgres.getJdbcUrl("postgres", "postgres");

            // When
            produce("orders", first);
            runUpsert(url);
            Path commits = out.resolve("checkpoints").resolve("customer_totals").resolve("commits");
            Path last;
            try (var files = Files.list(commits)) {
                last = files.filter(f -> f.getFileName().toString().matches("\\d+"))
                        .max(java.util.Comparator.comparingLong(
                                f -> Long.parseLong(f.getFileName().toString())))
                        .orElseThrow();
            }
            Files.delete(last);
            produce("orders", second);
            runUpsert(url);

            // Then: one row per customer with exactly its totals: the re-run micro-batch was not counted twice
            List<String> rows = new ArrayList<>();
            try (java.sql.Connection connection = java.sql.DriverManager.getConnection(url);
                    var statement = connection.createStatement();
                    var result = statement.executeQuery(
                            "SELECT customer, orders, total FROM customer_totals ORDER BY customer")) {
                while (result.next()) {
                    rows.add(result.getString(1) + "|" + result.getLong(2) + "|" + result.getDouble(3));
                }
            }
            List<String> wanted = new ArrayList<>();
            totals.forEach((customer, sum) -> wanted.add(customer + "|" + (long) sum[0] + "|" + sum[1]));
            assertThat(rows).containsExactlyElementsOf(wanted);

            // and the table reads back in SQL as a bounded lookup table
            try (Brook brook = Brook.local();
                    SqlSession session = new SqlSession(brook)) {
                session.define("URL", url);
                session.execute("CREATE TABLE totals WITH (connector = 'jdbc', url = '${URL}', dbtable ="
                        + " 'customer_totals', user = 'postgres');");
                SqlResult top = session.execute("SELECT customer FROM totals ORDER BY total DESC LIMIT 1;")
                        .get(0);
                String richest = totals.entrySet().stream()
                        .max(java.util.Comparator.comparingDouble(e -> e.getValue()[1]))
                        .orElseThrow()
                        .getKey();
                assertThat(top.rows()).singleElement().hasToString("[" + richest + "]");
            }
        }
    }

    private void runUpsert(String url) throws Exception {
        try (Brook brook = Brook.local();
                SqlSession session = new SqlSession(brook)) {
            session.define("BOOTSTRAP", BROKER.cluster().bootstrapServers());
            session.define("OUT", out.toString());
            session.define("JDBC_URL", url);
            session.define("JDBC_USER", "postgres");
            session.define("JDBC_PASSWORD", "");
            runToEnd(session, "postgres-upsert.sql");
        }
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();
}
