package io.brook.engine.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brook.engine.BrookException;
import io.brook.engine.ErrorCode;
import io.brook.engine.api.Brook;
import io.brook.engine.api.DataStreamReader;
import io.brook.engine.api.Dataset;
import io.brook.engine.api.Row;
import io.brook.engine.api.StreamingQuery;
import io.brook.engine.api.functions;
import io.brook.engine.stream.Trigger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Kafka source against a real Brook broker on 127.0.0.1: streams, limits, restarts, bounded reads, data loss. */
class KafkaSourceTest {
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

    private static DataStreamReader stream(Brook brook, String option, String value) {
        return brook.readStream()
                .format("kafka")
                .option("kafka.bootstrap.servers", broker.bootstrapServers())
                .option("kafkaConsumer.pollTimeoutMs", "20000")
                .option(option, value);
    }

    private static Dataset<Row> values(Dataset<Row> kafka) {
        return kafka.selectExpr("CAST(value AS STRING) AS v", "partition", "offset");
    }

    /** Each batch's rows by batch id, as foreachBatch saw them. */
    private static final class Outputs {
        private final Map<Long, List<String>> batches = new TreeMap<>();

        synchronized void add(Dataset<Row> batch, long batchId) {
            batches.put(
                    batchId, batch.collectAsList().stream().map(Row::toString).toList());
        }

        synchronized Map<Long, List<String>> snapshot() {
            return new TreeMap<>(batches);
        }
    }

    @Test
    void aStreamReadsEachRecordOnceWithItsPartitionAndOffset() throws Exception {
        // Given
        broker.createTopic("events", 2);
        broker.send("events", 0, "k0", "a0");
        broker.send("events", 0, null, "a1");
        broker.send("events", 1, "k1", "b0");
        Brook brook = session();
        StreamingQuery query = values(stream(brook, "subscribe", "events")
                        .option("startingOffsets", "earliest")
                        .load())
                .writeStream()
                .format("memory")
                .queryName("events")
                .start();

        // When
        query.processAllAvailable();
        broker.send("events", 1, null, "b1");
        broker.send("events", 0, null, "a2");
        query.processAllAvailable();

        // Then: the query runs batches on its own, so b1 and a2 may land in one batch or two; within a partition
        // the order is the offsets'
        List<Row> rows = brook.table("events").collectAsList();
        assertThat(rows)
                .containsExactlyInAnyOrder(
                        Row.of("a0", 0, 0L),
                        Row.of("a1", 0, 1L),
                        Row.of("b0", 1, 0L),
                        Row.of("a2", 0, 2L),
                        Row.of("b1", 1, 1L));
        assertThat(rows.stream().filter(row -> row.getInt(1) == 0).map(row -> row.getString(0)))
                .containsExactly("a0", "a1", "a2");
        assertThat(rows.stream().filter(row -> row.getInt(1) == 1).map(row -> row.getString(0)))
                .containsExactly("b0", "b1");
        assertThat(query.lastProgress().sources().get(0).endOffset()).isEqualTo("{\"events\":{\"0\":3,\"1\":2}}");
    }

    @Test
    void aStreamStartsAtTheLatestOffsetsByDefault() throws Exception {
        // Given: records sent before the query starts
        broker.createTopic("late", 1);
        broker.sendValues("late", 0, "old", 3);
        Brook brook = session();
        StreamingQuery query = values(stream(brook, "subscribe", "late").load())
                .writeStream()
                .format("memory")
                .queryName("late")
                .start();
        query.processAllAvailable();

        // When
        broker.send("late", 0, null, "new");
        query.processAllAvailable();

        // Then
        assertThat(brook.table("late").collectAsList()).containsExactly(Row.of("new", 0, 3L));
    }

    @Test
    void maxOffsetsPerTriggerCapsEachBatchSpreadOverThePartitionsByBacklog() throws Exception {
        // Given: 10 records in partition 0, 5 in partition 1
        broker.createTopic("capped", 2);
        broker.sendValues("capped", 0, "a", 10);
        broker.sendValues("capped", 1, "b", 5);
        Outputs outputs = new Outputs();

        // When
        StreamingQuery query = stream(session(), "subscribe", "capped")
                .option("startingOffsets", "earliest")
                .option("maxOffsetsPerTrigger", "6")
                .load()
                .selectExpr("CAST(value AS STRING) AS v")
                .writeStream()
                .trigger(Trigger.AvailableNow())
                .foreachBatch(outputs::add)
                .start();

        // Then: 6 = 4 + 2 of a 10:5 backlog, then 4 + 2 of 6:3, then the 2 + 1 left
        assertThat(query.awaitTermination(60_000)).isTrue();
        assertThat(outputs.snapshot())
                .isEqualTo(Map.of(
                        0L, List.of("[a0]", "[a1]", "[a2]", "[a3]", "[b0]", "[b1]"),
                        1L, List.of("[a4]", "[a5]", "[a6]", "[a7]", "[b2]", "[b3]"),
                        2L, List.of("[a8]", "[a9]", "[b4]")));
    }

    @Test
    void aRestartedQueryResumesFromItsCheckpointWithoutLossOrDuplicates() throws Exception {
        // Given: a query read 5 records and stopped
        broker.createTopic("resumed", 1);
        broker.sendValues("resumed", 0, "v", 5);
        Path checkpoint = temp.resolve("resumed");
        Brook first = session();
        StreamingQuery before = startMemory(first, "resumed", "before", checkpoint);
        before.processAllAvailable();
        before.stop();

        // When: 3 more arrive and the query restarts from its checkpoint in a new session
        broker.sendValues("resumed", 0, "w", 3);
        Brook second = session();
        StreamingQuery after = startMemory(second, "resumed", "after", checkpoint);
        after.processAllAvailable();

        // Then
        assertThat(first.table("before").collectAsList())
                .containsExactly(
                        Row.of("v0", 0, 0L),
                        Row.of("v1", 0, 1L),
                        Row.of("v2", 0, 2L),
                        Row.of("v3", 0, 3L),
                        Row.of("v4", 0, 4L));
        assertThat(second.table("after").collectAsList())
                .containsExactly(Row.of("w0", 0, 5L), Row.of("w1", 0, 6L), Row.of("w2", 0, 7L));
    }

    private static StreamingQuery startMemory(Brook brook, String topic, String table, Path checkpoint) {
        return values(stream(brook, "subscribe", topic)
                        .option("startingOffsets", "earliest")
                        .load())
                .writeStream()
                .format("memory")
                .queryName(table)
                .option("checkpointLocation", checkpoint.toString())
                .start();
    }

    @Test
    void aBatchWhoseCommitWasLostReadsTheSameRecordsAgain() throws Exception {
        // Given: batches 0 and 1 ran, but the process died before commits/1 was written
        broker.createTopic("crashed", 1);
        broker.sendValues("crashed", 0, "v", 6);
        Path checkpoint = temp.resolve("crashed");
        Outputs before = new Outputs();
        runAvailableNow(checkpoint, before);
        Files.delete(checkpoint.resolve("commits").resolve("1"));

        // When: more records arrive and the query restarts
        broker.sendValues("crashed", 0, "w", 2);
        Outputs after = new Outputs();
        runAvailableNow(checkpoint, after);

        // Then
        assertThat(before.snapshot())
                .isEqualTo(Map.of(0L, List.of("[v0]", "[v1]", "[v2]"), 1L, List.of("[v3]", "[v4]", "[v5]")));
        assertThat(after.snapshot())
                .isEqualTo(Map.of(1L, List.of("[v3]", "[v4]", "[v5]"), 2L, List.of("[w0]", "[w1]")));
    }

    private void runAvailableNow(Path checkpoint, Outputs outputs) throws Exception {
        StreamingQuery query = stream(session(), "subscribe", "crashed")
                .option("startingOffsets", "earliest")
                .option("maxOffsetsPerTrigger", "3")
                .load()
                .selectExpr("CAST(value AS STRING) AS v")
                .writeStream()
                .trigger(Trigger.AvailableNow())
                .option("checkpointLocation", checkpoint.toString())
                .foreachBatch(outputs::add)
                .start();
        assertThat(query.awaitTermination(60_000)).isTrue();
    }

    @Test
    void startingOffsetsInJsonStartEachPartitionWhereTheySay() throws Exception {
        // Given
        broker.createTopic("from-json", 2);
        broker.sendValues("from-json", 0, "a", 4);
        broker.sendValues("from-json", 1, "b", 2);
        Brook brook = session();

        // When
        StreamingQuery query = values(stream(brook, "subscribe", "from-json")
                        .option("startingOffsets", "{\"from-json\":{\"0\":2,\"1\":-2}}")
                        .load())
                .writeStream()
                .format("memory")
                .queryName("fromJson")
                .start();
        query.processAllAvailable();

        // Then
        assertThat(brook.table("fromJson").collectAsList())
                .containsExactly(Row.of("a2", 0, 2L), Row.of("a3", 0, 3L), Row.of("b0", 1, 0L), Row.of("b1", 1, 1L));
    }

    @Test
    void aBoundedReadReadsFromStartingToEndingOffsetsOnce() throws Exception {
        // Given
        broker.createTopic("bounded", 2);
        broker.send("bounded", 0, "k0", "a0");
        broker.send("bounded", 0, null, "a1");
        broker.send("bounded", 0, "k2", "a2");
        broker.send("bounded", 0, "k3", "a3");
        broker.send("bounded", 1, "kb", "b0");

        // When
        Dataset<Row> frame = session()
                .read()
                .format("kafka")
                .option("kafka.bootstrap.servers", broker.bootstrapServers())
                .option("subscribe", "bounded")
                .option("endingOffsets", "{\"bounded\":{\"0\":3,\"1\":-1}}")
                .load()
                .selectExpr(
                        "CAST(key AS STRING) AS k",
                        "CAST(value AS STRING) AS v",
                        "topic",
                        "partition",
                        "offset",
                        "timestampType");
        List<Row> rows = frame.collectAsList();
        broker.send("bounded", 1, null, "b1");
        List<Row> again = frame.collectAsList();

        // Then
        assertThat(rows)
                .containsExactly(
                        Row.of("k0", "a0", "bounded", 0, 0L, 0),
                        Row.of(null, "a1", "bounded", 0, 1L, 0),
                        Row.of("k2", "a2", "bounded", 0, 2L, 0),
                        Row.of("kb", "b0", "bounded", 1, 0L, 0));
        assertThat(again).hasSize(5).contains(Row.of(null, "b1", "bounded", 1, 1L, 0));
    }

    @Test
    void subscribePatternPicksUpATopicCreatedLaterFromItsFirstRecord() throws Exception {
        // Given
        broker.createTopic("pat-a", 1);
        broker.createTopic("unmatched-pat-x", 1);
        broker.send("pat-a", 0, null, "a0");
        broker.send("unmatched-pat-x", 0, null, "x0");
        Brook brook = session();
        StreamingQuery query = stream(brook, "subscribePattern", "pat-.*")
                .option("startingOffsets", "earliest")
                .load()
                .selectExpr("CAST(value AS STRING) AS v", "topic", "offset")
                .writeStream()
                .format("memory")
                .queryName("pattern")
                .start();
        query.processAllAvailable();

        // When
        broker.createTopic("pat-b", 2);
        broker.send("pat-b", 1, null, "b0");
        broker.send("pat-b", 1, null, "b1");
        query.processAllAvailable();

        // Then
        assertThat(brook.table("pattern").collectAsList())
                .containsExactly(Row.of("a0", "pat-a", 0L), Row.of("b0", "pat-b", 0L), Row.of("b1", "pat-b", 1L));
    }

    @Test
    void recordsDeletedBeforeTheyWereReadFailTheReadNamingThePartitionAndOffsets() throws Exception {
        // Given: offsets 0 to 3 were deleted
        broker.createTopic("lossy", 1);
        broker.sendValues("lossy", 0, "v", 6);
        broker.deleteRecords(new TopicPartition("lossy", 0), 4);

        // When / Then
        assertThatThrownBy(() -> bounded("lossy", "true").collectAsList())
                .isInstanceOfSatisfying(
                        BrookException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.SOURCE_FAILED))
                .hasMessageStartingWith("kafka source KafkaV2[Subscribe[lossy]]: offsets 0 to 3 of lossy-0 were deleted"
                        + " before they were read (the earliest offset is now 4). Some data may have been lost")
                .hasMessageContaining("set the source option failOnDataLoss to false");
        assertThat(bounded("lossy", "false").collectAsList()).containsExactly(Row.of("v4"), Row.of("v5"));
    }

    private Dataset<Row> bounded(String topic, String failOnDataLoss) {
        return session()
                .read()
                .format("kafka")
                .option("kafka.bootstrap.servers", broker.bootstrapServers())
                .option("subscribe", topic)
                .option("startingOffsets", "{\"" + topic + "\":{\"0\":0}}")
                .option("failOnDataLoss", failOnDataLoss)
                .load()
                .selectExpr("CAST(value AS STRING) AS v");
    }

    @Test
    void aStreamFailsWhenTheRecordsOfItsNextBatchWereDeleted() throws Exception {
        // Given: a query read offsets 0 to 2 and stopped; 3 to 6 arrived and 3 to 4 were deleted
        broker.createTopic("lossy-stream", 1);
        broker.sendValues("lossy-stream", 0, "v", 3);
        Path checkpoint = temp.resolve("lossy");
        StreamingQuery before = startMemory(session(), "lossy-stream", "lossyBefore", checkpoint);
        before.processAllAvailable();
        before.stop();
        broker.sendValues("lossy-stream", 0, "w", 4);
        broker.deleteRecords(new TopicPartition("lossy-stream", 0), 5);

        // When
        StreamingQuery after = startMemory(session(), "lossy-stream", "lossyAfter", checkpoint);

        // Then
        assertThatThrownBy(after::processAllAvailable)
                .hasMessageContaining("offsets 3 to 4 of lossy-stream-0 were deleted before they were read (the"
                        + " earliest offset is now 5)");
    }

    /** a0: two headers, one with a null value; a1: none; a2: one header whose key repeats. */
    private static void sendWithHeaders(String topic) throws Exception {
        broker.send(
                topic,
                0,
                "k0",
                "a0",
                List.of(new RecordHeader("trace", KafkaTestBroker.utf8("t-1")), new RecordHeader("empty", (byte[])
                        null)));
        broker.send(topic, 0, null, "a1", List.of());
        broker.send(
                topic,
                0,
                null,
                "a2",
                List.of(new RecordHeader("h", new byte[] {1, 2}), new RecordHeader("h", new byte[] {3})));
    }

    private static List<String> describeHeaders(List<Row> rows) {
        return rows.stream()
                .map(row -> {
                    List<Row> headers = row.getAs(1);
                    if (headers == null) {
                        return row.getString(0) + ":null";
                    }
                    List<String> parts = new ArrayList<>();
                    for (Row header : headers) {
                        byte[] value = header.getBinary(1);
                        parts.add(header.getString(0) + "=" + (value == null ? "null" : Arrays.toString(value)));
                    }
                    return row.getString(0) + ":" + String.join(",", parts);
                })
                .toList();
    }

    @Test
    void includeHeadersAddsSparksHeadersColumnToABoundedRead() throws Exception {
        // Given
        broker.createTopic("with-headers", 1);
        sendWithHeaders("with-headers");

        // When
        Dataset<Row> kafka = session()
                .read()
                .format("kafka")
                .option("kafka.bootstrap.servers", broker.bootstrapServers())
                .option("subscribe", "with-headers")
                .option("includeHeaders", "true")
                .load();
        List<Row> rows =
                kafka.selectExpr("CAST(value AS STRING) AS v", "headers").collectAsList();

        // Then
        assertThat(kafka.columns())
                .containsExactly(
                        "key", "value", "topic", "partition", "offset", "timestamp", "timestampType", "headers");
        assertThat(kafka.schema().field(7).sparkTypeName()).isEqualTo("array<struct<key:string,value:binary>>");
        assertThat(describeHeaders(rows))
                .containsExactly("a0:trace=[116, 45, 49],empty=null", "a1:null", "a2:h=[1, 2],h=[3]");
        assertThat(kafka.select(
                                functions
                                        .col("headers")
                                        .getItem(0)
                                        .getField("value")
                                        .cast("string")
                                        .as("first"),
                                functions.size(functions.col("headers")).as("n"))
                        .collectAsList())
                .containsExactly(Row.of("t-1", 2), Row.of(null, null), Row.of("\u0001\u0002", 2));
        assertThat(kafka.selectExpr(
                                "CAST(value AS STRING) AS v",
                                "headers[0].key AS k",
                                "CAST(headers[0].value AS STRING) AS first")
                        .collectAsList())
                .containsExactly(
                        Row.of("a0", "trace", "t-1"), Row.of("a1", null, null), Row.of("a2", "h", "\u0001\u0002"));
    }

    @Test
    void includeHeadersAddsTheHeadersColumnToAStream() throws Exception {
        // Given
        broker.createTopic("stream-headers", 1);
        sendWithHeaders("stream-headers");
        Brook brook = session();
        StreamingQuery query = stream(brook, "subscribe", "stream-headers")
                .option("startingOffsets", "earliest")
                .option("includeHeaders", "true")
                .load()
                .select(
                        functions.col("value").cast("string").as("v"),
                        functions.col("headers"),
                        functions.col("headers").getItem(0).getField("key").as("firstKey"))
                .writeStream()
                .format("memory")
                .queryName("stream_headers")
                .start();

        // When
        query.processAllAvailable();
        broker.send("stream-headers", 0, null, "a3", List.of(new RecordHeader("late", KafkaTestBroker.utf8("x"))));
        query.processAllAvailable();

        // Then
        List<Row> rows = brook.table("stream_headers").collectAsList();
        assertThat(describeHeaders(rows))
                .containsExactly("a0:trace=[116, 45, 49],empty=null", "a1:null", "a2:h=[1, 2],h=[3]", "a3:late=[120]");
        assertThat(rows.stream().map(row -> row.get(2)).toList()).containsExactly("trace", null, "h", "late");
    }

    @Test
    void withoutIncludeHeadersTheSourceHasSparksSevenColumns() {
        // When
        Dataset<Row> kafka = session()
                .read()
                .format("kafka")
                .option("kafka.bootstrap.servers", broker.bootstrapServers())
                .option("subscribe", "absent-headers")
                .option("includeHeaders", "false")
                .load();

        // Then
        assertThat(kafka.columns())
                .containsExactly("key", "value", "topic", "partition", "offset", "timestamp", "timestampType");
    }
}
