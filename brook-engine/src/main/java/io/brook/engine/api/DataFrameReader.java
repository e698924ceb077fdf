package io.brook.engine.api;

import io.brook.engine.BrookException;
import io.brook.engine.ErrorCode;
import io.brook.engine.batch.Schema;
import io.brook.engine.connector.KafkaSource;
import io.brook.engine.connector.KafkaSourceOptions;
import io.brook.engine.connector.NexmarkSource;
import io.brook.engine.connector.file.FileFormat;
import io.brook.engine.connector.file.FileOptions;
import io.brook.engine.connector.file.FileSource;
import io.brook.engine.connector.jdbc.JdbcSource;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Describes bounded data to read, as Spark's {@code spark.read().format(...).option(...).schema(...).load(path)}; the
 * result is a bounded Dataset read once when an action runs.
 */
public final class DataFrameReader {
    private final Brook session;
    private final Map<String, String> options = new LinkedHashMap<>();
    private String format;
    private Schema schema;

    DataFrameReader(Brook session) {
        this.session = session;
    }

    public DataFrameReader format(String format) {
        this.format = format.toLowerCase(Locale.ROOT);
        return this;
    }

    public DataFrameReader option(String key, String value) {
        options.put(key, value);
        return this;
    }

    public DataFrameReader option(String key, long value) {
        return option(key, Long.toString(value));
    }

    public DataFrameReader options(Map<String, String> more) {
        options.putAll(more);
        return this;
    }

    public DataFrameReader schema(Schema schema) {
        this.schema = schema;
        return this;
    }

    public Dataset<Row> load() {
        return load(null);
    }

    public Dataset<Row> load(String path) {
        if (format == null) {
            throw new BrookException(ErrorCode.INVALID_OPTION, "read() needs a format(...)");
        }
        if (format.equals("kafka")) {
            if (path != null) {
                throw new BrookException(
                        ErrorCode.INVALID_OPTION,
                        "the kafka format takes no path; got '" + path + "' (name topics with option subscribe)");
            }
            if (schema != null) {
                throw new BrookException(
                        ErrorCode.INVALID_OPTION,
                        "the kafka format has a fixed schema (key, value, topic, partition, offset, timestamp,"
                                + " timestampType); remove schema(...)");
            }
            return session.fromSource(new KafkaSource(KafkaSourceOptions.parse(options, false), false), false, "kafka");
        }
        if (format.equals("nexmark")) {
            if (path != null || schema != null) {
                throw new BrookException(
                        ErrorCode.INVALID_OPTION,
                        "the nexmark format makes its own events with a fixed schema; it takes no path and no"
                                + " schema(...)");
            }
            NexmarkSource.Options nexmark = NexmarkSource.Options.parse(options, false);
            return session.fromSource(new NexmarkSource(nexmark, false, session.clock()), false, "nexmark");
        }
        if (format.equals("jdbc")) {
            if (path != null || schema != null) {
                throw new BrookException(
                        ErrorCode.INVALID_OPTION,
                        "the jdbc format reads option dbtable or option query with the database's own column types; it"
                                + " takes no path and no schema(...)");
            }
            return session.fromSource(JdbcSource.create(options), false, "jdbc");
        }
        if (FileFormat.isFileFormat(format)) {
            Map<String, String> withPath = new LinkedHashMap<>(options);
            if (path != null) {
                withPath.put("path", path);
            }
            FileOptions fileOptions = FileOptions.forRead(FileFormat.of(format), withPath);
            String location = fileOptions
                    .path()
                    .orElseThrow(() -> new BrookException(
                            ErrorCode.INVALID_OPTION,
                            "read().format(\"" + format + "\") needs a path: load(<file, directory or glob>)"));
            return session.fromSource(FileSource.bounded(fileOptions, schema, location), false, format);
        }
        throw new BrookException(
                ErrorCode.INVALID_OPTION,
                "unknown format '" + format + "' for read(); supported: json, csv, parquet, text, kafka, nexmark,"
                        + " jdbc");
    }

    public Dataset<Row> json(String path) {
        return format("json").load(path);
    }

    public Dataset<Row> csv(String path) {
        return format("csv").load(path);
    }

    /** Reads Parquet files; without a schema, the schema is the files' own (their footers' columns). */
    public Dataset<Row> parquet(String path) {
        return format("parquet").load(path);
    }

    /**
     * Reads text files as one row per line (per file with option wholetext), in one string column {@code value}; see
     * {@code lineSep} in {@link FileOptions}.
     */
    public Dataset<Row> text(String path) {
        return format("text").load(path);
    }

    Brook session() {
        return session;
    }

    Map<String, String> options() {
        return options;
    }

    Schema schema() {
        return schema;
    }
}
