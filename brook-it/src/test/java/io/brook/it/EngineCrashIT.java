package io.brook.it;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.brook.engine.api.Brook;
import io.brook.engine.api.Row;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exactly once through crashes: a streaming ETL job (Kafka → JSON → watermark → 10-s window counts → JSON files and a
 * Kafka topic, see EtlJob) runs in a child JVM that is SIGKILLed at random moments and restarted from its checkpoints.
 * At the end the file sink's committed output must equal the same computation done in plain Java over the input:
 * every window once, none missing, none twice. The Kafka sink is at least once: nothing may be missing; duplicates are
 * counted and logged.
 */
class EngineCrashIT {
    private static final Logger LOGGER = LoggerFactory.getLogger(EngineCrashIT.class);
    private static final int KILLS = Integer.getInteger("brook.it.engineKills", 10);
    private static final int EVENTS = 20_000;
    private static final String[] PAGES = {"home", "cart", "search", "help", "about", "blog", "login"};
    private static final Instant START = Instant.parse("2026-12-01T00:00:00Z");

    @Test
    void theFileSinkHoldsEveryWindowExactlyOnceAfterRepeatedSigkill() throws Exception {
        // Given
        long seed = Long.getLong("brook.it.crashSeed", System.nanoTime());
        Random random = new Random(seed);
        Path work = TestPaths.newDirectory("engine-crash-");
        Path output = work.resolve("output");
        Map<String, long[]> expected = new TreeMap<>(); // "start|page" -> views, latency sum
        try (ChildBroker broker =
                ChildBroker.start(work.resolve("data"), Files.createDirectories(work.resolve("logs")))) {
            try (Admin admin = KafkaClients.admin(broker.bootstrapServers())) {
                admin.createTopics(List.of(new NewTopic("views", 2, (short) 1), new NewTopic("etl-out", 1, (short) 1)))
                        .all()
                        .get(30, SECONDS);
            }
            produce(broker.bootstrapServers(), expected);

            // When
            int kills = 0;
            for (int run = 0; run < KILLS; run++) {
                Process job = start(broker, work, run);
                Thread.sleep(1_500 + random.nextInt(3_000));
                job.destroyForcibly();
                job.waitFor(30, TimeUnit.SECONDS);
                kills++;
            }
            Process last = start(broker, work, KILLS);
            Map<String, Long> written;
            long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
            do {
                Thread.sleep(1_000);
                written = fileOutput(output);
            } while (written.values().stream().mapToLong(Long::longValue).sum() < expected.size()
                    && System.nanoTime() < deadline
                    && last.isAlive());
            List<String> topic = readTopic(broker.bootstrapServers(), "etl-out", expected.size());
            last.destroy();
            last.waitFor(30, TimeUnit.SECONDS);

            // Then
            LOGGER.info("seed {}: {} kills, {} windows expected", seed, kills, expected.size());
            Map<String, Long> duplicates = new TreeMap<>();
            written.forEach((window, times) -> {
                if (times != 1) {
                    duplicates.put(window, times);
                }
            });
            assertThat(duplicates)
                    .as("windows written more than once (seed %d)", seed)
                    .isEmpty();
            Map<String, Long> expectedRows = new TreeMap<>();
            expected.forEach((window, counts) ->
                    expectedRows.put(window + "|" + counts[0] + "|" + ((double) counts[1] / counts[0]), 1L));
            Map<String, Long> missingRows = new TreeMap<>(expectedRows);
            written.keySet().forEach(missingRows::remove);
            Map<String, Long> unexpectedRows = new TreeMap<>(written);
            expectedRows.keySet().forEach(unexpectedRows::remove);
            assertThat(written.size())
                    .as(
                            "windows in the file sink (seed %d); missing %s; unexpected %s",
                            seed, first(missingRows), first(unexpectedRows))
                    .isEqualTo(expectedRows.size());
            assertThat(first(missingRows)).as("missing windows (seed %d)", seed).isEqualTo("[]");
            Map<String, Integer> kafkaCounts = new HashMap<>();
            topic.forEach(value -> kafkaCounts.merge(normalized(value), 1, Integer::sum));
            List<String> missing = new ArrayList<>();
            expected.forEach((window, counts) -> {
                String[] parts = window.split("\\|");
                String value = parts[1] + "|" + parts[0] + "|" + counts[0];
                if (!kafkaCounts.containsKey(value)) {
                    missing.add(value);
                }
            });
            long duplicated = kafkaCounts.values().stream().filter(n -> n > 1).count();
            LOGGER.info(
                    "kafka sink: {} records for {} windows, {} windows duplicated",
                    topic.size(),
                    expected.size(),
                    duplicated);
            assertThat(missing)
                    .as("windows missing from the Kafka sink (seed %d)", seed)
                    .isEmpty();
        }
    }

    /** "page|2026-12-01 00:00:10|143" (a timestamp cast to text, as Spark writes it) with the time as an Instant. */
    private static String normalized(String value) {
        String[] parts = value.split("\\|");
        return parts[0] + "|" + Instant.parse(parts[1].replace(' ', 'T') + "Z") + "|" + parts[2];
    }

    private static String first(Map<String, Long> rows) {
        return rows.size() <= 5
                ? rows.keySet().toString()
                : rows.keySet().stream().limit(5).toList() + " and " + (rows.size() - 5) + " more";
    }

    /** Page views with times 10 ms apart, alternating partitions, then one far-future event that closes every window. */
    private static void produce(String bootstrap, Map<String, long[]> expected) throws Exception {
        try (KafkaProducer<String, String> producer = KafkaClients.producer(bootstrap, Map.of())) {
            for (int i = 0; i < EVENTS; i++) {
                Instant time = START.plusMillis(i * 10L);
                String page = PAGES[(i * 7 + i / 13) % PAGES.length];
                long latency = (i * 31L) % 97;
                String json = "{\"page\":\"" + page + "\",\"time\":\"" + time + "\",\"latency\":" + latency + "}";
                producer.send(new ProducerRecord<>("views", i % 2, null, json));
                Instant windowStart = Instant.ofEpochSecond(time.getEpochSecond() - time.getEpochSecond() % 10);
                long[] counts = expected.computeIfAbsent(windowStart + "|" + page, k -> new long[2]);
                counts[0]++;
                counts[1] += latency;
            }
            Instant flush = START.plus(Duration.ofHours(10));
            producer.send(new ProducerRecord<>(
                    "views", 0, null, "{\"page\":\"flush\",\"time\":\"" + flush + "\",\"latency\":0}"));
            producer.flush();
        }
    }

    private static Process start(ChildBroker broker, Path work, int run) throws IOException {
        List<String> command = ExternalProcess.javaCommand(
                List.of("-Xmx256m"),
                EtlJob.class.getName(),
                List.of(
                        broker.bootstrapServers(),
                        "views",
                        work.resolve("checkpoints").toString(),
                        work.resolve("output").toString(),
                        "etl-out"));
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(work.resolve("job-" + run + ".out").toFile())
                .start();
    }

    /** The committed rows of the file sink, as "start|page|views|avg" with how often each appears. */
    private static Map<String, Long> fileOutput(Path output) {
        Map<String, Long> rows = new TreeMap<>();
        if (!Files.isDirectory(output.resolve("_brook_metadata"))) {
            return rows;
        }
        try (Brook brook = Brook.local()) {
            for (Row row : brook.read().format("json").load(output.toString()).collectAsList()) {
                // Read back without a schema, the window start is text with microseconds.
                Instant start = Instant.parse(String.valueOf((Object) row.getAs("window_start")));
                String key =
                        start + "|" + row.getAs("page") + "|" + row.getAs("views") + "|" + row.getAs("avg_latency");
                rows.merge(key, 1L, Long::sum);
            }
        }
        return rows;
    }

    private static List<String> readTopic(String bootstrap, String topic, int atLeast) {
        Map<String, Object> settings = new HashMap<>();
        settings.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        settings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(settings, new StringDeserializer(), new StringDeserializer())) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    values.add(record.value());
                }
                long end = consumer.endOffsets(List.of(partition)).get(partition);
                if (values.size() >= atLeast && consumer.position(partition) >= end) {
                    break;
                }
            }
        }
        return values;
    }
}
