import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.utils.AppInfoParser;

/**
 * Run by OlderJavaClientIT in a child JVM with kafka-clients 3.x (Java's single-file source launcher compiles it):
 * admin calls (including AlterConfigs, which the 4.x AdminClient dropped), then for each codec an idempotent producer
 * and a group-less consumer. Prints one line per step; the test asserts on them.
 * Arguments: bootstrap servers, topic prefix, records per codec.
 */
public class OldClientRoundTrip {
    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        String prefix = args[1];
        int count = Integer.parseInt(args[2]);
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        out.println("kafka-clients " + AppInfoParser.getVersion());
        Properties adminProperties = new Properties();
        adminProperties.put("bootstrap.servers", bootstrap);
        try (Admin admin = Admin.create(adminProperties)) {
            String topic = prefix + "-admin";
            admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
            int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS)
                    .get(topic).partitions().size();
            out.println("created " + topic + " with " + partitions + " partitions");
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            @SuppressWarnings("deprecation")
            var altered = admin.alterConfigs(
                    Map.of(resource, new Config(List.of(new ConfigEntry("retention.ms", "3600000")))));
            altered.all().get(30, TimeUnit.SECONDS);
            String retention = admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS)
                    .get(resource).get("retention.ms").value();
            out.println("alterConfigs retention.ms=" + retention);
            admin.deleteTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
            out.println("deleted " + topic + ": " + !admin.listTopics().names().get(30, TimeUnit.SECONDS).contains(topic));
        }
        for (String codec : List.of("none", "gzip", "snappy", "lz4", "zstd")) {
            String topic = prefix + "-" + codec;
            try (Admin admin = Admin.create(adminProperties)) {
                admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get(30, TimeUnit.SECONDS);
            }
            out.println(roundTrip(bootstrap, topic, codec, count));
        }
    }

    private static String roundTrip(String bootstrap, String topic, String codec, int count) throws Exception {
        Properties producerProperties = new Properties();
        producerProperties.put("bootstrap.servers", bootstrap);
        producerProperties.put("key.serializer", "org.apache.kafka.common.serialization.StringSerializer");
        producerProperties.put("value.serializer", "org.apache.kafka.common.serialization.StringSerializer");
        producerProperties.put("compression.type", codec);
        producerProperties.put("enable.idempotence", "true");
        producerProperties.put("acks", "all");
        AtomicInteger acknowledged = new AtomicInteger();
        AtomicReference<Exception> failure = new AtomicReference<>();
        long base = System.currentTimeMillis() - 60_000;
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProperties)) {
            for (int i = 0; i < count; i++) {
                ProducerRecord<String, String> record =
                        new ProducerRecord<>(topic, i % 2, base + i, "key-" + i, "value-" + i);
                record.headers().add("n", Integer.toString(i).getBytes(StandardCharsets.UTF_8));
                producer.send(record, (metadata, error) -> {
                    if (error == null) {
                        acknowledged.incrementAndGet();
                    } else {
                        failure.compareAndSet(null, error);
                    }
                });
            }
            producer.flush();
        }
        Properties consumerProperties = new Properties();
        consumerProperties.put("bootstrap.servers", bootstrap);
        consumerProperties.put("key.deserializer", "org.apache.kafka.common.serialization.StringDeserializer");
        consumerProperties.put("value.deserializer", "org.apache.kafka.common.serialization.StringDeserializer");
        consumerProperties.put("enable.auto.commit", "false");
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        List<TopicPartition> partitions = List.of(new TopicPartition(topic, 0), new TopicPartition(topic, 1));
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerProperties)) {
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (records.size() < count && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        int[] next = {0, 1};
        int wrong = 0;
        for (ConsumerRecord<String, String> record : records) {
            int i = next[record.partition()];
            next[record.partition()] += 2;
            boolean same = record.offset() == i / 2
                    && record.key().equals("key-" + i)
                    && record.value().equals("value-" + i)
                    && record.timestamp() == base + i
                    && new String(record.headers().lastHeader("n").value(), StandardCharsets.UTF_8)
                            .equals(Integer.toString(i));
            if (!same) {
                wrong++;
            }
        }
        long latest;
        Properties adminProperties = new Properties();
        adminProperties.put("bootstrap.servers", bootstrap);
        try (Admin admin = Admin.create(adminProperties)) {
            TopicPartition first = partitions.get(0);
            latest = admin.listOffsets(Map.of(first, OffsetSpec.latest())).partitionResult(first)
                    .get(30, TimeUnit.SECONDS).offset();
        }
        return "codec " + codec + ": acknowledged " + acknowledged.get() + ", consumed " + records.size()
                + ", wrong " + wrong + ", partition 0 latest offset " + latest
                + (failure.get() == null ? "" : ", first failure " + failure.get());
    }
}
