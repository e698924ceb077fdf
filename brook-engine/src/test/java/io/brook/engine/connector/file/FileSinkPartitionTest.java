package io.brook.engine.connector.file;

import static io.brook.engine.api.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brook.engine.BrookException;
import io.brook.engine.api.Brook;
import io.brook.engine.api.MemoryStream;
import io.brook.engine.api.Row;
import io.brook.engine.api.StreamingQuery;
import io.brook.engine.batch.Batch;
import io.brook.engine.batch.ColumnType;
import io.brook.engine.batch.Field;
import io.brook.engine.batch.LongColumn;
import io.brook.engine.batch.Schema;
import io.brook.engine.batch.VarcharColumn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file sink partitioned by columns: Hive's directory layout with escaped values and NULL's default partition, files
 * without the partition columns, exactly once across partitions, partition discovery when the files are read back, and
 * Flink's success-file commit by processing time and by partition time.
 */
class FileSinkPartitionTest {
    private static final Schema VISITS = Schema.of(
            new Field("id", ColumnType.BIGINT, true),
            new Field("day", ColumnType.VARCHAR, true),
            new Field("hm", ColumnType.VARCHAR, true));

    @TempDir
    Path temp;

    private final AtomicLong clock = new AtomicLong(1_700_000_000_000L);
    private final List<Brook> sessions = new ArrayList<>();

    private Brook session() {
        Brook brook = Brook.builder().clock(clock::get).getOrCreate();
        sessions.add(brook);
        return brook;
    }

    @AfterEach
    void close() {
        sessions.forEach(Brook::close);
    }

    /** Every file under a directory, relative to it, sorted; metadata and hidden files left out. */
    private static List<String> files(Path directory) throws Exception {
        try (Stream<Path> walk = Files.walk(directory)) {
            return walk.filter(Files::isRegularFile)
                    .map(file -> directory.relativize(file).toString())
                    .filter(name -> !name.startsWith("_brook_metadata") && !name.startsWith("."))
                    .sorted()
                    .toList();
        }
    }

    /** The part files' directories (each once) and the other files, with part file names reduced to "part". */
    private static List<String> layout(Path directory) throws Exception {
        return files(directory).stream()
                .map(name -> name.replaceAll("part-\\d+-[0-9a-f-]+\\.(json|csv)$", "part"))
                .distinct()
                .toList();
    }

    private static List<String> sortedRows(List<Row> rows) {
        return rows.stream().map(Row::toString).sorted().toList();
    }

    private StreamingQuery visitsToJson(
            Brook brook, MemoryStream input, Path output, Path checkpoint, Map<String, String> options) {
        return input.toDF()
                .writeStream()
                .format("json")
                .partitionBy("day", "hm")
                .option("path", output.toString())
                .option("checkpointLocation", checkpoint.toString())
                .options(options)
                .start();
    }

    @Test
    void aStreamWritesEachPartitionToItsOwnEscapedDirectoryWithoutThePartitionColumns() throws Exception {
        // Given
        Brook brook = session();
        MemoryStream input = MemoryStream.of(brook, VISITS);
        Path output = temp.resolve("out");
        StreamingQuery query = visitsToJson(brook, input, output, temp.resolve("cp"), Map.of());

        // When
        input.addData(
                Row.of(1L, "2026-12-01", "14:05"),
                Row.of(2L, "2026-12-01", "14:05"),
                Row.of(3L, "2026-12-01", "14:06"),
                Row.of(4L, "a/b=c?", "x"),
                Row.of(5L, null, ""));
        query.processAllAvailable();
        input.addData(Row.of(6L, "2026-12-01", "14:06"));
        query.processAllAvailable();

        // Then: a directory per partition value, ':' '/' '=' '?' escaped, NULL and '' in the default partition
        assertThat(layout(output))
                .containsExactly(
                        "day=2026-12-01/hm=14%3A05/part",
                        "day=2026-12-01/hm=14%3A06/part",
                        "day=__HIVE_DEFAULT_PARTITION__/hm=__HIVE_DEFAULT_PARTITION__/part",
                        "day=a%2Fb%3Dc%3F/hm=x/part");
        assertThat(files(output).stream().filter(name -> name.startsWith("day=2026-12-01/hm=14%3A06/")))
                .hasSize(2)
                .allMatch(name -> name.matches(".*/part-[01]-.*\\.json"));
        Path first = output.resolve(files(output).get(0));
        assertThat(Files.readString(first)).isEqualTo("{\"id\":1}\n{\"id\":2}\n");

        // And: read back, the partition columns come from the directories, unescaped
        assertThat(sortedRows(brook.read()
                        .format("json")
                        .schema(VISITS)
                        .load(output.toString())
                        .collectAsList()))
                .containsExactly(
                        "[1,2026-12-01,14:05]",
                        "[2,2026-12-01,14:05]",
                        "[3,2026-12-01,14:06]",
                        "[4,a/b=c?,x]",
                        "[5,null,null]",
                        "[6,2026-12-01,14:06]");
        StreamingQuery copy = brook.readStream()
                .format("json")
                .schema(VISITS)
                .load(output.toString())
                .writeStream()
                .format("memory")
                .queryName("copy")
                .start();
        copy.processAllAvailable();
        assertThat(sortedRows(brook.table("copy").collectAsList()))
                .containsExactly(
                        "[1,2026-12-01,14:05]",
                        "[2,2026-12-01,14:05]",
                        "[3,2026-12-01,14:06]",
                        "[4,a/b=c?,x]",
                        "[5,null,null]",
                        "[6,2026-12-01,14:06]");
    }

    @Test
    void aReplayedBatchWritesNoPartitionTwiceAndABatchsFilesCommitTogether() throws Exception {
        // Given: batch 1 reached the sink, but the query died before commits/1
        Path output = temp.resolve("out");
        Path checkpoint = temp.resolve("cp");
        Path input = temp.resolve("in");
        Files.createDirectories(input);
        Files.writeString(
                input.resolve("a.json"),
                "{\"id\":1,\"day\":\"d1\",\"hm\":\"00:00\"}\n{\"id\":2,\"day\":\"d2\",\"hm\":\"00:01\"}\n");
        Files.setLastModifiedTime(input.resolve("a.json"), java.nio.file.attribute.FileTime.fromMillis(1_000));
        Files.writeString(
                input.resolve("b.json"),
                "{\"id\":3,\"day\":\"d1\",\"hm\":\"00:00\"}\n{\"id\":4,\"day\":\"d3\",\"hm\":\"00:02\"}\n");
        Files.setLastModifiedTime(input.resolve("b.json"), java.nio.file.attribute.FileTime.fromMillis(2_000));
        StreamingQuery crashed = jsonStream(session(), input, output, checkpoint);
        crashed.processAllAvailable();
        crashed.stop();
        Files.delete(checkpoint.resolve("commits").resolve("1"));
        List<String> entry =
                Files.readAllLines(output.resolve("_brook_metadata").resolve("1"));
        List<String> before = files(output);

        // When
        Brook brook = session();
        jsonStream(brook, input, output, checkpoint).processAllAvailable();

        // Then: batch 1's manifest entry lists its files in both partitions, and nothing was written again
        assertThat(entry.subList(1, entry.size()))
                .hasSize(2)
                .anyMatch(name -> name.startsWith("day=d1/hm=00%3A00/part-1-"))
                .anyMatch(name -> name.startsWith("day=d3/hm=00%3A02/part-1-"));
        assertThat(files(output)).isEqualTo(before);
        assertThat(sortedRows(brook.read()
                        .format("json")
                        .schema(VISITS)
                        .load(output.toString())
                        .collectAsList()))
                .containsExactly("[1,d1,00:00]", "[2,d2,00:01]", "[3,d1,00:00]", "[4,d3,00:02]");

        // And: without its manifest entry, a batch's files disappear from readers in every partition at once
        Files.delete(output.resolve("_brook_metadata").resolve("1"));
        assertThat(sortedRows(brook.read()
                        .format("json")
                        .schema(VISITS)
                        .load(output.toString())
                        .collectAsList()))
                .containsExactly("[1,d1,00:00]", "[2,d2,00:01]");
    }

    private static StreamingQuery jsonStream(Brook brook, Path input, Path output, Path checkpoint) {
        return brook.readStream()
                .format("json")
                .schema(VISITS)
                .load(input.toString())
                .writeStream()
                .format("json")
                .partitionBy("day", "hm")
                .option("path", output.toString())
                .option("checkpointLocation", checkpoint.toString())
                .option("maxFilesPerTrigger", "1")
                .start();
    }

    @Test
    void theProcessTimeTriggerCommitsAPartitionAfterTheBatchThatWroteItOrAfterTheDelay() throws Exception {
        // Given
        Brook brook = session();
        MemoryStream now = MemoryStream.of(brook, VISITS);
        Path immediate = temp.resolve("immediate");
        StreamingQuery query = visitsToJson(
                brook, now, immediate, temp.resolve("cp1"), Map.of(PartitionCommit.POLICY_KIND, "success-file"));
        MemoryStream later = MemoryStream.of(brook, VISITS);
        Path delayed = temp.resolve("delayed");
        StreamingQuery delayedQuery = visitsToJson(
                brook,
                later,
                delayed,
                temp.resolve("cp2"),
                Map.of(
                        PartitionCommit.POLICY_KIND, "success-file",
                        PartitionCommit.TRIGGER, "process-time",
                        PartitionCommit.DELAY, "10 s"));

        // When
        now.addData(Row.of(1L, "d1", "h1"), Row.of(2L, "d2", "h2"));
        query.processAllAvailable();
        later.addData(Row.of(1L, "d1", "h1"));
        delayedQuery.processAllAvailable();

        // Then: committed after the batch; with a delay, only once it has passed
        assertThat(layout(immediate))
                .containsExactly(
                        "day=d1/hm=h1/_SUCCESS", "day=d1/hm=h1/part", "day=d2/hm=h2/_SUCCESS", "day=d2/hm=h2/part");
        assertThat(Files.size(immediate.resolve("day=d1/hm=h1/_SUCCESS"))).isZero();
        assertThat(layout(delayed)).containsExactly("day=d1/hm=h1/part");
        clock.addAndGet(10_000);
        later.addData(Row.of(2L, "d2", "h2"));
        delayedQuery.processAllAvailable();
        assertThat(layout(delayed)).containsExactly("day=d1/hm=h1/_SUCCESS", "day=d1/hm=h1/part", "day=d2/hm=h2/part");
    }

    private static long micros(String instant) {
        return Instant.parse(instant).toEpochMilli() * 1000;
    }

    @Test
    void thePartitionTimeTriggerCommitsOnceTheWatermarkPassesThePartitionsTimePlusTheDelay() throws Exception {
        // Given: rows partitioned by their hour, committed an hour after the hour starts
        Brook brook = session();
        Schema schema = Schema.of(
                new Field("id", ColumnType.BIGINT, true),
                new Field("ts", ColumnType.TIMESTAMP, true),
                new Field("day", ColumnType.VARCHAR, true),
                new Field("hour", ColumnType.VARCHAR, true));
        MemoryStream input = MemoryStream.of(brook, schema);
        Path output = temp.resolve("out");
        StreamingQuery query = input.toDF()
                .withWatermark("ts", "0 seconds")
                .writeStream()
                .format("json")
                .partitionBy("day", "hour")
                .option("path", output.toString())
                .option("checkpointLocation", temp.resolve("cp").toString())
                .option(PartitionCommit.POLICY_KIND, "success-file")
                .option(PartitionCommit.TRIGGER, "partition-time")
                .option(PartitionCommit.DELAY, "1 h")
                .option(PartitionCommit.TIMESTAMP_PATTERN, "$day $hour:00:00")
                .start();

        // When: the watermark reaches 10:59, then 11:30
        input.addData(Row.of(1L, micros("2026-12-01T10:59:00Z"), "2026-12-01", "10"));
        query.processAllAvailable();
        List<String> at1059 = layout(output);
        input.addData(Row.of(2L, micros("2026-12-01T11:30:00Z"), "2026-12-01", "11"));
        query.processAllAvailable();

        // Then: hour 10 commits once the watermark is past 11:00; hour 11 waits for 12:00
        assertThat(at1059).containsExactly("day=2026-12-01/hour=10/part");
        assertThat(layout(output))
                .containsExactly(
                        "day=2026-12-01/hour=10/_SUCCESS",
                        "day=2026-12-01/hour=10/part",
                        "day=2026-12-01/hour=11/part");
    }

    @Test
    void aSinkCommitsEveryPendingPartitionWhenTheInputEndsAndAfterARestart() throws Exception {
        // Given: a sink whose partitions wait for a watermark that never comes
        Schema schema = Schema.of(new Field("id", ColumnType.BIGINT, true), new Field("day", ColumnType.VARCHAR, true));
        Path output = temp.resolve("out");
        FileOptions options =
                FileOptions.forWrite(FileFormat.JSON, Map.of("path", output.toString()), PartitionCommit.KEYS);
        PartitionCommit commit = PartitionCommit.parse(
                Map.of(PartitionCommit.POLICY_KIND, "success-file", PartitionCommit.TRIGGER, "partition-time"));
        Batch batch = Batch.of(
                schema, LongColumn.of(ColumnType.BIGINT, 1L, 2L), VarcharColumn.of("2026-12-01", "2026-12-02"));
        FileSink sink = FileSink.create(options, schema, List.of("day"), commit, clock::get);
        sink.addBatch(0, schema, List.of(batch));
        sink.watermarkAdvanced(Instant.parse("2026-12-01T12:00:00Z").toEpochMilli() * 1000);
        assertThat(layout(output))
                .containsExactly("day=2026-12-01/_SUCCESS", "day=2026-12-01/part", "day=2026-12-02/part");

        // When: a new sink (a restarted query) learns that the input ended
        FileSink restarted = FileSink.create(options, schema, List.of("day"), commit, clock::get);
        restarted.inputEnded();

        // Then
        assertThat(layout(output))
                .containsExactly(
                        "day=2026-12-01/_SUCCESS",
                        "day=2026-12-01/part",
                        "day=2026-12-02/_SUCCESS",
                        "day=2026-12-02/part");
    }

    @Test
    void aBoundedWriteIsPartitionedAndCommitsEveryPartitionAndReadsBackWithDiscoveredTypes() throws Exception {
        // Given
        Brook brook = session();
        Schema schema = Schema.of(
                new Field("id", ColumnType.BIGINT, true),
                new Field("year", ColumnType.INT, true),
                new Field("city", ColumnType.VARCHAR, true));
        Path output = temp.resolve("out");

        // When
        brook.createDataFrame(
                        List.of(Row.of(1L, 2026, "San Jose"), Row.of(2L, 2025, "a:b"), Row.of(3L, null, "a:b")), schema)
                .write()
                .format("csv")
                .partitionBy("year", "city")
                .option(PartitionCommit.POLICY_KIND, "success-file")
                .save(output.toString());

        // Then
        assertThat(layout(output))
                .containsExactly(
                        "year=2025/city=a%3Ab/_SUCCESS",
                        "year=2025/city=a%3Ab/part",
                        "year=2026/city=San Jose/_SUCCESS",
                        "year=2026/city=San Jose/part",
                        "year=__HIVE_DEFAULT_PARTITION__/city=a%3Ab/_SUCCESS",
                        "year=__HIVE_DEFAULT_PARTITION__/city=a%3Ab/part");
        var inferred = brook.read().format("csv").load(output.toString());
        assertThat(inferred.schema().names()).containsExactly("_c0", "year", "city");
        assertThat(inferred.schema().field(1).type()).isEqualTo(ColumnType.INT);
        assertThat(sortedRows(inferred.collectAsList()))
                .containsExactly("[1,2026,San Jose]", "[2,2025,a:b]", "[3,null,a:b]");
        assertThat(sortedRows(brook.read()
                        .format("csv")
                        .schema(Schema.of(
                                new Field("id", ColumnType.BIGINT, true),
                                new Field("city", ColumnType.VARCHAR, true),
                                new Field("year", ColumnType.BIGINT, true)))
                        .load(output.toString())
                        .select(col("id"), col("year"), col("city"))
                        .collectAsList()))
                .containsExactly("[1,2026,San Jose]", "[2,2025,a:b]", "[3,null,a:b]");
    }

    @Test
    void hiveEscapingRoundTrips() {
        assertThat(PartitionPaths.escape("14:05")).isEqualTo("14%3A05");
        assertThat(PartitionPaths.escape("a/b=c%d#e")).isEqualTo("a%2Fb%3Dc%25d%23e");
        assertThat(PartitionPaths.escape("plain text-é")).isEqualTo("plain text-é");
        assertThat(PartitionPaths.unescape("a%2Fb%3Dc%25d%23e")).isEqualTo("a/b=c%d#e");
        assertThat(PartitionPaths.unescape("100%")).isEqualTo("100%");
        assertThat(PartitionPaths.directory(List.of("a", "b"), java.util.Arrays.asList(null, "x")))
                .isEqualTo("a=__HIVE_DEFAULT_PARTITION__/b=x");
    }

    @Test
    void mistakesGetClearErrors() {
        Brook brook = session();
        MemoryStream input = MemoryStream.of(brook, VISITS);
        String path = temp.resolve("out").toString();
        String checkpoint = temp.resolve("cp").toString();
        assertThatThrownBy(() -> input.toDF()
                        .writeStream()
                        .format("json")
                        .partitionBy("dya")
                        .option("path", path)
                        .option("checkpointLocation", checkpoint)
                        .start())
                .isInstanceOf(BrookException.class)
                .hasMessage("partition column 'dya' is not a column of the output; did you mean 'day'? (it has id, day,"
                        + " hm)");
        assertThatThrownBy(() -> input.toDF()
                        .writeStream()
                        .format("json")
                        .partitionBy("id", "day", "hm")
                        .option("path", path)
                        .option("checkpointLocation", checkpoint)
                        .start())
                .hasMessage("cannot partition by every column (id, day, hm): the files would hold nothing");
        assertThatThrownBy(() -> input.toDF()
                        .writeStream()
                        .format("json")
                        .option("path", path)
                        .option("checkpointLocation", checkpoint)
                        .option(PartitionCommit.POLICY_KIND, "success-file")
                        .start())
                .hasMessage("sink.partition-commit.policy.kind commits partitions; the sink has none: partition it by"
                        + " columns (PARTITIONED BY in SQL, partitionBy(...) in the Dataset API)");
        assertThatThrownBy(() -> input.toDF()
                        .writeStream()
                        .format("json")
                        .partitionBy("day", "hm")
                        .option("path", path)
                        .option("checkpointLocation", checkpoint)
                        .option(PartitionCommit.POLICY_KIND, "success-file")
                        .option(PartitionCommit.TIMESTAMP_PATTERN, "$dt $hm:00")
                        .start())
                .hasMessage("partition.time-extractor.timestamp-pattern '$dt $hm:00' names $dt, which is not a"
                        + " partition column; the partition columns are day, hm");
        assertThatThrownBy(() -> input.toDF()
                        .writeStream()
                        .format("json")
                        .partitionBy("day")
                        .option("path", path)
                        .option("checkpointLocation", checkpoint)
                        .option(PartitionCommit.POLICY_KIND, "success-file")
                        .option(PartitionCommit.TRIGGER, "event-time")
                        .start())
                .hasMessage(
                        "sink.partition-commit.trigger must be 'process-time' or 'partition-time'; got 'event-time'");
        assertThatThrownBy(() -> input.toDF()
                        .writeStream()
                        .format("json")
                        .partitionBy("day")
                        .option("path", path)
                        .option("checkpointLocation", checkpoint)
                        .option(PartitionCommit.TRIGGER, "process-time")
                        .start())
                .hasMessage("sink.partition-commit.trigger and sink.partition-commit.delay need a commit policy: add"
                        + " 'sink.partition-commit.policy.kind' = 'success-file'");
        assertThatThrownBy(() -> input.toDF()
                        .writeStream()
                        .format("memory")
                        .queryName("m")
                        .partitionBy("day")
                        .start())
                .hasMessage("partitionBy(day) partitions the files of a json, csv, parquet or text sink; the memory"
                        + " sink has no partitions");
        assertThatThrownBy(() -> PartitionCommit.durationMillis("1 fortnight"))
                .hasMessage("cannot read duration '1 fortnight'; write a number and a unit (ms, s, min, h, d), e.g."
                        + " '1 min'");
        assertThat(PartitionCommit.durationMillis("1 min")).isEqualTo(60_000);
        assertThat(PartitionCommit.durationMillis("1min")).isEqualTo(60_000);
    }
}
