package io.brook.push;

import static java.util.concurrent.TimeUnit.SECONDS;

import io.brook.broker.Broker;
import io.brook.broker.BrokerConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A real Brook broker in this JVM on 127.0.0.1 on a free port, with an admin client and a producer. {@link #close}
 * closes the clients, then the broker.
 */
final class TestBroker implements AutoCloseable {
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Broker broker;
    private final Admin admin;
    private final KafkaProducer<byte[], byte[]> producer;

    private TestBroker(Broker broker) {
        this.broker = broker;
        Properties adminProperties = new Properties();
        adminProperties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        this.admin = Admin.create(adminProperties);
        Properties producerProperties = new Properties();
        producerProperties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        producerProperties.put(ProducerConfig.ACKS_CONFIG, "all");
        producerProperties.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        this.producer = new KafkaProducer<>(producerProperties, new ByteArraySerializer(), new ByteArraySerializer());
    }

    static TestBroker start(Path dataDir) throws IOException {
        Map<String, String> properties = new TreeMap<>();
        properties.put(BrokerConfig.DATA_DIR, dataDir.toString());
        properties.put(BrokerConfig.HOST, "127.0.0.1");
        properties.put(BrokerConfig.KAFKA_PORT, "0");
        properties.put(BrokerConfig.AUTO_CREATE_TOPICS, "false");
        return new TestBroker(Broker.start(BrokerConfig.parse(properties)));
    }

    String bootstrapServers() {
        return "127.0.0.1:" + broker.kafkaPort();
    }

    Admin admin() {
        return admin;
    }

    void createTopic(String topic, int partitions) throws Exception {
        admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1)))
                .all()
                .get(TIMEOUT.toSeconds(), SECONDS);
    }

    void send(String topic, int partition, String key, byte[] value) throws Exception {
        producer.send(new ProducerRecord<>(
                        topic, partition, key == null ? null : key.getBytes(StandardCharsets.UTF_8), value))
                .get(TIMEOUT.toSeconds(), SECONDS);
    }

    /** Reads the topic from the start until {@code count} records came, or 30 s passed. */
    List<ConsumerRecord<byte[], byte[]>> readAll(String topic, int count) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, "test-reader-" + topic);
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (records.size() < count && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(100)).forEach(records::add);
            }
        }
        return records;
    }

    @Override
    public void close() throws Exception {
        try {
            producer.close(Duration.ofSeconds(5));
            admin.close(Duration.ofSeconds(5));
        } finally {
            broker.close();
        }
    }
}
