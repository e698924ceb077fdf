package io.brook.cli;

import static java.util.Objects.requireNonNull;

import io.brook.broker.BrokerConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code brook demo}: starts a broker in this process, creates {@value #TOPIC}, and runs a producer and a consumer
 * against it with ordinary Kafka clients, printing every record on both sides; then a summary, and a clean stop. The
 * data directory is a fresh temporary one, removed at the end, unless {@code --data-dir} is given.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "Start Brook in this process, produce click events to topic " + DemoCommand.TOPIC
                    + " and consume them with Kafka's Java clients, then stop.",
            "Nothing to set up; takes a few seconds."
        })
final class DemoCommand implements Callable<Integer> {
    static final String TOPIC = "demo-clicks";
    static final int PARTITIONS = 3;
    private static final Logger LOGGER = LoggerFactory.getLogger(DemoCommand.class);
    private static final Duration CONSUMER_GRACE = Duration.ofSeconds(10);
    /** How long the consumer holds back a record's line until the producer has printed its acknowledgement. */
    private static final Duration DISPLAY_ORDER_WAIT = Duration.ofSeconds(2);

    private static final String BROKER_LOG_LEVEL_PROPERTY = "org.slf4j.simpleLogger.log.io.brook";

    @Spec
    CommandSpec spec;

    @Option(
            names = "--data-dir",
            paramLabel = "DIR",
            description = "Keep the data in DIR (default: a temporary directory, removed at the end).")
    Path dataDir;

    @Option(
            names = "--kafka-port",
            paramLabel = "PORT",
            defaultValue = "0",
            description = "Kafka port of the demo broker (default: 0, any free port).")
    int kafkaPort;

    @Option(
            names = "--events",
            paramLabel = "N",
            defaultValue = "20",
            description = "Click events to produce (default: ${DEFAULT-VALUE}).")
    int events;

    @Option(
            names = "--interval-ms",
            paramLabel = "MS",
            defaultValue = "150",
            description = "Pause between two events (default: ${DEFAULT-VALUE}).")
    long intervalMs;

    @Option(names = "--verbose", description = "Show the broker's INFO log lines (on stderr).")
    boolean verbose;

    private final RunningBroker.Launcher launcher;

    DemoCommand() {
        this(RunningBroker::start);
    }

    DemoCommand(RunningBroker.Launcher launcher) {
        this.launcher = requireNonNull(launcher, "launcher is null");
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        throwIfOptionsInvalid();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!verbose && System.getProperty(BROKER_LOG_LEVEL_PROPERTY) == null) {
            // slf4j-simple reads a logger's level when the logger is created, and the broker's are not yet.
            System.setProperty(BROKER_LOG_LEVEL_PROPERTY, "warn");
        }
        boolean temporary = dataDir == null;
        Path directory = temporary ? Files.createTempDirectory("brook-demo-") : dataDir;
        try {
            BrokerConfig config;
            try {
                config = BrokerConfig.parse(Map.of(
                        BrokerConfig.DATA_DIR, directory.toString(),
                        BrokerConfig.KAFKA_PORT, Integer.toString(kafkaPort),
                        BrokerConfig.HOST, "127.0.0.1"));
            } catch (ConfigException e) {
                err.println("Error: " + e.getMessage());
                return BrookCommand.EXIT_USAGE;
            }
            out.println("Starting Brook in this process (data in " + directory + ")");
            out.flush();
            long startNanos = System.nanoTime();
            RunningBroker broker;
            try {
                broker = launcher.start(config);
            } catch (IOException e) {
                err.println("Error: Brook could not start: " + e.getMessage());
                return BrookCommand.EXIT_FAILURE;
            }
            return runAndStop(out, err, config, broker, startNanos, temporary ? directory : null);
        } finally {
            if (temporary) {
                deleteRecursively(directory);
            }
            out.flush();
        }
    }

    /** Runs the demo on a started broker and stops it; Ctrl-C meanwhile stops it too, and removes {@code temporary}. */
    private int runAndStop(
            PrintWriter out,
            PrintWriter err,
            BrokerConfig config,
            RunningBroker broker,
            long startNanos,
            Path temporary)
            throws InterruptedException {
        Thread hook = new Thread(() -> closeOnExit(broker, temporary), "brook-demo-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        String bootstrap = config.host() + ":" + broker.kafkaPort();
        int exitCode;
        try {
            out.println("Brook ready on " + bootstrap + " after " + millisSince(startNanos) + " ms (flush policy "
                    + config.flushPolicy().configName() + ")");
            out.flush();
            exitCode = produceAndConsume(out, bootstrap, config);
        } catch (ExecutionException | KafkaException | TimeoutException e) {
            out.flush();
            err.println("Error: " + CliErrors.message(e, bootstrap));
            exitCode = BrookCommand.EXIT_FAILURE;
        } finally {
            Runtime.getRuntime().removeShutdownHook(hook);
        }
        out.print("Stopping Brook... ");
        out.flush();
        try {
            broker.close();
            out.println("stopped cleanly.");
        } catch (Exception e) {
            out.println();
            err.println("Error: Brook did not stop cleanly: " + e.getMessage());
            return BrookCommand.EXIT_FAILURE;
        }
        if (exitCode == 0) {
            printNextSteps(out);
        }
        return exitCode;
    }

    private int produceAndConsume(PrintWriter out, String bootstrap, BrokerConfig config)
            throws ExecutionException, InterruptedException, TimeoutException {
        createTopic(out, bootstrap);
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerProperties(bootstrap));
        List<TopicPartition> partitions = new ArrayList<>();
        try {
            consumer.partitionsFor(TOPIC).forEach(info -> partitions.add(new TopicPartition(TOPIC, info.partition())));
            partitions.sort(Comparator.comparingInt(TopicPartition::partition));
            consumer.assign(partitions);
            // Only this run's records: fix the start positions at the partitions' current ends, before producing.
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
        } catch (KafkaException e) {
            consumer.close();
            throw e;
        }
        DemoConsumer demoConsumer = new DemoConsumer(consumer, out);
        Thread consumerThread = new Thread(demoConsumer, "brook-demo-consumer");
        consumerThread.start();
        out.println("Producing " + events + " click events (key = user id); a consumer in this process prints them"
                + " as they arrive:");
        out.println();
        out.flush();

        long startNanos = System.nanoTime();
        long ackNanos = 0;
        int produced = 0;
        Map<Integer, Set<String>> keysByPartition = new TreeMap<>();
        Map<Integer, Integer> countByPartition = new TreeMap<>();
        for (TopicPartition partition : partitions) {
            keysByPartition.put(partition.partition(), new TreeSet<>());
            countByPartition.put(partition.partition(), 0);
        }
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProperties(bootstrap))) {
            for (int index = 1; index <= events; index++) {
                String user = ClickEvents.user(index);
                String value = ClickEvents.json(index);
                long sendNanos = System.nanoTime();
                RecordMetadata metadata = producer.send(new ProducerRecord<>(TOPIC, user, value))
                        .get(ClientOptions.API_TIMEOUT_MS * 2L, TimeUnit.MILLISECONDS);
                ackNanos += System.nanoTime() - sendNanos;
                produced++;
                demoConsumer.acknowledged(
                        RecordFormat.position(metadata.partition(), metadata.offset()),
                        "produced  " + RecordFormat.position(metadata.partition(), metadata.offset()) + "  key=" + user
                                + "  " + value);
                keysByPartition
                        .computeIfAbsent(metadata.partition(), partition -> new TreeSet<>())
                        .add(user);
                countByPartition.merge(metadata.partition(), 1, Integer::sum);
                if (intervalMs > 0 && index < events) {
                    Thread.sleep(intervalMs);
                }
            }
        } finally {
            demoConsumer.awaitConsumed(produced, CONSUMER_GRACE);
            demoConsumer.stop();
            consumerThread.join(CONSUMER_GRACE.toMillis());
        }
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        int consumed = demoConsumer.consumed();

        out.println();
        out.println("Summary");
        out.printf(
                Locale.ROOT,
                "  produced %d click events and consumed %d of them in %.1f s%n",
                produced,
                consumed,
                seconds);
        out.printf(
                Locale.ROOT,
                "  a produce (acks=all) was acknowledged after %.1f ms on average%s%n",
                ackNanos / 1e6 / produced,
                config.flushPolicy().configName().equals("per-ack") ? ", once its record was fsynced to disk" : "");
        out.printf(
                Locale.ROOT,
                "  a record reached the consumer %.1f ms after it was sent, on average%n",
                demoConsumer.averageLatencyMillis());
        out.println();
        Table table = new Table("PARTITION", "RECORDS", "KEYS");
        keysByPartition.forEach((partition, keys) -> table.row(
                "p" + partition, countByPartition.get(partition), keys.isEmpty() ? "-" : String.join(", ", keys)));
        table.print(out, "  ");
        out.println("  A key always goes to the same partition, so each user's clicks are read in the order made.");
        out.println();
        out.flush();
        if (demoConsumer.failure() != null) {
            throw new KafkaException("the consumer failed", demoConsumer.failure());
        }
        if (consumed < produced) {
            throw new KafkaException("the consumer saw " + consumed + " of " + produced + " records within "
                    + CONSUMER_GRACE.toSeconds() + " s after the last one was produced");
        }
        return 0;
    }

    private static void createTopic(PrintWriter out, String bootstrap) throws ExecutionException, InterruptedException {
        Map<String, Object> properties = common(bootstrap, "brook-demo-admin");
        properties.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, ClientOptions.API_TIMEOUT_MS);
        try (Admin admin = Admin.create(properties)) {
            admin.createTopics(List.of(new NewTopic(TOPIC, Optional.of(PARTITIONS), Optional.empty())))
                    .all()
                    .get();
            out.println("Created topic " + TOPIC + " with " + PARTITIONS + " partitions");
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
            out.println("Topic " + TOPIC + " exists already (from an earlier run); adding to it");
        }
    }

    private static Map<String, Object> consumerProperties(String bootstrap) {
        Map<String, Object> properties = common(bootstrap, "brook-demo-consumer");
        properties.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, ClientOptions.API_TIMEOUT_MS);
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        return properties;
    }

    private static Map<String, Object> producerProperties(String bootstrap) {
        Map<String, Object> properties = common(bootstrap, "brook-demo-producer");
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        // One event at a time: do not wait to fill a batch, so the latencies shown are the broker's.
        properties.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, ClientOptions.API_TIMEOUT_MS);
        properties.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, ClientOptions.API_TIMEOUT_MS * 2);
        properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        return properties;
    }

    private static Map<String, Object> common(String bootstrap, String clientId) {
        Map<String, Object> properties = new TreeMap<>();
        properties.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        properties.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId);
        properties.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, ClientOptions.API_TIMEOUT_MS);
        return properties;
    }

    private void printNextSteps(PrintWriter out) {
        if (dataDir != null) {
            out.println(
                    "The data stays in " + dataDir + "; `./brook server --data-dir " + dataDir + "` serves it again.");
        }
        out.println();
        out.println("Next, run a broker of your own and talk to it (README.md has more):");
        out.println("  ./brook server                                    # in one terminal; Ctrl-C stops it");
        out.println("  ./brook topic create clicks --partitions 3");
        out.println("  printf 'user-1\\t{\"page\":\"/\"}\\n' | ./brook produce clicks");
        out.println("  ./brook consume clicks --from-beginning --print-key --max 1");
    }

    private void throwIfOptionsInvalid() {
        if (events < 1) {
            throw new ParameterException(spec.commandLine(), "--events must be at least 1; got " + events);
        }
        if (intervalMs < 0) {
            throw new ParameterException(spec.commandLine(), "--interval-ms must be >= 0; got " + intervalMs);
        }
    }

    private static long millisSince(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    private static void closeOnExit(RunningBroker broker, Path temporary) {
        try {
            broker.close();
        } catch (Exception e) {
            LOGGER.warn("Closing the demo broker on exit failed", e);
        }
        if (temporary != null) {
            deleteRecursively(temporary);
        }
    }

    private static void deleteRecursively(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            LOGGER.warn("Could not remove the demo's data directory {}", directory, e);
        }
    }

    /**
     * Reads the demo topic on its own thread and prints each record. A consumer may see a record before its producer
     * has the acknowledgement, so a record's line waits (briefly) for the producer's line, to read in causal order.
     */
    private static final class DemoConsumer implements Runnable {
        private final KafkaConsumer<String, String> consumer;
        private final PrintWriter out;
        private final AtomicReference<Exception> failure = new AtomicReference<>();
        private final Set<String> acknowledged = new HashSet<>();
        private volatile boolean stopped;
        private int consumed;
        private long latencyMillisTotal;

        DemoConsumer(KafkaConsumer<String, String> consumer, PrintWriter out) {
            this.consumer = consumer;
            this.out = out;
        }

        @Override
        public void run() {
            try (consumer) {
                while (!stopped) {
                    for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
                        // CreateTime, stamped by the producer in this process: the same clock.
                        long latency = Math.max(0, System.currentTimeMillis() - record.timestamp());
                        String position = RecordFormat.position(record.partition(), record.offset());
                        awaitAcknowledged(position);
                        print("consumed  " + position + "  key=" + record.key() + "  " + record.value() + "  ("
                                + latency + " ms after it was sent)");
                        synchronized (this) {
                            consumed++;
                            latencyMillisTotal += latency;
                            notifyAll();
                        }
                    }
                }
            } catch (WakeupException e) {
                // stop() while polling: the summary reports what arrived.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (KafkaException e) {
                failure.set(e);
            }
        }

        /** The producer got the acknowledgement for {@code position}; prints {@code line}. */
        void acknowledged(String position, String line) {
            print(line);
            synchronized (this) {
                acknowledged.add(position);
                notifyAll();
            }
        }

        private synchronized void awaitAcknowledged(String position) throws InterruptedException {
            long deadline = System.nanoTime() + DISPLAY_ORDER_WAIT.toNanos();
            while (!acknowledged.contains(position) && !stopped) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    return;
                }
                wait(left);
            }
        }

        private void print(String line) {
            synchronized (out) {
                out.println(line);
                out.flush();
            }
        }

        /** Waits until {@code count} records arrived or {@code timeout} passed. */
        synchronized void awaitConsumed(int count, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (consumed < count && failure.get() == null) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    return;
                }
                wait(Math.min(left, 100));
            }
        }

        void stop() {
            stopped = true;
            consumer.wakeup();
        }

        synchronized int consumed() {
            return consumed;
        }

        synchronized double averageLatencyMillis() {
            return consumed == 0 ? 0 : (double) latencyMillisTotal / consumed;
        }

        Exception failure() {
            return failure.get();
        }
    }
}
