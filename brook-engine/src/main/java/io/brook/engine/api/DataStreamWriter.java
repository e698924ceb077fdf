package io.brook.engine.api;

import io.brook.engine.BrookException;
import io.brook.engine.ErrorCode;
import io.brook.engine.batch.Batch;
import io.brook.engine.batch.Schema;
import io.brook.engine.connector.KafkaSink;
import io.brook.engine.connector.MemorySink;
import io.brook.engine.connector.ReadLimit;
import io.brook.engine.connector.Sink;
import io.brook.engine.connector.StaticSource;
import io.brook.engine.connector.file.FileFormat;
import io.brook.engine.connector.file.FileOptions;
import io.brook.engine.connector.file.FileSink;
import io.brook.engine.connector.file.PartitionCommit;
import io.brook.engine.connector.jdbc.JdbcSink;
import io.brook.engine.exec.OutputMode;
import io.brook.engine.exec.PhysicalPlanner;
import io.brook.engine.exec.Pipeline;
import io.brook.engine.plan.SourceTable;
import io.brook.engine.stream.StreamExecution;
import io.brook.engine.stream.Trigger;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Starts a streaming query, as Spark's {@code writeStream()}: a sink format, an output mode, a trigger, options (the
 * {@code checkpointLocation} above all) and a name, then {@link #start()}.
 */
public final class DataStreamWriter {
    private final Dataset<?> dataset;
    private final Map<String, String> options = new LinkedHashMap<>();
    private String format = "console";
    private OutputMode outputMode = OutputMode.APPEND;
    private Trigger trigger = Trigger.defaultTrigger();
    private String queryName;
    private ForeachBatchFunction foreachBatch;
    private List<String> partitionColumns = List.of();

    DataStreamWriter(Dataset<?> dataset) {
        this.dataset = dataset;
    }

    public DataStreamWriter format(String format) {
        this.format = format.toLowerCase(Locale.ROOT);
        return this;
    }

    public DataStreamWriter outputMode(String mode) {
        this.outputMode = OutputMode.parse(mode);
        return this;
    }

    public DataStreamWriter outputMode(OutputMode mode) {
        this.outputMode = mode;
        return this;
    }

    public DataStreamWriter trigger(Trigger trigger) {
        this.trigger = trigger;
        return this;
    }

    public DataStreamWriter option(String key, String value) {
        options.put(key, value);
        return this;
    }

    /**
     * Partitions a file sink's output by these columns, as Spark's {@code partitionBy}: each batch's rows go to
     * {@code name=value/} directories (Hive's layout) and the files leave those columns out. With the options {@code
     * sink.partition-commit.policy.kind} = {@code success-file} and {@code sink.partition-commit.trigger} (Flink's),
     * a {@code _SUCCESS} file marks each partition complete; see {@link PartitionCommit}.
     */
    public DataStreamWriter partitionBy(String... columns) {
        this.partitionColumns = List.of(columns);
        return this;
    }

    public DataStreamWriter options(Map<String, String> more) {
        more.forEach(this::option);
        return this;
    }

    public DataStreamWriter queryName(String name) {
        this.queryName = name;
        return this;
    }

    /** Calls the function with each micro-batch's output (Spark's {@code foreachBatch}). */
    public DataStreamWriter foreachBatch(ForeachBatchFunction function) {
        this.foreachBatch = function;
        this.format = "foreachbatch";
        return this;
    }

    /** Starts the query writing files under a path, as {@code option("path", path).start()}. */
    public StreamingQuery start(String path) {
        options.put("path", path);
        return start();
    }

    public StreamingQuery start() {
        Brook session = dataset.session();
        PhysicalPlanner.checkStreaming(dataset.logicalPlan(), outputMode);
        Optional<Duration> stateTtl = session.stateTtl();
        Schema schema = dataset.schema();
        throwIfPartitionedNonFileSink();
        Sink sink = sink(session, schema);
        Path checkpoint = checkpoint();
        int partitions = StreamExecution.checkpointPartitions(checkpoint).orElse(session.shufflePartitions());
        Pipeline pipeline = PhysicalPlanner.streaming(dataset.logicalPlan(), outputMode, partitions);
        List<StreamExecution.NamedSource> sources = new ArrayList<>();
        // The streams the pipeline is fed from; static sides of joins are read by the join itself.
        for (Map.Entry<String, SourceTable> scan :
                io.brook.engine.exec.BoundedRunner.scans(dataset.logicalPlan()).entrySet()) {
            if (pipeline.tables().contains(scan.getKey())) {
                sources.add(new StreamExecution.NamedSource(
                        scan.getKey(), scan.getValue().source().copy(), readLimit()));
            }
        }
        List<String> stateSignature =
                new ArrayList<>(PhysicalPlanner.stateSignature(dataset.logicalPlan(), outputMode));
        if (stateTtl.isPresent() && !stateSignature.isEmpty()) {
            // Values then carry their update time: a checkpoint written with a TTL cannot be read without one.
            stateSignature.add("state ttl (values carry their last update time)");
        }
        StreamExecution execution = new StreamExecution(
                queryName,
                sources,
                pipeline,
                schema,
                sink,
                outputMode,
                trigger,
                checkpoint,
                session.listeners(),
                session.stateStoreConfig(),
                stateSignature,
                partitions,
                stateTtl,
                session.clock());
        StreamingQuery query = new StreamingQuery(execution);
        session.started(query);
        execution.start();
        return query;
    }

    private ReadLimit readLimit() {
        String maxFiles = options.get("maxFilesPerTrigger");
        String maxRows = options.get("maxOffsetsPerTrigger");
        long files = maxFiles == null ? Long.MAX_VALUE : positive("maxFilesPerTrigger", maxFiles);
        long rows = maxRows == null ? Long.MAX_VALUE : positive("maxOffsetsPerTrigger", maxRows);
        return new ReadLimit(rows, files);
    }

    private static long positive(String key, String value) {
        try {
            long parsed = Long.parseLong(value.strip());
            if (parsed > 0) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new BrookException(ErrorCode.INVALID_OPTION, key + " must be a whole number > 0; got '" + value + "'");
    }

    private Path checkpoint() {
        String location = options.get("checkpointLocation");
        try {
            if (location != null) {
                return Files.createDirectories(Path.of(location));
            }
            if (format.equals("memory") || format.equals("console") || format.equals("foreachbatch")) {
                return Files.createTempDirectory("brook-checkpoint-");
            }
        } catch (IOException e) {
            throw new BrookException(ErrorCode.CHECKPOINT_FAILED, "cannot create checkpoint directory: " + e, e);
        }
        throw new BrookException(
                ErrorCode.INVALID_OPTION,
                "the " + format + " sink needs option(\"checkpointLocation\", <directory>) so that the query can"
                        + " resume exactly once after a restart");
    }

    private Sink sink(Brook session, Schema schema) {
        return switch (format) {
            case "memory" -> {
                if (queryName == null) {
                    throw new BrookException(
                            ErrorCode.INVALID_OPTION,
                            "the memory sink needs queryName(...): it names the table to read with table(name)");
                }
                MemorySink sink = new MemorySink(
                        queryName,
                        outputMode == OutputMode.COMPLETE,
                        outputMode == OutputMode.UPDATE ? PhysicalPlanner.resultKeys(dataset.logicalPlan()) : null);
                session.registerMemoryTable(sink);
                yield sink;
            }
            case "console" -> new ConsoleSink(Brook.stdout(), intOption("numRows", 20));
            case "foreachbatch" -> new ForeachBatchSink(session, foreachBatch);
            case "kafka" -> KafkaSink.create(options, schema);
            case "jdbc" -> JdbcSink.create(options, schema, outputMode == OutputMode.COMPLETE);
            case "json", "csv", "parquet", "text" -> fileSink(session, schema);
            default ->
                throw new BrookException(
                        ErrorCode.INVALID_OPTION,
                        "unknown sink format '" + format + "'; supported: memory, console, foreachBatch, kafka, jdbc,"
                                + " json, csv, parquet, text");
        };
    }

    private void throwIfPartitionedNonFileSink() {
        if (!partitionColumns.isEmpty() && !FileFormat.isFileFormat(format)) {
            throw new BrookException(
                    ErrorCode.INVALID_OPTION,
                    "partitionBy(" + String.join(", ", partitionColumns) + ") partitions the files of a json, csv,"
                            + " parquet or text sink; the " + format + " sink has no partitions");
        }
    }

    private FileSink fileSink(Brook session, Schema schema) {
        if (outputMode != OutputMode.APPEND) {
            throw new BrookException(
                    ErrorCode.UNSUPPORTED_OPERATION,
                    "the " + format + " sink supports only the append output mode; got "
                            + outputMode.name().toLowerCase(Locale.ROOT)
                            + ": files already written are never changed, so rows cannot be updated or replaced");
        }
        java.util.Set<String> alsoAllowed = new java.util.HashSet<>(PartitionCommit.KEYS);
        alsoAllowed.add("maxFilesPerTrigger");
        alsoAllowed.add("maxOffsetsPerTrigger");
        return FileSink.create(
                FileOptions.forWrite(FileFormat.of(format), options, alsoAllowed),
                schema,
                partitionColumns,
                PartitionCommit.parse(options),
                session.clock());
    }

    private int intOption(String key, int defaultValue) {
        String value = options.get(key);
        return value == null ? defaultValue : (int) positive(key, value);
    }

    /** Prints each batch as Spark's console sink does: a header with the batch id, then a table. */
    private static final class ConsoleSink implements Sink {
        private final java.io.PrintStream out;
        private final int numRows;

        ConsoleSink(java.io.PrintStream out, int numRows) {
            this.out = out;
            this.numRows = numRows;
        }

        @Override
        public void addBatch(long batchId, Schema schema, List<Batch> batches) {
            List<Row> rows = new ArrayList<>();
            for (Batch batch : batches) {
                rows.addAll(Row.fromBatch(batch));
            }
            String separator = "-------------------------------------------";
            out.print(separator + "\nBatch: " + batchId + "\n" + separator + "\n"
                    + Tables.format(
                            schema.names().toArray(new String[0]), rows.subList(0, Math.min(numRows, rows.size())))
                    + (rows.size() > numRows ? "only showing top " + numRows + " rows\n" : "") + "\n");
        }

        @Override
        public String description() {
            return "ConsoleSink";
        }
    }

    /** Hands each batch to the user's function as a bounded Dataset. */
    private static final class ForeachBatchSink implements Sink {
        private final Brook session;
        private final ForeachBatchFunction function;

        ForeachBatchSink(Brook session, ForeachBatchFunction function) {
            this.session = session;
            this.function = function;
        }

        @Override
        public void addBatch(long batchId, Schema schema, List<Batch> batches) {
            try {
                function.call(
                        session.fromSource(new StaticSource(schema, batches, "batch " + batchId), false, "batch"),
                        batchId);
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new BrookException(
                        ErrorCode.SINK_FAILED, "foreachBatch failed on batch " + batchId + ": " + e, e);
            }
        }

        @Override
        public String description() {
            return "ForeachBatchSink";
        }
    }
}
