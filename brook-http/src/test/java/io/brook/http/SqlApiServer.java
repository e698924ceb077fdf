package io.brook.http;

import static java.util.concurrent.TimeUnit.SECONDS;

import io.brook.broker.Broker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * What {@code brook server} runs, for tests: a real broker on 127.0.0.1 on a free port, the shared SQL session over an
 * engine in this JVM, and the HTTP API on another free port; plus a producer to fill topics. {@link #close} stops them
 * in reverse order.
 */
final class SqlApiServer implements AutoCloseable {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Broker broker;
    private final SqlService sql;
    private final TopicEvents events;
    private final BrookHttpServer http;
    private final KafkaProducer<String, String> producer;

    private SqlApiServer(Broker broker, SqlService sql, TopicEvents events, BrookHttpServer http) {
        this.broker = broker;
        this.sql = sql;
        this.events = events;
        this.http = http;
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        properties.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        this.producer = new KafkaProducer<>(properties, new StringSerializer(), new StringSerializer());
    }

    static SqlApiServer start(Path directory) throws Exception {
        Broker broker = TestServers.startBroker(directory, new SimpleMeterRegistry());
        String bootstrap = "127.0.0.1:" + broker.kafkaPort();
        SqlService sql = SqlService.forBroker(() -> bootstrap, directory.resolve("checkpoints"));
        TopicEvents events = new TopicEvents(() -> bootstrap);
        BrookHttpServer http = BrookHttpServer.start("127.0.0.1", 0, sql, List.of(events));
        return new SqlApiServer(broker, sql, events, http);
    }

    String bootstrap() {
        return "127.0.0.1:" + broker.kafkaPort();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + http.port());
    }

    void createTopic(String topic) throws Exception {
        createTopic(topic, 1);
    }

    void createTopic(String topic, int partitions) throws Exception {
        Properties properties = new Properties();
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        try (Admin admin = Admin.create(properties)) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1)))
                    .all()
                    .get(TIMEOUT.toSeconds(), SECONDS);
        }
    }

    /** Sends a keyed record to a partition and waits for its acknowledgement. */
    void send(String topic, int partition, String key, String value) throws Exception {
        producer.send(new ProducerRecord<>(topic, partition, key, value)).get(TIMEOUT.toSeconds(), SECONDS);
    }

    void send(String topic, String... values) throws Exception {
        for (String value : values) {
            producer.send(new ProducerRecord<>(topic, value)).get(TIMEOUT.toSeconds(), SECONDS);
        }
    }

    @Override
    public void close() throws Exception {
        TestServers.closeAll(producer, events, http, sql, broker);
    }
}
