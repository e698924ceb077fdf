package io.brook.engine.connector.file;

import io.brook.engine.BrookException;
import io.brook.engine.ErrorCode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The {@code _brook_metadata} directory of a file sink's output (Spark's {@code _spark_metadata}): one file per
 * committed batch, named by the batch id, whose first line is {@code v1} and whose other lines name the batch's part
 * files relative to the output directory. A batch's files count only once its entry exists; entries are written
 * atomically, so readers that go by the manifest never see a half-written batch.
 */
final class SinkManifest {
    static final String DIRECTORY = "_brook_metadata";
    private static final String VERSION = "v1";

    private final Path output;
    private final Path directory;

    SinkManifest(Path output) {
        this.output = output;
        this.directory = output.resolve(DIRECTORY);
    }

    static boolean exists(Path output) {
        return Files.isDirectory(output.resolve(DIRECTORY));
    }

    /** The highest committed batch id. */
    OptionalLong latest() {
        if (!Files.isDirectory(directory)) {
            return OptionalLong.empty();
        }
        TreeMap<Long, Path> entries = entries();
        return entries.isEmpty() ? OptionalLong.empty() : OptionalLong.of(entries.lastKey());
    }

    /** Commits a batch's files (names relative to the output directory). */
    void write(long batchId, List<String> files) throws IOException {
        StringBuilder content = new StringBuilder(VERSION).append('\n');
        for (String file : files) {
            content.append(file).append('\n');
        }
        AtomicFiles.write(directory.resolve(Long.toString(batchId)), content.toString());
    }

    /** Every committed file, in batch order. */
    List<Path> files() {
        List<Path> files = new ArrayList<>();
        for (Path entry : entries().values()) {
            files.addAll(read(entry));
        }
        return files;
    }

    private TreeMap<Long, Path> entries() {
        TreeMap<Long, Path> entries = new TreeMap<>();
        try (Stream<Path> listing = Files.list(directory)) {
            listing.filter(path -> path.getFileName().toString().matches("\\d+"))
                    .forEach(path ->
                            entries.put(Long.parseLong(path.getFileName().toString()), path));
        } catch (IOException e) {
            throw new BrookException(ErrorCode.SOURCE_FAILED, "cannot list the sink manifest " + directory, e);
        }
        return entries;
    }

    private List<Path> read(Path entry) {
        List<String> lines;
        try {
            lines = Files.readAllLines(entry, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new BrookException(ErrorCode.SOURCE_FAILED, "cannot read sink manifest entry " + entry, e);
        }
        if (lines.isEmpty() || !lines.get(0).equals(VERSION)) {
            throw new BrookException(
                    ErrorCode.SOURCE_FAILED,
                    "sink manifest entry " + entry + " does not start with " + VERSION
                            + "; it was not written by this version of Brook");
        }
        List<Path> files = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            if (!line.isBlank()) {
                files.add(output.resolve(line));
            }
        }
        return files;
    }
}
