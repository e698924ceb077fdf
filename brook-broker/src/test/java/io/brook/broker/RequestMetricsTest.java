package io.brook.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The request and topic counters a broker keeps in the registry it is given. */
class RequestMetricsTest {
    @TempDir
    Path dataDir;

    @Test
    void countsRequestsAndBytesPerApiInTheGivenRegistry() throws Exception {
        // Given
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        BrokerConfig config =
                BrokerConfig.parse(Map.of(BrokerConfig.DATA_DIR, dataDir.toString(), BrokerConfig.KAFKA_PORT, "0"));
        try (Broker broker = Broker.start(config, registry)) {
            String bootstrap = "127.0.0.1:" + broker.kafkaPort();
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                admin.createTopics(List.of(new NewTopic("metered", 1, (short) 1)))
                        .all()
                        .get(30, TimeUnit.SECONDS);
            }

            // When: five produce requests, each waited for
            Map<String, Object> properties =
                    Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.LINGER_MS_CONFIG, "0");
            try (KafkaProducer<String, String> producer =
                    new KafkaProducer<>(properties, new StringSerializer(), new StringSerializer())) {
                for (int i = 0; i < 5; i++) {
                    producer.send(new ProducerRecord<>("metered", "value-" + i)).get(30, TimeUnit.SECONDS);
                }
            }

            // Then
            assertThat(registry.get("brook.broker.requests")
                            .tag("api", "Produce")
                            .counter()
                            .count())
                    .isEqualTo(5.0);
            assertThat(registry.get("brook.broker.requests")
                            .tag("api", "CreateTopics")
                            .counter()
                            .count())
                    .isEqualTo(1.0);
            assertThat(registry.get("brook.broker.bytes.in")
                            .tag("api", "Produce")
                            .counter()
                            .count())
                    .isGreaterThan(5 * "value-0".length());
            assertThat(registry.get("brook.broker.bytes.out")
                            .tag("api", "Produce")
                            .counter()
                            .count())
                    .isGreaterThan(0);
            assertThat(registry.get("brook.broker.requests")
                            .tag("api", "Fetch")
                            .counter()
                            .count())
                    .isZero();
            // and per topic: the five records in, nothing out yet
            assertThat(registry.get("brook.topic.records.in")
                            .tag("topic", "metered")
                            .counter()
                            .count())
                    .isEqualTo(5.0);
            double bytesIn = registry.get("brook.topic.bytes.in")
                    .tag("topic", "metered")
                    .counter()
                    .count();
            assertThat(bytesIn).isGreaterThan(5 * "value-0".length());
            assertThat(registry.get("brook.topic.bytes.out")
                            .tag("topic", "metered")
                            .counter()
                            .count())
                    .isZero();

            // When: a consumer reads the five records
            Map<String, Object> consumerProperties = Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                    bootstrap,
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                    "earliest");
            try (KafkaConsumer<String, String> consumer =
                    new KafkaConsumer<>(consumerProperties, new StringDeserializer(), new StringDeserializer())) {
                consumer.assign(List.of(new TopicPartition("metered", 0)));
                int read = 0;
                for (int polls = 0; read < 5 && polls < 100; polls++) {
                    read += consumer.poll(Duration.ofMillis(200)).count();
                }
                assertThat(read).isEqualTo(5);
            }

            // Then: the fetch responses carried the same batches out
            assertThat(registry.get("brook.topic.bytes.out")
                            .tag("topic", "metered")
                            .counter()
                            .count())
                    .isGreaterThanOrEqualTo(bytesIn);

            // When: the topic is deleted
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                admin.deleteTopics(List.of("metered")).all().get(30, TimeUnit.SECONDS);
            }

            // Then: its counters go with it
            assertThat(registry.find("brook.topic.bytes.in")
                            .tag("topic", "metered")
                            .counter())
                    .isNull();
            assertThat(registry.find("brook.topic.records.in")
                            .tag("topic", "metered")
                            .counter())
                    .isNull();
            assertThat(registry.find("brook.topic.bytes.out")
                            .tag("topic", "metered")
                            .counter())
                    .isNull();
        }
    }
}
