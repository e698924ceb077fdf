package io.brook.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker is killed with SIGKILL again and again while its cleaner compacts a keyed topic: after each restart the
 * topic still holds the latest value of every live key (no loss), and once cleaning completes, exactly one record per
 * key in offset order (no duplicates).
 */
class CompactionCrashIT {
    private static final Logger LOGGER = LoggerFactory.getLogger(CompactionCrashIT.class);

    @Test
    void killingTheBrokerMidCleanLosesNothingAndDuplicatesNothing() throws Exception {
        Path work = TestPaths.newDirectory("compaction-crash-");
        Path logs = Files.createDirectories(work.resolve("logs"));
        long seed = System.nanoTime();
        Random random = new Random(seed);
        String topic = "compacted-crash";
        List<TopicPartition> partitions = List.of(new TopicPartition(topic, 0), new TopicPartition(topic, 1));
        try (ChildBroker broker =
                ChildBroker.start(work.resolve("data"), logs, Map.of("log.cleaner.backoff.ms", "50"))) {
            CompactionIT.createTopic(broker.bootstrapServers(), topic, 2);
            Map<String, String> expected = CompactionIT.produceUpdatesAndTombstones(broker.bootstrapServers(), topic);
            CompactionIT.rollActiveSegments(broker.bootstrapServers(), topic);
            // When: killed at random moments while the cleaner works through the closed segments
            for (int kill = 0; kill < 5; kill++) {
                Thread.sleep(random.nextInt(400));
                broker.kill();
                broker.restart();
                // Then: nothing live is lost
                Map<String, String> now = latestPerKey(broker.bootstrapServers(), partitions);
                assertThat(now).as("after kill %d (seed %d)", kill, seed).isEqualTo(expected);
            }
            LOGGER.info("compaction crash test seed {}: {} broker incarnations", seed, broker.incarnations());
            // And: cleaning completes to exactly one record per key
            await("compacted after the kills")
                    .atMost(Duration.ofSeconds(60))
                    .untilAsserted(() -> assertThat(CompactionIT.readAll(broker.bootstrapServers(), partitions))
                            .isEqualTo(expected));
        }
    }

    /** The last value per key in offset order (records superseded but not yet cleaned are allowed). */
    private static Map<String, String> latestPerKey(String bootstrap, List<TopicPartition> partitions) {
        Map<String, String> values = new java.util.HashMap<>();
        try (var consumer = KafkaClients.consumer(bootstrap, Map.of())) {
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))
                    && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(100)).forEach(record -> {
                    if (!record.key().startsWith("marker")) {
                        values.put(record.key(), record.value());
                    }
                });
            }
        }
        values.values().removeIf(value -> value == null);
        return values;
    }
}
