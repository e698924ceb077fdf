package io.brook.engine.connector.jdbc;

import static java.util.Objects.requireNonNull;

import io.brook.engine.BrookException;
import io.brook.engine.ErrorCode;
import io.brook.engine.batch.Schema;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The JDBC sink's options, checked: {@code url}, {@code dbtable}, {@code user}, {@code password}, {@code driver},
 * {@code mode} ({@code append} or {@code upsert}), {@code primaryKey} (comma-separated, for upsert), {@code createTable}
 * (default true), {@code sinkId} (streams only; default: the table and the checkpoint location) and {@code batchsize}
 * (rows per JDBC batch, default 1000). A bounded {@code write()} has no sink id: it writes in one transaction once.
 */
record JdbcSinkOptions(
        ConnectionSpec connection,
        String table,
        WriteMode mode,
        List<String> primaryKey,
        boolean createTable,
        Optional<String> sinkId,
        int batchSize) {
    /** Longest sink id: the commits table's key is a VARCHAR(255). */
    static final int MAX_SINK_ID_LENGTH = 255;

    private static final Set<String> WRITE_OPTIONS = Collections.unmodifiableSet(new TreeSet<>(
            List.of("url", "dbtable", "user", "password", "driver", "mode", "primaryKey", "createTable", "batchsize")));
    private static final Set<String> STREAM_OPTIONS = union(WRITE_OPTIONS, List.of("sinkId", "checkpointLocation"));
    /** Read by the query rather than by the sink. */
    private static final Set<String> QUERY_OPTIONS = Set.of("maxOffsetsPerTrigger", "maxFilesPerTrigger");

    /** How rows reach the table. */
    enum WriteMode {
        /** A plain INSERT per row. */
        APPEND,
        /** Insert a row, or update the row that has its primary key. */
        UPSERT
    }

    JdbcSinkOptions {
        requireNonNull(connection, "connection is null");
        requireNonNull(table, "table is null");
        requireNonNull(mode, "mode is null");
        primaryKey = List.copyOf(primaryKey);
        requireNonNull(sinkId, "sinkId is null");
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batchSize must be > 0, was " + batchSize);
        }
    }

    /** The sink's options for rows of this schema, from {@code writeStream()}'s options. */
    static JdbcSinkOptions parse(Map<String, String> options, Schema schema) {
        return parse(options, schema, true);
    }

    /** The options of a bounded {@code write()}, which has no sink id. */
    static JdbcSinkOptions parseForSave(Map<String, String> options, Schema schema) {
        return parse(options, schema, false);
    }

    private static JdbcSinkOptions parse(Map<String, String> options, Schema schema, boolean streaming) {
        throwIfUnknownOption(options, streaming ? STREAM_OPTIONS : WRITE_OPTIONS, streaming);
        ConnectionSpec connection = ConnectionSpec.parse(options, "sink");
        String table = table(options);
        WriteMode mode = mode(options.getOrDefault("mode", "append"));
        List<String> primaryKey = primaryKey(options.get("primaryKey"), mode, schema);
        return new JdbcSinkOptions(
                connection,
                table,
                mode,
                primaryKey,
                bool("createTable", options.getOrDefault("createTable", "true")),
                streaming ? Optional.of(sinkId(options, table)) : Optional.empty(),
                positive("batchsize", options.getOrDefault("batchsize", "1000"), "sink"));
    }

    private static void throwIfUnknownOption(Map<String, String> options, Set<String> known, boolean streaming) {
        for (String key : options.keySet()) {
            if (!known.contains(key) && !(streaming && QUERY_OPTIONS.contains(key))) {
                throw new BrookException(
                        ErrorCode.INVALID_OPTION,
                        "unknown option '" + key + "' for the jdbc " + (streaming ? "sink" : "write()") + "; it takes "
                                + known + " (driver properties go in the url)");
            }
        }
    }

    private static Set<String> union(Set<String> some, List<String> more) {
        Set<String> all = new TreeSet<>(some);
        all.addAll(more);
        return Collections.unmodifiableSet(all);
    }

    private static String table(Map<String, String> options) {
        String table = options.get("dbtable");
        if (table == null || table.isBlank()) {
            throw new BrookException(
                    ErrorCode.INVALID_OPTION, "the jdbc sink needs option dbtable, the table to write to");
        }
        return table.strip();
    }

    private static WriteMode mode(String mode) {
        return switch (mode.strip().toLowerCase(Locale.ROOT)) {
            case "append" -> WriteMode.APPEND;
            case "upsert" -> WriteMode.UPSERT;
            default ->
                throw new BrookException(
                        ErrorCode.INVALID_OPTION,
                        "option mode of the jdbc sink must be append or upsert; got '" + mode + "'");
        };
    }

    private static List<String> primaryKey(String value, WriteMode mode, Schema schema) {
        List<String> keys = new ArrayList<>();
        if (value != null) {
            for (String key : value.split(",", -1)) {
                if (key.isBlank()) {
                    throw new BrookException(
                            ErrorCode.INVALID_OPTION,
                            "option primaryKey of the jdbc sink has an empty column name: '" + value + "'");
                }
                if (!schema.names().contains(key.strip())) {
                    throw new BrookException(
                            ErrorCode.UNRESOLVED_COLUMN,
                            "primaryKey column '" + key.strip() + "' is not a column of the query's output; columns: "
                                    + schema.names());
                }
                keys.add(key.strip());
            }
        }
        if (mode == WriteMode.UPSERT && keys.isEmpty()) {
            throw new BrookException(
                    ErrorCode.INVALID_OPTION,
                    "mode upsert of the jdbc sink needs option primaryKey, the comma-separated columns that identify a"
                            + " row, e.g. \"word\"");
        }
        return keys;
    }

    /** The given sinkId, or one made of the table and the checkpoint, which is what makes batch ids comparable. */
    private static String sinkId(Map<String, String> options, String table) {
        String given = options.get("sinkId");
        if (given != null) {
            if (given.isBlank() || given.length() > MAX_SINK_ID_LENGTH) {
                throw new BrookException(
                        ErrorCode.INVALID_OPTION,
                        "option sinkId of the jdbc sink must have 1 to " + MAX_SINK_ID_LENGTH + " characters; got '"
                                + given + "'");
            }
            return given;
        }
        String checkpoint = options.get("checkpointLocation");
        if (checkpoint == null) {
            throw new BrookException(
                    ErrorCode.INVALID_OPTION,
                    "the jdbc sink needs option(\"checkpointLocation\", <directory>) so that the query can resume"
                            + " exactly once after a restart");
        }
        String location = Path.of(checkpoint).toAbsolutePath().normalize().toString();
        String id = table + "@" + location;
        return id.length() <= MAX_SINK_ID_LENGTH ? id : table + "@sha256:" + sha256(location);
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static boolean bool(String key, String value) {
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default ->
                throw new BrookException(
                        ErrorCode.INVALID_OPTION,
                        "option " + key + " of the jdbc sink must be true or false; got '" + value + "'");
        };
    }

    /** A whole-number option above 0 of the jdbc source or sink ({@code side}), or a clear error. */
    static int positive(String key, String value, String side) {
        try {
            int parsed = Integer.parseInt(value.strip());
            if (parsed > 0) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new BrookException(
                ErrorCode.INVALID_OPTION,
                "option " + key + " of the jdbc " + side + " must be a whole number > 0; got '" + value + "'");
    }
}
