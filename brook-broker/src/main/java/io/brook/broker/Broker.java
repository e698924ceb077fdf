package io.brook.broker;

import static java.util.Objects.requireNonNull;

import io.brook.broker.admin.ClusterHandler;
import io.brook.broker.admin.ConfigsHandler;
import io.brook.broker.admin.MetadataHandler;
import io.brook.broker.admin.TopicAdminHandler;
import io.brook.broker.fetch.FetchHandler;
import io.brook.broker.fetch.ListOffsetsHandler;
import io.brook.broker.fetch.PartitionWatchers;
import io.brook.broker.group.GroupCoordinator;
import io.brook.broker.group.GroupHandler;
import io.brook.broker.group.GroupLog;
import io.brook.broker.network.KafkaServer;
import io.brook.broker.network.RequestMetrics;
import io.brook.broker.produce.ProduceHandler;
import io.brook.broker.produce.ProducerIdManager;
import io.brook.broker.topic.TopicConfigs;
import io.brook.broker.topic.TopicManager;
import io.brook.broker.topic.TopicMetrics;
import io.brook.log.FileSystemStorage;
import io.brook.log.LogManager;
import io.brook.log.Storage;
import io.brook.log.Time;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Brook broker: the Kafka listener, the topics and their logs. {@link #start} returns once the listener
 * accepts connections; {@link #close} stops accepting, closes connections, finishes in-flight work, flushes every log
 * and writes the clean-shutdown marker. {@code close()} is idempotent.
 */
public final class Broker implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(Broker.class);
    private static final String META_FILE = "meta.properties";

    private final BrokerConfig config;
    private final List<AutoCloseable> resources;
    private final KafkaServer server;
    private final String clusterId;
    private boolean closed;

    private Broker(BrokerConfig config, KafkaServer server, String clusterId, List<AutoCloseable> resources) {
        this.config = config;
        this.server = server;
        this.clusterId = clusterId;
        this.resources = resources;
    }

    public static Broker start(BrokerConfig config) throws IOException {
        return start(config, FileSystemStorage.INSTANCE, Time.SYSTEM, null);
    }

    /**
     * Starts a broker that counts its requests (per API: requests, bytes in, bytes out; see {@link RequestMetrics}) in
     * {@code metrics}, which its owner serves (the HTTP API's {@code /metrics}) and closes after the broker.
     */
    public static Broker start(BrokerConfig config, MeterRegistry metrics) throws IOException {
        requireNonNull(metrics, "metrics is null");
        return start(config, FileSystemStorage.INSTANCE, Time.SYSTEM, metrics);
    }

    static Broker start(BrokerConfig config, Storage storage, Time time) throws IOException {
        return start(config, storage, time, null);
    }

    private static Broker start(BrokerConfig config, Storage storage, Time time, MeterRegistry metrics)
            throws IOException {
        requireNonNull(config, "config is null");
        long started = System.nanoTime();
        // Resources in the order they open; closed in reverse.
        List<AutoCloseable> resources = new ArrayList<>();
        try {
            Path dataDir = config.dataDir().toAbsolutePath();
            storage.createDirectories(dataDir);
            resources.add(lockDataDir(dataDir));
            String clusterId = loadOrCreateClusterId(storage, dataDir, config.nodeId());
            LogManager logs = LogManager.open(dataDir, storage, time, config.flushPolicy());
            resources.add(logs);
            TopicManager topics = TopicManager.load(storage, logs, new TopicConfigs(config));
            ProducerIdManager producerIds = ProducerIdManager.open(storage, dataDir);
            ExecutorService handlers = Executors.newFixedThreadPool(config.ioThreads(), named("brook-io"));
            resources.add(() -> shutdown(handlers));
            ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, named("brook-timer"));
            // Timers (long polls, group sessions) are moot once the broker stops; shutdown must not wait for them.
            timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
            timer.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
            timer.setRemoveOnCancelPolicy(true);
            resources.add(() -> shutdown(timer));
            AtomicInteger boundPort = new AtomicInteger(config.kafkaPort());
            BrokerContext context = new BrokerContext(config, clusterId, boundPort::get, topics, logs, time);
            PartitionWatchers watchers = new PartitionWatchers();
            TopicMetrics topicMetrics = TopicMetrics.of(metrics);
            BrokerApis apis = new BrokerApis();
            // Offsets and groups live in a private compacted log: the latest record per group and partition is kept.
            GroupLog groupLog = GroupLog.open(
                    logs,
                    topics.configs()
                            .logConfig(
                                    Map.of("cleanup.policy", "compact", "segment.bytes", Integer.toString(100 << 20))));
            GroupCoordinator groups = GroupCoordinator.load(config.groups(), timer, time, groupLog, topics);
            groups.startOffsetExpiry();
            KafkaApis handler = new KafkaApis(
                    apis,
                    new MetadataHandler(context),
                    new TopicAdminHandler(context, topicMetrics),
                    new ConfigsHandler(context),
                    new ClusterHandler(context),
                    new ProduceHandler(context, watchers, producerIds, topicMetrics),
                    new FetchHandler(context, watchers, timer, handlers, topicMetrics),
                    new ListOffsetsHandler(context),
                    new GroupHandler(context, groups));
            int networkThreads = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
            KafkaServer server = KafkaServer.start(
                    config.host(),
                    config.kafkaPort(),
                    config.socketRequestMaxBytes(),
                    networkThreads,
                    handler,
                    apis,
                    handlers,
                    metrics == null
                            ? RequestMetrics.NONE
                            : RequestMetrics.register(metrics, apis.ranges().keySet()));
            resources.add(server);
            boundPort.set(server.port());
            logs.startBackgroundTasks(
                    config.retentionCheckIntervalMs(),
                    config.flushIntervalMs(),
                    config.backgroundFlushBytes(),
                    config.cleanerBackoffMs());
            LOGGER.info(
                    "Brook broker {} of cluster {} started in {} ms on {}:{} (data in {}, flush policy {})",
                    config.nodeId(),
                    clusterId,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started),
                    config.host(),
                    server.port(),
                    dataDir,
                    config.flushPolicy().configName());
            return new Broker(config, server, clusterId, resources);
        } catch (IOException | RuntimeException e) {
            closeAll(resources, e);
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            IOException failure = new IOException("interrupted while starting the broker", e);
            closeAll(resources, failure);
            throw failure;
        }
    }

    /** Holds an OS lock on the data directory, so a second broker on it fails at once (released if we die). */
    private static AutoCloseable lockDataDir(Path dataDir) throws IOException {
        java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(
                dataDir.resolve(".lock"),
                java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.WRITE);
        java.nio.channels.FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            channel.close();
            throw new IOException("data directory " + dataDir + " is in use by another Brook process");
        }
        return channel::close;
    }

    private static ThreadFactory named(String prefix) {
        AtomicInteger counter = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    private static void shutdown(ExecutorService executor) throws InterruptedException {
        executor.shutdown();
        if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
            executor.shutdownNow();
        }
    }

    private static String loadOrCreateClusterId(Storage storage, Path dataDir, int nodeId) throws IOException {
        Path file = dataDir.resolve(META_FILE);
        Properties properties = new Properties();
        if (storage.exists(file)) {
            properties.load(new StringReader(new String(storage.readAll(file), StandardCharsets.UTF_8)));
            String clusterId = properties.getProperty("cluster.id");
            String storedNode = properties.getProperty("node.id");
            if (clusterId == null || storedNode == null) {
                throw new IOException(file + " lacks cluster.id or node.id; it is not a Brook data directory");
            }
            if (!storedNode.equals(Integer.toString(nodeId))) {
                throw new IOException("data directory " + dataDir + " belongs to node.id " + storedNode
                        + " but the configuration says node.id=" + nodeId);
            }
            return clusterId;
        }
        String clusterId = Uuid.randomUuid().toString();
        properties.setProperty("cluster.id", clusterId);
        properties.setProperty("node.id", Integer.toString(nodeId));
        properties.setProperty("version", "1");
        StringWriter text = new StringWriter();
        properties.store(text, "Brook data directory");
        storage.writeAtomically(file, text.toString().getBytes(StandardCharsets.UTF_8));
        return clusterId;
    }

    public BrokerConfig config() {
        return config;
    }

    public String clusterId() {
        return clusterId;
    }

    /** The port the Kafka listener is bound to (useful when the config asked for port 0). */
    public int kafkaPort() {
        return server.port();
    }

    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        LOGGER.info("Brook broker shutting down");
        closeAll(resources, null);
        LOGGER.info("Brook broker stopped");
    }

    private static void closeAll(List<AutoCloseable> resources, Exception primary) throws IOException {
        Exception failure = primary;
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        resources.clear();
        if (primary == null && failure != null) {
            throw failure instanceof IOException io ? io : new IOException("broker shutdown failed", failure);
        }
    }
}
