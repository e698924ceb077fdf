package io.brook.engine.connector.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brook.engine.BrookException;
import io.brook.engine.batch.Batch;
import io.brook.engine.batch.ColumnType;
import io.brook.engine.batch.Field;
import io.brook.engine.batch.Schema;
import io.brook.engine.connector.Offset;
import io.brook.engine.connector.ReadLimit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSourceTest {
    private static final Schema IDS = Schema.of(new Field("id", ColumnType.BIGINT, false));
    private static final FileOptions JSON = FileOptions.forRead(FileFormat.JSON, Map.of());

    @TempDir
    Path temp;

    private Path write(Path directory, String name, long modifiedMillis, long... ids) throws Exception {
        StringBuilder text = new StringBuilder();
        for (long id : ids) {
            text.append("{\"id\":").append(id).append("}\n");
        }
        Files.createDirectories(directory);
        Path file = directory.resolve(name);
        Files.writeString(file, text);
        Files.setLastModifiedTime(file, FileTime.fromMillis(modifiedMillis));
        return file;
    }

    private static List<Object> ids(List<Batch> batches) {
        List<Object> ids = new ArrayList<>();
        batches.forEach(batch -> batch.rows().forEach(row -> ids.add(row.get(0))));
        return ids;
    }

    private FileSource started(Path input, Path log, Map<String, String> options) {
        FileSource source = FileSource.streaming(FileOptions.forRead(FileFormat.JSON, options), IDS, input.toString());
        source.initialize(log);
        return source;
    }

    @Test
    void takesNewFilesOldestFirstCappedAndSkipsHiddenOnes() throws Exception {
        // Given: files whose modification order differs from their name order, and files being written
        Path input = temp.resolve("in");
        write(input, "b.json", 1_000, 1);
        write(input, "a.json", 2_000, 2);
        write(input, "c.json", 2_000, 3);
        write(input, ".d.json.tmp", 500, 99);
        write(input, "_e.json", 500, 98);
        FileSource source = started(input, temp.resolve("log"), Map.of());
        Offset start = source.initialOffset();

        // When
        Offset first = source.latestOffset(start, ReadLimit.maxFiles(2));
        Offset second = source.latestOffset(first, ReadLimit.maxFiles(2));
        Offset third = source.latestOffset(second, ReadLimit.maxFiles(2));

        // Then
        assertThat(ids(source.read(start, first))).containsExactly(1L, 2L);
        assertThat(ids(source.read(first, second))).containsExactly(3L);
        assertThat(third).isEqualTo(second);
        assertThat(first.json()).isEqualTo("{\"logOffset\":0}");
    }

    @Test
    void aRestartedSourceReadsTheSameRangesAgainAndOnlyNewFilesAfterThem() throws Exception {
        // Given: a source that logged two entries, then a new file
        Path input = temp.resolve("in");
        Path log = temp.resolve("log");
        write(input, "1.json", 1_000, 1);
        FileSource before = started(input, log, Map.of("maxFilesPerTrigger", "1"));
        Offset zero = before.latestOffset(before.initialOffset(), ReadLimit.ALL);
        write(input, "2.json", 2_000, 2);
        Offset one = before.latestOffset(zero, ReadLimit.ALL);
        write(input, "3.json", 3_000, 3);

        // When: a new instance resumes from the same log
        FileSource after = started(input, log, Map.of());
        List<Batch> replayed = after.read(zero, one);
        Offset two = after.latestOffset(one, ReadLimit.ALL);

        // Then
        assertThat(ids(replayed)).containsExactly(2L);
        assertThat(ids(after.read(one, two))).containsExactly(3L);
        assertThat(after.latestOffset(two, ReadLimit.ALL)).isEqualTo(two);
        assertThat(Files.readAllLines(log.resolve("1")).get(0)).isEqualTo("v1");
    }

    @Test
    void entriesLoggedBeforeACrashAreTakenBeforeNewFiles() throws Exception {
        // Given: the source logged entry 0 but the engine never wrote its offset
        Path input = temp.resolve("in");
        Path log = temp.resolve("log");
        write(input, "1.json", 1_000, 1);
        FileSource crashed = started(input, log, Map.of());
        crashed.latestOffset(crashed.initialOffset(), ReadLimit.ALL);
        write(input, "2.json", 2_000, 2);

        // When
        FileSource resumed = started(input, log, Map.of());
        Offset end = resumed.latestOffset(resumed.initialOffset(), ReadLimit.ALL);

        // Then
        assertThat(ids(resumed.read(resumed.initialOffset(), end))).containsExactly(1L);
    }

    @Test
    void latestFirstTakesTheNewestFiles() throws Exception {
        // Given
        Path input = temp.resolve("in");
        write(input, "old.json", 1_000, 1);
        write(input, "new.json", 2_000, 2);
        FileSource source = started(input, temp.resolve("log"), Map.of("latestFirst", "true"));

        // When
        Offset end = source.latestOffset(source.initialOffset(), ReadLimit.maxFiles(1));

        // Then
        assertThat(ids(source.read(source.initialOffset(), end))).containsExactly(2L);
    }

    @Test
    void aGlobMatchesFilesAcrossDirectories() throws Exception {
        // Given
        write(temp.resolve("a"), "x.json", 1_000, 1);
        write(temp.resolve("b"), "y.json", 2_000, 2);
        write(temp.resolve("b"), "y.csv", 2_000, 3);

        // When
        FileSource source = FileSource.bounded(JSON, IDS, temp + "/*/*.json");

        // Then
        Offset start = source.initialOffset();
        assertThat(ids(source.read(start, source.latestOffset(start, ReadLimit.ALL))))
                .containsExactlyInAnyOrder(1L, 2L);
    }

    @Test
    void aDirectoryWithASinkManifestListsOnlyCommittedFiles() throws Exception {
        // Given: a committed part file and one from a batch that crashed before its manifest entry
        Path output = temp.resolve("out");
        write(output, "part-0-a.json", 1_000, 1);
        write(output, "part-1-b.json", 2_000, 2);
        new SinkManifest(output).write(0, List.of("part-0-a.json"));

        // When
        FileSource source = FileSource.bounded(JSON, null, output.toString());

        // Then
        Offset start = source.initialOffset();
        assertThat(ids(source.read(start, source.latestOffset(start, ReadLimit.ALL))))
                .containsExactly(1L);
    }

    @Test
    void boundedReadsRefuseMissingPathsAndUninferableSchemas() throws Exception {
        // Given
        Files.createDirectories(temp.resolve("empty"));

        // When / Then
        assertThatThrownBy(() ->
                        FileSource.bounded(JSON, null, temp.resolve("nope").toString()))
                .isInstanceOf(BrookException.class)
                .hasMessage("path does not exist: " + temp.resolve("nope"));
        assertThatThrownBy(() ->
                        FileSource.bounded(JSON, null, temp.resolve("empty").toString()))
                .hasMessage("cannot infer a schema for json from " + temp.resolve("empty")
                        + ": it has no data files; pass .schema(...)");
        assertThatThrownBy(() -> FileSource.bounded(JSON, null, temp + "/*.json"))
                .hasMessage("no file matches the glob " + temp + "/*.json");
    }

    @Test
    void anUnreadableFileFailsNamingIt() throws Exception {
        // Given: a file that is not UTF-8
        Path input = temp.resolve("in");
        Files.createDirectories(input);
        Files.write(input.resolve("bad.json"), new byte[] {'{', (byte) 0xff, (byte) 0xfe, '}'});
        FileSource source = FileSource.bounded(JSON, IDS, input.toString());

        // When / Then
        Offset start = source.initialOffset();
        assertThatThrownBy(() -> source.read(start, source.latestOffset(start, ReadLimit.ALL)))
                .isInstanceOf(BrookException.class)
                .hasMessageStartingWith("cannot read file " + input.resolve("bad.json"));
    }
}
