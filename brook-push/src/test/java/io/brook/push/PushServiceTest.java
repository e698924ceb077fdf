package io.brook.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PushServiceTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final PushSettings FAST = new PushSettings(
            Duration.ofMillis(400),
            Duration.ofMillis(5),
            Duration.ofMillis(100),
            Duration.ofSeconds(2),
            Clock.systemUTC());

    @TempDir
    Path dir;

    @Test
    void deliversEveryRecordAtLeastOnceInOrderThroughChaosAndDeadLettersPoison() throws Exception {
        // Given
        try (TestBroker broker = TestBroker.start(dir.resolve("broker"));
                Receiver receiver = new Receiver(Receiver.chaos(42, 1_000), "s3cret");
                PushService push = PushService.start(broker::bootstrapServers, dir.resolve("broker"), FAST)) {
            broker.createTopic("orders", 4);
            broker.createTopic("orders-dead", 1);
            push.create(new SubscriptionSpec(
                    "orders-hook",
                    "orders",
                    receiver.url(),
                    10,
                    20,
                    30,
                    Optional.of("orders-dead"),
                    Optional.of("s3cret")));

            // When: 3 partitions of good records, a fourth of poison only
            for (int i = 0; i < 60; i++) {
                for (int partition = 0; partition < 3; partition++) {
                    broker.send("orders", partition, "k" + i, ("order " + i).getBytes(StandardCharsets.UTF_8));
                }
            }
            for (int i = 0; i < 8; i++) {
                broker.send("orders", 3, null, ("poison " + i).getBytes(StandardCharsets.UTF_8));
            }

            // Then
            await().atMost(WAIT).untilAsserted(() -> {
                for (int partition = 0; partition < 3; partition++) {
                    assertThat(receiver.acknowledged(partition)).containsAll(offsets(0, 60));
                }
                assertThat(push.describe("orders-hook").lag()).isZero();
            });
            assertThat(receiver.firstSeenInOrder()).isTrue();
            assertThat(receiver.badSignatures.get()).isZero();
            assertThat(receiver.verified.get()).isEqualTo(receiver.requests.get());
            assertThat(receiver.resets.get()).isPositive();
            List<ConsumerRecord<byte[], byte[]>> dead = broker.readAll("orders-dead", 8);
            assertThat(dead)
                    .extracting(record -> new String(record.value(), StandardCharsets.UTF_8))
                    .containsExactlyInAnyOrder(
                            LongStream.range(0, 8).mapToObj(i -> "poison " + i).toArray(String[]::new));
            ConsumerRecord<byte[], byte[]> first = dead.stream()
                    .filter(record -> header(record, "brook.push.offset").equals("0"))
                    .findFirst()
                    .orElseThrow();
            assertThat(header(first, "brook.push.status")).isEqualTo("422");
            assertThat(header(first, "brook.push.attempts")).isEqualTo("1");
            assertThat(header(first, "brook.push.subscription")).isEqualTo("orders-hook");
            assertThat(header(first, "brook.push.topic")).isEqualTo("orders");
            assertThat(header(first, "brook.push.partition")).isEqualTo("3");
            assertThat(header(first, "brook.push.error")).startsWith("POST " + receiver.url() + ": HTTP 422");
            SubscriptionStatus status = push.describe("orders-hook");
            assertThat(status.delivered()).isGreaterThanOrEqualTo(180);
            assertThat(status.deadLettered()).isEqualTo(8);
            assertThat(status.retries()).isPositive();
            assertThat(status.lastError()).isPresent();
        }
    }

    @Test
    void resumesFromCommittedOffsetsAfterRestartOfServiceAndBroker() throws Exception {
        // Given
        Path data = dir.resolve("broker");
        AtomicReference<String> bootstrap = new AtomicReference<>();
        try (Receiver receiver = new Receiver(batch -> Receiver.ok(), null)) {
            try (TestBroker broker = TestBroker.start(data);
                    PushService push = PushService.start(bootstrap::get, data, FAST)) {
                bootstrap.set(broker.bootstrapServers());
                broker.createTopic("clicks", 2);
                push.create(SubscriptionSpec.of("clicks-hook", "clicks", receiver.url()));
                sendClicks(broker, 0, 20);
                await().atMost(WAIT)
                        .untilAsserted(() -> assertThat(receiver.acknowledged(0).size()
                                        + receiver.acknowledged(1).size())
                                .isEqualTo(40));
            }
            bootstrap.set(null);

            // When: written while nothing delivers, then both start again on the same data directory
            try (TestBroker broker = TestBroker.start(data)) {
                sendClicks(broker, 20, 30);
            }
            try (TestBroker broker = TestBroker.start(data);
                    PushService push = PushService.start(bootstrap::get, data, FAST)) {
                bootstrap.set(broker.bootstrapServers());

                // Then
                assertThat(push.list()).extracting(s -> s.spec().name()).containsExactly("clicks-hook");
                await().atMost(WAIT).untilAsserted(() -> {
                    assertThat(receiver.acknowledged(0)).containsAll(offsets(0, 30));
                    assertThat(receiver.acknowledged(1)).containsAll(offsets(0, 30));
                });
                assertThat(receiver.firstSeenInOrder()).isTrue();
                await().atMost(WAIT)
                        .untilAsserted(
                                () -> assertThat(push.describe("clicks-hook").partitions())
                                        .extracting(PartitionLag::committed)
                                        .containsExactly(30L, 30L));
            }
        }
    }

    @Test
    @SuppressWarnings("removal") // listConsumerGroups is what Kafka's group tools before 4.0 call
    void pausesResumesDescribesAndDeletesAsAConsumerGroup() throws Exception {
        // Given
        try (TestBroker broker = TestBroker.start(dir.resolve("broker"));
                Receiver receiver = new Receiver(batch -> Receiver.ok(), null);
                PushService push = PushService.start(broker::bootstrapServers, dir.resolve("broker"), FAST)) {
            broker.createTopic("events", 2);
            broker.send("events", 0, "old", bytes("before the subscription"));
            push.create(SubscriptionSpec.of("events-hook", "events", receiver.url()));
            sendEvents(broker, 10);
            await().atMost(WAIT)
                    .untilAsserted(() ->
                            assertThat(push.describe("events-hook").delivered()).isEqualTo(20));

            // When
            SubscriptionStatus paused = push.pause("events-hook");
            sendEvents(broker, 3);

            // Then
            assertThat(paused.state()).isEqualTo(SubscriptionState.PAUSED);
            SubscriptionStatus described = push.describe("events-hook");
            assertThat(described.partitions())
                    .containsExactly(new PartitionLag(0, 11, 14, 3), new PartitionLag(1, 10, 13, 3));
            assertThat(described.lag()).isEqualTo(6);
            assertThat(receiver.firstSeen.get(0)).doesNotContain(0L);
            List<String> groups = broker.admin().listConsumerGroups().all().get().stream()
                    .map(ConsumerGroupListing::groupId)
                    .toList();
            assertThat(groups).contains("push.events-hook");
            Map<TopicPartition, OffsetAndMetadata> offsets = broker.admin()
                    .listConsumerGroupOffsets("push.events-hook")
                    .partitionsToOffsetAndMetadata()
                    .get();
            Map<TopicPartition, Long> committed = new HashMap<>();
            offsets.forEach((partition, offset) -> committed.put(partition, offset.offset()));
            assertThat(committed)
                    .containsExactlyInAnyOrderEntriesOf(
                            Map.of(new TopicPartition("events", 0), 11L, new TopicPartition("events", 1), 10L));

            // When
            assertThat(push.resume("events-hook").state()).isEqualTo(SubscriptionState.ACTIVE);

            // Then
            await().atMost(WAIT).untilAsserted(() -> {
                SubscriptionStatus status = push.describe("events-hook");
                assertThat(status.delivered()).isEqualTo(26);
                assertThat(status.lag()).isZero();
                assertThat(status.inFlight()).isZero();
            });
            assertThat(push.describe("events-hook").retries()).isZero();
            assertThat(push.describe("events-hook").lastError()).isEmpty();

            // When
            push.delete("events-hook");

            // Then
            assertThat(push.list()).isEmpty();
            assertThat(broker.admin().listConsumerGroups().all().get())
                    .extracting(ConsumerGroupListing::groupId)
                    .doesNotContain("push.events-hook");
            assertThatThrownBy(() -> push.describe("events-hook"))
                    .isInstanceOf(PushException.class)
                    .hasMessage("no push subscription 'events-hook'; list them with brook push list"
                            + " (GET /push/subscriptions)");
        }
    }

    @Test
    void deliversThePartitionsAddedToTheTopicWhileItRuns() throws Exception {
        // Given: a subscription delivering a one-partition topic
        try (TestBroker broker = TestBroker.start(dir.resolve("broker"));
                Receiver receiver = new Receiver(batch -> Receiver.ok(), null);
                PushService push = PushService.start(broker::bootstrapServers, dir.resolve("broker"), FAST)) {
            broker.createTopic("growing", 1);
            push.create(SubscriptionSpec.of("growing-hook", "growing", receiver.url()));
            broker.send("growing", 0, null, bytes("first"));
            await().atMost(WAIT)
                    .untilAsserted(() -> assertThat(receiver.acknowledged(0)).containsExactly(0L));

            // When: the topic gets two more partitions, and records in them
            broker.admin()
                    .createPartitions(Map.of("growing", NewPartitions.increaseTo(3)))
                    .all()
                    .get(TestBroker.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            for (int partition = 1; partition < 3; partition++) {
                broker.send("growing", partition, null, bytes("in the new partition " + partition));
                broker.send("growing", partition, null, bytes("and another"));
            }

            // Then: they are delivered from their beginning, and the lag counts them
            await().atMost(WAIT).untilAsserted(() -> {
                assertThat(receiver.acknowledged(1)).containsExactlyInAnyOrder(0L, 1L);
                assertThat(receiver.acknowledged(2)).containsExactlyInAnyOrder(0L, 1L);
            });
            await().atMost(WAIT).untilAsserted(() -> {
                SubscriptionStatus status = push.describe("growing-hook");
                assertThat(status.partitions())
                        .extracting(PartitionLag::partition)
                        .containsExactly(0, 1, 2);
                assertThat(status.lag()).isZero();
                assertThat(status.delivered()).isEqualTo(5);
            });
        }
    }

    @Test
    void pausesWithLastErrorWhenABatchFailsAndThereIsNoDeadLetterTopic() throws Exception {
        // Given
        try (TestBroker broker = TestBroker.start(dir.resolve("broker"));
                Receiver receiver = new Receiver(batch -> new Receiver.Status(400, null), null);
                PushService push = PushService.start(broker::bootstrapServers, dir.resolve("broker"), FAST)) {
            broker.createTopic("t", 1);
            push.create(SubscriptionSpec.of("t-hook", "t", receiver.url()));

            // When
            broker.send("t", 0, null, bytes("refused"));

            // Then
            await().atMost(WAIT)
                    .untilAsserted(
                            () -> assertThat(push.describe("t-hook").state()).isEqualTo(SubscriptionState.PAUSED));
            SubscriptionStatus status = push.describe("t-hook");
            assertThat(status.lastError()).isPresent();
            assertThat(status.lastError().get().status()).isEqualTo(400);
            assertThat(status.lastError().get().message())
                    .isEqualTo("paused: t-0 offsets 0-0 failed after 1 attempts and there is no dead-letter topic:"
                            + " POST " + receiver.url() + ": HTTP 400: {\"status\":400}");
            assertThat(status.partitions()).containsExactly(new PartitionLag(0, 0, 1, 1));
        }
    }

    @Test
    void refusesBadInputsWithMessagesThatNameTheFix() throws Exception {
        try (TestBroker broker = TestBroker.start(dir.resolve("broker"));
                PushService push = PushService.start(broker::bootstrapServers, dir.resolve("broker"), FAST)) {
            broker.createTopic("t", 1);
            String url = "http://127.0.0.1:9/hook";
            assertRefused(
                    () -> push.create(SubscriptionSpec.of("h", "nope", url)),
                    PushException.Code.UNKNOWN_TOPIC,
                    "topic 'nope' does not exist; create it first (brook topic create nope)");
            assertRefused(
                    () -> push.create(SubscriptionSpec.of("h", "t", "ftp://x/y")),
                    PushException.Code.INVALID_ARGUMENT,
                    "url 'ftp://x/y' must be http:// or https://; give e.g. http://127.0.0.1:9000/hook");
            assertRefused(
                    () -> push.create(SubscriptionSpec.of("h", "t", "not a url")),
                    PushException.Code.INVALID_ARGUMENT,
                    "url 'not a url' is not a URL (Illegal character in path); give e.g. http://127.0.0.1:9000/hook");
            assertRefused(
                    () -> push.create(
                            new SubscriptionSpec("h", "t", url, -1, 10, 3, Optional.empty(), Optional.empty())),
                    PushException.Code.INVALID_ARGUMENT,
                    "batch-max-records must be 1-10000; got -1");
            assertRefused(
                    () -> push.create(
                            new SubscriptionSpec("h", "t", url, 10, -5, 3, Optional.empty(), Optional.empty())),
                    PushException.Code.INVALID_ARGUMENT,
                    "batch-max-wait must be 0-3600000 ms; got -5");
            assertRefused(
                    () -> push.create(
                            new SubscriptionSpec("h", "t", url, 10, 10, 0, Optional.empty(), Optional.empty())),
                    PushException.Code.INVALID_ARGUMENT,
                    "max-attempts must be 1-1000; got 0");
            assertRefused(
                    () -> push.create(
                            new SubscriptionSpec("h", "t", url, 10, 10, 3, Optional.of("gone"), Optional.empty())),
                    PushException.Code.UNKNOWN_TOPIC,
                    "dead-letter topic 'gone' does not exist; create it first (brook topic create gone)");
            assertRefused(
                    () -> push.create(SubscriptionSpec.of("bad name", "t", url)),
                    PushException.Code.INVALID_ARGUMENT,
                    "subscription name must be 1-200 of A-Z a-z 0-9 . _ -; got 'bad name'");
            push.create(SubscriptionSpec.of("h", "t", url));
            assertRefused(
                    () -> push.create(SubscriptionSpec.of("h", "t", url)),
                    PushException.Code.SUBSCRIPTION_EXISTS,
                    "push subscription 'h' exists already; delete it first or choose another name");
            assertRefused(
                    () -> push.pause("other"),
                    PushException.Code.SUBSCRIPTION_NOT_FOUND,
                    "no push subscription 'other'; list them with brook push list (GET /push/subscriptions)");
            assertRefused(
                    () -> push.delete("other"),
                    PushException.Code.SUBSCRIPTION_NOT_FOUND,
                    "no push subscription 'other'; list them with brook push list (GET /push/subscriptions)");
        }
    }

    private static void assertRefused(Runnable call, PushException.Code code, String message) {
        assertThatThrownBy(call::run)
                .isInstanceOfSatisfying(
                        PushException.class, e -> assertThat(e.code()).isEqualTo(code))
                .hasMessage(message);
    }

    private static void sendClicks(TestBroker broker, int from, int to) throws Exception {
        for (int i = from; i < to; i++) {
            broker.send("clicks", 0, null, bytes("click " + i));
            broker.send("clicks", 1, null, bytes("click " + i));
        }
    }

    private static void sendEvents(TestBroker broker, int count) throws Exception {
        for (int i = 0; i < count; i++) {
            broker.send("events", 0, "k", bytes("event " + i));
            broker.send("events", 1, "k", bytes("event " + i));
        }
    }

    private static Set<Long> offsets(long from, long to) {
        return LongStream.range(from, to).boxed().collect(Collectors.toSet());
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String key) {
        Header header = record.headers().lastHeader(key);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
