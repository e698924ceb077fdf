package io.brook.bench;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.concurrent.TimeUnit.SECONDS;

import io.brook.broker.Broker;
import io.brook.broker.BrokerConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The Kafka JSON ETL workload's input: a Brook broker in the benchmark's own JVM (on 127.0.0.1, a free port) holding
 * one topic of {@value #PARTITIONS} partitions filled once with click events, which both engines then read in turn.
 * The events are the same for a count: page views of {@value #PAGES} pages by {@value #USERS} users, {@value
 * #EVENTS_PER_SECOND} per second of event time from {@link #FIRST_EVENT}, each up to a second late, e.g.
 *
 * <pre>{"ts":"2026-01-01T00:00:00.734Z","page":"/page/17","user":"user-4711","latency_ms":123,"agent":"bench"}</pre>
 */
final class EtlTopic implements AutoCloseable {
    static final String TOPIC = "etl-clicks";
    static final int PARTITIONS = 2;
    static final int PAGES = 100;
    static final int USERS = 10_000;
    static final int EVENTS_PER_SECOND = 1000;
    static final Instant FIRST_EVENT = Instant.parse("2026-01-01T00:00:00Z");
    /** The schema both engines parse the events with, in Spark's DDL. */
    static final String SCHEMA = "ts TIMESTAMP, page STRING, user STRING, latency_ms BIGINT";

    private static final long SEED = 20261201L;
    private static final int TIMEOUT_SECONDS = 60;

    private final Broker broker;

    private EtlTopic(Broker broker) {
        this.broker = broker;
    }

    /** Starts the broker on {@code dataDir} and fills the topic with {@code events} events. */
    static EtlTopic start(Path dataDir, long events) throws IOException, InterruptedException {
        Map<String, String> properties = new TreeMap<>();
        properties.put(BrokerConfig.DATA_DIR, dataDir.toString());
        properties.put(BrokerConfig.HOST, "127.0.0.1");
        properties.put(BrokerConfig.KAFKA_PORT, "0");
        properties.put(BrokerConfig.AUTO_CREATE_TOPICS, "false");
        EtlTopic topic = new EtlTopic(Broker.start(BrokerConfig.parse(properties)));
        try {
            topic.fill(events);
            return topic;
        } catch (IOException | InterruptedException | RuntimeException e) {
            topic.close();
            throw e;
        }
    }

    String bootstrapServers() {
        return "127.0.0.1:" + broker.kafkaPort();
    }

    private void fill(long events) throws IOException, InterruptedException {
        Properties admin = new Properties();
        admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        Properties producer = new Properties();
        producer.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        producer.put(ProducerConfig.ACKS_CONFIG, "all");
        producer.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        producer.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
        try (Admin client = Admin.create(admin);
                KafkaProducer<byte[], byte[]> sender =
                        new KafkaProducer<>(producer, new ByteArraySerializer(), new ByteArraySerializer())) {
            client.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 1)))
                    .all()
                    .get(TIMEOUT_SECONDS, SECONDS);
            SplittableRandom random = new SplittableRandom(SEED);
            for (long i = 0; i < events; i++) {
                sender.send(new ProducerRecord<>(TOPIC, (int) (i % PARTITIONS), null, event(i, random)));
            }
            sender.flush();
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("cannot fill topic " + TOPIC + ": " + e.getMessage(), e);
        }
    }

    /** Event {@code i}: its time advances at {@value #EVENTS_PER_SECOND} per second, less up to a second of delay. */
    static byte[] event(long i, SplittableRandom random) {
        long millis = FIRST_EVENT.toEpochMilli() + i * 1000 / EVENTS_PER_SECOND - random.nextInt(1000);
        return ("{\"ts\":\"" + Instant.ofEpochMilli(Math.max(FIRST_EVENT.toEpochMilli(), millis))
                        + "\",\"page\":\"/page/"
                        + random.nextInt(PAGES) + "\",\"user\":\"user-" + random.nextInt(USERS) + "\",\"latency_ms\":"
                        + (5 + random.nextInt(500)) + ",\"agent\":\"bench\"}")
                .getBytes(UTF_8);
    }

    @Override
    public void close() throws IOException {
        broker.close();
    }
}
