package io.brook.it;

import static io.brook.engine.api.functions.col;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.brook.engine.api.Brook;
import io.brook.engine.api.Row;
import io.brook.engine.api.StreamingQuery;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

/**
 * The engine's Kafka source and sink against Apache Kafka 4.3 (not Brook's broker): a stream reads a topic, transforms
 * it and writes another topic, which a plain consumer reads back; a bounded read sees the same records.
 */
class ApacheKafkaEngineIT {
    @Test
    void theKafkaSourceAndSinkWorkAgainstApacheKafka() throws Exception {
        // Given
        Path work = TestPaths.newDirectory("apache-kafka-engine-");
        try (ApacheKafka kafka = ApacheKafka.start(work.resolve("kafka"));
                Brook brook = Brook.local()) {
            String bootstrap = kafka.bootstrapServers();
            try (Admin admin = KafkaClients.admin(bootstrap)) {
                admin.createTopics(List.of(new NewTopic("words", 2, (short) 1), new NewTopic("shouted", 1, (short) 1)))
                        .all()
                        .get(60, SECONDS);
            }
            try (KafkaProducer<String, String> producer = KafkaClients.producer(bootstrap, Map.of())) {
                for (int i = 0; i < 100; i++) {
                    producer.send(new ProducerRecord<>("words", i % 2, "k" + i, "word-" + i));
                }
                producer.flush();
            }

            // When
            StreamingQuery query = brook.readStream()
                    .format("kafka")
                    .option("kafka.bootstrap.servers", bootstrap)
                    .option("subscribe", "words")
                    .option("startingOffsets", "earliest")
                    .option("maxOffsetsPerTrigger", "30")
                    .load()
                    .selectExpr("CAST(key AS STRING) AS key", "upper(CAST(value AS STRING)) AS value")
                    .writeStream()
                    .format("kafka")
                    .option("kafka.bootstrap.servers", bootstrap)
                    .option("topic", "shouted")
                    .option("checkpointLocation", work.resolve("checkpoint").toString())
                    .start();
            query.processAllAvailable();
            long batches = query.recentProgress().size();
            query.stop();
            List<Row> bounded = brook.read()
                    .format("kafka")
                    .option("kafka.bootstrap.servers", bootstrap)
                    .option("subscribe", "words")
                    .load()
                    .select(col("partition"), col("offset"))
                    .collectAsList();

            // Then
            Map<String, String> shouted = readAll(bootstrap, "shouted", 100);
            Map<String, String> expected = new HashMap<>();
            for (int i = 0; i < 100; i++) {
                expected.put("k" + i, "WORD-" + i);
            }
            assertThat(shouted).isEqualTo(expected);
            assertThat(batches).isGreaterThanOrEqualTo(4); // 100 records, at most 30 a batch
            assertThat(bounded).hasSize(100);
        }
    }

    private static Map<String, String> readAll(String bootstrap, String topic, int count) {
        Map<String, Object> settings = new HashMap<>();
        settings.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        Map<String, String> values = new HashMap<>();
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(settings, new StringDeserializer(), new StringDeserializer())) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (records.size() < count && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(records::add);
            }
        }
        records.forEach(record -> values.put(record.key(), record.value()));
        return values;
    }
}
