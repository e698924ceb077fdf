package io.brook.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The request counters a broker keeps in the registry it is given. */
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
        }
    }
}
