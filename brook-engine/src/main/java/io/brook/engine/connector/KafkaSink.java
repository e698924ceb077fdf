package io.brook.engine.connector;

import static java.util.Objects.requireNonNull;

import io.brook.engine.BrookException;
import io.brook.engine.ErrorCode;
import io.brook.engine.batch.ArrayColumn;
import io.brook.engine.batch.Batch;
import io.brook.engine.batch.Column;
import io.brook.engine.batch.ColumnType;
import io.brook.engine.batch.IntColumn;
import io.brook.engine.batch.Schema;
import io.brook.engine.batch.StructColumn;
import io.brook.engine.batch.VarcharColumn;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Spark's Kafka sink: each output row becomes a record of the {@code topic} option's topic (or of the row's
 * {@code topic} column), with the row's {@code value} (VARCHAR as UTF-8, or VARBINARY), optional {@code key} and
 * optional {@code partition} and optional {@code headers} (Spark's {@code array<struct<key: string, value: binary>>});
 * other columns are ignored. {@link #addBatch} sends every row with an idempotent producer
 * ({@code acks=all}) and flushes, and fails the batch if any send failed.
 *
 * <p>At least once: a batch that is re-run after a restart (its commit was lost) is sent again, so its records may
 * appear twice in Kafka. Called from the query's thread; the producer is created on the first batch and closed by
 * {@link #close}.
 */
public final class KafkaSink implements Sink {
    private static final Set<String> SINK_OPTIONS = Collections.unmodifiableSet(
            new TreeSet<>(List.of("topic", "checkpointLocation", "maxOffsetsPerTrigger", "maxFilesPerTrigger")));

    private final Map<String, String> producerProperties;
    private final String topic;
    private final int valueColumn;
    private final int keyColumn;
    private final int topicColumn;
    private final int partitionColumn;
    private final int headersColumn;
    private KafkaProducer<byte[], byte[]> producer;

    private KafkaSink(
            Map<String, String> producerProperties,
            String topic,
            int valueColumn,
            int keyColumn,
            int topicColumn,
            int partitionColumn,
            int headersColumn) {
        this.producerProperties = producerProperties;
        this.topic = topic;
        this.valueColumn = valueColumn;
        this.keyColumn = keyColumn;
        this.topicColumn = topicColumn;
        this.partitionColumn = partitionColumn;
        this.headersColumn = headersColumn;
    }

    /**
     * A sink for rows of this schema, from {@code writeStream()} options.
     *
     * @throws BrookException INVALID_OPTION or TYPE_MISMATCH naming the option or column and what is allowed
     */
    public static KafkaSink create(Map<String, String> options, Schema schema) {
        requireNonNull(schema, "schema is null");
        Map<String, String> producer = new TreeMap<>();
        for (Map.Entry<String, String> option : options.entrySet()) {
            String key = option.getKey();
            if (key.startsWith("kafka.")) {
                String property = key.substring("kafka.".length());
                if (property.equals("key.serializer") || property.equals("value.serializer")) {
                    throw new BrookException(
                            ErrorCode.INVALID_OPTION,
                            "kafka option '" + key + "' is not supported: the sink writes the key and value columns"
                                    + " as bytes (VARCHAR as UTF-8); cast them in the query instead");
                }
                producer.put(property, option.getValue());
            } else if (!SINK_OPTIONS.contains(key)) {
                throw new BrookException(
                        ErrorCode.INVALID_OPTION,
                        "unknown option '" + key + "' for the kafka sink; it takes " + SINK_OPTIONS
                                + " and kafka.* producer properties (e.g. kafka.bootstrap.servers)");
            }
        }
        String servers = producer.get("bootstrap.servers");
        if (servers == null || servers.isBlank()) {
            throw new BrookException(
                    ErrorCode.INVALID_OPTION,
                    "the kafka sink needs option kafka.bootstrap.servers, e.g. \"127.0.0.1:9092\"");
        }
        String topic = options.get("topic");
        if (topic != null && topic.isBlank()) {
            throw new BrookException(ErrorCode.INVALID_OPTION, "option topic of the kafka sink is empty");
        }
        int value = column(schema, "value", true, ColumnType.VARCHAR, ColumnType.VARBINARY);
        int key = column(schema, "key", false, ColumnType.VARCHAR, ColumnType.VARBINARY);
        int topicColumn = column(schema, "topic", false, ColumnType.VARCHAR);
        int partition = column(schema, "partition", false, ColumnType.INT);
        int headers = headersColumn(schema);
        if (topic == null && topicColumn < 0) {
            throw new BrookException(
                    ErrorCode.INVALID_OPTION,
                    "the kafka sink needs option(\"topic\", <name>) or a 'topic' column; columns: " + schema.names());
        }
        return new KafkaSink(
                Collections.unmodifiableMap(producer),
                topic == null ? null : topic.strip(),
                value,
                key,
                topicColumn,
                partition,
                headers);
    }

    /** The optional {@code headers} column, which must be of Spark's type {@link KafkaSource#HEADERS}; or -1. */
    private static int headersColumn(Schema schema) {
        int index = schema.names().indexOf("headers");
        if (index >= 0 && !schema.field(index).sameType(KafkaSource.HEADERS)) {
            throw new BrookException(
                    ErrorCode.TYPE_MISMATCH,
                    "column 'headers' of the kafka sink must be " + KafkaSource.HEADERS.sparkTypeName() + " (as in"
                            + " Spark); it is " + schema.field(index).sparkTypeName());
        }
        return index;
    }

    private static int column(Schema schema, String name, boolean required, ColumnType... types) {
        int index = schema.names().indexOf(name);
        if (index < 0) {
            if (required) {
                throw new BrookException(
                        ErrorCode.UNRESOLVED_COLUMN,
                        "the kafka sink needs a '" + name + "' column; columns: " + schema.names());
            }
            return -1;
        }
        ColumnType type = schema.field(index).type();
        if (!List.of(types).contains(type)) {
            throw new BrookException(
                    ErrorCode.TYPE_MISMATCH,
                    "column '" + name + "' of the kafka sink must be " + (types.length == 1 ? "" : "one of ")
                            + List.of(types) + "; it is " + type);
        }
        return index;
    }

    @Override
    public void addBatch(long batchId, Schema schema, List<Batch> batches) {
        KafkaProducer<byte[], byte[]> kafka = producer();
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        try {
            for (Batch batch : batches) {
                Column values = batch.column(valueColumn);
                for (int row = 0; row < batch.rowCount(); row++) {
                    int position = batch.position(row);
                    sent.add(kafka.send(new ProducerRecord<>(
                            topicOf(batch, position, batchId),
                            partitionOf(batch, position),
                            keyColumn < 0 ? null : bytes(batch.column(keyColumn), position),
                            bytes(values, position),
                            headersColumn < 0 ? null : headersOf(batch, position, batchId))));
                }
            }
            kafka.flush();
            for (Future<RecordMetadata> future : sent) {
                future.get();
            }
        } catch (ExecutionException e) {
            throw new BrookException(
                    ErrorCode.SINK_FAILED,
                    "kafka sink failed to write batch " + batchId + ": " + e.getCause(),
                    e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BrookException(ErrorCode.SINK_FAILED, "kafka sink interrupted writing batch " + batchId, e);
        } catch (KafkaException e) {
            throw new BrookException(
                    ErrorCode.SINK_FAILED, "kafka sink failed to write batch " + batchId + ": " + e, e);
        }
    }

    private String topicOf(Batch batch, int position, long batchId) {
        if (topic != null) {
            return topic;
        }
        Column topics = batch.column(topicColumn);
        if (topics.isNull(position)) {
            throw new BrookException(
                    ErrorCode.SINK_FAILED,
                    "batch " + batchId
                            + " has a row whose topic column is null and the kafka sink has no topic option");
        }
        return ((VarcharColumn) topics).getString(position);
    }

    /** The row's headers in order (none for a null array); a header's null value stays null, as Spark sends it. */
    private List<Header> headersOf(Batch batch, int position, long batchId) {
        ArrayColumn headers = (ArrayColumn) batch.column(headersColumn);
        if (headers.isNull(position) || headers.length(position) == 0) {
            return null;
        }
        StructColumn elements = (StructColumn) headers.elements();
        VarcharColumn keys = (VarcharColumn) elements.child(0);
        VarcharColumn values = (VarcharColumn) elements.child(1);
        List<Header> result = new ArrayList<>(headers.length(position));
        int end = headers.start(position) + headers.length(position);
        for (int element = headers.start(position); element < end; element++) {
            if (elements.isNull(element) || keys.isNull(element)) {
                throw new BrookException(
                        ErrorCode.SINK_FAILED,
                        "batch " + batchId + " has a row whose headers hold a "
                                + (elements.isNull(element) ? "null header" : "header with a null key")
                                + "; a Kafka header needs a key");
            }
            result.add(new RecordHeader(keys.getString(element), bytes(values, element)));
        }
        return result;
    }

    private Integer partitionOf(Batch batch, int position) {
        if (partitionColumn < 0 || batch.column(partitionColumn).isNull(position)) {
            return null;
        }
        return ((IntColumn) batch.column(partitionColumn)).getInt(position);
    }

    private static byte[] bytes(Column column, int position) {
        return column.isNull(position) ? null : ((VarcharColumn) column).getBytes(position);
    }

    private KafkaProducer<byte[], byte[]> producer() {
        if (producer == null) {
            Map<String, Object> properties = new HashMap<>(producerProperties);
            properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
            properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
            properties.put(ProducerConfig.ACKS_CONFIG, "all");
            properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
            try {
                producer = new KafkaProducer<>(properties);
            } catch (KafkaException e) {
                throw new BrookException(ErrorCode.INVALID_OPTION, "kafka sink cannot create its producer: " + e, e);
            }
        }
        return producer;
    }

    @Override
    public String description() {
        return "KafkaSink[" + (topic == null ? "topic column" : topic) + "]";
    }

    /** Closes the producer (sending what it holds); idempotent. */
    @Override
    public void close() {
        KafkaProducer<byte[], byte[]> closing = producer;
        producer = null;
        if (closing != null) {
            closing.close(Duration.ofSeconds(30));
        }
    }
}
