package io.brook.it;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Log compaction through the broker: a keyed topic with updates and tombstones is compacted while a producer writes
 * it and a consumer reads it, and ends with exactly the latest value per live key, in offset order.
 */
class CompactionIT {
    @RegisterExtension
    static final BrookBrokerExtension BROKER = BrookBrokerExtension.withConfig(Map.of("log.cleaner.backoff.ms", "100"));

    static final Map<String, String> COMPACTED = Map.of(
            "cleanup.policy", "compact",
            "segment.bytes", "4096",
            "min.cleanable.dirty.ratio", "0.01",
            "delete.retention.ms", "0");

    static final int KEYS = 200;
    static final int ROUNDS = 20;

    @Test
    void theCleanerRacingAProducerAndAConsumerLeavesTheLatestValuePerLiveKey(BrookCluster cluster) throws Exception {
        String topic = "compacted";
        createTopic(cluster.bootstrapServers(), topic, 2);
        TopicPartition p0 = new TopicPartition(topic, 0);
        TopicPartition p1 = new TopicPartition(topic, 1);

        // Given: a consumer reading the topic from the start while it is written, checking offsets only go up
        AtomicBoolean reading = new AtomicBoolean(true);
        AtomicReference<Throwable> readerFailure = new AtomicReference<>();
        Map<String, String> seenByReader = new HashMap<>();
        Thread reader = new Thread(() -> {
            try (KafkaConsumer<String, String> consumer = KafkaClients.consumer(cluster.bootstrapServers(), Map.of())) {
                consumer.assign(List.of(p0, p1));
                consumer.seekToBeginning(List.of(p0, p1));
                Map<Integer, Long> last = new HashMap<>();
                while (reading.get()) {
                    for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
                        Long previous = last.put(record.partition(), record.offset());
                        assertThat(previous == null || record.offset() > previous)
                                .as("offsets go up")
                                .isTrue();
                        seenByReader.put(record.key(), record.value());
                    }
                }
            } catch (Throwable e) {
                readerFailure.set(e);
            }
        });
        reader.start();

        // When: updates of every key, then tombstones for every tenth key, written while the cleaner runs
        Map<String, String> expected = produceUpdatesAndTombstones(cluster.bootstrapServers(), topic);

        // Then: once the last segments are closed and cleaned, a read from the start holds exactly the live keys'
        // latest values, each once, in offset order
        rollActiveSegments(cluster.bootstrapServers(), topic);
        await("compacted to the latest value per live key")
                .atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> {
                    Map<String, String> compacted = readAll(cluster.bootstrapServers(), List.of(p0, p1));
                    assertThat(compacted).isEqualTo(expected);
                });
        reading.set(false);
        reader.join(30_000);
        assertThat(readerFailure.get()).isNull();
        Map<String, String> readerView = new HashMap<>(seenByReader);
        readerView.values().removeIf(value -> value == null);
        readerView.keySet().removeIf(key -> key.startsWith("marker"));
        assertThat(readerView).as("what the racing reader saw last per key").isEqualTo(expected);
    }

    @Test
    void aRecordWithoutAKeyIsRefusedOnACompactedTopic(BrookCluster cluster) throws Exception {
        createTopic(cluster.bootstrapServers(), "compacted-keys", 1);
        try (KafkaProducer<String, String> producer = KafkaClients.producer(cluster.bootstrapServers(), Map.of())) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>("compacted-keys", null, "no key"))
                            .get(30, SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(InvalidRecordException.class)
                    .hasMessageContaining("without key");
        }
    }

    static void createTopic(String bootstrap, String topic, int partitions) throws Exception {
        try (Admin admin = KafkaClients.admin(bootstrap)) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1).configs(COMPACTED)))
                    .all()
                    .get(30, SECONDS);
        }
    }

    /** Writes ROUNDS updates of KEYS keys, then tombstones for every tenth key; returns the live keys' values. */
    static Map<String, String> produceUpdatesAndTombstones(String bootstrap, String topic) throws Exception {
        Map<String, String> expected = new LinkedHashMap<>();
        try (KafkaProducer<String, String> producer = KafkaClients.producer(bootstrap, Map.of())) {
            for (int round = 0; round < ROUNDS; round++) {
                for (int key = 0; key < KEYS; key++) {
                    String value = "value-" + key + "-" + round;
                    producer.send(new ProducerRecord<>(topic, "key-" + key, value));
                    expected.put("key-" + key, value);
                }
                producer.flush();
                Thread.sleep(20);
            }
            for (int key = 0; key < KEYS; key += 10) {
                producer.send(new ProducerRecord<>(topic, "key-" + key, null));
                expected.remove("key-" + key);
            }
            producer.flush();
        }
        return expected;
    }

    /** Fills each partition's active segment with markers, so the data before them lies in closed segments. */
    static void rollActiveSegments(String bootstrap, String topic) throws Exception {
        try (KafkaProducer<String, String> producer = KafkaClients.producer(bootstrap, Map.of())) {
            for (int i = 0; i < 200; i++) {
                for (int partition = 0; partition < 2; partition++) {
                    producer.send(new ProducerRecord<>(topic, partition, "marker-" + partition, "x".repeat(40)));
                }
            }
            producer.flush();
        }
    }

    /** Reads the partitions from the start: the last value per key, markers left out, checking offsets go up. */
    static Map<String, String> readAll(String bootstrap, List<TopicPartition> partitions) {
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = KafkaClients.consumer(bootstrap, Map.of())) {
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))
                    && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(100)).forEach(records::add);
            }
        }
        Map<String, String> values = new HashMap<>();
        Map<Integer, Long> last = new HashMap<>();
        Map<String, Integer> copies = new HashMap<>();
        for (ConsumerRecord<String, String> record : records) {
            Long previous = last.put(record.partition(), record.offset());
            assertThat(previous == null || record.offset() > previous)
                    .as("offsets go up")
                    .isTrue();
            if (record.key().startsWith("marker")) {
                continue;
            }
            copies.merge(record.key(), 1, Integer::sum);
            values.put(record.key(), record.value());
        }
        assertThat(copies.values()).as("one record per key").allMatch(count -> count == 1);
        values.values().removeIf(value -> value == null);
        return values;
    }
}
