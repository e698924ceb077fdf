package io.brook.engine.api;

import io.brook.engine.BrookException;
import io.brook.engine.ErrorCode;
import io.brook.engine.connector.file.FileFormat;
import io.brook.engine.connector.file.FileOptions;
import io.brook.engine.connector.file.FileSink;
import io.brook.engine.connector.file.PartitionCommit;
import io.brook.engine.connector.file.SaveMode;
import io.brook.engine.connector.jdbc.JdbcSink;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a bounded Dataset to files, as Spark's {@code df.write().format("json").mode("append").save(path)}: the rows
 * go to one new part file, committed by a {@code _brook_metadata} entry as the file sink commits a batch (see
 * {@link FileSink#save}). The mode says what to do when the path exists: {@code errorifexists} (default), {@code
 * append}, {@code overwrite} or {@code ignore}. Formats: json, parquet (with {@code compression}: snappy by default),
 * csv (with {@code header}, {@code sep}, {@code quote}, {@code nullValue}), text (one string column, a line per row,
 * with {@code lineSep}). The jdbc format writes to a database table instead, with {@link #save()}.
 */
public final class DataFrameWriter {
    private final Dataset<?> dataset;
    private final Map<String, String> options = new LinkedHashMap<>();
    private String format;
    private SaveMode mode = SaveMode.ERROR_IF_EXISTS;
    private List<String> partitionColumns = List.of();

    DataFrameWriter(Dataset<?> dataset) {
        this.dataset = dataset;
    }

    private boolean isJdbc() {
        return format != null && format.toLowerCase(Locale.ROOT).equals("jdbc");
    }

    public DataFrameWriter format(String format) {
        this.format = format;
        return this;
    }

    /**
     * Partitions the files by these columns, as Spark's {@code partitionBy}: rows go to {@code name=value/}
     * directories (Hive's layout) and the files leave those columns out. With the option {@code
     * sink.partition-commit.policy.kind} = {@code success-file}, each partition written gets a {@code _SUCCESS} file.
     */
    public DataFrameWriter partitionBy(String... columns) {
        this.partitionColumns = List.of(columns);
        return this;
    }

    public DataFrameWriter option(String key, String value) {
        options.put(key, value);
        return this;
    }

    public DataFrameWriter option(String key, boolean value) {
        return option(key, Boolean.toString(value));
    }

    public DataFrameWriter options(Map<String, String> more) {
        options.putAll(more);
        return this;
    }

    /** append, overwrite, errorifexists (or error; the default) or ignore. */
    public DataFrameWriter mode(String mode) {
        this.mode = SaveMode.parse(mode);
        return this;
    }

    public void json(String path) {
        format("json").save(path);
    }

    public void csv(String path) {
        format("csv").save(path);
    }

    public void parquet(String path) {
        format("parquet").save(path);
    }

    /** Writes the Dataset's one string column as lines of text; a NULL is an empty line, as in Spark. */
    public void text(String path) {
        format("text").save(path);
    }

    /** Runs the Dataset and writes its rows under the path. */
    public void save(String path) {
        if (format == null) {
            throw new BrookException(
                    ErrorCode.INVALID_OPTION, "write() needs a format(...): json, csv, parquet, text or jdbc");
        }
        if (isJdbc()) {
            throw new BrookException(
                    ErrorCode.INVALID_OPTION,
                    "the jdbc format writes to option dbtable and takes no path; got '" + path + "': use save()");
        }
        if (!FileFormat.isFileFormat(format)) {
            throw new BrookException(
                    ErrorCode.INVALID_OPTION,
                    "unknown format '" + format + "' for write(); supported: json, csv, parquet, text, jdbc");
        }
        Map<String, String> withPath = new LinkedHashMap<>(options);
        withPath.put("path", path);
        FileOptions fileOptions = FileOptions.forWrite(FileFormat.of(format), withPath, PartitionCommit.KEYS);
        PartitionCommit commit = PartitionCommit.parse(options);
        // Before the Dataset runs: a format that cannot hold a column should not cost a whole query first.
        FileSink.throwIfUnsupported(fileOptions, dataset.schema(), partitionColumns);
        FileSink.save(
                fileOptions,
                Path.of(path),
                mode,
                dataset.schema(),
                dataset.session().runBounded(dataset.logicalPlan(), "write()"),
                partitionColumns,
                commit);
    }

    /**
     * Writes under the {@code path} option; for the jdbc format, to the {@code dbtable} option's table in one
     * transaction (see {@link JdbcSink#save}).
     */
    public void save() {
        if (isJdbc() && !partitionColumns.isEmpty()) {
            throw new BrookException(
                    ErrorCode.INVALID_OPTION,
                    "partitionBy(" + String.join(", ", partitionColumns) + ") partitions files; the jdbc format writes"
                            + " to a table");
        }
        if (isJdbc()) {
            JdbcSink.save(
                    options,
                    mode,
                    dataset.schema(),
                    () -> dataset.session().runBounded(dataset.logicalPlan(), "write()"));
            return;
        }
        String path = options.get("path");
        if (path == null) {
            throw new BrookException(ErrorCode.INVALID_OPTION, "save() needs a path: save(<directory>)");
        }
        save(path);
    }
}
