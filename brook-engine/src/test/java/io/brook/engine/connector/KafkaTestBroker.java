package io.brook.engine.connector;

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
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A real Brook broker in this JVM on 127.0.0.1 on a free port, with an admin client and a producer, for the tests of
 * the Kafka source and sink (brook-it's extension lives in another module's tests). Start one per test class;
 * {@link #close} closes the clients, then the broker.
 */
final class KafkaTestBroker implements AutoCloseable {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Broker broker;
    private final Admin admin;
    private final KafkaProducer<byte[], byte[]> producer;

    private KafkaTestBroker(Broker broker) {
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

    static KafkaTestBroker start(Path dataDir) throws IOException {
        Map<String, String> properties = new TreeMap<>();
        properties.put(BrokerConfig.DATA_DIR, dataDir.toString());
        properties.put(BrokerConfig.HOST, "127.0.0.1");
        properties.put(BrokerConfig.KAFKA_PORT, "0");
        properties.put(BrokerConfig.AUTO_CREATE_TOPICS, "false");
        return new KafkaTestBroker(Broker.start(BrokerConfig.parse(properties)));
    }

    String bootstrapServers() {
        return "127.0.0.1:" + broker.kafkaPort();
    }

    void createTopic(String topic, int partitions) throws Exception {
        admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1)))
                .all()
                .get(TIMEOUT.toSeconds(), SECONDS);
    }

    /** Sends one record and waits for it; returns its offset. */
    long send(String topic, int partition, String key, String value) throws Exception {
        return producer.send(new ProducerRecord<>(topic, partition, utf8(key), utf8(value)))
                .get(TIMEOUT.toSeconds(), SECONDS)
                .offset();
    }

    /** Sends one record with these headers (in order) and waits for it; returns its offset. */
    long send(String topic, int partition, String key, String value, List<Header> headers) throws Exception {
        return producer.send(new ProducerRecord<>(topic, partition, utf8(key), utf8(value), headers))
                .get(TIMEOUT.toSeconds(), SECONDS)
                .offset();
    }

    /** Sends {@code prefix0}, {@code prefix1}... to a partition. */
    void sendValues(String topic, int partition, String prefix, int count) throws Exception {
        for (int i = 0; i < count; i++) {
            send(topic, partition, null, prefix + i);
        }
    }

    void deleteRecords(TopicPartition partition, long beforeOffset) throws Exception {
        admin.deleteRecords(Map.of(partition, RecordsToDelete.beforeOffset(beforeOffset)))
                .all()
                .get(TIMEOUT.toSeconds(), SECONDS);
    }

    /** Reads {@code count} records of a partition from its start, failing after the timeout. */
    List<ConsumerRecord<byte[], byte[]>> readAll(TopicPartition partition, int count) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (records.size() < count) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "read " + records.size() + " of " + count + " records of " + partition + " in " + TIMEOUT);
                }
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    static byte[] utf8(String text) {
        return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
    }

    static String text(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws Exception {
        Exception first = null;
        for (AutoCloseable resource : List.<AutoCloseable>of(producer, admin, broker)) {
            try {
                resource.close();
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
