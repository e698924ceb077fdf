package io.brook.engine.api;

import io.brook.engine.BrookException;
import io.brook.engine.ErrorCode;
import io.brook.engine.batch.Schema;
import io.brook.engine.connector.KafkaSource;
import io.brook.engine.connector.KafkaSourceOptions;
import io.brook.engine.connector.NexmarkSource;
import io.brook.engine.connector.RateSource;
import io.brook.engine.connector.file.FileFormat;
import io.brook.engine.connector.file.FileOptions;
import io.brook.engine.connector.file.FileSource;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Describes a stream to read, as Spark's {@code spark.readStream().format(...).option(...).load()}. */
public final class DataStreamReader {
    private final Brook session;
    private final Map<String, String> options = new LinkedHashMap<>();
    private String format;
    private Schema schema;

    DataStreamReader(Brook session) {
        this.session = session;
    }

    public DataStreamReader format(String format) {
        this.format = format.toLowerCase(Locale.ROOT);
        return this;
    }

    public DataStreamReader option(String key, String value) {
        options.put(key, value);
        return this;
    }

    public DataStreamReader option(String key, long value) {
        return option(key, Long.toString(value));
    }

    public DataStreamReader options(Map<String, String> more) {
        options.putAll(more);
        return this;
    }

    /**
     * The schema of the rows, required for the json, csv and parquet formats: a stream's schema is never inferred. Text
     * has its own ({@code value STRING}).
     */
    public DataStreamReader schema(Schema schema) {
        this.schema = schema;
        return this;
    }

    /** Files that appear under a path (a directory, a file or a glob), as {@code format(...).load(path)}. */
    public Dataset<Row> load(String path) {
        options.put("path", path);
        return load();
    }

    public Dataset<Row> json(String path) {
        return format("json").load(path);
    }

    public Dataset<Row> csv(String path) {
        return format("csv").load(path);
    }

    public Dataset<Row> parquet(String path) {
        return format("parquet").load(path);
    }

    /** New text files as one row per line (per file with option wholetext), in one string column {@code value}. */
    public Dataset<Row> text(String path) {
        return format("text").load(path);
    }

    public Dataset<Row> load() {
        if (format == null) {
            throw new BrookException(ErrorCode.INVALID_OPTION, "readStream() needs a format(...), e.g. \"rate\"");
        }
        return switch (format) {
            case "rate" -> session.fromSource(rate(), true, "rate");
            case "kafka" ->
                session.fromSource(new KafkaSource(KafkaSourceOptions.parse(options, true), true), true, "kafka");
            case "nexmark" ->
                session.fromSource(
                        new NexmarkSource(NexmarkSource.Options.parse(options, true), true, session.clock()),
                        true,
                        "nexmark");
            case "json", "csv", "parquet", "text" -> session.fromSource(files(FileFormat.of(format)), true, format);
            default ->
                throw new BrookException(
                        ErrorCode.INVALID_OPTION,
                        "unknown stream format '" + format + "'; supported: rate, kafka, nexmark, json, csv, parquet,"
                                + " text");
        };
    }

    private FileSource files(FileFormat fileFormat) {
        FileOptions fileOptions = FileOptions.forRead(fileFormat, options);
        String path = fileOptions
                .path()
                .orElseThrow(() -> new BrookException(
                        ErrorCode.INVALID_OPTION,
                        "readStream().format(\"" + format + "\") needs a path: load(<directory or glob>)"));
        Schema resolved = schema != null ? schema : fileFormat.fixedSchema().orElse(null);
        if (resolved == null) {
            throw new BrookException(
                    ErrorCode.INVALID_OPTION,
                    "readStream().format(\"" + format + "\") needs a schema: pass .schema(...); a stream's schema"
                            + " is not inferred, since files that arrive later could disagree");
        }
        return FileSource.streaming(fileOptions, resolved, path);
    }

    private RateSource rate() {
        long rowsPerSecond = longOption("rowsPerSecond", 1);
        for (String key : options.keySet()) {
            if (!key.equals("rowsPerSecond") && !key.equals("numPartitions")) {
                throw new BrookException(
                        ErrorCode.INVALID_OPTION,
                        "unknown option '" + key + "' for the rate source; it takes rowsPerSecond and numPartitions");
            }
        }
        // Checked as Spark checks it, then not needed: a micro-batch's rows spread over every core by themselves.
        longOption("numPartitions", 1);
        return new RateSource(rowsPerSecond, session.clock());
    }

    private long longOption(String key, long defaultValue) {
        String value = options.get(key);
        if (value == null) {
            return defaultValue;
        }
        try {
            long parsed = Long.parseLong(value.strip());
            if (parsed <= 0) {
                throw new NumberFormatException();
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new BrookException(
                    ErrorCode.INVALID_OPTION, "option " + key + " must be a whole number > 0; got '" + value + "'");
        }
    }
}
