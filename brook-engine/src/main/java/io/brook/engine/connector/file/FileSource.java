package io.brook.engine.connector.file;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.brook.engine.BrookException;
import io.brook.engine.ErrorCode;
import io.brook.engine.batch.Batch;
import io.brook.engine.batch.Column;
import io.brook.engine.batch.ColumnBuilder;
import io.brook.engine.batch.ColumnType;
import io.brook.engine.batch.Field;
import io.brook.engine.batch.Schema;
import io.brook.engine.connector.Offset;
import io.brook.engine.connector.ReadLimit;
import io.brook.engine.connector.Source;
import io.brook.engine.connector.file.FileListing.FileEntry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads JSON, CSV, Parquet or text files, as Spark's file source. Streaming, each {@link #latestOffset} lists the path and takes the
 * files it has not seen (oldest modification first, then by name; newest first with {@code latestFirst}), at most
 * {@code maxFilesPerTrigger} of them, and records them as the next entry of its own log in the query's checkpoint
 * ({@code sources/<index>/<n>}, written atomically and fsynced before the offset {@code {"logOffset":n}} is returned).
 * {@link #read} reads exactly the files of the entries in the range, so a re-run batch reads the same files and a
 * restarted query neither reads a file twice nor misses one. A file is taken once, by path: change a file after it was
 * read and the change is not seen. A path that does not exist yet lists no files, so a stream can start before its
 * producer made the directory.
 *
 * <p>Partition discovery, as Spark's: a file under directories named {@code name=value} (Hive's layout, as a
 * partitioned file sink writes it) has those partition values; a column of the schema named like one is filled from
 * the path (unescaped, {@code __HIVE_DEFAULT_PARTITION__} as NULL, cast to the column's type, NULL when it does not
 * convert) instead of from the file. A bounded read that infers its schema adds the partition columns after the
 * files' columns, typed INT, BIGINT, DOUBLE, DATE or else STRING by their values.
 *
 * <p>Bounded, it lists the path once when made and reads those files. Called from one query thread; holds no open
 * files between calls, so {@link #close} has nothing to release.
 */
public final class FileSource implements Source {
    private static final Logger LOGGER = LoggerFactory.getLogger(FileSource.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String LOG_VERSION = "v1";

    private final FileOptions options;
    private final Schema schema;
    private final String path;
    private final boolean streaming;
    private final Path root;
    private final TreeMap<Long, List<FileEntry>> log = new TreeMap<>();
    private final Set<Path> seen = new HashSet<>();
    private Path logDirectory;

    private FileSource(FileOptions options, Schema schema, String path, boolean streaming) {
        this(options, schema, path, streaming, Set.of());
    }

    private FileSource(
            FileOptions options, Schema schema, String path, boolean streaming, Set<String> partitionColumns) {
        this.options = requireNonNull(options, "options is null");
        this.schema = nullable(requireNonNull(schema, "schema is null"));
        options.format().codec().throwIfUnsupported(without(schema, partitionColumns));
        this.path = requireNonNull(path, "path is null");
        this.streaming = streaming;
        this.root = root(path);
    }

    /** The directory partition directories are found under: the path, or the directory a glob starts from. */
    private static Path root(String path) {
        Path absolute = Path.of(path).toAbsolutePath().normalize();
        if (!FileListing.isGlob(path)) {
            return absolute;
        }
        int first = 0;
        while (first < absolute.getNameCount()
                && !FileListing.isGlob(absolute.getName(first).toString())) {
            first++;
        }
        return first == 0 ? absolute.getRoot() : absolute.getRoot().resolve(absolute.subpath(0, first));
    }

    private static Schema without(Schema schema, Set<String> columns) {
        List<Field> fields = new ArrayList<>();
        for (Field field : schema.fields()) {
            if (!columns.contains(field.name())) {
                fields.add(field);
            }
        }
        return new Schema(fields);
    }

    /** A stream of the files that appear under a path; the schema is the user's (a stream's is never inferred). */
    public static FileSource streaming(FileOptions options, Schema schema, String path) {
        return new FileSource(options, schema, path, true);
    }

    /**
     * The files under a path now, read when the Dataset runs; with no schema, one is inferred from them (JSON: the
     * union of the fields, by name; CSV: the header's names, typed with {@code inferSchema}; Parquet: the union of the
     * footers' columns, in file order; text: always {@code value STRING}).
     */
    public static FileSource bounded(FileOptions options, Schema schema, String path) {
        if (!FileListing.exists(path)) {
            throw new BrookException(ErrorCode.SOURCE_FAILED, "path does not exist: " + path);
        }
        List<FileEntry> files = FileListing.list(path);
        if (files.isEmpty() && FileListing.isGlob(path)) {
            throw new BrookException(ErrorCode.SOURCE_FAILED, "no file matches the glob " + path);
        }
        Path root = root(path);
        Map<String, List<String>> partitions = new LinkedHashMap<>();
        for (FileEntry file : files) {
            PartitionPaths.values(root, file.path())
                    .forEach((name, value) -> partitions
                            .computeIfAbsent(name, key -> new ArrayList<>())
                            .add(value));
        }
        Schema resolved = schema;
        if (resolved == null) {
            resolved = options.format()
                    .codec()
                    .inferSchema(files.stream().map(FileEntry::path).toList(), options);
            if (!partitions.isEmpty()) {
                List<Field> fields = new ArrayList<>();
                for (Field field : resolved.fields()) {
                    if (!partitions.containsKey(field.name())) {
                        fields.add(field);
                    }
                }
                partitions.forEach((name, values) -> fields.add(new Field(name, inferPartitionType(values), true)));
                resolved = new Schema(fields);
            }
            if (resolved.size() == 0) {
                throw new BrookException(
                        ErrorCode.SOURCE_FAILED,
                        "cannot infer a schema for " + options.format().extension() + " from " + path
                                + (files.isEmpty() ? ": it has no data files" : ": its files have no records")
                                + "; pass .schema(...)");
            }
        }
        FileSource source = new FileSource(options, resolved, path, false, partitions.keySet());
        if (!files.isEmpty()) {
            source.log.put(0L, List.copyOf(files));
        }
        return source;
    }

    /** Spark's partition type inference, short of timestamps: INT, BIGINT, DOUBLE, DATE, else STRING. */
    private static ColumnType inferPartitionType(List<String> values) {
        for (ColumnType type : List.of(ColumnType.INT, ColumnType.BIGINT, ColumnType.DOUBLE, ColumnType.DATE)) {
            boolean fits = true;
            for (String value : values) {
                if (value != null
                        && (Values.fromText(type, value) == Values.INVALID
                                || (type == ColumnType.DOUBLE && !value.matches("[-+]?[0-9.eE+-]+")))) {
                    fits = false;
                    break;
                }
            }
            if (fits) {
                return type;
            }
        }
        return ColumnType.VARCHAR;
    }

    /** A stream's copy starts with no files seen (its checkpoint directory tells it which); a bounded one is itself. */
    @Override
    public io.brook.engine.connector.Source copy() {
        return streaming ? new FileSource(options, schema, path, true) : this;
    }

    private static Schema nullable(Schema schema) {
        List<Field> fields = new ArrayList<>();
        for (Field field : schema.fields()) {
            fields.add(field.withNullable(true));
        }
        return new Schema(fields);
    }

    @Override
    public Schema schema() {
        return schema;
    }

    @Override
    public synchronized void initialize(Path metadataDirectory) {
        if (!streaming) {
            return;
        }
        logDirectory = requireNonNull(metadataDirectory, "metadataDirectory is null");
        log.clear();
        seen.clear();
        if (!Files.isDirectory(logDirectory)) {
            return;
        }
        try (Stream<Path> entries = Files.list(logDirectory)) {
            for (Path entry : entries.filter(
                            file -> file.getFileName().toString().matches("\\d+"))
                    .toList()) {
                List<FileEntry> files = readLogEntry(entry);
                log.put(Long.parseLong(entry.getFileName().toString()), files);
                files.forEach(file -> seen.add(file.path()));
            }
        } catch (IOException e) {
            throw new BrookException(ErrorCode.CHECKPOINT_FAILED, "cannot list the file source log " + logDirectory, e);
        }
        LOGGER.info("[{}] resumed with {} log entries, {} files seen", description(), log.size(), seen.size());
    }

    @Override
    public Offset initialOffset() {
        return offset(-1);
    }

    @Override
    public synchronized Offset latestOffset(Offset start, ReadLimit limit) {
        long from = logOffset(start);
        long lastLogged = log.isEmpty() ? -1 : log.lastKey();
        if (from > lastLogged) {
            throw new BrookException(
                    ErrorCode.INCOMPATIBLE_CHECKPOINT,
                    "the checkpoint's offset " + start + " for " + description()
                            + " is past its source log (last entry " + lastLogged + " in " + logDirectory
                            + "); use a new checkpointLocation");
        }
        long maxFiles = Math.min(limit.maxFiles(), options.maxFilesPerTrigger().orElse(Long.MAX_VALUE));
        if (lastLogged > from) {
            // entries logged but not yet part of a batch (a crash between this log and the offsets log): take them
            return offset(endWithin(from, lastLogged, maxFiles));
        }
        if (!streaming) {
            return start;
        }
        List<FileEntry> fresh = new ArrayList<>();
        for (FileEntry file : FileListing.list(path)) {
            if (!seen.contains(file.path())) {
                fresh.add(file);
            }
        }
        if (fresh.isEmpty()) {
            return start;
        }
        Comparator<FileEntry> order = Comparator.comparingLong(FileEntry::modificationTime);
        if (options.latestFirst()) {
            order = order.reversed();
        }
        fresh.sort(order.thenComparing(file -> file.path().toString()));
        List<FileEntry> taken = List.copyOf(fresh.subList(0, (int) Math.min(fresh.size(), maxFiles)));
        long next = lastLogged + 1;
        writeLogEntry(next, taken);
        log.put(next, taken);
        taken.forEach(file -> seen.add(file.path()));
        LOGGER.debug("[{}] log entry {} takes {} new files", description(), next, taken.size());
        return offset(next);
    }

    /** The last entry after {@code from} whose files, with those before it, stay within the cap (at least one entry). */
    private long endWithin(long from, long lastLogged, long maxFiles) {
        long end = from + 1;
        long files = log.get(end).size();
        while (end < lastLogged && files + log.get(end + 1).size() <= maxFiles) {
            end++;
            files += log.get(end).size();
        }
        return end;
    }

    @Override
    public synchronized List<Batch> read(Offset start, Offset end) {
        long from = logOffset(start);
        long to = logOffset(end);
        List<Batch> batches = new ArrayList<>();
        for (long id = from + 1; id <= to; id++) {
            List<FileEntry> files = log.get(id);
            if (files == null) {
                throw new BrookException(
                        ErrorCode.INCOMPATIBLE_CHECKPOINT,
                        description() + " has no log entry " + id + " in " + logDirectory + "; cannot read " + start
                                + " to " + end);
            }
            for (FileEntry file : files) {
                Batch batch = readFile(file.path());
                if (batch.rowCount() > 0) {
                    batches.add(batch);
                }
            }
        }
        return batches;
    }

    /** A file's rows: the schema's columns from the file, except those its partition directories give. */
    private Batch readFile(Path file) {
        Map<String, String> partitionValues = PartitionPaths.values(root, file);
        Set<String> fromPath = new HashSet<>();
        for (Field field : schema.fields()) {
            if (partitionValues.containsKey(field.name())
                    && field.type().isScalar()
                    && field.type() != ColumnType.VARBINARY) {
                fromPath.add(field.name());
            }
        }
        if (fromPath.isEmpty()) {
            return options.format().codec().readFile(file, schema, options);
        }
        Schema dataSchema = without(schema, fromPath);
        Batch data =
                options.format().codec().readFile(file, dataSchema, options).compact();
        int rows = data.rowCount();
        Column[] columns = new Column[schema.size()];
        for (int i = 0; i < schema.size(); i++) {
            Field field = schema.field(i);
            if (fromPath.contains(field.name())) {
                String text = partitionValues.get(field.name());
                Object value = text == null ? null : Values.fromText(field.type(), text);
                ColumnBuilder builder = new ColumnBuilder(field.type(), rows);
                for (int row = 0; row < rows; row++) {
                    builder.appendObject(value == Values.INVALID ? null : value);
                }
                columns[i] = builder.build();
            } else {
                columns[i] = data.column(dataSchema.indexOf(field.name()));
            }
        }
        return Batch.of(schema, columns);
    }

    @Override
    public String description() {
        return "FileStreamSource[" + options.format().extension() + ":" + path + "]";
    }

    private static Offset offset(long logOffset) {
        return new Offset("{\"logOffset\":" + logOffset + "}");
    }

    private long logOffset(Offset offset) {
        try {
            JsonNode node = MAPPER.readTree(offset.json()).get("logOffset");
            if (node != null && node.isIntegralNumber()) {
                return node.longValue();
            }
        } catch (JsonProcessingException e) {
            // reported below
        }
        throw new BrookException(
                ErrorCode.INCOMPATIBLE_CHECKPOINT,
                "offset " + offset + " is not a file source offset ({\"logOffset\":n}); was the checkpoint written by"
                        + " another query?");
    }

    private void writeLogEntry(long id, List<FileEntry> files) {
        if (logDirectory == null) {
            return; // not started by a streaming query: the log lives in memory only
        }
        StringBuilder content = new StringBuilder(LOG_VERSION).append('\n');
        for (FileEntry file : files) {
            ObjectNode line = MAPPER.createObjectNode();
            line.put("path", file.path().toString());
            line.put("modificationTime", file.modificationTime());
            line.put("size", file.size());
            content.append(line).append('\n');
        }
        Path entry = logDirectory.resolve(Long.toString(id));
        try {
            AtomicFiles.write(entry, content.toString());
        } catch (IOException e) {
            throw new BrookException(ErrorCode.CHECKPOINT_FAILED, "cannot write file source log entry " + entry, e);
        }
    }

    private static List<FileEntry> readLogEntry(Path entry) {
        try {
            List<String> lines = Files.readAllLines(entry, StandardCharsets.UTF_8);
            if (lines.isEmpty() || !lines.get(0).equals(LOG_VERSION)) {
                throw new BrookException(
                        ErrorCode.INCOMPATIBLE_CHECKPOINT,
                        "file source log entry " + entry + " does not start with " + LOG_VERSION
                                + "; it was not written by this version of Brook");
            }
            List<FileEntry> files = new ArrayList<>();
            for (String line : lines.subList(1, lines.size())) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode node = MAPPER.readTree(line);
                if (!node.hasNonNull("path") || !node.hasNonNull("modificationTime") || !node.hasNonNull("size")) {
                    throw new BrookException(
                            ErrorCode.INCOMPATIBLE_CHECKPOINT,
                            "file source log entry " + entry + " has a line without path, modificationTime and size: "
                                    + line);
                }
                files.add(new FileEntry(
                        Path.of(node.get("path").asText()),
                        node.get("modificationTime").asLong(),
                        node.get("size").asLong()));
            }
            return List.copyOf(files);
        } catch (IOException e) {
            throw new BrookException(
                    ErrorCode.INCOMPATIBLE_CHECKPOINT, "cannot read file source log entry " + entry + ": " + e, e);
        }
    }
}
