package io.brook.engine.api;

import static io.brook.engine.api.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brook.engine.BrookException;
import io.brook.engine.ErrorCode;
import io.brook.engine.batch.ColumnType;
import io.brook.engine.batch.Field;
import io.brook.engine.batch.Schema;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Parquet through write()/read() and the streaming file sink and source, with the file sink's exactly-once output. */
class ParquetConnectorsTest {
    private static final Schema EVENTS =
            Schema.of(new Field("id", ColumnType.BIGINT, true), new Field("page", ColumnType.VARCHAR, true));

    /** Every column type. */
    static final Schema ALL_TYPES = Schema.of(
            new Field("flag", ColumnType.BOOLEAN, true),
            new Field("small", ColumnType.INT, true),
            new Field("big", ColumnType.BIGINT, true),
            new Field("ratio", ColumnType.DOUBLE, true),
            new Field("name", ColumnType.VARCHAR, true),
            new Field("bytes", ColumnType.VARBINARY, true),
            new Field("day", ColumnType.DATE, true),
            new Field("at", ColumnType.TIMESTAMP, true));

    @TempDir
    Path temp;

    private final List<Brook> sessions = new ArrayList<>();

    private Brook session() {
        Brook brook = Brook.local();
        sessions.add(brook);
        return brook;
    }

    @AfterEach
    void stopQueries() {
        sessions.forEach(Brook::close);
    }

    /** Rows of every type: extremes, empty and non-ASCII text, times before the epoch, and a row of NULLs. */
    static List<Row> allTypeRows() {
        return List.of(
                Row.of(
                        true,
                        Integer.MIN_VALUE,
                        Long.MAX_VALUE,
                        -0.5,
                        "Zürich ☃",
                        new byte[] {0, -1, 42},
                        (int) LocalDate.of(2026, 12, 1).toEpochDay(),
                        Instant.parse("2026-12-01T14:00:00.123456Z").toEpochMilli() * 1000 + 456),
                Row.of(
                        false,
                        7,
                        Long.MIN_VALUE,
                        Double.NaN,
                        "",
                        new byte[0],
                        (int) LocalDate.of(1969, 7, 20).toEpochDay(),
                        -1L),
                Row.of(null, null, null, null, null, null, null, null));
    }

    @Test
    void everyTypeAndNullRoundTripsThroughWriteAndRead() {
        // Given
        Brook brook = session();
        Path output = temp.resolve("out");

        // When
        brook.createDataFrame(allTypeRows(), ALL_TYPES)
                .write()
                .format("parquet")
                .save(output.toString());
        Dataset<Row> read = brook.read().format("parquet").load(output.toString());

        // Then: the schema comes from the footer, and each value is read back as it was written
        assertThat(read.schema()).isEqualTo(ALL_TYPES);
        assertThat(read.collectAsList())
                .containsExactly(
                        Row.of(
                                true,
                                Integer.MIN_VALUE,
                                Long.MAX_VALUE,
                                -0.5,
                                "Zürich ☃",
                                new byte[] {0, -1, 42},
                                LocalDate.of(2026, 12, 1),
                                Instant.parse("2026-12-01T14:00:00.123456Z")),
                        Row.of(
                                false,
                                7,
                                Long.MIN_VALUE,
                                Double.NaN,
                                "",
                                new byte[0],
                                LocalDate.of(1969, 7, 20),
                                Instant.parse("1969-12-31T23:59:59.999999Z")),
                        Row.of(null, null, null, null, null, null, null, null));
    }

    @Test
    void eachCompressionRoundTrips() {
        // Given
        Brook brook = session();
        Dataset<Row> data = brook.createDataFrame(allTypeRows(), ALL_TYPES);

        for (String compression : List.of("none", "uncompressed", "snappy", "gzip", "lz4_raw", "ZSTD")) {
            // When
            Path output = temp.resolve(compression);
            data.write().format("parquet").option("compression", compression).save(output.toString());

            // Then
            assertThat(brook.read().parquet(output.toString()).collectAsList())
                    .as(compression)
                    .isEqualTo(brook.createDataFrame(allTypeRows(), ALL_TYPES).collectAsList());
        }
        assertThatThrownBy(() -> data.write()
                        .format("parquet")
                        .option("compression", "lzo")
                        .save(temp.resolve("lzo").toString()))
                .isInstanceOf(BrookException.class)
                .hasMessage("option compression must be one of none, uncompressed, snappy, gzip, lz4_raw, zstd; got"
                        + " 'lzo'");
    }

    private StreamingQuery memoryToParquet(MemoryStream input, Path output, Path checkpoint) {
        return input.toDF()
                .filter(col("id").gt(0))
                .writeStream()
                .format("parquet")
                .option("path", output.toString())
                .option("checkpointLocation", checkpoint.toString())
                .start();
    }

    private static List<Long> ids(Brook brook, Path output) {
        return brook.read().parquet(output.toString()).collectAsList().stream()
                .map(row -> (Long) row.get(0))
                .sorted()
                .toList();
    }

    private static List<Path> partFiles(Path output, String prefix) throws Exception {
        try (Stream<Path> files = Files.list(output)) {
            return files.filter(file -> file.getFileName().toString().startsWith(prefix))
                    .sorted()
                    .toList();
        }
    }

    @Test
    void aStreamWritesOneCommittedParquetFilePerBatch() throws Exception {
        // Given
        Brook brook = session();
        MemoryStream input = MemoryStream.of(brook, EVENTS);
        Path output = temp.resolve("out");
        StreamingQuery query = memoryToParquet(input, output, temp.resolve("cp"));

        // When
        input.addData(Row.of(1L, "a"), Row.of(-1L, "dropped"), Row.of(2L, null));
        query.processAllAvailable();
        input.addData(Row.of(3L, "c"));
        query.processAllAvailable();

        // Then
        assertThat(brook.read().parquet(output.toString()).collectAsList())
                .containsExactlyInAnyOrder(Row.of(1L, "a"), Row.of(2L, null), Row.of(3L, "c"));
        assertThat(partFiles(output, "part-0-")).hasSize(1);
        assertThat(partFiles(output, "part-1-"))
                .hasSize(1)
                .allSatisfy(file -> assertThat(file.toString()).endsWith(".parquet"));
        assertThat(Files.readAllLines(output.resolve("_brook_metadata").resolve("1"), StandardCharsets.UTF_8))
                .containsExactly(
                        "v1", partFiles(output, "part-1-").get(0).getFileName().toString());
    }

    @Test
    void aRestartRerunsAnUncommittedBatchAndEachRowIsReadOnce() throws Exception {
        // Given: batch 1 reached the sink, but the query stopped before commits/1
        Path output = temp.resolve("out");
        Path checkpoint = temp.resolve("cp");
        Brook first = session();
        MemoryStream input = MemoryStream.of(first, EVENTS);
        StreamingQuery crashed = memoryToParquet(input, output, checkpoint);
        input.addData(Row.of(1L, "a"));
        crashed.processAllAvailable();
        input.addData(Row.of(2L, "b"));
        crashed.processAllAvailable();
        crashed.stop();
        Files.delete(checkpoint.resolve("commits").resolve("1"));
        List<Path> batchOneFiles = partFiles(output, "part-1-");

        // When: the query restarts on the same stream, runs batch 1 again, then a new batch
        StreamingQuery restarted = memoryToParquet(input, output, checkpoint);
        restarted.processAllAvailable();
        input.addData(Row.of(3L, "c"));
        restarted.processAllAvailable();

        // Then: the sink skipped the re-run batch, so row 2 is in one file and read once
        assertThat(ids(session(), output)).containsExactly(1L, 2L, 3L);
        assertThat(batchOneFiles).hasSize(1);
        assertThat(partFiles(output, "part-1-")).isEqualTo(batchOneFiles);
        assertThat(partFiles(output, "part-2-")).hasSize(1);
    }

    @Test
    void aPartFileWithoutAManifestEntryIsIgnored() throws Exception {
        // Given: a committed write, and a copy of its part file that no manifest entry names (a crashed batch)
        Brook brook = session();
        Path output = temp.resolve("out");
        brook.createDataFrame(List.of(Row.of(1L, "a"), Row.of(2L, "b")), EVENTS)
                .write()
                .parquet(output.toString());
        Path part = partFiles(output, "part-0-").get(0);
        Files.copy(part, output.resolve("part-1-orphan.parquet"));

        // When
        List<Long> ids = ids(brook, output);

        // Then
        assertThat(ids).containsExactly(1L, 2L);
        assertThat(partFiles(output, "part-")).hasSize(2);
    }

    @Test
    void aStreamReadsNewParquetFilesWithItsSchema() throws Exception {
        // Given: files of (id BIGINT, page VARCHAR), read with a schema that reorders, widens id and adds a column
        Brook brook = session();
        Path input = temp.resolve("in");
        brook.createDataFrame(List.of(Row.of(1L, "a")), EVENTS).write().parquet(input.toString());
        Schema schema = Schema.of(
                new Field("page", ColumnType.VARCHAR, true),
                new Field("id", ColumnType.DOUBLE, true),
                new Field("missing", ColumnType.INT, true));
        StreamingQuery query = brook.readStream()
                .format("parquet")
                .schema(schema)
                .load(input.toString())
                .writeStream()
                .format("memory")
                .queryName("pages")
                .start();
        query.processAllAvailable();

        // When
        brook.createDataFrame(List.of(Row.of(2L, null)), EVENTS)
                .write()
                .mode("append")
                .parquet(input.toString());
        query.processAllAvailable();

        // Then: columns by name, BIGINT read as DOUBLE, a column no file has is NULL
        assertThat(brook.table("pages").collectAsList())
                .containsExactly(Row.of("a", 1.0, null), Row.of(null, 2.0, null));
    }

    @Test
    void aColumnOfAnotherTypeIsRefusedNamingFileAndTypes() throws Exception {
        // Given
        Brook brook = session();
        Path input = temp.resolve("in");
        brook.createDataFrame(List.of(Row.of(1L, "a")), EVENTS).write().parquet(input.toString());
        Path part = partFiles(input, "part-0-").get(0);

        // When / Then
        assertThatThrownBy(() -> brook.read()
                        .schema(Schema.of(new Field("id", ColumnType.INT, true)))
                        .parquet(input.toString())
                        .collectAsList())
                .isInstanceOf(BrookException.class)
                .hasMessage("file " + part + ": column 'id' is Parquet 'optional int64 id' (BIGINT), which cannot be"
                        + " read as INT")
                .extracting(e -> ((BrookException) e).errorCode())
                .isEqualTo(ErrorCode.SOURCE_FAILED);
        Files.writeString(input.resolve("notes.parquet"), "not parquet");
        assertThatThrownBy(() ->
                        brook.read().parquet(input.resolve("notes.parquet").toString()))
                .hasMessageStartingWith("cannot read Parquet file " + input.resolve("notes.parquet") + ": ");
    }
}
