package io.brook.engine.api;

import static io.brook.engine.api.functions.col;
import static io.brook.engine.api.functions.regexp_extract;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Spark's text format: lines (or whole files) as rows of one string column, read bounded and streaming, and written. */
class TextFormatTest {
    private static final Schema VALUE = Schema.of(new Field("value", ColumnType.VARCHAR, true));
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

    /** Writes a file, each one newer than the last, so a stream takes them in this order. */
    private Path file(Path directory, String name, String text) throws Exception {
        Files.createDirectories(directory);
        Path file = directory.resolve(name);
        Files.writeString(file, text);
        clock += 1000;
        Files.setLastModifiedTime(file, FileTime.fromMillis(clock));
        return file;
    }

    private static List<Row> rows(String... values) {
        return Arrays.stream(values).map(value -> Row.of(value)).toList();
    }

    private static Path onlyPart(Path directory) throws Exception {
        try (Stream<Path> parts = Files.list(directory)) {
            List<Path> found = parts.filter(p -> p.getFileName().toString().startsWith("part-"))
                    .toList();
            assertThat(found).hasSize(1);
            return found.get(0);
        }
    }

    @Test
    void aBoundedReadGivesOneRowPerLineWhateverTheLineEnding() throws Exception {
        // Given: LF, CRLF and CR endings, a blank line, and a newline at the end
        Brook brook = session();
        Path input = file(temp.resolve("in"), "log.txt", "alpha\r\nbeta\rgamma\n\ndelta\n");

        // When
        Dataset<Row> lines = brook.read().text(input.toString());

        // Then
        assertThat(lines.schema()).isEqualTo(VALUE);
        assertThat(lines.collectAsList()).containsExactlyElementsOf(rows("alpha", "beta", "gamma", "", "delta"));
        assertThat(brook.read()
                        .format("TEXT")
                        .load(temp.resolve("in").toString())
                        .count())
                .isEqualTo(5);
    }

    @Test
    void lineSepSplitsAtItsTextOnlyAndEndsTheLastLine() throws Exception {
        // Given
        Brook brook = session();
        Path input = file(temp.resolve("in"), "a.txt", "one\ntwo;;three;");

        // When
        List<Row> lines =
                brook.read().option("lineSep", ";").text(input.toString()).collectAsList();

        // Then
        assertThat(lines).containsExactlyElementsOf(rows("one\ntwo", "", "three"));
    }

    @Test
    void wholetextReadsEachFileAsOneRowAndSkipsEmptyFiles() throws Exception {
        // Given
        Brook brook = session();
        Path input = temp.resolve("in");
        file(input, "a.txt", "first line\nsecond line\n");
        file(input, "b.txt", "no newline at the end");
        file(input, "empty.txt", "");

        // When
        Dataset<Row> files = brook.read().option("wholetext", "true").text(input.toString());

        // Then
        assertThat(files.schema()).isEqualTo(VALUE);
        assertThat(files.collectAsList())
                .containsExactlyInAnyOrderElementsOf(rows("first line\nsecond line\n", "no newline at the end"));
    }

    @Test
    void aGivenSchemaOfOneStringColumnNamesTheColumn() throws Exception {
        // Given
        Brook brook = session();
        Path input = file(temp.resolve("in"), "a.txt", "x\ny\n");

        // When
        Dataset<Row> lines = brook.read()
                .schema(Schema.of(new Field("line", ColumnType.VARCHAR, false)))
                .text(input.toString());

        // Then
        assertThat(lines.columns()).containsExactly("line");
        assertThat(lines.collectAsList()).containsExactlyElementsOf(rows("x", "y"));
    }

    @Test
    void aStreamNeedsNoSchemaAndPicksUpFilesAddedAfterItStarted() throws Exception {
        // Given
        Brook brook = session();
        Path input = temp.resolve("in");
        file(input, "a.txt", "a1\na2\n");
        StreamingQuery query = brook.readStream()
                .option("maxFilesPerTrigger", "1")
                .text(input.toString())
                .writeStream()
                .format("memory")
                .queryName("lines")
                .start();
        query.processAllAvailable();
        assertThat(brook.table("lines").collectAsList()).containsExactlyElementsOf(rows("a1", "a2"));

        // When
        file(input, "b.txt", "b1\r\n");
        file(input, "c.txt", "c1\rc2");
        query.processAllAvailable();

        // Then: one file a batch
        assertThat(brook.table("lines").collectAsList()).containsExactlyElementsOf(rows("a1", "a2", "b1", "c1", "c2"));
        assertThat(query.recentProgress()).hasSize(3);
        assertThat(query.lastProgress().sources().get(0).description()).startsWith("FileStreamSource[text:");
    }

    @Test
    void regexpExtractTurnsLinesIntoColumns() throws Exception {
        // Given
        Brook brook = session();
        Path input =
                file(temp.resolve("in"), "app.log", "2026-12-01 ERROR disk full\n2026-12-01 INFO started\ngarbage\n");

        // When
        Dataset<Row> parsed = brook.read()
                .text(input.toString())
                .select(
                        regexp_extract(col("value"), "^(\\S+) (\\w+) (.*)$", 1).as("day"),
                        regexp_extract(col("value"), "^(\\S+) (\\w+) (.*)$", 2).as("level"),
                        regexp_extract(col("value"), "^(\\S+) (\\w+) (.*)$", 3).as("message"));

        // Then: a line the pattern does not match gives empty strings, as in Spark
        assertThat(parsed.columns()).containsExactly("day", "level", "message");
        assertThat(parsed.collectAsList())
                .containsExactly(
                        Row.of("2026-12-01", "ERROR", "disk full"),
                        Row.of("2026-12-01", "INFO", "started"),
                        Row.of("", "", ""));
    }

    @Test
    void aBoundedWriteReadsBackLineByLineWithNullsAsEmptyLines() throws Exception {
        // Given
        Brook brook = session();
        Dataset<Row> data = brook.createDataFrame(
                rows("a", null, "", "b c"), Schema.of(new Field("line", ColumnType.VARCHAR, true)));
        Path output = temp.resolve("out");
        Path piped = temp.resolve("piped");

        // When
        data.write().text(output.toString());
        data.write().format("text").option("lineSep", "|").save(piped.toString());

        // Then
        Path part = onlyPart(output);
        assertThat(part.getFileName().toString()).endsWith(".txt");
        assertThat(Files.readString(part)).isEqualTo("a\n\n\nb c\n");
        assertThat(brook.read().text(output.toString()).collectAsList())
                .containsExactlyElementsOf(rows("a", "", "", "b c"));
        assertThat(Files.readString(onlyPart(piped))).isEqualTo("a|||b c|");
        assertThat(brook.read().option("lineSep", "|").text(piped.toString()).collectAsList())
                .containsExactlyElementsOf(rows("a", "", "", "b c"));
    }

    @Test
    void aStreamWritesTextFilesExactlyOnce() throws Exception {
        // Given
        Brook brook = session();
        Path input = temp.resolve("in");
        Path output = temp.resolve("out");
        file(input, "a.txt", "keep 1\ndrop 2\nkeep 3\n");

        // When
        brook.readStream()
                .text(input.toString())
                .filter(col("value").startsWith("keep"))
                .writeStream()
                .format("text")
                .option("checkpointLocation", temp.resolve("cp").toString())
                .start(output.toString())
                .processAllAvailable();

        // Then
        assertThat(Files.readString(onlyPart(output))).isEqualTo("keep 1\nkeep 3\n");
        assertThat(brook.read().text(output.toString()).collectAsList())
                .containsExactlyElementsOf(rows("keep 1", "keep 3"));
    }

    @Test
    void onlyOneStringColumnIsWrittenOrRead() throws Exception {
        // Given
        Brook brook = session();
        Path input = file(temp.resolve("in"), "a.txt", "1\n");
        Dataset<Row> events = brook.createDataFrame(List.of(Row.of(1L, "home")), EVENTS);
        String hint = " (to write, make one with concat(...), to_json(struct(...)) or .cast(\"string\"))";

        // When / Then
        assertThatThrownBy(() -> events.write().text(temp.resolve("out").toString()))
                .isInstanceOf(BrookException.class)
                .hasMessage("the text format holds exactly one string column, as in Spark; got 2 columns: id bigint,"
                        + " page string" + hint)
                .extracting(e -> ((BrookException) e).errorCode())
                .isEqualTo(ErrorCode.UNSUPPORTED_OPERATION);
        assertThat(temp.resolve("out")).doesNotExist();
        assertThatThrownBy(() -> events.select("id")
                        .write()
                        .format("text")
                        .save(temp.resolve("out").toString()))
                .hasMessage(
                        "the text format holds exactly one string column, as in Spark; got 1 column: id bigint" + hint);
        assertThatThrownBy(() -> brook.readStream()
                        .text(input.toString())
                        .select(col("value"), col("value").as("copy"))
                        .writeStream()
                        .format("text")
                        .option("path", temp.resolve("out").toString())
                        .option("checkpointLocation", temp.resolve("cp").toString())
                        .start())
                .hasMessage("the text format holds exactly one string column, as in Spark; got 2 columns: value"
                        + " string, copy string" + hint);
        assertThatThrownBy(() -> brook.read()
                        .schema(Schema.of(new Field("n", ColumnType.BIGINT, true)))
                        .text(input.toString()))
                .hasMessage(
                        "the text format holds exactly one string column, as in Spark; got 1 column: n bigint" + hint);
        assertThatThrownBy(() -> brook.readStream().schema(EVENTS).text(input.toString()))
                .hasMessage("the text format holds exactly one string column, as in Spark; got 2 columns: id bigint,"
                        + " page string" + hint);
    }

    @Test
    void badOptionsAndUnknownFormatsSayWhatIsAllowed() throws Exception {
        // Given
        Brook brook = session();
        Path input = file(temp.resolve("in"), "a.txt", "1\n");

        // When / Then
        assertThatThrownBy(() -> brook.read().option("lineSep", "").text(input.toString()))
                .isInstanceOf(BrookException.class)
                .hasMessage("option lineSep cannot be an empty string; leave it out for the default (reading: \\n,"
                        + " \\r\\n or \\r; writing: \\n)");
        assertThatThrownBy(() -> brook.read().option("wholeText", "yes").text(input.toString()))
                .hasMessage("option wholetext must be true or false; got 'yes'");
        assertThatThrownBy(() -> brook.read().option("header", "true").text(input.toString()))
                .hasMessage("unknown option 'header' for the text source (it takes latestFirst, lineSep,"
                        + " maxFilesPerTrigger, mode, path, wholetext)");
        assertThatThrownBy(() -> brook.read().format("xml").load(input.toString()))
                .hasMessage("unknown format 'xml' for read(); supported: json, csv, parquet, text, kafka, nexmark,"
                        + " jdbc");
        assertThatThrownBy(() -> brook.readStream().format("xml").load(input.toString()))
                .hasMessage("unknown stream format 'xml'; supported: rate, kafka, nexmark, json, csv, parquet, text");
        Dataset<Row> lines = brook.read().text(input.toString());
        assertThatThrownBy(() ->
                        lines.write().format("xml").save(temp.resolve("out").toString()))
                .hasMessage("unknown format 'xml' for write(); supported: json, csv, parquet, text, jdbc");
        assertThatThrownBy(() -> brook.readStream()
                        .text(input.toString())
                        .writeStream()
                        .format("xml")
                        .start())
                .hasMessage("unknown sink format 'xml'; supported: memory, console, foreachBatch, kafka, jdbc, json,"
                        + " csv, parquet, text");
    }
}
