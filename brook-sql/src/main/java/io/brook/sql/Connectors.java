package io.brook.sql;

import static io.brook.engine.api.functions.col;

import io.brook.engine.BrookException;
import io.brook.engine.ErrorCode;
import io.brook.engine.api.Brook;
import io.brook.engine.api.Column;
import io.brook.engine.api.DataStreamWriter;
import io.brook.engine.api.Dataset;
import io.brook.engine.api.Row;
import io.brook.engine.api.functions;
import io.brook.engine.batch.Field;
import io.brook.engine.batch.Schema;
import io.brook.engine.connector.file.PartitionCommit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The connectors a CREATE statement names in {@code WITH (connector = '...')}, on the engine's readers and writers:
 * {@code kafka}, {@code files} (Flink's {@code filesystem}), {@code nexmark}, {@code rate} and {@code jdbc} to read;
 * {@code kafka}, {@code files}, {@code jdbc}, {@code console} ({@code print}), {@code memory} and {@code blackhole} to
 * write. Option names are Brook's (Spark's) or Flink's.
 */
final class Connectors {
    static final List<String> READABLE = List.of("kafka", "files", "filesystem", "nexmark", "rate", "jdbc");
    static final List<String> WRITABLE =
            List.of("kafka", "files", "filesystem", "jdbc", "console", "print", "memory", "blackhole");
    static final List<String> BOUNDED = List.of("files", "filesystem", "jdbc");

    private Connectors() {}

    static String connector(Command.CreateRelation definition) {
        // Flink's legacy option names ('connector.type', 'connector.path', 'format.type') are read as well.
        String connector = definition
                .options()
                .getOrDefault("connector", definition.options().get("connector.type"));
        if (connector == null) {
            throw new BrookException(
                    ErrorCode.INVALID_OPTION,
                    definition.name() + " needs WITH (connector = '...'), one of "
                            + String.join(", ", definition.role() == Command.Role.SINK ? WRITABLE : READABLE));
        }
        return connector.toLowerCase(Locale.ROOT);
    }

    /**
     * The rows of a source or table as the connector gives them, reduced to its physical and metadata columns as
     * declared (all of them when none are declared); computed columns and the watermark are the caller's.
     */
    static Dataset<Row> read(Brook brook, Command.CreateRelation definition, boolean streaming) {
        String connector = connector(definition);
        ConnectorOptions options = new ConnectorOptions(definition.name(), connector, definition.options());
        Dataset<Row> raw;
        switch (connector) {
            case "nexmark" -> {
                Map<String, String> engine = new LinkedHashMap<>();
                options.get("events", "events.num").ifPresent(value -> engine.put("events", value));
                options.get("eventsPerSecond", "first-event.rate", "tps")
                        .ifPresent(v -> engine.put("eventsPerSecond", v));
                options.get("next-event.rate"); // Flink's suite sets it equal to first-event.rate: one rate here
                options.get("maxEventsPerTrigger").ifPresent(value -> engine.put("maxEventsPerTrigger", value));
                options.get("seed").ifPresent(value -> engine.put("seed", value));
                options.get("baseTime").ifPresent(value -> engine.put("baseTime", value));
                checkProportion(options, "person.proportion", "1");
                checkProportion(options, "auction.proportion", "3");
                checkProportion(options, "bid.proportion", "46");
                options.checkAllUsed();
                raw = streaming
                        ? brook.readStream().format("nexmark").options(engine).load()
                        : brook.read().format("nexmark").options(engine).load();
                return declaredColumns(raw, definition);
            }
            case "rate" -> {
                Map<String, String> engine =
                        options.passThrough(List.of("rowsPerSecond", "numPartitions", "rampUpTime"));
                options.checkAllUsed();
                if (!streaming) {
                    throw new BrookException(
                            ErrorCode.UNSUPPORTED_OPERATION,
                            definition.name() + ": the rate connector is a stream; it cannot be read in batch mode");
                }
                return declaredColumns(
                        brook.readStream().format("rate").options(engine).load(), definition);
            }
            case "kafka" -> {
                return kafka(brook, definition, options, streaming);
            }
            case "files", "filesystem" -> {
                return files(brook, definition, options, streaming);
            }
            case "jdbc" -> {
                Map<String, String> engine = new LinkedHashMap<>();
                engine.put("url", options.require("the database's JDBC URL", "url"));
                options.get("dbtable", "table-name", "table").ifPresent(value -> engine.put("dbtable", value));
                options.get("query").ifPresent(value -> engine.put("query", value));
                options.get("user", "username").ifPresent(value -> engine.put("user", value));
                options.get("password").ifPresent(value -> engine.put("password", value));
                options.get("driver").ifPresent(value -> engine.put("driver", value));
                options.checkAllUsed();
                return declaredColumns(
                        brook.read().format("jdbc").options(engine).load(), definition);
            }
            default ->
                throw new BrookException(
                        ErrorCode.INVALID_OPTION,
                        definition.name() + ": unknown connector '" + connector + "'"
                                + io.brook.engine.plan.Names.didYouMean(connector, READABLE) + "; sources read from "
                                + String.join(", ", READABLE));
        }
    }

    private static void checkProportion(ConnectorOptions options, String name, String only) {
        options.get(name).ifPresent(value -> {
            if (!value.strip().equals(only)) {
                throw new BrookException(
                        ErrorCode.INVALID_OPTION,
                        "the nexmark connector makes persons, auctions and bids 1 : 3 : 46 (the standard mix); " + name
                                + " must be " + only + " if given, not '" + value + "'");
            }
        });
    }

    private static Dataset<Row> kafka(
            Brook brook, Command.CreateRelation definition, ConnectorOptions options, boolean streaming) {
        Map<String, String> engine = new LinkedHashMap<>();
        engine.put("subscribe", options.require("the topic to read", "topic", "subscribe"));
        engine.put("kafka.bootstrap.servers", bootstrapServers(options));
        options.get("startingOffsets", "scan.startup.mode")
                .ifPresent(value -> engine.put(
                        "startingOffsets",
                        switch (value) {
                            case "earliest-offset" -> "earliest";
                            case "latest-offset" -> "latest";
                            default -> value;
                        }));
        options.withPrefix("properties.").forEach((key, value) -> {
            if (!key.equals("bootstrap.servers")) {
                engine.put("kafka." + key, value);
            }
        });
        options.get("properties.group.id");
        engine.putAll(options.passThrough(List.of("maxOffsetsPerTrigger", "failOnDataLoss", "endingOffsets")));
        if (!streaming) {
            // A micro-batch's cap means nothing to a bounded read (batch mode), which reads everything at once.
            engine.remove("maxOffsetsPerTrigger");
        }
        String format = options.get("format", "value.format").orElse("json").toLowerCase(Locale.ROOT);
        options.checkAllUsed();
        boolean headers = definition.columns().stream().anyMatch(c -> "headers".equals(c.metadataKey()));
        if (headers) {
            engine.put("includeHeaders", "true");
        }
        Dataset<Row> records = streaming
                ? brook.readStream().format("kafka").options(engine).load()
                : brook.read().format("kafka").options(engine).load();
        List<Command.ColumnDefinition> physical = definition.columns().stream()
                .filter(Command.ColumnDefinition::physical)
                .toList();
        List<Column> columns = new ArrayList<>();
        switch (format) {
            case "json" -> {
                if (!physical.isEmpty()) {
                    List<Field> fields = new ArrayList<>();
                    for (Command.ColumnDefinition column : physical) {
                        fields.add(column.field());
                    }
                    List<Column> all = new ArrayList<>();
                    for (String name : records.columns()) {
                        all.add(col(name));
                    }
                    all.add(functions
                            .from_json(col("value").cast("string"), new Schema(fields))
                            .as("__value"));
                    records = records.select(all.toArray(new Column[0]));
                }
            }
            case "raw" -> {
                if (physical.size() != 1) {
                    throw new BrookException(
                            ErrorCode.INVALID_OPTION,
                            definition.name() + ": format 'raw' reads each record's value into one column; "
                                    + physical.size() + " are declared");
                }
            }
            default ->
                throw new BrookException(
                        ErrorCode.INVALID_OPTION,
                        definition.name() + ": the kafka connector reads format 'json' or 'raw'; got '" + format + "'");
        }
        for (Command.ColumnDefinition column : definition.columns()) {
            if (column.computed() != null) {
                continue;
            }
            if (column.metadataKey() != null) {
                columns.add(kafkaMetadata(definition, column).as(column.name()));
            } else if (format.equals("raw")) {
                columns.add(col("value")
                        .cast(column.field().type() == io.brook.engine.batch.ColumnType.VARBINARY ? "binary" : "string")
                        .as(column.name()));
            } else {
                columns.add(col("__value." + column.name()).as(column.name()));
            }
        }
        if (columns.isEmpty()) {
            return records;
        }
        return records.select(columns.toArray(new Column[0]));
    }

    /** The Kafka brokers, by Brook's, Flink's or Spark's option name. */
    private static String bootstrapServers(ConnectorOptions options) {
        return options.require(
                "the broker, e.g. 127.0.0.1:9092",
                "bootstrap.servers",
                "properties.bootstrap.servers",
                "kafka.bootstrap.servers");
    }

    private static Column kafkaMetadata(Command.CreateRelation definition, Command.ColumnDefinition column) {
        return switch (column.metadataKey()) {
            case "timestamp" -> col("timestamp");
            case "partition" -> col("partition");
            case "offset" -> col("offset");
            case "topic" -> col("topic");
            case "headers" -> col("headers");
            case "key" -> col("key");
            case "timestamp-type" -> col("timestampType");
            default ->
                throw new BrookException(
                        ErrorCode.INVALID_OPTION,
                        definition.name() + ": column '" + column.name() + "' reads unknown Kafka metadata '"
                                + column.metadataKey() + "'; known: timestamp, partition, offset, topic, headers, key,"
                                + " timestamp-type");
        };
    }

    private static Dataset<Row> files(
            Brook brook, Command.CreateRelation definition, ConnectorOptions options, boolean streaming) {
        String path = filesPath(options, "a file, directory or glob");
        String format = options.require("json, csv, parquet or text", "format", "format.type")
                .toLowerCase(Locale.ROOT);
        Map<String, String> engine = new LinkedHashMap<>(options.withPrefix(format + "."));
        engine.putAll(options.passThrough(List.of(
                "header",
                "sep",
                "delimiter",
                "maxFilesPerTrigger",
                "latestFirst",
                "recursiveFileLookup",
                "mode",
                "timestampFormat",
                "dateFormat",
                "nullValue",
                "multiLine",
                "compression",
                "pathGlobFilter",
                "wholetext",
                "lineSep")));
        options.get("source.monitor-interval"); // Flink's; Brook lists the directory at every micro-batch
        if (definition.role() == Command.Role.TABLE) {
            fileWriteOptions(options); // a Flink table is also a sink: its sink options are read when it is written
        }
        options.checkAllUsed();
        List<Field> fields = new ArrayList<>();
        for (Command.ColumnDefinition column : definition.columns()) {
            if (column.physical()) {
                fields.add(column.field());
            } else if (column.metadataKey() != null) {
                throw new BrookException(
                        ErrorCode.INVALID_OPTION,
                        definition.name() + ": the files connector has no metadata columns; '" + column.name()
                                + "' cannot read '" + column.metadataKey() + "'");
            }
        }
        if (streaming) {
            var reader = brook.readStream().format(format).options(engine);
            if (!fields.isEmpty()) {
                reader = reader.schema(new Schema(fields));
            }
            return reader.load(path);
        }
        if (!fields.isEmpty()
                && definition.role() == Command.Role.TABLE
                && !path.contains("*")
                && !Files.exists(Path.of(path))) {
            // A Flink table that nothing has written yet: no rows, as Flink reads a missing directory.
            return brook.createDataFrame(List.of(), new Schema(fields));
        }
        var reader = brook.read().format(format).options(engine);
        if (!fields.isEmpty()) {
            reader = reader.schema(new Schema(fields));
        }
        return reader.load(path);
    }

    /**
     * The declared physical columns out of a connector with a schema of its own (nexmark, rate, jdbc), by name, with
     * casts to the declared scalar types; all of its columns when none are declared.
     */
    private static Dataset<Row> declaredColumns(Dataset<Row> raw, Command.CreateRelation definition) {
        List<Column> columns = new ArrayList<>();
        Schema schema = raw.schema();
        for (Command.ColumnDefinition column : definition.columns()) {
            if (column.metadataKey() != null) {
                throw new BrookException(
                        ErrorCode.INVALID_OPTION,
                        definition.name() + ": the " + connector(definition) + " connector has no metadata columns;"
                                + " '" + column.name() + "' cannot read '" + column.metadataKey() + "'");
            }
            if (!column.physical()) {
                continue;
            }
            int index = schema.names().indexOf(column.name());
            if (index < 0) {
                throw new BrookException(
                        ErrorCode.UNRESOLVED_COLUMN,
                        definition.name() + ": the " + connector(definition) + " connector has no column '"
                                + column.name() + "'"
                                + io.brook.engine.plan.Names.didYouMean(column.name(), schema.names()) + " (it has "
                                + String.join(", ", schema.names()) + ")");
            }
            Field actual = schema.field(index);
            Field declared = column.field();
            if (actual.type() != declared.type()) {
                if (!actual.type().isScalar() || !declared.type().isScalar()) {
                    throw new BrookException(
                            ErrorCode.TYPE_MISMATCH,
                            definition.name() + ": column '" + column.name() + "' is " + actual.typeName()
                                    + " in the " + connector(definition) + " connector, declared "
                                    + declared.typeName());
                }
                columns.add(col(column.name()).cast(declared.sparkTypeName()).as(column.name()));
            } else {
                columns.add(col(column.name()));
            }
        }
        if (columns.isEmpty()) {
            return raw;
        }
        return raw.select(columns.toArray(new Column[0]));
    }

    /**
     * Starts a continuous query writing {@code rows} to a sink. {@code checkpoint} is where the query keeps its
     * progress; {@code name} names the query (and a memory sink's table).
     */
    static DataStreamWriter writer(
            Dataset<Row> rows, Command.CreateRelation sink, ConnectorOptions options, String name) {
        String connector = options.connector();
        DataStreamWriter writer = rows.writeStream().queryName(name);
        switch (connector) {
            case "console", "print" -> {
                writer.format("console");
                options.get("numRows").ifPresent(value -> writer.option("numRows", value));
            }
            case "memory" -> writer.format("memory");
            case "blackhole" -> writer.foreachBatch((batch, id) -> {});
            case "kafka" -> {
                writer.format("kafka")
                        .option("topic", options.require("the topic to write", "topic"))
                        .option("kafka.bootstrap.servers", bootstrapServers(options));
                options.withPrefix("properties.").forEach((key, value) -> {
                    if (!key.equals("bootstrap.servers")) {
                        writer.option("kafka." + key, value);
                    }
                });
                String format = options.get("format", "value.format").orElse("json");
                if (!format.equalsIgnoreCase("json")) {
                    throw new BrookException(
                            ErrorCode.INVALID_OPTION,
                            sink.name() + ": the kafka connector writes format 'json'; got '" + format + "'");
                }
            }
            case "files", "filesystem" -> {
                writer.format(options.require("json, csv, parquet or text", "format")
                                .toLowerCase(Locale.ROOT))
                        .option("path", filesPath(options, "the output directory"))
                        .partitionBy(sink.partitionKeys().toArray(new String[0]));
                fileWriteOptions(options).forEach(writer::option);
            }
            case "jdbc" -> {
                writer.format("jdbc").option("url", options.require("the database's JDBC URL", "url"));
                options.get("dbtable", "table-name", "table").ifPresent(value -> writer.option("dbtable", value));
                options.get("user", "username").ifPresent(value -> writer.option("user", value));
                options.get("password").ifPresent(value -> writer.option("password", value));
                options.get("driver").ifPresent(value -> writer.option("driver", value));
                if (!sink.primaryKey().isEmpty()) {
                    writer.option("mode", "upsert").option("primaryKey", String.join(",", sink.primaryKey()));
                }
            }
            default ->
                throw new BrookException(
                        ErrorCode.INVALID_OPTION,
                        sink.name() + ": unknown connector '" + connector + "'"
                                + io.brook.engine.plan.Names.didYouMean(connector, WRITABLE) + "; sinks write to "
                                + String.join(", ", WRITABLE));
        }
        return writer;
    }

    /** The path of the files connector; Flink's {@code file://} URI is read as the local path it names. */
    static String filesPath(ConnectorOptions options, String what) {
        String path = options.require(what, "path", "connector.path");
        return path.startsWith("file://") ? path.substring("file://".length()) : path;
    }

    /**
     * The files connector's options for writing, as the engine's writer takes them: the format's, and Flink's
     * partition-commit options ({@link PartitionCommit}). Flink's rolling-policy options are accepted and change
     * nothing: Brook writes one file per partition per micro-batch.
     */
    static Map<String, String> fileWriteOptions(ConnectorOptions options) {
        Map<String, String> engine =
                new LinkedHashMap<>(options.passThrough(List.of("compression", "header", "sep", "lineSep")));
        for (String key : PartitionCommit.KEYS) {
            options.get(key).ifPresent(value -> engine.put(key, value));
        }
        for (String rolling : List.of(
                "sink.rolling-policy.file-size",
                "sink.rolling-policy.rollover-interval",
                "sink.rolling-policy.check-interval",
                "sink.rolling-policy.inactivity-interval")) {
            options.get(rolling);
        }
        return engine;
    }

    /** A row of Kafka's value for a sink: the JSON object of all columns. */
    static Dataset<Row> asKafkaValue(Dataset<Row> rows) {
        List<Column> fields = new ArrayList<>();
        for (String name : rows.columns()) {
            fields.add(col(name));
        }
        return rows.select(functions
                .to_json(functions.struct(fields.toArray(new Column[0])))
                .as("value"));
    }
}
