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
}
