package io.brook.push;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Push subscriptions: create, list, describe, pause, resume and delete them, and deliver the active ones. Each
 * subscription is the consumer group {@code push.NAME}, driven by a {@link SubscriptionRunner} thread over kafka-clients
 * on the broker's address; its committed offsets are the delivery progress, so Kafka's group tools show it with lag.
 * Definitions (and paused states) live in {@code <dataDir>/push/subscriptions.json} and are delivered again after a
 * restart. A new subscription starts at the topic's end at creation time.
 *
 * <p>Lifecycle: {@link #start} loads the definitions and starts the active ones; their runners wait until {@code
 * bootstrap} gives an address, so the service can start beside the broker. The methods are safe from any thread (they
 * are serialised). {@link #close()} stops every runner (batches in flight stay uncommitted and are delivered again
 * later) and the admin client; it is idempotent.
 */
public final class PushService implements PushMetrics, AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(PushService.class);
    private static final long ADMIN_TIMEOUT_MS = 15_000;

    private final Supplier<String> bootstrap;
    private final PushSettings settings;
    private final SubscriptionStore store;
    private final ExecutorService httpExecutor;
    private final ExecutorService control;
    private final HttpClient http;
    private final RetryPolicy retryPolicy;
    private final Map<String, Entry> subscriptions = new TreeMap<>();
    private Admin admin;
    private boolean closed;

    /** A subscription and, when active, its runner. */
    private static final class Entry {
        final SubscriptionSpec spec;
        final Counters counters = new Counters();
        // Written under the service's lock; read without it by metrics.
        volatile SubscriptionState state;
        SubscriptionRunner runner;

        Entry(SubscriptionSpec spec, SubscriptionState state) {
            this.spec = spec;
            this.state = state;
        }
    }

    private PushService(Supplier<String> bootstrap, Path dataDir, PushSettings settings) {
        this.bootstrap = bootstrap;
        this.settings = settings;
        this.store = new SubscriptionStore(dataDir);
        AtomicInteger threads = new AtomicInteger();
        this.httpExecutor = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "brook-push-http-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.control = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "brook-push-control");
            thread.setDaemon(true);
            return thread;
        });
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.requestTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(httpExecutor)
                .build();
        this.retryPolicy = new RetryPolicy(settings, RandomGenerator.getDefault());
    }

    /** Starts with the default settings. */
    public static PushService start(Supplier<String> bootstrap, Path dataDir) throws IOException {
        return start(bootstrap, dataDir, PushSettings.defaults());
    }

    /**
     * Loads the definitions under {@code dataDir} and starts delivering the active ones once {@code bootstrap} (read
     * until it is not null) gives the broker's address.
     */
    public static PushService start(Supplier<String> bootstrap, Path dataDir, PushSettings settings)
            throws IOException {
        requireNonNull(bootstrap, "bootstrap is null");
        requireNonNull(dataDir, "dataDir is null");
        requireNonNull(settings, "settings is null");
        PushService service = new PushService(bootstrap, dataDir, settings);
        List<SubscriptionStore.Stored> stored;
        try {
            stored = service.store.load();
        } catch (IOException | RuntimeException e) {
            service.close();
            throw new IOException(
                    "cannot read push subscriptions from " + service.store.file() + ": " + e.getMessage(), e);
        }
        synchronized (service) {
            for (SubscriptionStore.Stored subscription : stored) {
                Entry entry = new Entry(subscription.spec(), subscription.state());
                service.subscriptions.put(subscription.spec().name(), entry);
                if (entry.state == SubscriptionState.ACTIVE) {
                    service.startRunner(entry);
                }
            }
        }
        LOGGER.info("Push subscriptions: {} loaded from {}", stored.size(), service.store.file());
        return service;
    }

    /** Creates a subscription that delivers the topic's records from its current end on; answers its status. */
    public synchronized SubscriptionStatus create(SubscriptionSpec spec) {
        throwIfClosed();
        spec.validate();
        if (subscriptions.containsKey(spec.name())) {
            throw new PushException(
                    PushException.Code.SUBSCRIPTION_EXISTS,
                    "push subscription '" + spec.name() + "' exists already; delete it first or choose another name");
        }
        Admin client = admin();
        int partitions = partitionCount(client, spec.topic(), "topic");
        if (spec.deadLetterTopic().isPresent()) {
            partitionCount(client, spec.deadLetterTopic().get(), "dead-letter topic");
        }
        // The group starts at the topic's end, so that "from now on" does not race the runner's first poll.
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (int partition = 0; partition < partitions; partition++) {
            latest.put(new TopicPartition(spec.topic(), partition), OffsetSpec.latest());
        }
        Map<TopicPartition, ListOffsetsResultInfo> ends =
                await(client.listOffsets(latest).all(), "list offsets");
        Map<TopicPartition, OffsetAndMetadata> start = new HashMap<>();
        ends.forEach((partition, info) -> start.put(partition, new OffsetAndMetadata(info.offset())));
        await(client.alterConsumerGroupOffsets(spec.groupId(), start).all(), "commit start offsets");

        Entry entry = new Entry(spec, SubscriptionState.ACTIVE);
        subscriptions.put(spec.name(), entry);
        try {
            save();
        } catch (RuntimeException e) {
            subscriptions.remove(spec.name());
            throw e;
        }
        startRunner(entry);
        LOGGER.info(
                "Push subscription {}: created on {} ({} partitions) to {}",
                spec.name(),
                spec.topic(),
                partitions,
                spec.url());
        return status(entry, List.of());
    }

    /** Every subscription, sorted by name, without lag (see {@link #describe}). */
    public synchronized List<SubscriptionStatus> list() {
        List<SubscriptionStatus> all = new ArrayList<>();
        for (Entry entry : subscriptions.values()) {
            all.add(status(entry, List.of()));
        }
        return List.copyOf(all);
    }

    /** One subscription with its lag per partition, asked of the broker. */
    public SubscriptionStatus describe(String name) {
        Entry entry;
        Admin client;
        synchronized (this) {
            throwIfClosed();
            entry = entry(name);
            client = admin();
        }
        return status(entry, lag(client, entry.spec));
    }

    /** Stops delivering; the committed offsets stay, and {@link #resume} goes on from them. Idempotent. */
    public SubscriptionStatus pause(String name) {
        SubscriptionRunner runner;
        Entry entry;
        synchronized (this) {
            throwIfClosed();
            entry = entry(name);
            runner = entry.runner;
            entry.runner = null;
            if (entry.state != SubscriptionState.PAUSED) {
                entry.state = SubscriptionState.PAUSED;
                save();
                LOGGER.info("Push subscription {}: paused", name);
            }
        }
        if (runner != null) {
            runner.close();
        }
        synchronized (this) {
            return status(entry, List.of());
        }
    }

    /** Delivers again from the committed offsets. Idempotent. */
    public synchronized SubscriptionStatus resume(String name) {
        throwIfClosed();
        Entry entry = entry(name);
        if (entry.state != SubscriptionState.ACTIVE) {
            entry.state = SubscriptionState.ACTIVE;
            save();
            LOGGER.info("Push subscription {}: resumed", name);
        }
        if (entry.runner == null) {
            startRunner(entry);
        }
        return status(entry, List.of());
    }

    /** Stops delivering, forgets the definition and deletes the subscription's consumer group. */
    public void delete(String name) {
        Entry entry;
        synchronized (this) {
            throwIfClosed();
            entry = entry(name);
            subscriptions.remove(name);
            save();
        }
        if (entry.runner != null) {
            entry.runner.close();
        }
        Admin client;
        synchronized (this) {
            client = admin == null && bootstrap.get() == null ? null : admin();
        }
        if (client != null) {
            try {
                await(client.deleteConsumerGroups(List.of(entry.spec.groupId())).all(), "delete group");
            } catch (PushException e) {
                if (!(e.getCause() instanceof GroupIdNotFoundException)) {
                    LOGGER.warn(
                            "Push subscription {}: deleted, but its group {} was not: {}",
                            name,
                            entry.spec.groupId(),
                            e.getMessage());
                }
            }
        }
        LOGGER.info("Push subscription {}: deleted", name);
    }

    @Override
    public List<PushMetrics.Subscription> subscriptionMetrics() {
        List<Entry> entries;
        synchronized (this) {
            entries = new ArrayList<>(subscriptions.values());
        }
        List<PushMetrics.Subscription> metrics = new ArrayList<>();
        for (Entry entry : entries) {
            long lag;
            try {
                lag = describe(entry.spec.name()).lag();
            } catch (RuntimeException e) {
                // The broker is not reachable, the subscription was just deleted, or the service is closing.
                lag = -1;
            }
            metrics.add(new PushMetrics.Subscription(
                    entry.spec.name(),
                    entry.state,
                    entry.counters.delivered.get(),
                    entry.counters.retries.get(),
                    entry.counters.deadLettered.get(),
                    entry.counters.inFlight.get(),
                    lag));
        }
        return List.copyOf(metrics);
    }

    private void startRunner(Entry entry) {
        SubscriptionRunner[] self = new SubscriptionRunner[1];
        SubscriptionRunner runner = new SubscriptionRunner(
                entry.spec,
                bootstrap,
                http,
                settings,
                retryPolicy,
                entry.counters,
                error -> control.execute(() -> pausedByRunner(entry, self[0], error)));
        self[0] = runner;
        entry.runner = runner;
        runner.start();
    }

    /** A runner gave a batch up with no dead-letter topic: the subscription pauses with that error. */
    private synchronized void pausedByRunner(Entry entry, SubscriptionRunner runner, DeliveryError error) {
        entry.counters.lastError(error);
        if (closed || entry.runner != runner || subscriptions.get(entry.spec.name()) != entry) {
            return;
        }
        entry.runner = null;
        entry.state = SubscriptionState.PAUSED;
        save();
        LOGGER.warn("Push subscription {}: {}", entry.spec.name(), error.message());
    }

    private SubscriptionStatus status(Entry entry, List<PartitionLag> partitions) {
        return new SubscriptionStatus(
                entry.spec,
                entry.state,
                entry.counters.delivered.get(),
                entry.counters.retries.get(),
                entry.counters.deadLettered.get(),
                entry.counters.inFlight.get(),
                entry.counters.lastError(),
                partitions);
    }

    private List<PartitionLag> lag(Admin client, SubscriptionSpec spec) {
        int partitions = partitionCount(client, spec.topic(), "topic");
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (int partition = 0; partition < partitions; partition++) {
            latest.put(new TopicPartition(spec.topic(), partition), OffsetSpec.latest());
        }
        Map<TopicPartition, ListOffsetsResultInfo> ends =
                await(client.listOffsets(latest).all(), "list offsets");
        Map<TopicPartition, OffsetAndMetadata> committed = await(
                client.listConsumerGroupOffsets(spec.groupId()).partitionsToOffsetAndMetadata(), "list group offsets");
        List<PartitionLag> lags = new ArrayList<>();
        for (int partition = 0; partition < partitions; partition++) {
            TopicPartition topicPartition = new TopicPartition(spec.topic(), partition);
            long end = ends.get(topicPartition).offset();
            OffsetAndMetadata offset = committed.get(topicPartition);
            long position = offset == null ? -1 : offset.offset();
            lags.add(new PartitionLag(partition, position, end, Math.max(0, end - Math.max(0, position))));
        }
        return List.copyOf(lags);
    }

    private static int partitionCount(Admin client, String topic, String what) {
        try {
            TopicDescription description = client.describeTopics(Set.of(topic))
                    .allTopicNames()
                    .get(ADMIN_TIMEOUT_MS, TimeUnit.MILLISECONDS)
                    .get(topic);
            return description.partitions().size();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                throw new PushException(
                        PushException.Code.UNKNOWN_TOPIC,
                        what + " '" + topic + "' does not exist; create it first (brook topic create " + topic + ")");
            }
            throw unavailable("describe topic '" + topic + "'", e.getCause());
        } catch (TimeoutException e) {
            throw unavailable("describe topic '" + topic + "'", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable("describe topic '" + topic + "'", e);
        }
    }

    private static <T> T await(org.apache.kafka.common.KafkaFuture<T> future, String what) {
        try {
            return future.get(ADMIN_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw unavailable(what, e.getCause());
        } catch (TimeoutException e) {
            throw unavailable(what, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable(what, e);
        }
    }

    private static PushException unavailable(String what, Throwable cause) {
        return new PushException(
                PushException.Code.BROKER_UNAVAILABLE,
                "cannot " + what + " on the broker: " + cause + "; is the broker running?",
                cause);
    }

    private Entry entry(String name) {
        Entry entry = subscriptions.get(name);
        if (entry == null) {
            throw new PushException(
                    PushException.Code.SUBSCRIPTION_NOT_FOUND,
                    "no push subscription '" + name + "'; list them with brook push list (GET /push/subscriptions)");
        }
        return entry;
    }

    private Admin admin() {
        if (admin == null) {
            String servers = bootstrap.get();
            if (servers == null) {
                throw new PushException(
                        PushException.Code.BROKER_UNAVAILABLE, "the broker is not started yet; try again in a moment");
            }
            Properties properties = new Properties();
            properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
            properties.put(AdminClientConfig.CLIENT_ID_CONFIG, "brook-push-admin");
            properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Long.toString(ADMIN_TIMEOUT_MS));
            properties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
            admin = Admin.create(properties);
        }
        return admin;
    }

    private void save() {
        List<SubscriptionStore.Stored> stored = new ArrayList<>();
        for (Entry entry : subscriptions.values()) {
            stored.add(new SubscriptionStore.Stored(entry.spec, entry.state));
        }
        try {
            store.save(stored);
        } catch (UncheckedIOException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private void throwIfClosed() {
        if (closed) {
            throw new IllegalStateException("the push service is closed");
        }
    }

    /** Stops every runner, then the admin client and the HTTP client's threads. Idempotent. */
    @Override
    public void close() {
        List<SubscriptionRunner> runners = new ArrayList<>();
        Admin client;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            for (Entry entry : subscriptions.values()) {
                if (entry.runner != null) {
                    runners.add(entry.runner);
                    entry.runner = null;
                }
            }
            client = admin;
            admin = null;
        }
        RuntimeException first = null;
        for (SubscriptionRunner runner : runners) {
            try {
                runner.close();
            } catch (RuntimeException e) {
                first = addTo(first, e);
            }
        }
        if (client != null) {
            try {
                client.close(Duration.ofSeconds(5));
            } catch (RuntimeException e) {
                first = addTo(first, e);
            }
        }
        control.shutdownNow();
        httpExecutor.shutdownNow();
        if (first != null) {
            throw first;
        }
    }

    private static RuntimeException addTo(RuntimeException first, RuntimeException next) {
        if (first == null) {
            return next;
        }
        first.addSuppressed(next);
        return first;
    }
}
