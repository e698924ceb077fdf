package io.brook.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /topics/{topic}/events?from=earliest|latest|OFFSET}: a topic's records streamed live to a browser or
 * curl as Server-Sent Events, one {@code record} event each, its data the record as JSON. Push without a subscription:
 * nothing is committed, the client holds its position. Each event's id is the position just after it in every
 * partition ({@code 0:15,1:22}, the next offset of each), so a client that reconnects with {@code Last-Event-ID}
 * (browsers' EventSource do so by themselves) resumes exactly after the last event it got: nothing missed, nothing
 * twice. {@code from} applies to every partition (an offset below a partition's first starts at its first, one past its
 * end at its end); {@code Last-Event-ID} overrides it, and partitions it does not name start from {@code from}.
 *
 * <p>Keys and values are text when they are UTF-8, else base64 ({@code "keyEncoding"}/{@code "valueEncoding"} say
 * which); headers likewise. The stream runs on the request's thread with a consumer of its own (no group); a comment
 * every second without records finds out when the client went away; it ends then, or when the server stops.
 */
public final class TopicEvents implements HttpRoutes, AutoCloseable {
    private static final Duration POLL = Duration.ofMillis(200);
    private static final long HEARTBEAT_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOGGER = LoggerFactory.getLogger(TopicEvents.class);

    /** How long {@link #close} waits for open streams to end (they notice {@code stopping} within a poll). */
    private static final long STREAMS_END_MILLIS = 2_000;

    private final Supplier<String> bootstrap;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final AtomicInteger open = new AtomicInteger();

    /** The streams of topics on the broker at {@code bootstrap} (read at each request). */
    public TopicEvents(Supplier<String> bootstrap) {
        this.bootstrap = bootstrap;
    }

    @Override
    public void addTo(JavalinDefaultRoutingApi routes) {
        routes.get("/topics/{topic}/events", this::handle);
    }

    /**
     * Ends the open streams and waits for them (up to 2 s), so that the server can stop without writing into requests
     * it has recycled. Call it before the server's {@code close()}.
     */
    @Override
    public void close() {
        stopping.set(true);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STREAMS_END_MILLIS);
        while (open.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Where a stream starts in partitions that {@code Last-Event-ID} does not name. */
    private record Start(boolean earliest, boolean latest, long offset) {
        static Start parse(String from) {
            if (from == null || from.equals("latest")) {
                return new Start(false, true, -1);
            }
            if (from.equals("earliest")) {
                return new Start(true, false, -1);
            }
            try {
                long offset = Long.parseLong(from);
                if (offset >= 0) {
                    return new Start(false, false, offset);
                }
            } catch (NumberFormatException e) {
                // the message below
            }
            throw ApiException.badRequest(
                    "from must be earliest, latest or an offset (a number >= 0); got '" + from + "'");
        }
    }

    /** Streams a topic's records to the client of this request until it leaves or this closes. */
    private void handle(Context ctx) throws Exception {
        String topic = ctx.pathParam("topic");
        Start start = Start.parse(ctx.queryParam("from"));
        Map<Integer, Long> resume = parseEventId(ctx.header("Last-Event-ID"));
        KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrap.get());
        try {
            List<PartitionInfo> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10));
            if (partitions == null || partitions.isEmpty()) {
                throw ApiException.notFound(
                        "TOPIC_NOT_FOUND",
                        "no topic '" + topic + "'; list the topics with GET /topics or brook topic" + " list");
            }
            List<TopicPartition> assigned = new ArrayList<>();
            for (PartitionInfo partition : partitions) {
                assigned.add(new TopicPartition(topic, partition.partition()));
            }
            for (Integer partition : resume.keySet()) {
                if (partition >= assigned.size()) {
                    throw ApiException.badRequest("Last-Event-ID names partition " + partition + " of '" + topic
                            + "', which has " + assigned.size() + " partitions");
                }
            }
            consumer.assign(assigned);
            Map<TopicPartition, Long> first = consumer.beginningOffsets(assigned);
            Map<TopicPartition, Long> end = consumer.endOffsets(assigned);
            for (TopicPartition partition : assigned) {
                Long resumeAt = resume.get(partition.partition());
                long offset = resumeAt != null
                        ? resumeAt
                        : start.earliest()
                                ? first.get(partition)
                                : start.latest() ? end.get(partition) : start.offset();
                // Below the log's start (retention removed it): from the start; past its end: from the end.
                consumer.seek(partition, Math.max(first.get(partition), Math.min(offset, end.get(partition))));
            }
        } catch (RuntimeException e) {
            consumer.close(Duration.ZERO);
            throw e;
        }
        // Written here rather than through Javalin's SseHandler, which streams only to clients that send
        // "Accept: text/event-stream" (curl does not) and on a pool of its own.
        open.incrementAndGet();
        try (consumer) {
            ctx.status(200);
            ctx.res().setContentType("text/event-stream;charset=utf-8");
            ctx.res().setHeader("Cache-Control", "no-cache");
            ctx.res().setHeader("X-Accel-Buffering", "no");
            run(ctx.res().getOutputStream(), consumer, stopping::get);
        } finally {
            open.decrementAndGet();
        }
    }

    private static void run(OutputStream out, KafkaConsumer<byte[], byte[]> consumer, BooleanSupplier stopping) {
        Map<Integer, Long> positions = new TreeMap<>();
        for (TopicPartition partition : consumer.assignment()) {
            positions.put(partition.partition(), consumer.position(partition));
        }
        try {
            // The first comment tells the client the stream is open, before any record comes.
            write(out, ": streaming\n\n");
            long heartbeatAt = System.nanoTime();
            while (!stopping.getAsBoolean()) {
                StringBuilder events = new StringBuilder();
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                    positions.put(record.partition(), record.offset() + 1);
                    events.append("id: ")
                            .append(eventId(positions))
                            .append("\nevent: record\ndata: ")
                            .append(json(record))
                            .append("\n\n");
                }
                if (events.length() > 0) {
                    write(out, events);
                    heartbeatAt = System.nanoTime();
                } else if (System.nanoTime() - heartbeatAt >= HEARTBEAT_NANOS) {
                    // Writing is how a client that went away is noticed.
                    write(out, ": waiting\n\n");
                    heartbeatAt = System.nanoTime();
                }
            }
        } catch (IOException | RuntimeException e) {
            // The client went away mid-write, or the server is stopping under the stream: nothing to answer.
            LOGGER.debug("event stream ended: {}", e.toString());
        }
    }

    private static void write(OutputStream out, CharSequence text) throws IOException {
        out.write(text.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static KafkaConsumer<byte[], byte[]> consumer(String bootstrap) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        properties.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.CLIENT_ID_CONFIG, "brook-http-events");
        return new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** {@code 0:15,1:22}: the next offset of each partition. */
    static String eventId(Map<Integer, Long> positions) {
        StringBuilder id = new StringBuilder();
        positions.forEach((partition, offset) -> {
            if (id.length() > 0) {
                id.append(',');
            }
            id.append(partition).append(':').append(offset);
        });
        return id.toString();
    }

    static Map<Integer, Long> parseEventId(String id) {
        Map<Integer, Long> positions = new TreeMap<>();
        if (id == null || id.isBlank()) {
            return positions;
        }
        for (String part : id.strip().split(",", -1)) {
            String[] pair = part.split(":", -1);
            try {
                if (pair.length == 2) {
                    int partition = Integer.parseInt(pair[0].strip());
                    long offset = Long.parseLong(pair[1].strip());
                    if (partition >= 0 && offset >= 0) {
                        positions.put(partition, offset);
                        continue;
                    }
                }
            } catch (NumberFormatException e) {
                // the message below
            }
            throw ApiException.badRequest("Last-Event-ID must be partition:offset pairs such as 0:15,1:22 (the id of"
                    + " the last event received); got '" + id + "'");
        }
        return positions;
    }

    private static String json(ConsumerRecord<byte[], byte[]> record) {
        StringWriter text = new StringWriter();
        try (JsonGenerator json = JSON.getFactory().createGenerator(text)) {
            json.writeStartObject();
            json.writeStringField("topic", record.topic());
            json.writeNumberField("partition", record.partition());
            json.writeNumberField("offset", record.offset());
            json.writeNumberField("timestamp", record.timestamp());
            writeBytes(json, "key", record.key());
            writeBytes(json, "value", record.value());
            json.writeArrayFieldStart("headers");
            for (Header header : record.headers()) {
                json.writeStartObject();
                json.writeStringField("key", header.key());
                writeBytes(json, "value", header.value());
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    /** {@code name} as text when it is UTF-8, else base64, and {@code nameEncoding} saying which; null stays null. */
    private static void writeBytes(JsonGenerator json, String name, byte[] bytes) throws IOException {
        if (bytes == null) {
            json.writeNullField(name);
            return;
        }
        try {
            String text = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
            json.writeStringField(name, text);
            json.writeStringField(name + "Encoding", "utf8");
        } catch (CharacterCodingException e) {
            json.writeStringField(name, Base64.getEncoder().encodeToString(bytes));
            json.writeStringField(name + "Encoding", "base64");
        }
    }
}
