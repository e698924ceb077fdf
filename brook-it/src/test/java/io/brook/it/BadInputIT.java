package io.brook.it;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.ApiVersionsResponseData.ApiVersion;
import org.apache.kafka.common.message.DescribeClusterRequestData;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Raw bytes against the broker: malformed, truncated, oversized and negative-size frames, unknown APIs and versions,
 * and thousands of random frames. After each, the connection is either answered or closed (never left hanging), the
 * broker stays up, and a normal Java producer and consumer keep working alongside.
 */
class BadInputIT {
    private static final Logger LOGGER = LoggerFactory.getLogger(BadInputIT.class);
    private static final int MAX_REQUEST_BYTES = 1024 * 1024;

    @RegisterExtension
    static final BrookBrokerExtension BROKER =
            BrookBrokerExtension.withConfig(Map.of("socket.request.max.bytes", Integer.toString(MAX_REQUEST_BYTES)));

    private static final Duration REPLY_WAIT = Duration.ofSeconds(10);
    private static final int FUZZ_FRAMES = Integer.getInteger("brook.it.fuzzFrames", 5_000);
    private static final Duration FUZZ_TIME = Duration.ofSeconds(30);

    @Test
    void apiVersionsOfAnUnknownVersionIsAnsweredAtV0WithUnsupportedVersionAndTheApiList(BrookCluster cluster)
            throws Exception {
        try (RawKafkaConnection connection = connect(cluster)) {
            // Given
            byte[] request = RawKafkaConnection.encodeRawRequest(
                    ApiKeys.API_VERSIONS.id, (short) 99, 4242, new byte[] {0, 0, 1, 2, 3});

            // When
            connection.sendRaw(request);
            RawKafkaConnection.Reply reply = connection.read(REPLY_WAIT);

            // Then
            assertThat(reply).isInstanceOf(RawKafkaConnection.Frame.class);
            ApiVersionsResponseData response = RawKafkaConnection.decodeResponse(
                    ApiKeys.API_VERSIONS,
                    (short) 0,
                    ((RawKafkaConnection.Frame) reply).bytes(),
                    4242,
                    ApiVersionsResponseData.class);
            assertThat(response.errorCode()).isEqualTo(Errors.UNSUPPORTED_VERSION.code());
            assertThat(range(response, ApiKeys.API_VERSIONS)).isEqualTo("0-4");
            assertThat(range(response, ApiKeys.PRODUCE)).endsWith("-13");
            assertThat(range(response, ApiKeys.FETCH)).isNotNull();
            assertThat(range(response, ApiKeys.METADATA)).isNotNull();
            // The connection stays usable: the client retries with a version from the list.
            ApiVersionsResponseData retried = connection.call(
                    ApiKeys.API_VERSIONS,
                    (short) 3,
                    new ApiVersionsRequestData()
                            .setClientSoftwareName("brook-it")
                            .setClientSoftwareVersion("1"),
                    ApiVersionsResponseData.class);
            assertThat(retried.errorCode()).isZero();
        }
    }

    private static String range(ApiVersionsResponseData response, ApiKeys apiKey) {
        ApiVersion version = response.apiKeys().find(apiKey.id);
        return version == null ? null : version.minVersion() + "-" + version.maxVersion();
    }

    @Test
    void produceV2IsRefusedWithoutHarm(BrookCluster cluster) throws Exception {
        try (RawKafkaConnection connection = connect(cluster)) {
            // Given: acks=1, timeout 1000 ms, no topics, as a v2 body is laid out.
            byte[] body = ByteBuffer.allocate(10)
                    .putShort((short) 1)
                    .putInt(1000)
                    .putInt(0)
                    .array();

            // When
            connection.sendRaw(RawKafkaConnection.encodeRawRequest(ApiKeys.PRODUCE.id, (short) 2, 77, body));
            RawKafkaConnection.Reply reply = connection.read(REPLY_WAIT);

            // Then: refused with an error for correlation id 77, or the connection closed; never silence.
            assertThat(reply).satisfiesAnyOf(r -> assertThat(r).isInstanceOf(RawKafkaConnection.Closed.class), r -> {
                assertThat(r).isInstanceOf(RawKafkaConnection.Frame.class);
                assertThat(((RawKafkaConnection.Frame) r).correlationId()).isEqualTo(77);
            });
        }
        assertBrokerServes(cluster);
    }

    @ParameterizedTest(name = "size {0}")
    @ValueSource(ints = {-1, -2, Integer.MIN_VALUE})
    void negativeFrameSizeClosesTheConnection(int size, BrookCluster cluster) throws Exception {
        assertClosedAfter(
                cluster, ByteBuffer.allocate(12).putInt(size).putLong(0).array(), false);
    }

    @ParameterizedTest(name = "size {0}")
    @ValueSource(ints = {MAX_REQUEST_BYTES + 1, 64 * 1024 * 1024, Integer.MAX_VALUE})
    void frameOverSocketRequestMaxBytesClosesTheConnectionWithoutWaitingForItsBody(int size, BrookCluster cluster)
            throws Exception {
        byte[] header = RawKafkaConnection.encodeRequest(
                ApiKeys.METADATA, (short) 12, 1, new MetadataRequestData().setTopics(null));
        ByteBuffer.wrap(header).putInt(0, size);
        assertClosedAfter(cluster, header, false);
    }

    @Test
    void frameOfExactlySocketRequestMaxBytesIsReadNotRejectedForItsSize(BrookCluster cluster) throws Exception {
        // Given: a Metadata request padded with trailing bytes to exactly the limit.
        byte[] request = RawKafkaConnection.encodeRequest(
                ApiKeys.METADATA, (short) 12, 1, new MetadataRequestData().setTopics(null));
        ByteBuffer frame = ByteBuffer.allocate(4 + MAX_REQUEST_BYTES);
        frame.putInt(MAX_REQUEST_BYTES).put(request, 4, request.length - 4);

        // When / Then: trailing bytes make it malformed, but only after the whole frame arrived.
        try (RawKafkaConnection connection = connect(cluster)) {
            assertThat(connection.sendRaw(frame.array())).isTrue();
            assertThat(connection.read(REPLY_WAIT))
                    .isInstanceOfAny(RawKafkaConnection.Closed.class, RawKafkaConnection.Frame.class);
        }
        assertBrokerServes(cluster);
    }

    @Test
    void truncatedFrameFollowedByEndOfStreamClosesTheConnection(BrookCluster cluster) throws Exception {
        byte[] request = RawKafkaConnection.encodeRequest(
                ApiKeys.METADATA, (short) 12, 1, new MetadataRequestData().setTopics(null));
        byte[] truncated = Arrays.copyOf(request, request.length - 5);
        assertClosedAfter(cluster, truncated, true);
    }

    @Test
    void bodyCutShortInsideACompleteFrameClosesTheConnection(BrookCluster cluster) throws Exception {
        MetadataRequestData metadata = new MetadataRequestData()
                .setTopics(List.of(new MetadataRequestData.MetadataRequestTopic().setName("some-topic-name")));
        byte[] request = RawKafkaConnection.encodeRequest(ApiKeys.METADATA, (short) 12, 1, metadata);
        byte[] cut = Arrays.copyOf(request, request.length - 12);
        ByteBuffer.wrap(cut).putInt(0, cut.length - 4);
        assertClosedAfter(cluster, cut, false);
    }

    @Test
    void frameShorterThanARequestHeaderClosesTheConnection(BrookCluster cluster) throws Exception {
        assertClosedAfter(cluster, new byte[] {0, 0, 0, 3, 0, 18, 0}, false);
    }

    @Test
    void emptyFrameClosesTheConnection(BrookCluster cluster) throws Exception {
        assertClosedAfter(cluster, new byte[] {0, 0, 0, 0}, false);
    }

    @ParameterizedTest(name = "api key {0}")
    @ValueSource(shorts = {-1, 9999, Short.MAX_VALUE})
    void unknownApiKeyClosesTheConnection(short apiKey, BrookCluster cluster) throws Exception {
        assertClosedAfter(cluster, RawKafkaConnection.encodeRawRequest(apiKey, (short) 0, 5, new byte[8]), false);
    }

    @Test
    void garbageAfterAValidHeaderClosesTheConnection(BrookCluster cluster) throws Exception {
        byte[] body = new byte[64];
        Arrays.fill(body, (byte) 0xFF);
        assertClosedAfter(cluster, RawKafkaConnection.encodeRawRequest(ApiKeys.METADATA.id, (short) 1, 5, body), false);
    }

    private static void assertClosedAfter(BrookCluster cluster, byte[] bytes, boolean halfClose) throws Exception {
        // Given
        try (RawKafkaConnection connection = connect(cluster)) {
            // When
            connection.sendRaw(bytes);
            if (halfClose) {
                connection.shutdownOutput();
            }
            RawKafkaConnection.Reply reply = connection.read(REPLY_WAIT);

            // Then
            assertThat(reply)
                    .as("reply to %s", HexFormat.of().formatHex(bytes, 0, Math.min(bytes.length, 64)))
                    .isInstanceOf(RawKafkaConnection.Closed.class);
        }
        assertBrokerServes(cluster);
    }

    @Test
    void thousandsOfRandomFramesAreAnsweredOrClosedWhileAJavaClientKeepsWorking(BrookCluster cluster) throws Exception {
        // Given
        try (Admin admin = KafkaClients.admin(cluster.bootstrapServers())) {
            admin.createTopics(List.of(new NewTopic("healthy", 1, (short) 1), new NewTopic("fuzz", 2, (short) 1)))
                    .all()
                    .get(30, SECONDS);
        }
        long seed = Long.getLong("brook.it.fuzzSeed", System.nanoTime());
        Random random = new Random(seed);
        List<byte[]> templates = templates();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong produced = new AtomicLong();
        AtomicLong consumed = new AtomicLong();
        AtomicReference<Throwable> clientFailure = new AtomicReference<>();
        ExecutorService clients = Executors.newFixedThreadPool(2);
        FuzzOutcome outcome;
        try {
            Future<?> producer = clients.submit(() -> produceUntil(cluster, stop, produced, clientFailure));
            Future<?> consumer = clients.submit(() -> consumeUntil(cluster, stop, produced, consumed, clientFailure));

            // When
            outcome = fuzz(cluster, random, templates);
            LOGGER.info("fuzzing with seed {}: {}", seed, outcome);
            long producedDuringFuzz = produced.get();
            stop.set(true);
            producer.get(60, SECONDS);
            consumer.get(60, SECONDS);

            // Then
            assertThat(clientFailure.get()).as("Java client failure").isNull();
            assertThat(producedDuringFuzz)
                    .as("records the Java producer got acknowledged during the fuzzing")
                    .isGreaterThan(10);
            assertThat(consumed.get()).as("records consumed").isEqualTo(produced.get());
        } finally {
            stop.set(true);
            clients.shutdownNow();
            clients.awaitTermination(30, SECONDS);
        }
        assertThat(outcome.hung())
                .as("frames left without answer or close (seed %d)", seed)
                .isEmpty();
        assertThat(outcome.frames()).as("frames sent (seed %d)", seed).isGreaterThanOrEqualTo(1_000);
        assertThat(outcome.answered()).as("frames answered").isPositive();
        assertThat(outcome.closed()).as("frames that closed their connection").isPositive();
        assertBrokerServes(cluster);
    }

    /** What the random frames got: answered (the ping behind them came back), closed, or hung (neither). */
    private record FuzzOutcome(int frames, int answered, int closed, List<String> hung) {}

    private static FuzzOutcome fuzz(BrookCluster cluster, Random random, List<byte[]> templates) throws IOException {
        int frames = 0;
        int answered = 0;
        int closed = 0;
        List<String> hung = new ArrayList<>();
        long deadline = System.nanoTime() + FUZZ_TIME.toNanos();
        RawKafkaConnection connection = null;
        try {
            while (frames < FUZZ_FRAMES && System.nanoTime() < deadline && hung.size() < 5) {
                if (connection == null) {
                    connection = connect(cluster);
                }
                int kind = random.nextInt(10);
                byte[] frame = kind < 3
                        ? randomRequest(random)
                        : kind < 9 ? mutate(random, templates.get(random.nextInt(templates.size()))) : badSize(random);
                frames++;
                Outcome result =
                        kind == 9 ? sendAndHalfClose(connection, frame) : sendWithPing(connection, frame, frames);
                switch (result) {
                    case ANSWERED -> answered++;
                    case CLOSED -> {
                        closed++;
                        connection.close();
                        connection = null;
                    }
                    case HUNG -> {
                        hung.add(describeFrame(frame));
                        connection.close();
                        connection = null;
                    }
                }
            }
        } finally {
            if (connection != null) {
                connection.close();
            }
        }
        return new FuzzOutcome(frames, answered, closed, hung);
    }

    private static String describeFrame(byte[] frame) {
        String hex = HexFormat.of().formatHex(frame, 0, Math.min(frame.length, 200));
        if (frame.length < 8) {
            return hex;
        }
        ByteBuffer buffer = ByteBuffer.wrap(frame);
        return "api key " + buffer.getShort(4) + " v" + buffer.getShort(6) + ": " + hex;
    }

    private enum Outcome {
        ANSWERED,
        CLOSED,
        HUNG
    }

    /**
     * Sends the frame and then an ApiVersions "ping": responses come in request order, so the ping's answer means the
     * frame was dealt with (answered, or needing no answer like acks=0); the end of the stream means it was closed.
     */
    private static Outcome sendWithPing(RawKafkaConnection connection, byte[] frame, int sequence) throws IOException {
        int pingId = 0x7F000000 | sequence;
        byte[] ping = RawKafkaConnection.encodeRequest(
                ApiKeys.API_VERSIONS,
                (short) 3,
                pingId,
                new ApiVersionsRequestData().setClientSoftwareName("ping").setClientSoftwareVersion("1"));
        if (!connection.sendRaw(frame) || !connection.sendRaw(ping)) {
            return Outcome.CLOSED;
        }
        // At most the frame's answer, then the ping's: bounded by three reads.
        for (int read = 0; read < 3; read++) {
            RawKafkaConnection.Reply reply = connection.read(REPLY_WAIT);
            if (reply instanceof RawKafkaConnection.Closed) {
                return Outcome.CLOSED;
            }
            if (reply instanceof RawKafkaConnection.Silent) {
                return Outcome.HUNG;
            }
            if (((RawKafkaConnection.Frame) reply).correlationId() == pingId) {
                return Outcome.ANSWERED;
            }
        }
        return Outcome.HUNG;
    }

    private static Outcome sendAndHalfClose(RawKafkaConnection connection, byte[] frame) throws IOException {
        connection.sendRaw(frame);
        connection.shutdownOutput();
        // Whatever the broker answers first, the end of the stream must follow.
        for (int read = 0; read < 3; read++) {
            RawKafkaConnection.Reply reply = connection.read(REPLY_WAIT);
            if (reply instanceof RawKafkaConnection.Closed) {
                return Outcome.CLOSED;
            }
            if (reply instanceof RawKafkaConnection.Silent) {
                return Outcome.HUNG;
            }
        }
        return Outcome.HUNG;
    }

    /** A header with a random (mostly served) API key and version, a random client id, and random body bytes. */
    private static byte[] randomRequest(Random random) {
        ApiKeys[] keys = ApiKeys.values();
        short apiKey =
                random.nextInt(8) == 0 ? (short) random.nextInt(Short.MAX_VALUE) : keys[random.nextInt(keys.length)].id;
        short version = (short) (random.nextInt(20) - 1);
        byte[] body = new byte[random.nextInt(300)];
        random.nextBytes(body);
        return RawKafkaConnection.encodeRawRequest(apiKey, version, random.nextInt(), body);
    }

    /** A valid request with a few bytes after the size prefix changed, or cut short, or with bytes appended. */
    private static byte[] mutate(Random random, byte[] template) {
        int choice = random.nextInt(6);
        if (choice == 0) {
            int length = 4 + 4 + random.nextInt(template.length - 8);
            byte[] cut = Arrays.copyOf(template, length);
            ByteBuffer.wrap(cut).putInt(0, length - 4);
            return cut;
        }
        if (choice == 1) {
            byte[] longer = Arrays.copyOf(template, template.length + 1 + random.nextInt(32));
            ByteBuffer.wrap(longer).putInt(0, longer.length - 4);
            return longer;
        }
        byte[] copy = template.clone();
        int changes = 1 + random.nextInt(4);
        for (int i = 0; i < changes; i++) {
            int position = 4 + random.nextInt(copy.length - 4);
            copy[position] = random.nextBoolean() ? (byte) random.nextInt(256) : (byte) (copy[position] ^ 0x80);
        }
        return copy;
    }

    /** A frame whose size prefix disagrees with the bytes that follow (within the limit). */
    private static byte[] badSize(Random random) {
        byte[] body = new byte[random.nextInt(100)];
        random.nextBytes(body);
        int declared = body.length + 1 + random.nextInt(1000);
        return ByteBuffer.allocate(4 + body.length).putInt(declared).put(body).array();
    }

    private static List<byte[]> templates() {
        List<byte[]> templates = new ArrayList<>();
        templates.add(request(
                ApiKeys.API_VERSIONS,
                3,
                new ApiVersionsRequestData().setClientSoftwareName("fuzz").setClientSoftwareVersion("1")));
        templates.add(request(ApiKeys.API_VERSIONS, 0, new ApiVersionsRequestData()));
        templates.add(request(
                ApiKeys.METADATA,
                12,
                new MetadataRequestData()
                        .setTopics(List.of(new MetadataRequestData.MetadataRequestTopic().setName("fuzz")))));
        templates.add(request(ApiKeys.METADATA, 1, new MetadataRequestData().setTopics(null)));
        templates.add(request(ApiKeys.METADATA, 4, new MetadataRequestData().setTopics(null)));
        // ListOffsets at the versions kafka-python (v1), librdkafka (v2) and kafka-clients (v11) send.
        for (int version : new int[] {1, 2, 7, 11}) {
            templates.add(request(
                    ApiKeys.LIST_OFFSETS,
                    version,
                    new ListOffsetsRequestData()
                            .setReplicaId(-1)
                            .setTopics(List.of(new ListOffsetsRequestData.ListOffsetsTopic()
                                    .setName("fuzz")
                                    .setPartitions(List.of(new ListOffsetsRequestData.ListOffsetsPartition()
                                            .setPartitionIndex(0)
                                            .setTimestamp(-1)))))));
        }
        templates.add(request(
                ApiKeys.DESCRIBE_CONFIGS,
                4,
                new DescribeConfigsRequestData()
                        .setResources(List.of(new DescribeConfigsRequestData.DescribeConfigsResource()
                                .setResourceType((byte) 2)
                                .setResourceName("fuzz")))));
        templates.add(request(ApiKeys.DESCRIBE_CLUSTER, 1, new DescribeClusterRequestData()));
        templates.add(request(
                ApiKeys.INIT_PRODUCER_ID,
                4,
                new InitProducerIdRequestData()
                        .setTransactionalId(null)
                        .setTransactionTimeoutMs(60_000)
                        .setProducerId(-1)
                        .setProducerEpoch((short) -1)));
        ProduceRequestData.TopicProduceDataCollection topics = new ProduceRequestData.TopicProduceDataCollection();
        topics.add(new ProduceRequestData.TopicProduceData()
                .setName("fuzz")
                .setPartitionData(List.of(new ProduceRequestData.PartitionProduceData()
                        .setIndex(1)
                        .setRecords(MemoryRecords.withRecords(
                                Compression.NONE,
                                new SimpleRecord(
                                        "key".getBytes(StandardCharsets.UTF_8),
                                        "value".getBytes(StandardCharsets.UTF_8)))))));
        // Produce at the versions librdkafka and kafka-python (v7) and kafka-clients 3.x (v9) send.
        for (int version : new int[] {7, 9}) {
            templates.add(request(
                    ApiKeys.PRODUCE,
                    version,
                    new ProduceRequestData()
                            .setAcks((short) 1)
                            .setTimeoutMs(5_000)
                            .setTopicData(topics)));
        }
        return templates;
    }

    private static byte[] request(ApiKeys apiKey, int version, ApiMessage body) {
        return RawKafkaConnection.encodeRequest(apiKey, (short) version, 1, body);
    }

    private static void produceUntil(
            BrookCluster cluster, AtomicBoolean stop, AtomicLong produced, AtomicReference<Throwable> failure) {
        try (KafkaProducer<String, String> producer =
                KafkaClients.producer(cluster.bootstrapServers(), Map.of(ProducerConfig.LINGER_MS_CONFIG, 0))) {
            // Bounded by the fuzzing's own limit; one synchronous send at a time keeps the order simple.
            for (long i = 0; i < 1_000_000 && !stop.get(); i++) {
                producer.send(new ProducerRecord<>("healthy", 0, "k" + i, "v" + i))
                        .get(10, SECONDS);
                produced.incrementAndGet();
                Thread.sleep(5);
            }
        } catch (Throwable e) {
            failure.compareAndSet(null, e);
        }
    }

    private static void consumeUntil(
            BrookCluster cluster,
            AtomicBoolean stop,
            AtomicLong produced,
            AtomicLong consumed,
            AtomicReference<Throwable> failure) {
        TopicPartition partition = new TopicPartition("healthy", 0);
        try (KafkaConsumer<String, String> consumer = KafkaClients.consumer(cluster.bootstrapServers(), Map.of())) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            // Runs until told to stop and everything produced has been read (or the deadline passes).
            while (System.nanoTime() < deadline && !(stop.get() && consumed.get() >= produced.get())) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
                    long expected = consumed.getAndIncrement();
                    if (record.offset() != expected || !record.value().equals("v" + expected)) {
                        throw new AssertionError("healthy-0 offset " + record.offset() + " value " + record.value()
                                + ", expected offset and value v" + expected);
                    }
                }
            }
        } catch (Throwable e) {
            failure.compareAndSet(null, e);
        }
    }

    private static RawKafkaConnection connect(BrookCluster cluster) throws IOException {
        return new RawKafkaConnection("127.0.0.1", cluster.port());
    }

    /** A fresh connection's ApiVersions is answered: the broker is up and serving. */
    private static void assertBrokerServes(BrookCluster cluster) {
        AtomicInteger errorCode = new AtomicInteger(-1);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            try (RawKafkaConnection connection = connect(cluster)) {
                errorCode.set(connection
                        .call(
                                ApiKeys.API_VERSIONS,
                                (short) 3,
                                new ApiVersionsRequestData()
                                        .setClientSoftwareName("brook-it")
                                        .setClientSoftwareVersion("1"),
                                ApiVersionsResponseData.class)
                        .errorCode());
            }
            assertThat(errorCode.get()).isZero();
        });
    }
}
