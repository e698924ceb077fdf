package io.brook.push;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives one active subscription on its own thread ({@code brook-push-NAME}): a {@link KafkaConsumer} assigned every
 * partition of the topic (partitions added later too, within {@link #PARTITION_CHECK}) under the subscription's group id
 * reads records into a buffer per partition; a partition with no batch in flight sends its next batch (up to
 * batch-max-records, once the oldest buffered record waited batch-max-wait) as one POST on a worker thread; the answer
 * wakes this thread, which commits the partition's offset after a 2xx, schedules a retry, or gives the batch up (to
 * the dead-letter topic, or by pausing the subscription when there is none). The consumer is touched only by this thread. Anything unexpected (the broker gone) ends the session; buffered
 * and in-flight batches are dropped uncommitted and the next session starts again from the committed offsets, so a
 * batch is delivered at least once. {@link #close} stops the thread and waits for it.
 */
final class SubscriptionRunner implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(SubscriptionRunner.class);
    private static final Duration BUSY_POLL = Duration.ofMillis(5);
    private static final Duration IDLE_POLL = Duration.ofMillis(100);
    private static final Duration SESSION_RETRY = Duration.ofSeconds(1);
    /**
     * How often the topic's partitions are counted again, and how old the consumer's metadata may be: partitions added
     * to the topic start delivering within about this long.
     */
    static final Duration PARTITION_CHECK = Duration.ofSeconds(5);

    private static final long KAFKA_TIMEOUT_MS = 30_000;
    private static final int MAX_ERROR_BODY = 200;

    private final SubscriptionSpec spec;
    private final Supplier<String> bootstrap;
    private final HttpClient http;
    /** Where each POST runs, blocking its thread until the answer: one thread per batch in flight. */
    private final Executor executor;

    private final PushSettings settings;
    private final RetryPolicy retryPolicy;
    private final Counters counters;
    private final Consumer<DeliveryError> onStuck;
    private final URI uri;
    private final Thread thread;
    private final int bufferLimit;
    private volatile boolean running = true;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    /** Whether the session's thread is in {@link KafkaConsumer#poll}, where a wakeup is meant for it. */
    private volatile boolean polling;
    /** The next offset to deliver of each partition, as last committed (or being committed) in this session. */
    private final Map<TopicPartition, OffsetAndMetadata> delivered = new HashMap<>();

    SubscriptionRunner(
            SubscriptionSpec spec,
            Supplier<String> bootstrap,
            HttpClient http,
            PushSettings settings,
            RetryPolicy retryPolicy,
            Counters counters,
            Consumer<DeliveryError> onStuck) {
        this.spec = spec;
        this.bootstrap = bootstrap;
        this.http = http;
        this.executor = http.executor().orElseThrow(() -> new IllegalArgumentException("http has no executor"));
        this.settings = settings;
        this.retryPolicy = retryPolicy;
        this.counters = counters;
        this.onStuck = onStuck;
        this.uri = URI.create(spec.url());
        this.bufferLimit = 2 * spec.batchMaxRecords() + 500;
        this.thread = new Thread(this::run, "brook-push-" + spec.name());
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** One partition's buffer and its batch in flight (or waiting to be retried). */
    private static final class PartitionState {
        final TopicPartition partition;
        final Deque<ConsumerRecord<byte[], byte[]>> buffer = new ArrayDeque<>();
        long oldestBufferedNanos;
        boolean pausedInConsumer;
        Batch batch;

        PartitionState(TopicPartition partition) {
            this.partition = partition;
        }
    }

    /** A batch being delivered: its records, its body (the same bytes on every attempt) and its attempts so far. */
    private static final class Batch {
        final List<ConsumerRecord<byte[], byte[]>> records;
        final byte[] body;
        int attempts;
        CompletableFuture<Answer> answer;
        long retryAtNanos;

        Batch(List<ConsumerRecord<byte[], byte[]>> records, byte[] body) {
            this.records = records;
            this.body = body;
        }

        long lastOffset() {
            return records.get(records.size() - 1).offset();
        }
    }

    /** The outcome of one POST: the status (0 when none came) and the Retry-After header, or what failed. */
    private record Answer(int status, Optional<String> retryAfter, String message) {}

    private void run() {
        while (running) {
            String servers = bootstrap.get();
            if (servers == null) {
                sleep(Duration.ofMillis(50));
                continue;
            }
            try {
                session(servers);
            } catch (WakeupException e) {
                if (running) {
                    LOGGER.warn("Push subscription {}: woken up while running; starting again", spec.name());
                }
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                counters.lastError(new DeliveryError(settings.clock().instant(), 0, "delivery stopped: " + e));
                LOGGER.warn(
                        "Push subscription {}: delivery stopped ({}); starting again from the committed offsets in {}",
                        spec.name(),
                        e.toString(),
                        SESSION_RETRY,
                        e);
                sleep(SESSION_RETRY);
            }
        }
    }

    private void session(String servers) {
        KafkaProducer<byte[], byte[]> producer = null;
        try (KafkaConsumer<byte[], byte[]> kafka = new KafkaConsumer<>(
                consumerProperties(servers), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer = kafka;
            delivered.clear();
            if (!running) {
                return;
            }
            List<PartitionInfo> infos = kafka.partitionsFor(spec.topic(), Duration.ofMillis(KAFKA_TIMEOUT_MS));
            if (infos == null || infos.isEmpty()) {
                throw new IllegalStateException("topic '" + spec.topic() + "' has no partitions (deleted?)");
            }
            Map<TopicPartition, PartitionState> states = new LinkedHashMap<>();
            assignNew(kafka, states, infos);
            LOGGER.info(
                    "Push subscription {}: delivering {} partitions of {} to {}",
                    spec.name(),
                    states.size(),
                    spec.topic(),
                    spec.url());
            long nextPartitionCheck = System.nanoTime() + PARTITION_CHECK.toNanos();
            if (spec.deadLetterTopic().isPresent()) {
                producer = new KafkaProducer<>(
                        producerProperties(servers), new ByteArraySerializer(), new ByteArraySerializer());
            }
            while (running) {
                boolean busy =
                        states.values().stream().anyMatch(state -> state.batch != null || !state.buffer.isEmpty());
                ConsumerRecords<byte[], byte[]> records = poll(kafka, busy ? BUSY_POLL : IDLE_POLL);
                long now = System.nanoTime();
                if (now - nextPartitionCheck >= 0) {
                    nextPartitionCheck = now + PARTITION_CHECK.toNanos();
                    List<TopicPartition> added = assignNew(
                            kafka,
                            states,
                            unwoken(() -> kafka.partitionsFor(spec.topic(), Duration.ofMillis(KAFKA_TIMEOUT_MS))));
                    if (!added.isEmpty()) {
                        LOGGER.info(
                                "Push subscription {}: {} added to {}, delivering them too",
                                spec.name(),
                                added,
                                spec.topic());
                    }
                }
                for (TopicPartition partition : records.partitions()) {
                    PartitionState state = states.get(partition);
                    if (state.buffer.isEmpty()) {
                        state.oldestBufferedNanos = now;
                    }
                    state.buffer.addAll(records.records(partition));
                }
                for (PartitionState state : states.values()) {
                    if (!running) {
                        break;
                    }
                    if (!step(kafka, producer, state, now)) {
                        running = false;
                        break;
                    }
                    flowControl(kafka, state);
                }
            }
            commitDeliveredNow(kafka);
        } finally {
            consumer = null;
            if (producer != null) {
                producer.close(Duration.ofSeconds(5));
            }
        }
    }

    /**
     * Adds the partitions of {@code infos} that {@code states} lacks, assigns the consumer all of them (the others keep
     * their positions and pauses) and starts each new one at its committed offset, or at its beginning: a partition
     * added after the subscription began holds only records from after that. Returns the new ones, by number.
     */
    private List<TopicPartition> assignNew(
            KafkaConsumer<byte[], byte[]> kafka,
            Map<TopicPartition, PartitionState> states,
            List<PartitionInfo> infos) {
        List<TopicPartition> added = infos == null
                ? List.of()
                : infos.stream()
                        .map(info -> new TopicPartition(info.topic(), info.partition()))
                        .filter(partition -> !states.containsKey(partition))
                        .sorted((a, b) -> Integer.compare(a.partition(), b.partition()))
                        .toList();
        if (added.isEmpty()) {
            return added;
        }
        added.forEach(partition -> states.put(partition, new PartitionState(partition)));
        kafka.assign(states.keySet());
        Map<TopicPartition, OffsetAndMetadata> committed =
                unwoken(() -> kafka.committed(Set.copyOf(added), Duration.ofMillis(KAFKA_TIMEOUT_MS)));
        for (TopicPartition partition : added) {
            OffsetAndMetadata offset = committed.get(partition);
            if (offset != null) {
                kafka.seek(partition, offset.offset());
            } else {
                kafka.seekToBeginning(List.of(partition));
            }
        }
        return added;
    }

    /** Moves one partition on; false when the subscription must stop (it paused itself). */
    private boolean step(
            KafkaConsumer<byte[], byte[]> kafka,
            KafkaProducer<byte[], byte[]> producer,
            PartitionState state,
            long now) {
        Batch batch = state.batch;
        if (batch != null && batch.answer != null && batch.answer.isDone()) {
            Answer answer = batch.answer.join();
            batch.answer = null;
            if (RetryPolicy.delivered(answer.status())) {
                commit(kafka, state.partition, batch.lastOffset() + 1);
                counters.delivered.addAndGet(batch.records.size());
                state.batch = null;
            } else {
                Instant at = settings.clock().instant();
                DeliveryError error = new DeliveryError(at, answer.status(), answer.message());
                counters.lastError(error);
                boolean final4xx = answer.status() > 0 && !RetryPolicy.retryable(answer.status());
                if (!final4xx && batch.attempts < spec.maxAttempts()) {
                    counters.retries.incrementAndGet();
                    Duration delay = retryPolicy.delay(batch.attempts, answer.status(), answer.retryAfter(), at);
                    batch.retryAtNanos = now + delay.toNanos();
                } else if (producer != null) {
                    deadLetter(kafka, producer, state, batch, error);
                    state.batch = null;
                } else {
                    LOGGER.warn(
                            "Push subscription {}: batch {} offsets {}-{} failed after {} attempts ({}) and there is no"
                                    + " dead-letter topic; pausing the subscription",
                            spec.name(),
                            state.partition,
                            batch.records.get(0).offset(),
                            batch.lastOffset(),
                            batch.attempts,
                            error.message());
                    onStuck.accept(new DeliveryError(
                            at,
                            error.status(),
                            "paused: " + state.partition + " offsets "
                                    + batch.records.get(0).offset() + "-"
                                    + batch.lastOffset() + " failed after " + batch.attempts + " attempts and there"
                                    + " is no dead-letter topic: " + error.message()));
                    return false;
                }
            }
        }
        batch = state.batch;
        if (batch != null && batch.answer == null && now - batch.retryAtNanos >= 0) {
            send(state.partition, batch);
        }
        if (state.batch == null && !state.buffer.isEmpty()) {
            boolean full = state.buffer.size() >= spec.batchMaxRecords();
            boolean waited = now - state.oldestBufferedNanos >= spec.batchMaxWaitMs() * 1_000_000L;
            if (full || waited) {
                List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
                while (records.size() < spec.batchMaxRecords() && !state.buffer.isEmpty()) {
                    records.add(state.buffer.pollFirst());
                }
                Batch next = new Batch(
                        records,
                        BatchJson.body(spec.name(), state.partition.topic(), state.partition.partition(), records));
                state.batch = next;
                send(state.partition, next);
            }
        }
        return true;
    }

    private void flowControl(KafkaConsumer<byte[], byte[]> kafka, PartitionState state) {
        if (!state.pausedInConsumer && state.buffer.size() >= bufferLimit) {
            kafka.pause(List.of(state.partition));
            state.pausedInConsumer = true;
        } else if (state.pausedInConsumer && state.buffer.size() < bufferLimit) {
            kafka.resume(List.of(state.partition));
            state.pausedInConsumer = false;
        }
    }

    private void send(TopicPartition partition, Batch batch) {
        batch.attempts++;
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(settings.requestTimeout())
                .header("Content-Type", "application/json")
                .header("Brook-Subscription", spec.name())
                .header(
                        "Brook-Batch-Id",
                        partition.topic() + "-" + partition.partition() + "-"
                                + batch.records.get(0).offset() + "-" + batch.lastOffset())
                .header("Brook-Attempt", Integer.toString(batch.attempts))
                .POST(HttpRequest.BodyPublishers.ofByteArray(batch.body));
        if (spec.secret().isPresent()) {
            long timestamp = settings.clock().instant().getEpochSecond();
            request.header(PushSignature.TIMESTAMP_HEADER, Long.toString(timestamp));
            request.header(
                    PushSignature.SIGNATURE_HEADER,
                    PushSignature.sign(spec.secret().get(), timestamp, batch.body));
        }
        counters.inFlight.incrementAndGet();
        CompletableFuture<Answer> answer;
        HttpRequest built = request.build();
        try {
            // The blocking send on a worker: the JDK client's sendAsync hands each exchange between several threads,
            // which cost a millisecond or more per POST on a loaded machine (measured: 1.1 ms against 0.3 ms idle).
            answer = CompletableFuture.supplyAsync(() -> exchange(built), executor);
        } catch (RuntimeException e) {
            answer = CompletableFuture.completedFuture(new Answer(0, Optional.empty(), "cannot send: " + e));
        }
        batch.answer = answer.whenComplete((ignored, error) -> {
            counters.inFlight.decrementAndGet();
            wakePoll();
        });
    }

    /** One POST, on a worker thread: its answer, or what failed. */
    private Answer exchange(HttpRequest request) {
        try {
            return answered(http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)));
        } catch (IOException | RuntimeException e) {
            return failed(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed(e);
        }
    }

    /** No answer came: the status is 0 and the message says why. */
    private Answer failed(Exception error) {
        String what = error instanceof HttpTimeoutException
                ? "no answer within " + settings.requestTimeout().toMillis() + " ms"
                : error instanceof IOException ? "connection failed: " + error : "failed: " + error;
        return new Answer(0, Optional.empty(), "POST " + spec.url() + ": " + what);
    }

    private Answer answered(HttpResponse<String> response) {
        String body = response.body() == null ? "" : response.body().strip();
        if (body.length() > MAX_ERROR_BODY) {
            body = body.substring(0, MAX_ERROR_BODY) + "...";
        }
        return new Answer(
                response.statusCode(),
                response.headers().firstValue("Retry-After"),
                "POST " + spec.url() + ": HTTP " + response.statusCode() + (body.isEmpty() ? "" : ": " + body));
    }

    /**
     * Commits a partition's progress without waiting: the next batch goes out while the group's offset is written (an
     * fsync under the default flush policy), which would otherwise add that to every batch's latency. At least once
     * still holds: the offset is committed only after the 2xx (or the dead-letter write); a commit lost in a crash
     * only means the batch comes again. A failed commit is superseded by the partition's next one, and
     * {@link #commitDeliveredNow} writes the latest of each partition when the session ends in order.
     */
    private void commit(KafkaConsumer<byte[], byte[]> kafka, TopicPartition partition, long nextOffset) {
        OffsetAndMetadata offset = new OffsetAndMetadata(nextOffset);
        delivered.put(partition, offset);
        kafka.commitAsync(Map.of(partition, offset), (offsets, error) -> {
            if (error != null && running) {
                LOGGER.warn(
                        "Push subscription {}: committing {} failed ({}); the next commit covers it",
                        spec.name(),
                        offsets,
                        error.toString());
            }
        });
    }

    /**
     * Commits the latest delivered offset of every partition and waits: when a session ends in order (close, pause,
     * delete), the group shows exactly what was delivered.
     */
    private void commitDeliveredNow(KafkaConsumer<byte[], byte[]> kafka) {
        if (delivered.isEmpty()) {
            return;
        }
        try {
            unwoken(() -> {
                kafka.commitSync(Map.copyOf(delivered), Duration.ofMillis(KAFKA_TIMEOUT_MS));
                return null;
            });
        } catch (KafkaException e) {
            LOGGER.warn(
                    "Push subscription {}: the last offsets were not committed ({}); their batches will come again",
                    spec.name(),
                    e.toString());
        }
    }

    /**
     * Polls, returning early when a delivery's answer arrives ({@link #wakePoll}): the partition's next batch then goes
     * out at once instead of after the poll's timeout. {@link #close} wakes it too, with {@link #running} false.
     */
    private ConsumerRecords<byte[], byte[]> poll(KafkaConsumer<byte[], byte[]> kafka, Duration timeout) {
        polling = true;
        try {
            return kafka.poll(timeout);
        } catch (WakeupException e) {
            return ConsumerRecords.empty();
        } finally {
            polling = false;
        }
    }

    /** Wakes the poll, if the session's thread is in one, to handle an answer that just came. */
    private void wakePoll() {
        KafkaConsumer<byte[], byte[]> current = consumer;
        if (polling && current != null) {
            current.wakeup();
        }
    }

    /**
     * Runs a blocking consumer call once more when a wakeup meant for a poll interrupts it: an answer that came just as
     * the poll returned, or {@link #close} (the loop then ends at its next check, after the last commit).
     */
    private static <T> T unwoken(Supplier<T> call) {
        try {
            return call.get();
        } catch (WakeupException e) {
            return call.get();
        }
    }

    private void deadLetter(
            KafkaConsumer<byte[], byte[]> kafka,
            KafkaProducer<byte[], byte[]> producer,
            PartitionState state,
            Batch batch,
            DeliveryError error) {
        String topic = spec.deadLetterTopic().orElseThrow();
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : batch.records) {
            RecordHeaders headers = new RecordHeaders();
            for (Header header : record.headers()) {
                headers.add(header);
            }
            header(headers, "brook.push.subscription", spec.name());
            header(headers, "brook.push.topic", record.topic());
            header(headers, "brook.push.partition", Integer.toString(record.partition()));
            header(headers, "brook.push.offset", Long.toString(record.offset()));
            if (error.status() > 0) {
                header(headers, "brook.push.status", Integer.toString(error.status()));
            }
            header(headers, "brook.push.error", error.message());
            header(headers, "brook.push.attempts", Integer.toString(batch.attempts));
            header(headers, "brook.push.time", error.time().toString());
            sent.add(producer.send(
                    new ProducerRecord<>(topic, null, record.timestamp(), record.key(), record.value(), headers)));
        }
        producer.flush();
        try {
            for (Future<RecordMetadata> future : sent) {
                future.get(KAFKA_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing to dead-letter topic " + topic, e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot write to dead-letter topic '" + topic + "': " + e, e);
        }
        commit(kafka, state.partition, batch.lastOffset() + 1);
        counters.deadLettered.addAndGet(batch.records.size());
        LOGGER.warn(
                "Push subscription {}: {} offsets {}-{} dead-lettered to {} after {} attempts: {}",
                spec.name(),
                state.partition,
                batch.records.get(0).offset(),
                batch.lastOffset(),
                topic,
                batch.attempts,
                error.message());
    }

    private static void header(RecordHeaders headers, String key, String value) {
        headers.add(key, value.getBytes(StandardCharsets.UTF_8));
    }

    private Properties consumerProperties(String servers) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, spec.groupId());
        properties.put(ConsumerConfig.CLIENT_ID_CONFIG, "brook-push-" + spec.name());
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "500");
        properties.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, Long.toString(PARTITION_CHECK.toMillis()));
        return properties;
    }

    private Properties producerProperties(String servers) {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        properties.put(ProducerConfig.CLIENT_ID_CONFIG, "brook-push-" + spec.name() + "-dead-letter");
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        properties.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(KAFKA_TIMEOUT_MS));
        return properties;
    }

    private void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    /** Stops delivering: batches in flight are left uncommitted (delivered again later). Idempotent. */
    @Override
    public void close() {
        running = false;
        KafkaConsumer<byte[], byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        if (Thread.currentThread() != thread) {
            try {
                thread.join(KAFKA_TIMEOUT_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
