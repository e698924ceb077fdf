package io.brook.bench;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.concurrent.TimeUnit.SECONDS;

import io.brook.broker.Broker;
import io.brook.broker.BrokerConfig;
import io.brook.engine.connector.NexmarkSource;
import io.brook.engine.connector.nexmark.NexmarkGenerator;
import io.brook.engine.connector.nexmark.NexmarkGenerator.Auction;
import io.brook.engine.connector.nexmark.NexmarkGenerator.Bid;
import io.brook.engine.connector.nexmark.NexmarkGenerator.Event;
import io.brook.engine.connector.nexmark.NexmarkGenerator.Person;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
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
 * Nexmark events from Brook's generator ({@link NexmarkGenerator}) in a Kafka topic, one JSON record an event in the
 * shape of the Flink Nexmark suite's {@code nexmark} table, so that any engine reading JSON from Kafka can run the
 * queries over the same events Brook's {@code nexmark} source makes:
 *
 * <pre>{"event_type":2,"person":null,"auction":null,"bid":{"auction":1000,"bidder":1001,"price":1234,
 * "channel":"Google","url":"https://...","dateTime":"2023-11-14T22:13:20.000100Z","extra":"..."},
 * "dateTime":"2023-11-14T22:13:20.000100Z"}</pre>
 *
 * Timestamps are ISO-8601 in UTC with as many fraction digits as the value needs (up to microseconds, as Spark's and
 * Brook's to_json write them). Event {@code n} goes to partition {@code n % partitions}, so each partition's event
 * times only grow.
 *
 * <p>{@link #fill} writes to any broker; {@link #start} starts a Brook broker in this JVM first (the benchmark's way);
 * {@link #main} fills a topic on a broker given on the command line:
 * {@code NexmarkTopic --bootstrap HOST:PORT [--topic nexmark] [--events 2000000] [--partitions 2]
 * [--events-per-second 10000] [--seed 0]} (it creates the topic when it does not exist).
 */
public final class NexmarkTopic implements AutoCloseable {
    static final String TOPIC = "nexmark";
    static final int PARTITIONS = 2;
    private static final int TIMEOUT_SECONDS = 60;

    private final Broker broker;

    private NexmarkTopic(Broker broker) {
        this.broker = broker;
    }

    /** Starts a Brook broker on {@code dataDir} (127.0.0.1, a free port) and fills {@link #TOPIC} with the events. */
    static NexmarkTopic start(Path dataDir, Spec spec) throws IOException, InterruptedException {
        Map<String, String> properties = new TreeMap<>();
        properties.put(BrokerConfig.DATA_DIR, dataDir.toString());
        properties.put(BrokerConfig.HOST, "127.0.0.1");
        properties.put(BrokerConfig.KAFKA_PORT, "0");
        properties.put(BrokerConfig.AUTO_CREATE_TOPICS, "false");
        NexmarkTopic topic = new NexmarkTopic(Broker.start(BrokerConfig.parse(properties)));
        try {
            fill(topic.bootstrapServers(), spec);
            return topic;
        } catch (IOException | InterruptedException | RuntimeException e) {
            topic.close();
            throw e;
        }
    }

    String bootstrapServers() {
        return "127.0.0.1:" + broker.kafkaPort();
    }

    /** What to write: how many events, at what event-time rate and seed, into which topic of how many partitions. */
    record Spec(String topic, int partitions, long events, long eventsPerSecond, long seed) {
        Spec {
            if (topic == null || topic.isBlank()) {
                throw new IllegalArgumentException("topic must not be blank, was '" + topic + "'");
            }
            if (partitions < 1) {
                throw new IllegalArgumentException("partitions must be >= 1, was " + partitions);
            }
            if (events < 1) {
                throw new IllegalArgumentException("events must be >= 1, was " + events);
            }
            if (eventsPerSecond < 1) {
                throw new IllegalArgumentException("eventsPerSecond must be >= 1, was " + eventsPerSecond);
            }
        }

        static Spec of(long events) {
            return new Spec(TOPIC, PARTITIONS, events, NexmarkSource.DEFAULT_EVENTS_PER_SECOND, 0);
        }
    }

    /** Creates the topic on the broker at {@code bootstrap} unless it exists, and writes the events (acks=all). */
    static void fill(String bootstrap, Spec spec) throws IOException, InterruptedException {
        Properties admin = new Properties();
        admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        Properties producer = new Properties();
        producer.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        producer.put(ProducerConfig.ACKS_CONFIG, "all");
        producer.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        producer.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
        NexmarkGenerator generator =
                new NexmarkGenerator(spec.seed(), NexmarkSource.DEFAULT_BASE_TIME_MILLIS, spec.eventsPerSecond());
        try (Admin client = Admin.create(admin);
                KafkaProducer<byte[], byte[]> sender =
                        new KafkaProducer<>(producer, new ByteArraySerializer(), new ByteArraySerializer())) {
            if (!client.listTopics().names().get(TIMEOUT_SECONDS, SECONDS).contains(spec.topic())) {
                client.createTopics(List.of(new NewTopic(spec.topic(), spec.partitions(), (short) 1)))
                        .all()
                        .get(TIMEOUT_SECONDS, SECONDS);
            }
            for (long n = 0; n < spec.events(); n++) {
                sender.send(new ProducerRecord<>(
                        spec.topic(), (int) (n % spec.partitions()), null, json(generator.event(n))));
            }
            sender.flush();
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("cannot fill topic " + spec.topic() + " on " + bootstrap + ": " + e.getMessage(), e);
        }
    }

    /** One event as the JSON object of a {@code nexmark} row: the other event types' fields are null. */
    static byte[] json(Event event) {
        StringBuilder text = new StringBuilder(512);
        text.append("{\"event_type\":").append(event.type()).append(",\"person\":");
        if (event instanceof Person person) {
            text.append("{\"id\":").append(person.id());
            string(text, "name", person.name());
            string(text, "emailAddress", person.emailAddress());
            string(text, "creditCard", person.creditCard());
            string(text, "city", person.city());
            string(text, "state", person.state());
            timestamp(text, "dateTime", person.dateTime());
            string(text, "extra", person.extra());
            text.append('}');
        } else {
            text.append("null");
        }
        text.append(",\"auction\":");
        if (event instanceof Auction auction) {
            text.append("{\"id\":").append(auction.id());
            string(text, "itemName", auction.itemName());
            string(text, "description", auction.description());
            number(text, "initialBid", auction.initialBid());
            number(text, "reserve", auction.reserve());
            timestamp(text, "dateTime", auction.dateTime());
            timestamp(text, "expires", auction.expires());
            number(text, "seller", auction.seller());
            number(text, "category", auction.category());
            string(text, "extra", auction.extra());
            text.append('}');
        } else {
            text.append("null");
        }
        text.append(",\"bid\":");
        if (event instanceof Bid bid) {
            text.append("{\"auction\":").append(bid.auction());
            number(text, "bidder", bid.bidder());
            number(text, "price", bid.price());
            string(text, "channel", bid.channel());
            string(text, "url", bid.url());
            timestamp(text, "dateTime", bid.dateTime());
            string(text, "extra", bid.extra());
            text.append('}');
        } else {
            text.append("null");
        }
        timestamp(text, "dateTime", event.dateTime());
        return text.append('}').toString().getBytes(UTF_8);
    }

    private static void number(StringBuilder text, String name, long value) {
        text.append(",\"").append(name).append("\":").append(value);
    }

    /** A TIMESTAMP (microseconds since the epoch) as Spark's to_json writes it: ISO-8601, UTC, as short as it can be. */
    private static void timestamp(StringBuilder text, String name, long micros) {
        Instant instant =
                Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
        text.append(",\"").append(name).append("\":\"").append(instant).append('"');
    }

    private static void string(StringBuilder text, String name, String value) {
        text.append(",\"").append(name).append("\":\"");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                text.append('\\').append(c);
            } else if (c < 0x20) {
                text.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
            } else {
                text.append(c);
            }
        }
        text.append('"');
    }

    @Override
    public void close() throws IOException {
        broker.close();
    }

    public static void main(String[] args) throws InterruptedException {
        PrintWriter progress = new PrintWriter(new OutputStreamWriter(System.err, UTF_8), true);
        String usage = "Usage: NexmarkTopic --bootstrap HOST:PORT [--topic nexmark] [--events 2000000] [--partitions 2]"
                + " [--events-per-second 10000] [--seed 0]";
        Map<String, String> values = new LinkedHashMap<>();
        values.put("bootstrap", "");
        values.put("topic", TOPIC);
        values.put("events", "2000000");
        values.put("partitions", Integer.toString(PARTITIONS));
        values.put("events-per-second", Long.toString(NexmarkSource.DEFAULT_EVENTS_PER_SECOND));
        values.put("seed", "0");
        Spec spec;
        try {
            for (int i = 0; i < args.length; i += 2) {
                String key = args[i].startsWith("--") ? args[i].substring(2) : "";
                if (!values.containsKey(key) || i + 1 >= args.length) {
                    throw new IllegalArgumentException("unknown option or missing value: " + args[i]);
                }
                values.put(key, args[i + 1]);
            }
            if (values.get("bootstrap").isBlank()) {
                throw new IllegalArgumentException("--bootstrap is required");
            }
            spec = new Spec(
                    values.get("topic"),
                    Integer.parseInt(values.get("partitions")),
                    Long.parseLong(values.get("events").replace("_", "")),
                    Long.parseLong(values.get("events-per-second")),
                    Long.parseLong(values.get("seed")));
        } catch (IllegalArgumentException e) {
            progress.println("Error: " + e.getMessage());
            progress.println(usage);
            System.exit(2);
            return;
        }
        long start = System.nanoTime();
        try {
            fill(values.get("bootstrap"), spec);
        } catch (IOException e) {
            progress.println("Error: " + e.getMessage());
            System.exit(1);
            return;
        }
        progress.printf(
                java.util.Locale.ROOT,
                "Wrote %d Nexmark events to %s (%d partitions) in %.1f s%n",
                spec.events(),
                spec.topic(),
                spec.partitions(),
                (System.nanoTime() - start) / 1e9);
        System.exit(0);
    }
}
