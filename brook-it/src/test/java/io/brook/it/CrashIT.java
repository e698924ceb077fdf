package io.brook.it;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Crash safety: a broker in a child JVM is killed with SIGKILL at random moments while several idempotent acks=all
 * producers send numbered records, and restarted on the same data directory and port each time. At the end every
 * acknowledged record must be in the log exactly once, and each producer's acknowledged records in order within each
 * partition. (A record whose acknowledgement was lost may or may not be there; it must still not be there twice.)
 */
class CrashIT {
    private static final Logger LOGGER = LoggerFactory.getLogger(CrashIT.class);

    private static final String TOPIC = "crash";
    private static final int PARTITIONS = 4;
    private static final int PRODUCERS = 3;
    private static final int KILLS = Integer.getInteger("brook.it.kills", 12);
    private static final int MAX_RECORDS_PER_PRODUCER = 2_000_000;

    @Test
    void everyAcknowledgedRecordSurvivesRepeatedSigkillExactlyOnceAndInOrder() throws Exception {
        // Given
        long seed = Long.getLong("brook.it.crashSeed", System.nanoTime());
        Random random = new Random(seed);
        Path work = TestPaths.newDirectory("crash-");
        Path logs = Files.createDirectories(work.resolve("logs"));
        List<ProducerLoop> loops = new ArrayList<>();
        Map<TopicPartition, List<ConsumerRecord<String, String>>> log;
        int kills = 0;
        try (ChildBroker broker = ChildBroker.start(work.resolve("data"), logs)) {
            try (Admin admin = KafkaClients.admin(broker.bootstrapServers())) {
                admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 1)))
                        .all()
                        .get(30, SECONDS);
            }
            ExecutorService threads = Executors.newFixedThreadPool(PRODUCERS);
            List<Future<?>> running = new ArrayList<>();
            try {
                for (int id = 0; id < PRODUCERS; id++) {
                    ProducerLoop loop = new ProducerLoop(id, broker.bootstrapServers());
                    loops.add(loop);
                    running.add(threads.submit(loop));
                }

                // When
                for (int kill = 0; kill < KILLS; kill++) {
                    long before = acknowledged(loops);
                    await("acknowledgements after restart " + kill)
                            .atMost(Duration.ofSeconds(60))
                            .until(() -> acknowledged(loops) >= before + 200);
                    Thread.sleep(random.nextInt(700));
                    broker.kill();
                    kills++;
                    Thread.sleep(random.nextInt(300));
                    broker.restart();
                }
                long afterLastKill = acknowledged(loops);
                await("acknowledgements after the last restart")
                        .atMost(Duration.ofSeconds(60))
                        .until(() -> acknowledged(loops) >= afterLastKill + 1_000);
                loops.forEach(ProducerLoop::stop);
                for (Future<?> loop : running) {
                    loop.get(120, SECONDS);
                }
            } finally {
                loops.forEach(ProducerLoop::stop);
                threads.shutdownNow();
                threads.awaitTermination(30, SECONDS);
            }
            log = readAll(broker.bootstrapServers());
        }

        // Then
        List<String> problems = new ArrayList<>();
        for (ProducerLoop loop : loops) {
            if (loop.failure.get() != null) {
                problems.add("producer " + loop.id + " failed: " + loop.failure.get());
            }
        }
        long acknowledged = acknowledged(loops);
        long stored = log.values().stream().mapToLong(List::size).sum();
        problems.addAll(verify(loops, log));
        LOGGER.info(
                "crash test seed {}: {} kills, {} acknowledged, {} failed sends, {} producer restarts, {} records"
                        + " stored",
                seed,
                kills,
                acknowledged,
                loops.stream().mapToLong(loop -> loop.failedSends.get()).sum(),
                loops.stream().mapToLong(loop -> loop.producerRestarts.get()).sum(),
                stored);
        assertThat(kills).isGreaterThanOrEqualTo(10);
        assertThat(acknowledged).isGreaterThan((long) KILLS * 200);
        assertThat(problems).as("seed %d; broker logs in %s", seed, logs).isEmpty();
        TestPaths.deleteRecursively(work);
    }

    private static long acknowledged(List<ProducerLoop> loops) {
        return loops.stream().mapToLong(loop -> loop.acknowledged.size()).sum();
    }

    /** Reads every partition from the beginning up to its end offset. */
    private static Map<TopicPartition, List<ConsumerRecord<String, String>>> readAll(String bootstrapServers) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (int partition = 0; partition < PARTITIONS; partition++) {
            partitions.add(new TopicPartition(TOPIC, partition));
        }
        Map<TopicPartition, List<ConsumerRecord<String, String>>> records =
                new TreeMap<>(Comparator.comparingInt(TopicPartition::partition));
        partitions.forEach(partition -> records.put(partition, new ArrayList<>()));
        try (KafkaConsumer<String, String> consumer =
                KafkaClients.consumer(bootstrapServers, Map.of("max.poll.records", 5_000))) {
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline
                    && partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    records.get(new TopicPartition(record.topic(), record.partition()))
                            .add(record);
                }
            }
        }
        return records;
    }

    /** Every acknowledged record present exactly once, and in send order per producer and partition. */
    private static List<String> verify(
            List<ProducerLoop> loops, Map<TopicPartition, List<ConsumerRecord<String, String>>> log) {
        List<String> problems = new ArrayList<>();
        // occurrences.get(producer).get(sequence) = how often that record is in the log
        List<Map<Long, Integer>> occurrences = new ArrayList<>();
        loops.forEach(loop -> occurrences.add(new ConcurrentHashMap<>()));
        for (Map.Entry<TopicPartition, List<ConsumerRecord<String, String>>> partition : log.entrySet()) {
            long[] lastAcknowledged = new long[loops.size()];
            Arrays.fill(lastAcknowledged, -1);
            for (ConsumerRecord<String, String> record : partition.getValue()) {
                String[] parts = record.value().split(":", 2);
                int producer = Integer.parseInt(parts[0].substring(1));
                long sequence = Long.parseLong(parts[1]);
                occurrences.get(producer).merge(sequence, 1, Integer::sum);
                if (sequence % PARTITIONS != partition.getKey().partition()) {
                    problems.add("record " + record.value() + " is in " + partition.getKey());
                }
                if (!loops.get(producer).acknowledged.contains(sequence)) {
                    continue;
                }
                if (sequence <= lastAcknowledged[producer] && problems.size() < 20) {
                    problems.add(partition.getKey() + "@" + record.offset() + ": acknowledged " + record.value()
                            + " comes after acknowledged sequence " + lastAcknowledged[producer]);
                }
                lastAcknowledged[producer] = Math.max(lastAcknowledged[producer], sequence);
            }
        }
        for (ProducerLoop loop : loops) {
            Map<Long, Integer> seen = occurrences.get(loop.id);
            long missing = 0;
            long duplicated = 0;
            List<Long> examples = new ArrayList<>();
            for (long sequence : loop.acknowledged) {
                int count = seen.getOrDefault(sequence, 0);
                if (count != 1) {
                    if (count == 0) {
                        missing++;
                    } else {
                        duplicated++;
                    }
                    if (examples.size() < 10) {
                        examples.add(sequence);
                    }
                }
            }
            if (missing > 0 || duplicated > 0) {
                problems.add("producer " + loop.id + ": " + missing + " acknowledged records missing, " + duplicated
                        + " stored more than once, e.g. sequences " + examples);
            }
            long unacknowledgedDuplicates = seen.entrySet().stream()
                    .filter(entry -> entry.getValue() > 1 && !loop.acknowledged.contains(entry.getKey()))
                    .count();
            if (unacknowledgedDuplicates > 0) {
                LOGGER.warn(
                        "producer {}: {} unacknowledged records are stored more than once",
                        loop.id,
                        unacknowledgedDuplicates);
            }
        }
        return problems;
    }

    /**
     * One idempotent acks=all producer sending {@code p<id>:<sequence>} to partition {@code sequence % 4}, at most 200
     * sends in flight. A producer left in a fatal state is closed and replaced (a new producer id).
     */
    private static final class ProducerLoop implements Runnable {
        private final int id;
        private final String bootstrapServers;
        private final Set<Long> acknowledged = ConcurrentHashMap.newKeySet();
        private final AtomicLong failedSends = new AtomicLong();
        private final AtomicLong producerRestarts = new AtomicLong();
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private final AtomicBoolean stopped = new AtomicBoolean();
        private final Semaphore inFlight = new Semaphore(200);

        ProducerLoop(int id, String bootstrapServers) {
            this.id = id;
            this.bootstrapServers = bootstrapServers;
        }

        void stop() {
            stopped.set(true);
        }

        @Override
        public void run() {
            KafkaProducer<String, String> producer = newProducer();
            try {
                for (long sequence = 0; sequence < MAX_RECORDS_PER_PRODUCER && !stopped.get(); sequence++) {
                    if (!inFlight.tryAcquire(60, SECONDS)) {
                        throw new IllegalStateException("producer " + id + ": no acknowledgement for 60 s");
                    }
                    long sent = sequence;
                    ProducerRecord<String, String> record =
                            new ProducerRecord<>(TOPIC, (int) (sent % PARTITIONS), "p" + id, "p" + id + ":" + sent);
                    try {
                        producer.send(record, (metadata, error) -> {
                            if (error == null) {
                                acknowledged.add(sent);
                            } else {
                                failedSends.incrementAndGet();
                            }
                            inFlight.release();
                        });
                    } catch (KafkaException e) {
                        // Fatal producer state (the callback did not run): start over with a new producer.
                        inFlight.release();
                        failedSends.incrementAndGet();
                        producerRestarts.incrementAndGet();
                        LOGGER.warn("producer {} replaced after {}", id, e.toString());
                        producer.close(Duration.ofSeconds(30));
                        producer = newProducer();
                    }
                }
                producer.flush();
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            } finally {
                producer.close(Duration.ofSeconds(60));
            }
        }

        private KafkaProducer<String, String> newProducer() {
            return KafkaClients.producer(
                    bootstrapServers,
                    Map.of(
                            ProducerConfig.ACKS_CONFIG, "all",
                            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                            ProducerConfig.LINGER_MS_CONFIG, 2,
                            ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000,
                            ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                            ProducerConfig.RETRY_BACKOFF_MS_CONFIG, 50,
                            ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500,
                            ProducerConfig.MAX_BLOCK_MS_CONFIG, 60_000));
        }
    }
}
