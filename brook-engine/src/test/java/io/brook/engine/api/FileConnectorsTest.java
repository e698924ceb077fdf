package io.brook.engine.api;

import static io.brook.engine.api.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brook.engine.BrookException;
import io.brook.engine.ErrorCode;
import io.brook.engine.batch.ColumnType;
import io.brook.engine.batch.Field;
import io.brook.engine.batch.Schema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Streaming and bounded queries over JSON and CSV files, and the file sinks' exactly-once output. */
class FileConnectorsTest {
    private static final Schema EVENTS =
            Schema.of(new Field("id", ColumnType.BIGINT, true), new Field("page", ColumnType.VARCHAR, true));

    @TempDir
    Path temp;

    private final List<Brook> sessions = new ArrayList<>();
    private long clock = 1_000_000;

    private Brook session() {
        Brook brook = Brook.local();
        sessions.add(brook);
        return brook;
    }

    @AfterEach
    void stopQueries() {
        sessions.forEach(Brook::close);
    }

    /** Writes a JSON Lines file of events with ids from..to, each file newer than the last. */
    private void events(Path directory, String name, int from, int to) throws Exception {
        StringBuilder text = new StringBuilder();
        for (int id = from; id <= to; id++) {
            text.append("{\"id\":")
                    .append(id)
                    .append(",\"page\":\"p")
                    .append(id)
                    .append("\"}\n");
        }
        Files.createDirectories(directory);
        Path file = directory.resolve(name);
        Files.writeString(file, text);
        clock += 1000;
        Files.setLastModifiedTime(file, FileTime.fromMillis(clock));
    }

    private StreamingQuery jsonToJson(Brook brook, Path input, Path output, Path checkpoint, String maxFiles) {
        return brook.readStream()
                .format("json")
                .schema(EVENTS)
                .load(input.toString())
                .filter(col("id").gt(0))
                .writeStream()
                .format("json")
                .option("path", output.toString())
                .option("checkpointLocation", checkpoint.toString())
                .option("maxFilesPerTrigger", maxFiles)
                .start();
    }

    private static List<Long> ids(Brook brook, Path output) {
        return brook.read().format("json").schema(EVENTS).load(output.toString()).collectAsList().stream()
                .map(row -> (Long) row.get(0))
                .sorted()
                .toList();
    }

    private static long manifestEntries(Path output) throws Exception {
        try (Stream<Path> entries = Files.list(output.resolve("_brook_metadata"))) {
            return entries.filter(p -> p.getFileName().toString().matches("\\d+"))
                    .count();
        }
    }

    @Test
    void aStreamFromADirectoryWritesNewFilesToTheFileSinkAsTheyArrive() throws Exception {
        // Given
        Brook brook = session();
        Path input = temp.resolve("in");
        Path output = temp.resolve("out");
        events(input, "a.json", 1, 2);
        StreamingQuery query = jsonToJson(brook, input, output, temp.resolve("cp"), "100");
        query.processAllAvailable();

        // When
        events(input, "b.json", 3, 3);
        events(input, "c.json", 4, 5);
        query.processAllAvailable();

        // Then
        assertThat(ids(brook, output)).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(manifestEntries(output)).isEqualTo(2);
        assertThat(query.lastProgress().sources().get(0).description()).startsWith("FileStreamSource[json:");
    }

    @Test
    void maxFilesPerTriggerCapsEachBatchOnTheWriterOrTheReader() throws Exception {
        // Given
        Brook brook = session();
        Path input = temp.resolve("in");
        events(input, "a.json", 1, 1);
        events(input, "b.json", 2, 2);
        events(input, "c.json", 3, 3);
        Path viaReader = temp.resolve("reader-out");

        // When
        jsonToJson(brook, input, temp.resolve("out"), temp.resolve("cp"), "1").processAllAvailable();
        brook.readStream()
                .format("json")
                .schema(EVENTS)
                .option("MaxFilesPerTrigger", "2")
                .load(input.toString())
                .writeStream()
                .format("json")
                .option("path", viaReader.toString())
                .option("checkpointLocation", temp.resolve("cp2").toString())
                .start()
                .processAllAvailable();

        // Then
        assertThat(manifestEntries(temp.resolve("out"))).isEqualTo(3);
        assertThat(ids(brook, temp.resolve("out"))).containsExactly(1L, 2L, 3L);
        assertThat(manifestEntries(viaReader)).isEqualTo(2);
    }

    @Test
    void aRestartedQueryReadsOnlyNewFilesAndWritesNoDuplicates() throws Exception {
        // Given: a query that read two files, then stopped
        Path input = temp.resolve("in");
        Path output = temp.resolve("out");
        Path checkpoint = temp.resolve("cp");
        events(input, "a.json", 1, 2);
        events(input, "b.json", 3, 3);
        StreamingQuery first = jsonToJson(session(), input, output, checkpoint, "1");
        first.processAllAvailable();
        first.stop();

        // When: a new session restarts it after another file arrived
        events(input, "c.json", 4, 4);
        Brook brook = session();
        StreamingQuery second = jsonToJson(brook, input, output, checkpoint, "1");
        second.processAllAvailable();

        // Then
        assertThat(ids(brook, output)).containsExactly(1L, 2L, 3L, 4L);
        assertThat(second.recentProgress()).hasSize(1);
        assertThat(second.lastProgress().batchId()).isEqualTo(2);
    }

    @Test
    void anUncommittedBatchIsRunAgainWithTheSameFilesAndWrittenOnce() throws Exception {
        // Given: batch 1 reached the sink but the query died before commits/1
        Path input = temp.resolve("in");
        Path output = temp.resolve("out");
        Path checkpoint = temp.resolve("cp");
        events(input, "a.json", 1, 1);
        events(input, "b.json", 2, 2);
        StreamingQuery crashed = jsonToJson(session(), input, output, checkpoint, "1");
        crashed.processAllAvailable();
        crashed.stop();
        Files.delete(checkpoint.resolve("commits").resolve("1"));
        List<String> entryBefore =
                Files.readAllLines(output.resolve("_brook_metadata").resolve("1"));
        events(input, "c.json", 3, 3);

        // When
        Brook brook = session();
        jsonToJson(brook, input, output, checkpoint, "1").processAllAvailable();

        // Then: each row once; the sink skipped batch 1, so its one part file and manifest entry are untouched
        assertThat(ids(brook, output)).containsExactly(1L, 2L, 3L);
        assertThat(Files.readAllLines(output.resolve("_brook_metadata").resolve("1")))
                .isEqualTo(entryBefore)
                .hasSize(2)
                .element(1)
                .asString()
                .startsWith("part-1-");
        try (Stream<Path> parts = Files.list(output)) {
            assertThat(parts.filter(p -> p.getFileName().toString().startsWith("part-1-")))
                    .hasSize(1);
        }
        assertThat(manifestEntries(output)).isEqualTo(3);
    }

    @Test
    void aBatchThatCrashedBeforeItsManifestIsRewrittenAndItsOrphanFileIgnored() throws Exception {
        // Given: batch 1's part file was written, but neither its manifest entry nor its commit
        Path input = temp.resolve("in");
        Path output = temp.resolve("out");
        Path checkpoint = temp.resolve("cp");
        events(input, "a.json", 1, 1);
        events(input, "b.json", 2, 2);
        StreamingQuery crashed = jsonToJson(session(), input, output, checkpoint, "1");
        crashed.processAllAvailable();
        crashed.stop();
        Files.delete(checkpoint.resolve("commits").resolve("1"));
        Files.delete(output.resolve("_brook_metadata").resolve("1"));

        // When
        Brook brook = session();
        jsonToJson(brook, input, output, checkpoint, "1").processAllAvailable();

        // Then: two part files hold row 2, but readers see it once
        try (Stream<Path> parts = Files.list(output)) {
            assertThat(parts.filter(p -> p.getFileName().toString().startsWith("part-1-")))
                    .hasSize(2);
        }
        assertThat(ids(brook, output)).containsExactly(1L, 2L);
        assertThat(brook.readStream()
                        .format("json")
                        .schema(EVENTS)
                        .load(output.toString())
                        .writeStream()
                        .format("memory")
                        .queryName("copy")
                        .start())
                .satisfies(StreamingQuery::processAllAvailable);
        assertThat(brook.table("copy").count()).isEqualTo(2);
    }

    @Test
    void aCsvStreamWritesCsvWithAHeader() throws Exception {
        // Given
        Brook brook = session();
        Path input = temp.resolve("in");
        Files.createDirectories(input);
        Files.writeString(input.resolve("a.csv"), "id,page\n1,\"a,b\"\nx,c\n");
        Path output = temp.resolve("out");

        // When
        brook.readStream()
                .format("csv")
                .option("header", "true")
                .schema(EVENTS)
                .load(input.toString())
                .writeStream()
                .format("csv")
                .option("header", "true")
                .option("checkpointLocation", temp.resolve("cp").toString())
                .start(output.toString())
                .processAllAvailable();

        // Then
        List<Row> rows = brook.read()
                .format("csv")
                .option("header", "true")
                .option("inferSchema", "true")
                .load(output.toString())
                .collectAsList();
        assertThat(rows).containsExactly(Row.of(1L, "a,b"), Row.of(null, "c"));
        assertThat(rows.get(0).schema().names()).containsExactly("id", "page");
    }

    @Test
    void aBoundedWriteReadsBackTheSameRowsAndTypes() throws Exception {
        // Given
        Brook brook = session();
        Path input = temp.resolve("in");
        Files.createDirectories(input);
        Files.writeString(
                input.resolve("a.json"),
                "{\"n\":1,\"x\":1.5,\"ok\":true,\"s\":\"a\",\"d\":\"2026-12-01\",\"t\":\"2026-12-01T14:00:00.123456Z\"}\n"
                        + "{\"n\":2}\n");
        Schema schema = Schema.of(
                new Field("n", ColumnType.BIGINT, true),
                new Field("x", ColumnType.DOUBLE, true),
                new Field("ok", ColumnType.BOOLEAN, true),
                new Field("s", ColumnType.VARCHAR, true),
                new Field("d", ColumnType.DATE, true),
                new Field("t", ColumnType.TIMESTAMP, true));
        Dataset<Row> original = brook.read().schema(schema).json(input.toString());
        Path json = temp.resolve("json");
        Path csv = temp.resolve("csv");

        // When
        original.write().format("json").save(json.toString());
        original.write().format("csv").option("header", "true").save(csv.toString());

        // Then
        List<Row> expected = List.of(
                Row.of(1L, 1.5, true, "a", LocalDate.of(2026, 12, 1), Instant.parse("2026-12-01T14:00:00.123456Z")),
                Row.of(2L, null, null, null, null, null));
        assertThat(brook.read().schema(schema).json(json.toString()).collectAsList())
                .containsExactlyElementsOf(expected);
        assertThat(brook.read()
                        .schema(schema)
                        .option("header", "true")
                        .csv(csv.toString())
                        .collectAsList())
                .containsExactlyElementsOf(expected);
        try (Stream<Path> parts = Files.list(json)) {
            Path part = parts.filter(p -> p.getFileName().toString().startsWith("part-0-"))
                    .findFirst()
                    .orElseThrow();
            assertThat(Files.readString(part)).contains("\"t\":\"2026-12-01T14:00:00.123456Z\"");
        }
    }

    @Test
    void saveModesDecideWhatHappensToAnExistingPath() throws Exception {
        // Given
        Brook brook = session();
        Path output = temp.resolve("out");
        Dataset<Row> one = brook.createDataFrame(List.of(Row.of(1L, "a")), EVENTS);
        Dataset<Row> two = brook.createDataFrame(List.of(Row.of(2L, "b")), EVENTS);
        one.write().format("json").save(output.toString());

        // When / Then
        assertThatThrownBy(() -> two.write().format("json").save(output.toString()))
                .isInstanceOf(BrookException.class)
                .hasMessage("path " + output + " already exists; use mode(\"overwrite\") to replace it or"
                        + " mode(\"append\") to add to it");
        two.write().format("json").mode("append").save(output.toString());
        assertThat(ids(brook, output)).containsExactly(1L, 2L);
        two.write().format("json").mode("ignore").save(output.toString());
        assertThat(ids(brook, output)).containsExactly(1L, 2L);
        two.write().format("json").mode("Overwrite").save(output.toString());
        assertThat(ids(brook, output)).containsExactly(2L);
    }

    @Test
    void boundedReadsInferTheSchema() throws Exception {
        // Given
        Brook brook = session();
        Path input = temp.resolve("in");
        Files.createDirectories(input);
        Files.writeString(input.resolve("a.json"), "{\"b\":1,\"a\":\"x\"}\n{\"b\":2.5,\"c\":true}\n");

        // When
        Dataset<Row> data = brook.read().format("json").load(input.toString());

        // Then
        assertThat(data.schema())
                .isEqualTo(Schema.of(
                        new Field("a", ColumnType.VARCHAR, true),
                        new Field("b", ColumnType.DOUBLE, true),
                        new Field("c", ColumnType.BOOLEAN, true)));
        assertThat(data.collectAsList()).containsExactly(Row.of("x", 1.0, null), Row.of(null, 2.5, true));
    }

    @Test
    void mistakesGetClearErrors() throws Exception {
        // Given
        Brook brook = session();
        Path input = temp.resolve("in");
        Files.createDirectories(input);
        Dataset<Row> stream = brook.readStream().format("json").schema(EVENTS).load(input.toString());

        // When / Then
        assertThatThrownBy(() -> brook.readStream().format("json").load(input.toString()))
                .isInstanceOf(BrookException.class)
                .hasMessageStartingWith("readStream().format(\"json\") needs a schema: pass .schema(...)");
        assertThatThrownBy(() ->
                        brook.read().format("json").load(temp.resolve("missing").toString()))
                .hasMessage("path does not exist: " + temp.resolve("missing"));
        assertThatThrownBy(() ->
                        brook.read().format("csv").option("infershema", "true").load(input.toString()))
                .hasMessageStartingWith("unknown option 'infershema' for the csv source; did you mean 'inferSchema'?")
                .extracting(e -> ((BrookException) e).errorCode())
                .isEqualTo(ErrorCode.INVALID_OPTION);
        assertThatThrownBy(() -> stream.writeStream()
                        .format("json")
                        .option("checkpointLocation", temp.resolve("cp").toString())
                        .start())
                .hasMessage("the json sink needs option(\"path\", <directory>) to write its files to");
        assertThatThrownBy(() -> stream.groupBy("page")
                        .count()
                        .writeStream()
                        .format("csv")
                        .outputMode("complete")
                        .option("path", temp.resolve("out").toString())
                        .start())
                .hasMessageStartingWith("the csv sink supports only the append output mode; got complete");
        assertThatThrownBy(
                        () -> brook.createDataFrame(List.of(), EVENTS).write().save(temp.toString()))
                .hasMessage("write() needs a format(...): json, csv, parquet, text or jdbc");
    }
}
