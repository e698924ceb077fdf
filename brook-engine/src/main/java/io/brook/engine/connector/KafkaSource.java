package io.brook.engine.connector;

import static java.util.Objects.requireNonNull;

import io.brook.engine.BrookException;
import io.brook.engine.ErrorCode;
import io.brook.engine.batch.Batch;
import io.brook.engine.batch.Column;
import io.brook.engine.batch.ColumnBuilder;
import io.brook.engine.batch.ColumnType;
import io.brook.engine.batch.Field;
import io.brook.engine.batch.IntColumn;
import io.brook.engine.batch.LongColumn;
import io.brook.engine.batch.Schema;
import io.brook.engine.batch.StructColumn;
import io.brook.engine.batch.VarcharColumn;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteBufferDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Spark's Kafka source: the records of the subscribed partitions as rows of {@link #SCHEMA} (with
 * {@code includeHeaders=true}, {@link #SCHEMA_WITH_HEADERS}: each record's headers in order, null when it has none, as
 * Spark's {@code KafkaRecordToRowConverter} gives them). An offset is Spark's JSON
 * of the next offset to read per partition, {@code {"clicks":{"0":23,"1":45}}}; a micro-batch reads exactly
 * {@code [start, end)} of each partition, so a re-run batch reads the same records. Partitions that appear later
 * (new partitions, or new topics matching {@code subscribePattern}) join the next offset and are read from their
 * earliest offset. {@code maxOffsetsPerTrigger} spreads over the partitions in proportion to their backlog, as Spark
 * does. Records missing from a range because retention or DeleteRecords removed them fail the query naming the
 * partition and offsets, or with {@code failOnDataLoss=false} are skipped with a WARN; gaps left by compaction or
 * transaction markers are not data loss.
 *
 * <p>One {@link KafkaConsumer} with {@code assign} and {@code seek}: no consumer group, nothing committed to Kafka (the
 * offsets live in the query's checkpoint). Called from the query's thread only; the consumer is created on first use
 * and closed by {@link #close} (a bounded read closes it after {@link #read}).
 */
public final class KafkaSource implements Source {
    private static final Logger LOGGER = LoggerFactory.getLogger(KafkaSource.class);

    /** Spark's type of the {@code headers} column: {@code array<struct<key: string, value: binary>>}, all nullable. */
    public static final Field HEADERS = Field.arrayOf(
            "headers",
            Field.struct(
                    "element",
                    List.of(new Field("key", ColumnType.VARCHAR, true), new Field("value", ColumnType.VARBINARY, true)),
                    true),
            true);

    /** Spark's Kafka schema without {@code headers}. */
    public static final Schema SCHEMA = Schema.of(
            new Field("key", ColumnType.VARBINARY, true),
            new Field("value", ColumnType.VARBINARY, true),
            new Field("topic", ColumnType.VARCHAR, false),
            new Field("partition", ColumnType.INT, false),
            new Field("offset", ColumnType.BIGINT, false),
            new Field("timestamp", ColumnType.TIMESTAMP, false),
            new Field("timestampType", ColumnType.INT, false));

    /** Spark's Kafka schema with {@code includeHeaders=true}: {@link #SCHEMA} and a last column {@link #HEADERS}. */
    public static final Schema SCHEMA_WITH_HEADERS = withHeaders();

    private static final int MAX_BATCH_ROWS = 8192;
    private static final String DATA_LOSS_HINT = " Some data may have been lost because they are not available in"
            + " Kafka any more: either retention or DeleteRecords removed them, or the topic was deleted, before the"
            + " query read them. If you want the query to go on in such cases, set the source option failOnDataLoss"
            + " to false.";

    private final KafkaSourceOptions options;
    private final boolean streaming;
    private final Duration timeout;
    private KafkaConsumer<ByteBuffer, ByteBuffer> consumer;
    private Path metadataDirectory;
    private Offset initial;

    /** @param streaming whether a streaming query reads it ({@code readStream}) or a bounded one ({@code read}) */
    public KafkaSource(KafkaSourceOptions options, boolean streaming) {
        this.options = requireNonNull(options, "options is null");
        this.streaming = streaming;
        this.timeout = Duration.ofMillis(options.pollTimeoutMillis());
    }

    private static Schema withHeaders() {
        List<Field> fields = new ArrayList<>(SCHEMA.fields());
        fields.add(HEADERS);
        return new Schema(fields);
    }

    @Override
    public Schema schema() {
        return options.includeHeaders() ? SCHEMA_WITH_HEADERS : SCHEMA;
    }

    @Override
    public Source copy() {
        return new KafkaSource(options, streaming);
    }

    @Override
    public void initialize(Path metadataDirectory) {
        this.metadataDirectory = metadataDirectory;
    }

    /**
     * The starting offsets, resolved against the partitions now. A stream remembers them in its source directory, so a
     * query restarted before its first batch starts where it would have (as Spark's initial offset file does).
     */
    @Override
    public Offset initialOffset() {
        if (initial != null) {
            return initial;
        }
        Path file = metadataDirectory == null ? null : metadataDirectory.resolve("initialOffset");
        try {
            if (file != null && Files.exists(file)) {
                initial = new Offset(
                        Files.readString(file, StandardCharsets.UTF_8).strip());
                return initial;
            }
            initial = new Offset(KafkaOffsets.toJson(resolve(options.starting(), partitions())));
            if (file != null) {
                Files.createDirectories(metadataDirectory);
                Path temporary = metadataDirectory.resolve("initialOffset.tmp");
                Files.writeString(temporary, initial.json() + "\n", StandardCharsets.UTF_8);
                Files.move(temporary, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (IOException e) {
            throw new BrookException(
                    ErrorCode.CHECKPOINT_FAILED,
                    "cannot keep the kafka source's initial offsets in " + file + ": " + e,
                    e);
        }
        return initial;
    }

    @Override
    public Offset latestOffset(Offset start, ReadLimit limit) {
        SortedMap<TopicPartition, Long> from = parse(start);
        if (!streaming) {
            return new Offset(KafkaOffsets.toJson(resolve(options.ending(), partitionsOf(from))));
        }
        List<TopicPartition> now = partitions();
        Map<TopicPartition, Long> latest = endOffsets(now);
        SortedMap<TopicPartition, Long> until = new TreeMap<>(KafkaOffsets.ORDER);
        for (Map.Entry<TopicPartition, Long> entry : from.entrySet()) {
            if (!latest.containsKey(entry.getKey())) {
                reportDataLoss(entry.getKey() + " is gone (its topic was deleted or no longer matches); offsets from "
                        + entry.getValue() + " on were not read.");
            }
        }
        Map<TopicPartition, Long> newStarts = new HashMap<>();
        List<TopicPartition> added = new ArrayList<>();
        for (TopicPartition partition : now) {
            if (!from.containsKey(partition)) {
                added.add(partition);
            }
        }
        if (!added.isEmpty()) {
            newStarts.putAll(beginningOffsets(added));
            LOGGER.info(
                    "[kafka source {}] new partitions {} are read from their earliest offsets", description(), added);
        }
        for (TopicPartition partition : now) {
            until.put(partition, latest.get(partition));
        }
        long max = Math.min(limit.maxRows(), options.maxOffsetsPerTrigger().orElse(Long.MAX_VALUE));
        if (max < Long.MAX_VALUE) {
            until = rateLimit(max, from, newStarts, until);
        }
        return new Offset(KafkaOffsets.toJson(until));
    }

    /**
     * Spark's {@code rateLimit}: each partition with a backlog gets {@code max * backlog / total} more offsets, rounded
     * down (up when below 1, so that no partition starves), never past its latest offset.
     */
    static SortedMap<TopicPartition, Long> rateLimit(
            long max,
            Map<TopicPartition, Long> from,
            Map<TopicPartition, Long> newStarts,
            SortedMap<TopicPartition, Long> until) {
        Map<TopicPartition, Long> sizes = new HashMap<>();
        double total = 0;
        for (Map.Entry<TopicPartition, Long> entry : until.entrySet()) {
            Long begin = from.containsKey(entry.getKey()) ? from.get(entry.getKey()) : newStarts.get(entry.getKey());
            if (begin != null && entry.getValue() - begin > 0) {
                sizes.put(entry.getKey(), entry.getValue() - begin);
                total += entry.getValue() - begin;
            }
        }
        if (total < 1) {
            return until;
        }
        SortedMap<TopicPartition, Long> limited = new TreeMap<>(KafkaOffsets.ORDER);
        for (Map.Entry<TopicPartition, Long> entry : until.entrySet()) {
            Long size = sizes.get(entry.getKey());
            if (size == null) {
                limited.put(entry.getKey(), entry.getValue());
                continue;
            }
            long begin = from.containsKey(entry.getKey()) ? from.get(entry.getKey()) : newStarts.get(entry.getKey());
            double prorate = max * (size / total);
            long share = (long) (prorate < 1 ? Math.ceil(prorate) : Math.floor(prorate));
            long offset = share > Long.MAX_VALUE - begin ? Long.MAX_VALUE : begin + share;
            limited.put(entry.getKey(), Math.min(entry.getValue(), offset));
        }
        return limited;
    }

    @Override
    public List<Batch> read(Offset start, Offset end) {
        List<Batch> batches = new ArrayList<>();
        read(start, end, batches::add);
        return batches;
    }

    /**
     * Hands over the rows partition by partition (in partition order, each in offset order) while fetching: the first
     * partition's batches as they fill, the others' once those before them are done.
     */
    @Override
    public void read(Offset start, Offset end, Consumer<Batch> out) {
        try {
            readRanges(parse(start), parse(end), out);
        } finally {
            if (!streaming) {
                closeConsumer();
            }
        }
    }

    private void readRanges(
            SortedMap<TopicPartition, Long> from, SortedMap<TopicPartition, Long> until, Consumer<Batch> out) {
        SortedMap<TopicPartition, long[]> ranges = new TreeMap<>(KafkaOffsets.ORDER);
        List<TopicPartition> added = new ArrayList<>();
        for (TopicPartition partition : until.keySet()) {
            if (!from.containsKey(partition)) {
                added.add(partition);
            }
        }
        Map<TopicPartition, Long> addedStarts = added.isEmpty() ? Map.of() : beginningOffsets(added);
        for (Map.Entry<TopicPartition, Long> entry : until.entrySet()) {
            TopicPartition partition = entry.getKey();
            long end = entry.getValue();
            long begin;
            if (from.containsKey(partition)) {
                begin = from.get(partition);
            } else {
                begin = addedStarts.get(partition);
                if (begin != 0) {
                    reportDataLoss("added partition " + partition + " starts from offset " + begin
                            + " instead of 0; offsets 0 to " + (begin - 1) + " were not read.");
                }
            }
            if (end < begin) {
                reportDataLoss(partition + "'s offset went back from " + begin + " to " + end
                        + " (was the topic deleted and created again?); the records in between were not read.");
                continue;
            }
            if (end > begin) {
                ranges.put(partition, new long[] {begin, end});
            }
        }
        if (!ranges.isEmpty()) {
            fetch(ranges, out);
        }
    }

    /** Reads exactly [begin, end) of each partition. */
    private void fetch(SortedMap<TopicPartition, long[]> ranges, Consumer<Batch> out) {
        KafkaConsumer<ByteBuffer, ByteBuffer> kafka = consumer();
        InPartitionOrder batches = new InPartitionOrder(ranges.keySet(), options.includeHeaders(), out);
        Map<TopicPartition, Long> earliest = beginningOffsets(new ArrayList<>(ranges.keySet()));
        SortedMap<TopicPartition, long[]> pending = new TreeMap<>(KafkaOffsets.ORDER);
        for (Map.Entry<TopicPartition, long[]> range : ranges.entrySet()) {
            TopicPartition partition = range.getKey();
            long begin = range.getValue()[0];
            long end = range.getValue()[1];
            long available = earliest.get(partition);
            if (begin < available) {
                reportDataLoss("offsets " + begin + " to " + (Math.min(available, end) - 1) + " of " + partition
                        + " were deleted before they were read (the earliest offset is now " + available + ").");
                begin = Math.min(available, end);
            }
            if (begin < end) {
                pending.put(partition, new long[] {begin, end});
            } else {
                batches.done(partition);
            }
        }
        try {
            kafka.assign(pending.keySet());
            for (Map.Entry<TopicPartition, long[]> range : pending.entrySet()) {
                kafka.seek(range.getKey(), range.getValue()[0]);
            }
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!pending.isEmpty()) {
                if (System.nanoTime() > deadline) {
                    throw new BrookException(
                            ErrorCode.SOURCE_FAILED,
                            "timed out after " + timeout.toMillis() + " ms (kafkaConsumer.pollTimeoutMs) reading "
                                    + describe(pending, kafka) + " from "
                                    + options.consumerProperties().get("bootstrap.servers"));
                }
                ConsumerRecords<ByteBuffer, ByteBuffer> polled;
                try {
                    polled = kafka.poll(Duration.ofMillis(Math.min(500, timeout.toMillis())));
                    if (!polled.isEmpty()) {
                        // The timeout is for Kafka not answering: the time the pipeline spends on rows does not count.
                        deadline = System.nanoTime() + timeout.toNanos();
                    }
                } catch (OffsetOutOfRangeException e) {
                    skipDeleted(kafka, e.offsetOutOfRangePartitions(), pending, batches);
                    continue;
                }
                for (TopicPartition partition : polled.partitions()) {
                    long[] range = pending.get(partition);
                    if (range == null) {
                        continue;
                    }
                    for (ConsumerRecord<ByteBuffer, ByteBuffer> record : polled.records(partition)) {
                        if (record.offset() >= range[0] && record.offset() < range[1]) {
                            batches.add(partition, record);
                        }
                    }
                }
                for (TopicPartition partition : new ArrayList<>(pending.keySet())) {
                    // The position passes compacted offsets and transaction markers, so a range may end in a gap.
                    if (kafka.position(partition, timeout) >= pending.get(partition)[1]) {
                        pending.remove(partition);
                        kafka.pause(List.of(partition));
                        batches.done(partition);
                    }
                }
            }
        } catch (KafkaException e) {
            throw new BrookException(
                    ErrorCode.SOURCE_FAILED,
                    "kafka source " + description() + " failed reading " + ranges.keySet() + ": " + e,
                    e);
        } finally {
            if (consumer != null) {
                kafka.unsubscribe();
            }
        }
    }

    private void skipDeleted(
            KafkaConsumer<ByteBuffer, ByteBuffer> kafka,
            Map<TopicPartition, Long> outOfRange,
            SortedMap<TopicPartition, long[]> pending,
            InPartitionOrder batches) {
        Map<TopicPartition, Long> earliest = beginningOffsets(new ArrayList<>(outOfRange.keySet()));
        for (Map.Entry<TopicPartition, Long> entry : outOfRange.entrySet()) {
            TopicPartition partition = entry.getKey();
            long[] range = pending.get(partition);
            if (range == null) {
                continue;
            }
            long available = earliest.get(partition);
            reportDataLoss("offsets " + entry.getValue() + " to " + (Math.min(available, range[1]) - 1) + " of "
                    + partition + " were deleted before they were read (the earliest offset is now " + available
                    + ").");
            if (available >= range[1]) {
                pending.remove(partition);
                kafka.pause(List.of(partition));
                batches.done(partition);
            } else {
                kafka.seek(partition, available);
            }
        }
    }

    private String describe(SortedMap<TopicPartition, long[]> pending, KafkaConsumer<ByteBuffer, ByteBuffer> kafka) {
        List<String> parts = new ArrayList<>();
        for (Map.Entry<TopicPartition, long[]> range : pending.entrySet()) {
            parts.add(range.getKey() + " offsets " + range.getValue()[0] + " to " + (range.getValue()[1] - 1)
                    + " (position " + kafka.position(range.getKey(), Duration.ofSeconds(1)) + ")");
        }
        return String.join(", ", parts);
    }

    /**
     * Turns records into batches of at most {@link #MAX_BATCH_ROWS} rows per partition and hands them over in
     * partition order: the first unfinished partition's as they fill, a later one's kept until those before it are
     * done. The rows are the same, in the same order, however the polls interleave the partitions.
     */
    private static final class InPartitionOrder {
        private final List<TopicPartition> order;
        private final Map<TopicPartition, PartitionRows> rows = new HashMap<>();
        private final Consumer<Batch> out;
        private int current;

        InPartitionOrder(Collection<TopicPartition> partitions, boolean includeHeaders, Consumer<Batch> out) {
            this.order = new ArrayList<>(partitions);
            this.out = out;
            for (TopicPartition partition : partitions) {
                rows.put(partition, new PartitionRows(partition.topic(), includeHeaders));
            }
        }

        void add(TopicPartition partition, ConsumerRecord<ByteBuffer, ByteBuffer> record) {
            PartitionRows partitionRows = rows.get(partition);
            partitionRows.add(record);
            if (partitionRows.full()) {
                partitionRows.seal();
                if (partition.equals(order.get(current))) {
                    partitionRows.handOver(out);
                }
            }
        }

        /** The partition has all its rows: hand over what may go now. */
        void done(TopicPartition partition) {
            rows.get(partition).done = true;
            while (current < order.size() && rows.get(order.get(current)).done) {
                PartitionRows finished = rows.get(order.get(current));
                finished.seal();
                finished.handOver(out);
                current++;
                if (current < order.size()) {
                    rows.get(order.get(current)).handOver(out);
                }
            }
        }
    }

    /** One partition's rows of a read: sealed batches not yet handed over, and the batch being filled. */
    private static final class PartitionRows {
        private final List<Batch> sealed = new ArrayList<>();
        private VarcharColumn.Builder keys;
        private VarcharColumn.Builder values;
        private VarcharColumn.Builder topics;
        private int[] partitions;
        private long[] offsets;
        private long[] timestamps;
        private int[] timestampTypes;
        /** The bytes of the values of the last batch sealed. */
        private int lastValueBytes;
        /** Every row's topic, encoded once rather than per record. */
        private final byte[] topic;

        private final boolean includeHeaders;
        private ColumnBuilder headers;
        private int count;
        boolean done;

        PartitionRows(String topic, boolean includeHeaders) {
            this.topic = topic.getBytes(StandardCharsets.UTF_8);
            this.includeHeaders = includeHeaders;
            start();
        }

        private void start() {
            keys = VarcharColumn.builder(ColumnType.VARBINARY, MAX_BATCH_ROWS);
            // Sized by the last batch's values, so a batch of large records does not grow its array many times.
            values = VarcharColumn.builder(ColumnType.VARBINARY, MAX_BATCH_ROWS, lastValueBytes + lastValueBytes / 8);
            topics = VarcharColumn.builder(MAX_BATCH_ROWS);
            partitions = new int[MAX_BATCH_ROWS];
            offsets = new long[MAX_BATCH_ROWS];
            timestamps = new long[MAX_BATCH_ROWS];
            timestampTypes = new int[MAX_BATCH_ROWS];
            headers = includeHeaders ? new ColumnBuilder(HEADERS, MAX_BATCH_ROWS) : null;
            count = 0;
        }

        void add(ConsumerRecord<ByteBuffer, ByteBuffer> record) {
            appendBytes(keys, record.key());
            appendBytes(values, record.value());
            topics.appendUtf8(topic);
            partitions[count] = record.partition();
            offsets[count] = record.offset();
            timestamps[count] = Math.multiplyExact(record.timestamp(), 1000L);
            timestampTypes[count] = record.timestampType().id;
            if (includeHeaders) {
                appendHeaders(headers, record.headers());
            }
            count++;
        }

        /** A record's headers in order, as Spark reads them: null when it has none. */
        private static void appendHeaders(ColumnBuilder headers, Headers recordHeaders) {
            Iterator<Header> each = recordHeaders.iterator();
            if (!each.hasNext()) {
                headers.appendNull();
                return;
            }
            StructColumn.Builder elements = headers.arrayElements().structs();
            while (each.hasNext()) {
                Header header = each.next();
                elements.child(0).appendString(header.key());
                if (header.value() == null) {
                    elements.child(1).appendNull();
                } else {
                    elements.child(1).appendBytes(header.value());
                }
                headers.arrayElements().endStruct();
            }
            headers.endArray();
        }

        boolean full() {
            return count == MAX_BATCH_ROWS;
        }

        /** Closes the batch being filled, if it has rows. */
        void seal() {
            if (count == 0) {
                return;
            }
            VarcharColumn valueColumn = values.build();
            lastValueBytes = valueColumn.totalBytes();
            Column[] columns = {
                keys.build(),
                valueColumn,
                topics.build(),
                IntColumn.of(ColumnType.INT, Arrays.copyOf(partitions, count)),
                LongColumn.of(ColumnType.BIGINT, Arrays.copyOf(offsets, count)),
                LongColumn.of(ColumnType.TIMESTAMP, Arrays.copyOf(timestamps, count)),
                IntColumn.of(ColumnType.INT, Arrays.copyOf(timestampTypes, count))
            };
            if (includeHeaders) {
                columns = Arrays.copyOf(columns, columns.length + 1);
                columns[columns.length - 1] = headers.build();
                sealed.add(Batch.of(SCHEMA_WITH_HEADERS, columns));
            } else {
                sealed.add(Batch.of(SCHEMA, columns));
            }
            start();
        }

        void handOver(Consumer<Batch> out) {
            sealed.forEach(out);
            sealed.clear();
        }
    }

    /** Copies a key or value from the fetched bytes (a view, see {@link #consumer}) into a column. */
    private static void appendBytes(VarcharColumn.Builder builder, ByteBuffer bytes) {
        if (bytes == null) {
            builder.appendNull();
        } else if (bytes.hasArray()) {
            builder.appendUtf8(bytes.array(), bytes.arrayOffset() + bytes.position(), bytes.remaining());
        } else {
            byte[] copy = new byte[bytes.remaining()];
            bytes.duplicate().get(copy);
            builder.appendUtf8(copy);
        }
    }

    private void reportDataLoss(String message) {
        if (options.failOnDataLoss()) {
            throw new BrookException(
                    ErrorCode.SOURCE_FAILED, "kafka source " + description() + ": " + message + DATA_LOSS_HINT);
        }
        LOGGER.warn("[kafka source {}] {} Skipping them (failOnDataLoss=false).", description(), message);
    }

    /** The partitions the subscription covers now, sorted. */
    private List<TopicPartition> partitions() {
        KafkaSourceOptions.Subscription subscription = options.subscription();
        if (subscription instanceof KafkaSourceOptions.Assign assign) {
            return assign.partitions();
        }
        Map<String, List<PartitionInfo>> topics;
        try {
            topics = consumer().listTopics(timeout);
        } catch (KafkaException e) {
            throw new BrookException(
                    ErrorCode.SOURCE_FAILED,
                    "kafka source " + description() + " cannot list the topics of "
                            + options.consumerProperties().get("bootstrap.servers") + ": " + e,
                    e);
        }
        TreeSet<TopicPartition> partitions = new TreeSet<>(KafkaOffsets.ORDER);
        for (Map.Entry<String, List<PartitionInfo>> topic : topics.entrySet()) {
            boolean wanted = subscription instanceof KafkaSourceOptions.Subscribe subscribe
                    ? subscribe.topics().contains(topic.getKey())
                    : ((KafkaSourceOptions.SubscribePattern) subscription)
                            .pattern()
                            .matcher(topic.getKey())
                            .matches();
            if (wanted) {
                for (PartitionInfo info : topic.getValue()) {
                    partitions.add(new TopicPartition(info.topic(), info.partition()));
                }
            }
        }
        return new ArrayList<>(partitions);
    }

    private static List<TopicPartition> partitionsOf(Map<TopicPartition, Long> offsets) {
        return new ArrayList<>(offsets.keySet());
    }

    /** Offsets for {@code earliest}, {@code latest} or specific ones (-2 and -1 resolved), for these partitions. */
    private SortedMap<TopicPartition, Long> resolve(KafkaSourceOptions.Offsets spec, List<TopicPartition> partitions) {
        SortedMap<TopicPartition, Long> resolved = new TreeMap<>(KafkaOffsets.ORDER);
        if (spec.isSpecific()) {
            for (TopicPartition partition : partitions) {
                if (!spec.specific().containsKey(partition)) {
                    throw new BrookException(
                            ErrorCode.INVALID_OPTION,
                            "specific offsets must name every partition the kafka source reads; " + partition
                                    + " is missing (partitions: " + partitions + ")");
                }
            }
            List<TopicPartition> unknown = new ArrayList<>(spec.specific().keySet());
            unknown.removeAll(partitions);
            if (!unknown.isEmpty()) {
                throw new BrookException(
                        ErrorCode.INVALID_OPTION,
                        "specific offsets name " + unknown + ", which the kafka source does not read (partitions: "
                                + partitions + ")");
            }
        }
        if (partitions.isEmpty()) {
            return resolved;
        }
        Map<TopicPartition, Long> earliest = beginningOffsets(partitions);
        Map<TopicPartition, Long> latest = endOffsets(partitions);
        for (TopicPartition partition : partitions) {
            long wanted = spec.isSpecific()
                    ? spec.specific().get(partition)
                    : spec.kind().equals("earliest") ? KafkaOffsets.EARLIEST : KafkaOffsets.LATEST;
            long offset = wanted == KafkaOffsets.EARLIEST
                    ? earliest.get(partition)
                    : wanted == KafkaOffsets.LATEST ? latest.get(partition) : wanted;
            resolved.put(partition, offset);
        }
        return resolved;
    }

    private Map<TopicPartition, Long> beginningOffsets(List<TopicPartition> partitions) {
        try {
            return consumer().beginningOffsets(partitions, timeout);
        } catch (KafkaException e) {
            throw new BrookException(
                    ErrorCode.SOURCE_FAILED,
                    "kafka source " + description() + " cannot get the earliest offsets of " + partitions + ": " + e,
                    e);
        }
    }

    private Map<TopicPartition, Long> endOffsets(List<TopicPartition> partitions) {
        try {
            return consumer().endOffsets(partitions, timeout);
        } catch (KafkaException e) {
            throw new BrookException(
                    ErrorCode.SOURCE_FAILED,
                    "kafka source " + description() + " cannot get the latest offsets of " + partitions + ": " + e,
                    e);
        }
    }

    private SortedMap<TopicPartition, Long> parse(Offset offset) {
        try {
            return KafkaOffsets.fromJson(offset.json(), "kafka source offset");
        } catch (IllegalArgumentException e) {
            throw new BrookException(
                    ErrorCode.INCOMPATIBLE_CHECKPOINT,
                    "not a kafka source offset: " + offset.json() + " (" + e.getMessage() + ")",
                    e);
        }
    }

    private KafkaConsumer<ByteBuffer, ByteBuffer> consumer() {
        if (consumer == null) {
            Map<String, Object> properties = new HashMap<>(options.consumerProperties());
            // Keys and values as views of the fetched bytes, copied once, into the batch's columns (a byte[] would be a
            // second copy); the views are read before the next poll.
            properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteBufferDeserializer.class.getName());
            properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteBufferDeserializer.class.getName());
            properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
            properties.putIfAbsent(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
            // A micro-batch reads a known range at once, so fewer, larger fetches and polls beat the defaults (500
            // records a poll, 1 MiB a partition a fetch); kafka.* options still override these.
            properties.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(MAX_BATCH_ROWS * 8));
            properties.putIfAbsent(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(8 << 20));
            try {
                consumer = new KafkaConsumer<>(properties);
            } catch (KafkaException e) {
                throw new BrookException(
                        ErrorCode.INVALID_OPTION,
                        "kafka source " + description() + " cannot create its consumer: " + e,
                        e);
            }
        }
        return consumer;
    }

    private void closeConsumer() {
        KafkaConsumer<ByteBuffer, ByteBuffer> closing = consumer;
        consumer = null;
        if (closing != null) {
            closing.close(Duration.ofSeconds(5));
        }
    }

    @Override
    public String description() {
        return "KafkaV2[" + options.subscription() + "]";
    }

    /** Closes the consumer; idempotent. */
    @Override
    public void close() {
        closeConsumer();
    }
}
