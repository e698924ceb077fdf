package io.brook.engine.connector;

import static io.brook.engine.connector.KafkaTestBroker.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brook.engine.BrookException;
import io.brook.engine.ErrorCode;
import io.brook.engine.api.Brook;
import io.brook.engine.api.MemoryStream;
import io.brook.engine.api.Row;
import io.brook.engine.api.StreamingQuery;
import io.brook.engine.batch.ColumnType;
import io.brook.engine.batch.Field;
import io.brook.engine.batch.Schema;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Kafka sink against a real Brook broker on 127.0.0.1: what a KafkaConsumer reads back, and what is refused. */
class KafkaSinkTest {
    private static final Schema RECORDS = Schema.of(
            new Field("key", ColumnType.VARCHAR, true),
            new Field("value", ColumnType.VARCHAR, true),
            new Field("partition", ColumnType.INT, true));

    @TempDir
    static Path brokerDir;

    @TempDir
    Path temp;

    private static KafkaTestBroker broker;
    private final List<Brook> sessions = new ArrayList<>();

    @BeforeAll
    static void startBroker() throws Exception {
        broker = KafkaTestBroker.start(brokerDir.resolve("data"));
    }

    @AfterAll
    static void stopBroker() throws Exception {
        broker.close();
    }

    @AfterEach
    void stopQueries() {
        sessions.forEach(Brook::close);
    }

    private Brook session() {
        Brook brook = Brook.local();
        sessions.add(brook);
        return brook;
    }

    @Test
    void eachRowBecomesARecordWithItsKeyValueAndPartition() throws Exception {
        // Given
        broker.createTopic("out", 2);
        MemoryStream input = MemoryStream.of(session(), RECORDS);
        StreamingQuery query = input.toDF()
                .writeStream()
                .format("kafka")
                .option("kafka.bootstrap.servers", broker.bootstrapServers())
                .option("topic", "out")
                .option("checkpointLocation", temp.resolve("out").toString())
                .start();

        // When
        input.addData(Row.of("k1", "v1", 0), Row.of("k2", "v2", 1), Row.of(null, "v3", 1));
        query.processAllAvailable();
        input.addData(Row.of("k4", null, 0));
        query.processAllAvailable();

        // Then
        assertThat(describe(broker.readAll(new TopicPartition("out", 0), 2))).containsExactly("k1=v1", "k4=null");
        assertThat(describe(broker.readAll(new TopicPartition("out", 1), 2))).containsExactly("k2=v2", "null=v3");
    }

    @Test
    void aTopicColumnRoutesEachRowAndBinaryValuesGoAsTheyAre() throws Exception {
        // Given: the source's own rows, value as bytes, and a topic column
        broker.createTopic("routed-a", 1);
        broker.createTopic("routed-b", 1);
        Schema schema = Schema.of(
                new Field("topic", ColumnType.VARCHAR, false), new Field("value", ColumnType.VARBINARY, false));
        MemoryStream input = MemoryStream.of(session(), schema);
        StreamingQuery query = input.toDF()
                .writeStream()
                .format("kafka")
                .option("kafka.bootstrap.servers", broker.bootstrapServers())
                .option("checkpointLocation", temp.resolve("routed").toString())
                .start();

        // When
        input.addData(
                Row.of("routed-a", new byte[] {1, 2, (byte) 0xff}), Row.of("routed-b", KafkaTestBroker.utf8("b")));
        query.processAllAvailable();

        // Then
        assertThat(broker.readAll(new TopicPartition("routed-a", 0), 1).get(0).value())
                .isEqualTo(new byte[] {1, 2, (byte) 0xff});
        assertThat(text(broker.readAll(new TopicPartition("routed-b", 0), 1)
                        .get(0)
                        .value()))
                .isEqualTo("b");
    }

    @Test
    void aFailedSendFailsTheBatch() throws Exception {
        // Given: a row for partition 5 of a topic with one partition
        broker.createTopic("narrow", 1);
        MemoryStream input = MemoryStream.of(session(), RECORDS);
        StreamingQuery query = input.toDF()
                .writeStream()
                .format("kafka")
                .option("kafka.bootstrap.servers", broker.bootstrapServers())
                .option("kafka.max.block.ms", "1000")
                .option("topic", "narrow")
                .option("checkpointLocation", temp.resolve("narrow").toString())
                .start();

        // When
        input.addData(Row.of("k", "v", 5));

        // Then
        assertThatThrownBy(query::processAllAvailable)
                .hasMessageContaining("kafka sink failed to write batch 0")
                .hasMessageContaining("narrow");
    }

    @Test
    void aMissingValueColumnTopicOrServerIsRefusedBeforeTheQueryStarts() {
        // Given
        Brook brook = session();
        MemoryStream input = MemoryStream.of(brook, Schema.of(new Field("key", ColumnType.VARCHAR, true)));
        MemoryStream records = MemoryStream.of(brook, RECORDS);

        // When / Then
        assertThatThrownBy(() -> input.toDF()
                        .writeStream()
                        .format("kafka")
                        .option("kafka.bootstrap.servers", "127.0.0.1:1")
                        .option("topic", "t")
                        .option("checkpointLocation", temp.toString())
                        .start())
                .isInstanceOfSatisfying(
                        BrookException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.UNRESOLVED_COLUMN))
                .hasMessage("the kafka sink needs a 'value' column; columns: [key]");
        assertThatThrownBy(() -> records.toDF()
                        .writeStream()
                        .format("kafka")
                        .option("kafka.bootstrap.servers", "127.0.0.1:1")
                        .option("checkpointLocation", temp.toString())
                        .start())
                .hasMessage("the kafka sink needs option(\"topic\", <name>) or a 'topic' column; columns: [key, value,"
                        + " partition]");
        assertThatThrownBy(() -> records.toDF()
                        .writeStream()
                        .format("kafka")
                        .option("topic", "t")
                        .option("checkpointLocation", temp.toString())
                        .start())
                .hasMessage("the kafka sink needs option kafka.bootstrap.servers, e.g. \"127.0.0.1:9092\"");
        assertThatThrownBy(() -> records.toDF()
                        .writeStream()
                        .format("kafka")
                        .option("kafka.bootstrap.servers", "127.0.0.1:1")
                        .option("topic", "t")
                        .option("topics", "t")
                        .option("checkpointLocation", temp.toString())
                        .start())
                .hasMessage("unknown option 'topics' for the kafka sink; it takes [checkpointLocation,"
                        + " maxFilesPerTrigger, maxOffsetsPerTrigger, topic] and kafka.* producer properties (e.g."
                        + " kafka.bootstrap.servers)");
    }

    private static List<String> describeHeaders(List<ConsumerRecord<byte[], byte[]>> records) {
        return records.stream()
                .map(record -> {
                    List<String> parts = new ArrayList<>();
                    for (Header header : record.headers()) {
                        parts.add(header.key() + "="
                                + (header.value() == null ? "null" : Arrays.toString(header.value())));
                    }
                    return text(record.value()) + ":" + String.join(",", parts);
                })
                .toList();
    }

    @Test
    void aHeadersColumnGivesEachRecordItsHeadersInOrder() throws Exception {
        // Given
        broker.createTopic("headed", 1);
        Schema schema = Schema.of(new Field("value", ColumnType.VARCHAR, true), KafkaSource.HEADERS);
        MemoryStream input = MemoryStream.of(session(), schema);
        StreamingQuery query = input.toDF()
                .writeStream()
                .format("kafka")
                .option("kafka.bootstrap.servers", broker.bootstrapServers())
                .option("topic", "headed")
                .option("checkpointLocation", temp.resolve("headed").toString())
                .start();

        // When
        input.addData(
                Row.of("v1", List.of(Row.of("trace", new byte[] {1, 2}), Row.of("empty", null))),
                Row.of("v2", null),
                Row.of("v3", List.of()),
                Row.of("v4", List.of(Row.of("h", new byte[] {9}), Row.of("h", new byte[] {8}))));
        query.processAllAvailable();

        // Then: read back with a plain KafkaConsumer
        assertThat(describeHeaders(broker.readAll(new TopicPartition("headed", 0), 4)))
                .containsExactly("v1:trace=[1, 2],empty=null", "v2:", "v3:", "v4:h=[9],h=[8]");
    }

    @Test
    void headersReadWithIncludeHeadersAreWrittenBackAsTheyWere() throws Exception {
        // Given: a record with headers and one without, copied by a stream from one topic to another
        broker.createTopic("copy-in", 1);
        broker.createTopic("copy-out", 1);
        broker.send(
                "copy-in", 0, "k", "a", List.of(new RecordHeader("x", new byte[] {7}), new RecordHeader("y", (byte[])
                        null)));
        broker.send("copy-in", 0, null, "b");
        StreamingQuery query = session()
                .readStream()
                .format("kafka")
                .option("kafka.bootstrap.servers", broker.bootstrapServers())
                .option("subscribe", "copy-in")
                .option("startingOffsets", "earliest")
                .option("includeHeaders", "true")
                .load()
                .selectExpr("key", "value", "headers")
                .writeStream()
                .format("kafka")
                .option("kafka.bootstrap.servers", broker.bootstrapServers())
                .option("topic", "copy-out")
                .option("checkpointLocation", temp.resolve("copy").toString())
                .start();

        // When
        query.processAllAvailable();

        // Then
        assertThat(describeHeaders(broker.readAll(new TopicPartition("copy-out", 0), 2)))
                .containsExactly("a:x=[7],y=null", "b:");
    }

    @Test
    void aHeadersColumnOfAnotherTypeIsRefusedBeforeTheQueryStarts() {
        // Given
        MemoryStream input = MemoryStream.of(
                session(),
                Schema.of(
                        new Field("value", ColumnType.VARCHAR, true),
                        Field.array("headers", ColumnType.VARCHAR, true)));

        // When / Then
        assertThatThrownBy(() -> input.toDF()
                        .writeStream()
                        .format("kafka")
                        .option("kafka.bootstrap.servers", "127.0.0.1:1")
                        .option("topic", "t")
                        .option("checkpointLocation", temp.toString())
                        .start())
                .isInstanceOfSatisfying(
                        BrookException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.TYPE_MISMATCH))
                .hasMessage("column 'headers' of the kafka sink must be array<struct<key:string,value:binary>> (as in"
                        + " Spark); it is array<string>");
    }

    private static List<String> describe(List<ConsumerRecord<byte[], byte[]>> records) {
        return records.stream()
                .map(record -> text(record.key()) + "=" + text(record.value()))
                .toList();
    }
}
