package io.brook.engine.connector.file;

import static java.util.Objects.requireNonNull;

import io.brook.engine.BrookException;
import io.brook.engine.ErrorCode;
import io.brook.engine.batch.Batch;
import io.brook.engine.batch.Column;
import io.brook.engine.batch.ColumnType;
import io.brook.engine.batch.Field;
import io.brook.engine.batch.Schema;
import io.brook.engine.connector.Sink;
import io.brook.engine.plan.Names;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.LongSupplier;
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
 *
 * <p>Partitioned by columns ({@code partitionBy}, SQL's {@code PARTITIONED BY}), a batch's rows go to one part file per
 * partition, in Hive's layout ({@code dt=2026-12-01/hm=14%3A05/part-...}, see {@link PartitionPaths}) without the
 * partition columns, as Spark and Flink write them; the batch's files in every partition are committed together by its
 * one manifest entry. A {@link PartitionCommit} policy marks partitions complete with a {@code _SUCCESS} file.
 */
public final class FileSink implements Sink {
    private static final Logger LOGGER = LoggerFactory.getLogger(FileSink.class);

    private final FileOptions options;
    private final Path directory;
    private final List<String> partitionColumns;
    private final PartitionCommit commit;
    private final LongSupplier clockMillis;
    /**
     * Partitions written and not yet committed, by directory relative to the output, with the time a batch first wrote
     * into each in this run; read from the manifest at the first batch, so a restarted query still commits them.
     */
    private Map<String, Long> pending;
    /** The last watermark the query reported, in microseconds ({@link Long#MIN_VALUE}: none yet). */
    private long watermarkMicros = Long.MIN_VALUE;

    private FileSink(
            FileOptions options,
            Path directory,
            List<String> partitionColumns,
            PartitionCommit commit,
            LongSupplier clockMillis) {
        this.options = requireNonNull(options, "options is null");
        this.directory = requireNonNull(directory, "directory is null");
        this.partitionColumns = List.copyOf(partitionColumns);
        this.commit = requireNonNull(commit, "commit is null");
        this.clockMillis = requireNonNull(clockMillis, "clockMillis is null");
    }

    /**
     * A sink writing rows of a schema under the {@code path} option, partitioned by these columns (none: all rows in
     * the output directory), committing partitions by a policy; the clock times the process-time trigger.
     */
    public static FileSink create(
            FileOptions options,
            Schema schema,
            List<String> partitionColumns,
            PartitionCommit commit,
            LongSupplier clockMillis) {
        throwIfUnsupported(options, schema, partitionColumns);
        commit.throwIfInvalid(partitionColumns);
        String path = options.path()
                .orElseThrow(() -> new BrookException(
                        ErrorCode.INVALID_OPTION,
                        "the " + options.format().extension() + " sink needs option(\"path\", <directory>) to write"
                                + " its files to"));
        return new FileSink(options, Path.of(path), partitionColumns, commit, clockMillis);
    }

    @Override
    public void addBatch(long batchId, Schema schema, List<Batch> batches) {
        SinkManifest manifest = new SinkManifest(directory);
        long latest = manifest.latest().orElse(-1);
        try {
            if (commit.enabled() && pending == null) {
                pending = uncommittedPartitions(manifest);
            }
            if (batchId <= latest) {
                LOGGER.info(
                        "[{}] batch {} was committed already (last {}); skipping it", description(), batchId, latest);
            } else {
                List<String> files =
                        writeParts(directory, Long.toString(batchId), schema, batches, options, partitionColumns);
                manifest.write(batchId, files);
                if (commit.enabled()) {
                    long now = clockMillis.getAsLong();
                    for (String partition : partitionsOf(files)) {
                        pending.putIfAbsent(partition, now);
                    }
                }
            }
            commitReady(false);
        } catch (IOException e) {
            throw new BrookException(
                    ErrorCode.SINK_FAILED, "cannot write batch " + batchId + " to " + directory + ": " + e, e);
        }
    }

    @Override
    public void watermarkAdvanced(long watermarkMicros) {
        this.watermarkMicros = watermarkMicros;
        if (!commit.enabled()) {
            return;
        }
        if (pending == null) {
            pending = uncommittedPartitions(new SinkManifest(directory));
        }
        commitReady(false);
    }

    @Override
    public void inputEnded() {
        if (!commit.enabled()) {
            return;
        }
        if (pending == null) {
            pending = uncommittedPartitions(new SinkManifest(directory));
        }
        commitReady(true);
    }

    /** Commits the pending partitions whose trigger fired (all of them when the input has ended). */
    private void commitReady(boolean all) {
        if (pending == null || pending.isEmpty()) {
            return;
        }
        long now = clockMillis.getAsLong();
        List<String> ready = new ArrayList<>();
        for (Map.Entry<String, Long> partition : pending.entrySet()) {
            if (all || isReady(partition.getKey(), partition.getValue(), now)) {
                ready.add(partition.getKey());
            }
        }
        for (String partition : ready) {
            writeSuccessFile(directory, partition, commit);
            pending.remove(partition);
        }
        if (!ready.isEmpty()) {
            LOGGER.info("[{}] committed {} partitions, {} pending", description(), ready.size(), pending.size());
        }
    }

    private boolean isReady(String partition, long firstWrittenMillis, long nowMillis) {
        return switch (commit.effectiveTrigger()) {
            case PROCESS_TIME -> nowMillis - firstWrittenMillis >= commit.delayMillis();
            case PARTITION_TIME -> {
                if (watermarkMicros == Long.MIN_VALUE) {
                    yield false;
                }
                Optional<Long> time = commit.partitionTimeMillis(PartitionPaths.values(
                        directory, directory.resolve(partition).resolve("file")));
                yield time.isPresent() && Math.floorDiv(watermarkMicros, 1000L) > time.get() + commit.delayMillis();
            }
        };
    }

    private static void writeSuccessFile(Path directory, String partition, PartitionCommit commit) {
        Path file = directory.resolve(partition).resolve(commit.successFileName());
        try {
            AtomicFiles.write(file, "");
        } catch (IOException e) {
            throw new BrookException(
                    ErrorCode.SINK_FAILED, "cannot commit partition " + file.getParent() + ": " + e, e);
        }
    }

    /** The partitions the manifest's files are in that have no success file yet, as first written now. */
    private Map<String, Long> uncommittedPartitions(SinkManifest manifest) {
        Map<String, Long> uncommitted = new TreeMap<>();
        if (!SinkManifest.exists(directory)) {
            return uncommitted;
        }
        long now = clockMillis.getAsLong();
        List<String> files = new ArrayList<>();
        for (Path file : manifest.files()) {
            files.add(directory.relativize(file).toString());
        }
        for (String partition : partitionsOf(files)) {
            if (!Files.exists(directory.resolve(partition).resolve(commit.successFileName()))) {
                uncommitted.put(partition, now);
            }
        }
        return uncommitted;
    }

    /** The partition directories of files named relative to the output, in order; none for unpartitioned files. */
    private static Set<String> partitionsOf(List<String> files) {
        Set<String> partitions = new TreeSet<>();
        for (String file : files) {
            int slash = file.lastIndexOf('/');
            if (slash > 0) {
                partitions.add(file.substring(0, slash));
            }
        }
        return partitions;
    }

    /** Refuses, naming the column, a schema the format cannot hold (CSV and arrays), before anything runs. */
    public static void throwIfUnsupported(FileOptions options, Schema schema) {
        throwIfUnsupported(options, schema, List.of());
    }

    /**
     * Refuses, naming the column, partition columns that are not in the schema, repeated, not of a scalar type, or all
     * of its columns, and a schema of the other columns that the format cannot hold.
     */
    public static void throwIfUnsupported(FileOptions options, Schema schema, List<String> partitionColumns) {
        Set<String> seen = new HashSet<>();
        for (String column : partitionColumns) {
            int index = schema.names().indexOf(column);
            if (index < 0) {
                throw new BrookException(
                        ErrorCode.UNRESOLVED_COLUMN,
                        "partition column '" + column + "' is not a column of the output"
                                + Names.didYouMean(column, schema.names()) + " (it has "
                                + String.join(", ", schema.names()) + ")");
            }
            if (!seen.add(column)) {
                throw new BrookException(ErrorCode.INVALID_OPTION, "partition column '" + column + "' is given twice");
            }
            Field field = schema.field(index);
            if (!field.type().isScalar() || field.type() == ColumnType.VARBINARY) {
                throw new BrookException(
                        ErrorCode.UNSUPPORTED_OPERATION,
                        "partition column '" + column + "' is " + field.typeName()
                                + "; partition values are text in directory names, so partition by a column of a"
                                + " type other than binary, array or struct");
            }
        }
        if (!partitionColumns.isEmpty() && partitionColumns.size() == schema.size()) {
            throw new BrookException(
                    ErrorCode.INVALID_OPTION,
                    "cannot partition by every column (" + String.join(", ", partitionColumns)
                            + "): the files would hold nothing");
        }
        options.format().codec().throwIfUnsupported(dataSchema(schema, partitionColumns));
    }

    /** The columns written into the files: all but the partition columns. */
    private static Schema dataSchema(Schema schema, List<String> partitionColumns) {
        List<Field> fields = new ArrayList<>();
        for (Field field : schema.fields()) {
            if (!partitionColumns.contains(field.name())) {
                fields.add(field);
            }
        }
        return new Schema(fields);
    }

    /**
     * Writes a bounded Dataset's rows under a directory, as {@code Dataset.write().save(path)}. A new or emptied
     * directory, or one a file sink wrote, gets a manifest entry (the next batch id, 0 for a new one), so the rows
     * appear all at once; appending to a directory of files that has no manifest writes none, or the files already
     * there would disappear from readers.
     */
    public static void save(FileOptions options, Path directory, SaveMode mode, Schema schema, List<Batch> batches) {
        save(options, directory, mode, schema, batches, List.of(), PartitionCommit.NONE);
    }

    /**
     * As {@link #save(FileOptions, Path, SaveMode, Schema, List)}, partitioned by columns; the input is whole, so a
     * commit policy commits every partition written.
     */
    public static void save(
            FileOptions options,
            Path directory,
            SaveMode mode,
            Schema schema,
            List<Batch> batches,
            List<String> partitionColumns,
            PartitionCommit commit) {
        throwIfUnsupported(options, schema, partitionColumns);
        commit.throwIfInvalid(partitionColumns);
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
            List<String> files =
                    writeParts(directory, Long.toString(batchId), schema, batches, options, partitionColumns);
            if (withManifest) {
                manifest.write(batchId, files);
            }
            if (commit.enabled()) {
                for (String partition : partitionsOf(files)) {
                    writeSuccessFile(directory, partition, commit);
                }
            }
        } catch (IOException e) {
            throw new BrookException(ErrorCode.SINK_FAILED, "cannot write to " + directory + ": " + e, e);
        }
    }

    /**
     * Writes the rows into one new part file, or one per partition, unless there are none; the names of the files
     * written, relative to the directory.
     */
    private static List<String> writeParts(
            Path directory,
            String label,
            Schema schema,
            List<Batch> batches,
            FileOptions options,
            List<String> partitionColumns)
            throws IOException {
        long rows = 0;
        for (Batch batch : batches) {
            rows += batch.rowCount();
        }
        Files.createDirectories(directory);
        if (rows == 0) {
            return List.of();
        }
        if (partitionColumns.isEmpty()) {
            String name = partName(label, options);
            options.format().codec().writeFile(directory.resolve(name), schema, batches, options);
            return List.of(name);
        }
        Schema dataSchema = dataSchema(schema, partitionColumns);
        Map<String, List<Batch>> partitions = split(schema, dataSchema, batches, partitionColumns);
        List<String> files = new ArrayList<>();
        for (Map.Entry<String, List<Batch>> partition : partitions.entrySet()) {
            String name = partition.getKey() + "/" + partName(label, options);
            options.format().codec().writeFile(directory.resolve(name), dataSchema, partition.getValue(), options);
            files.add(name);
        }
        return files;
    }

    private static String partName(String label, FileOptions options) {
        return "part-" + label + "-" + UUID.randomUUID() + "."
                + options.format().partFileExtension();
    }

    /** The rows of each partition, by directory in order, as batches of the data columns (selections, not copies). */
    private static Map<String, List<Batch>> split(
            Schema schema, Schema dataSchema, List<Batch> batches, List<String> partitionColumns) {
        int[] keyIndexes = new int[partitionColumns.size()];
        for (int i = 0; i < keyIndexes.length; i++) {
            keyIndexes[i] = schema.indexOf(partitionColumns.get(i));
        }
        int[] dataIndexes = new int[dataSchema.size()];
        for (int i = 0; i < dataIndexes.length; i++) {
            dataIndexes[i] = schema.indexOf(dataSchema.field(i).name());
        }
        Map<String, List<Batch>> partitions = new TreeMap<>();
        for (Batch batch : batches) {
            if (batch.rowCount() == 0) {
                continue;
            }
            Map<String, IntArrayBuilder> positions = new LinkedHashMap<>();
            List<String> values = new ArrayList<>(keyIndexes.length);
            for (int row = 0; row < batch.rowCount(); row++) {
                int position = batch.position(row);
                values.clear();
                for (int keyIndex : keyIndexes) {
                    values.add(PartitionPaths.text(batch.column(keyIndex), position));
                }
                positions
                        .computeIfAbsent(
                                PartitionPaths.directory(partitionColumns, values), key -> new IntArrayBuilder())
                        .add(position);
            }
            Column[] dataColumns = new Column[dataIndexes.length];
            for (int i = 0; i < dataIndexes.length; i++) {
                dataColumns[i] = batch.column(dataIndexes[i]);
            }
            Batch data = batch.withColumns(dataSchema, dataColumns);
            for (Map.Entry<String, IntArrayBuilder> partition : positions.entrySet()) {
                partitions
                        .computeIfAbsent(partition.getKey(), key -> new ArrayList<>())
                        .add(data.select(partition.getValue().build()));
            }
        }
        return partitions;
    }

    /** Positions appended in ascending order. */
    private static final class IntArrayBuilder {
        private int[] values = new int[16];
        private int size;

        void add(int value) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = value;
        }

        int[] build() {
            return Arrays.copyOf(values, size);
        }
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
        return "FileSink[" + options.format().extension() + ":" + directory
                + (partitionColumns.isEmpty() ? "" : " partitioned by " + String.join(", ", partitionColumns)) + "]";
    }
}
