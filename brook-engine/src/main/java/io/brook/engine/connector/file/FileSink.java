package io.brook.engine.connector.file;

import static java.util.Objects.requireNonNull;

import io.brook.engine.BrookException;
import io.brook.engine.ErrorCode;
import io.brook.engine.batch.Batch;
import io.brook.engine.batch.Schema;
import io.brook.engine.connector.Sink;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a streaming query's output as JSON, CSV, Parquet or text files, exactly once, as Spark's file sink: each batch's
 * rows go to a new part file ({@code part-<batchId>-<uuid>.json}, {@code .txt} for text as in Spark; written under a
 * hidden temporary name, fsynced and renamed), then the batch is committed by its {@code _brook_metadata/<batchId>}
 * entry. A batch id already committed is skipped, so a re-run batch writes nothing twice, and readers that go by the
 * manifest never see the files of a batch that crashed before its entry. Append mode only. Called from the query's
 * thread; holds no open files between batches.
 */
public final class FileSink implements Sink {
    private static final Logger LOGGER = LoggerFactory.getLogger(FileSink.class);

    private final FileOptions options;
    private final Path directory;

    private FileSink(FileOptions options, Path directory) {
        this.options = requireNonNull(options, "options is null");
        this.directory = requireNonNull(directory, "directory is null");
    }

    /** A sink writing rows of a schema under the {@code path} option, which must be set. */
    public static FileSink create(FileOptions options, Schema schema) {
        throwIfUnsupported(options, schema);
        String path = options.path()
                .orElseThrow(() -> new BrookException(
                        ErrorCode.INVALID_OPTION,
                        "the " + options.format().extension() + " sink needs option(\"path\", <directory>) to write"
                                + " its files to"));
        return new FileSink(options, Path.of(path));
    }

    @Override
    public void addBatch(long batchId, Schema schema, List<Batch> batches) {
        SinkManifest manifest = new SinkManifest(directory);
        long latest = manifest.latest().orElse(-1);
        if (batchId <= latest) {
            LOGGER.info("[{}] batch {} was committed already (last {}); skipping it", description(), batchId, latest);
            return;
        }
        try {
            manifest.write(batchId, writeParts(directory, Long.toString(batchId), schema, batches, options));
        } catch (IOException e) {
            throw new BrookException(
                    ErrorCode.SINK_FAILED, "cannot write batch " + batchId + " to " + directory + ": " + e, e);
        }
    }

    /** Refuses, naming the column, a schema the format cannot hold (CSV and arrays), before anything runs. */
    public static void throwIfUnsupported(FileOptions options, Schema schema) {
        options.format().codec().throwIfUnsupported(schema);
    }

    /**
     * Writes a bounded Dataset's rows under a directory, as {@code Dataset.write().save(path)}. A new or emptied
     * directory, or one a file sink wrote, gets a manifest entry (the next batch id, 0 for a new one), so the rows
     * appear all at once; appending to a directory of files that has no manifest writes none, or the files already
     * there would disappear from readers.
     */
    public static void save(FileOptions options, Path directory, SaveMode mode, Schema schema, List<Batch> batches) {
        throwIfUnsupported(options, schema);
        try {
            boolean exists = Files.exists(directory);
            if (exists) {
                switch (mode) {
                    case ERROR_IF_EXISTS ->
                        throw new BrookException(
                                ErrorCode.INVALID_OPTION,
                                "path " + directory + " already exists; use mode(\"overwrite\") to replace it or"
                                        + " mode(\"append\") to add to it");
                    case IGNORE -> {
                        return;
                    }
                    case OVERWRITE -> deleteRecursively(directory);
                    case APPEND -> {
                        if (!Files.isDirectory(directory)) {
                            throw new BrookException(
                                    ErrorCode.INVALID_OPTION,
                                    "cannot append to " + directory + ": it is not a directory");
                        }
                    }
                }
            }
            Files.createDirectories(directory);
            SinkManifest manifest = new SinkManifest(directory);
            boolean withManifest = SinkManifest.exists(directory) || isEmpty(directory);
            long batchId = manifest.latest().orElse(-1) + 1;
            List<String> files = writeParts(directory, Long.toString(batchId), schema, batches, options);
            if (withManifest) {
                manifest.write(batchId, files);
            }
        } catch (IOException e) {
            throw new BrookException(ErrorCode.SINK_FAILED, "cannot write to " + directory + ": " + e, e);
        }
    }

    /** Writes the rows into one new part file, unless there are none; the names of the files written. */
    private static List<String> writeParts(
            Path directory, String label, Schema schema, List<Batch> batches, FileOptions options) throws IOException {
        long rows = 0;
        for (Batch batch : batches) {
            rows += batch.rowCount();
        }
        Files.createDirectories(directory);
        if (rows == 0) {
            return List.of();
        }
        String name = "part-" + label + "-" + UUID.randomUUID() + "."
                + options.format().partFileExtension();
        options.format().codec().writeFile(directory.resolve(name), schema, batches, options);
        return List.of(name);
    }

    private static boolean isEmpty(Path directory) throws IOException {
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.findAny().isEmpty();
        }
    }

    private static void deleteRecursively(Path path) throws IOException {
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path entry : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(entry);
            }
        }
    }

    @Override
    public String description() {
        return "FileSink[" + options.format().extension() + ":" + directory + "]";
    }
}
