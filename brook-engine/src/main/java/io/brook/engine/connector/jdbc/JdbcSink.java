package io.brook.engine.connector.jdbc;

import static java.util.Objects.requireNonNull;

import io.brook.engine.BrookException;
import io.brook.engine.ErrorCode;
import io.brook.engine.batch.Batch;
import io.brook.engine.batch.Field;
import io.brook.engine.batch.Schema;
import io.brook.engine.connector.Sink;
import io.brook.engine.connector.file.SaveMode;
import io.brook.engine.connector.jdbc.JdbcSinkOptions.WriteMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a streaming query's output to a database table through JDBC, exactly once: each micro-batch's rows and its
 * batch id are written in one transaction. The id goes to {@value #COMMITS_TABLE} ({@code sink_id} → last committed
 * {@code batch_id}), read at the start of {@link #addBatch}; a batch id not above it was committed already (the query
 * crashed after the database commit but before its own) and is skipped. Any failure rolls the whole batch back, id
 * included, so the re-run batch writes it again.
 *
 * <p>Mode {@code append} INSERTs each row; mode {@code upsert} inserts or updates by {@code primaryKey}: one
 * {@code INSERT ... ON CONFLICT ... DO UPDATE} on PostgreSQL, an UPDATE then an INSERT when no row was updated
 * elsewhere. Upsert is how an aggregation in update mode keeps one row per key. In complete mode each batch first
 * deletes the table's rows, in the same transaction. With {@code createTable} (the default) a missing table is created
 * from the query's schema; an existing one must have every output column (matched ignoring case when no exact match).
 *
 * <p>{@link #create} connects, prepares the tables and checks the columns, so a mistake shows when the query starts.
 * The sink holds one connection, used from the query's thread only; {@link #close} closes it. {@link #save} writes a
 * bounded Dataset the same way, in one transaction and without a batch id.
 */
public final class JdbcSink implements Sink {
    private static final Logger LOGGER = LoggerFactory.getLogger(JdbcSink.class);

    /** The table of each sink's last committed batch id, created when missing. */
    public static final String COMMITS_TABLE = "brook_sink_commits";

    private static final int VALIDATION_TIMEOUT_SECONDS = 10;

    private final JdbcSinkOptions options;
    private final String sinkId;
    private final boolean complete;
    private final Writes writes;
    private Connection connection;

    private JdbcSink(JdbcSinkOptions options, boolean complete, Writes writes, Connection connection) {
        this.options = requireNonNull(options, "options is null");
        this.sinkId = options.sinkId().orElseThrow(() -> new IllegalArgumentException("a streaming sink needs an id"));
        this.complete = complete;
        this.writes = requireNonNull(writes, "writes is null");
        this.connection = requireNonNull(connection, "connection is null");
    }

    /**
     * A sink for rows of this schema from {@code writeStream()}'s options; {@code complete} when each batch is the whole
     * result. Connects, creates the commits table and (with createTable) the table when missing, and checks the
     * table's columns.
     *
     * @throws BrookException INVALID_OPTION, UNRESOLVED_COLUMN or UNSUPPORTED_OPERATION naming what to fix; SINK_FAILED
     *     when the database fails
     */
    public static JdbcSink create(Map<String, String> options, Schema schema, boolean complete) {
        return create(options, schema, complete, Optional.empty());
    }

    /** As {@link #create(Map, Schema, boolean)}, with the dialect given rather than taken from the database (tests). */
    static JdbcSink create(Map<String, String> options, Schema schema, boolean complete, Optional<SqlDialect> given) {
        requireNonNull(schema, "schema is null");
        JdbcTypes.throwIfUnwritable(schema);
        JdbcSinkOptions parsed = JdbcSinkOptions.parse(options, schema);
        Connection connection = parsed.connection().open(ErrorCode.SINK_FAILED);
        try {
            connection.setAutoCommit(true);
            SqlDialect dialect = given.isPresent() ? given.get() : SqlDialect.of(connection.getMetaData());
            prepareCommitsTable(connection);
            Writes writes = prepareTable(connection, parsed, dialect, schema);
            connection.setAutoCommit(false);
            return new JdbcSink(parsed, complete, writes, connection);
        } catch (SQLException e) {
            closeAfterFailure(connection, e);
            throw new BrookException(
                    ErrorCode.SINK_FAILED,
                    "jdbc sink cannot prepare table " + parsed.table() + ": " + JdbcErrors.describe(e),
                    e);
        } catch (RuntimeException e) {
            closeAfterFailure(connection, e);
            throw e;
        }
    }

    /**
     * Writes a bounded Dataset's rows to the table in one transaction, as Spark's {@code df.write().format("jdbc")}.
     * The save mode says what to do when the table exists: {@code errorifexists} (the default) fails, {@code ignore}
     * writes nothing, {@code append} adds the rows (or upserts them with option mode upsert) and {@code overwrite}
     * deletes the table's rows first, in the same transaction, keeping the table's definition. The rows are computed
     * only once the table was checked.
     */
    public static void save(Map<String, String> options, SaveMode saveMode, Schema schema, Supplier<List<Batch>> rows) {
        requireNonNull(schema, "schema is null");
        JdbcTypes.throwIfUnwritable(schema);
        JdbcSinkOptions parsed = JdbcSinkOptions.parseForSave(options, schema);
        try (Connection connection = parsed.connection().open(ErrorCode.SINK_FAILED)) {
            boolean exists = probe(connection, "SELECT * FROM " + parsed.table() + " WHERE 1 = 0")
                    .isPresent();
            if (exists && saveMode == SaveMode.ERROR_IF_EXISTS) {
                throw new BrookException(
                        ErrorCode.INVALID_OPTION,
                        "table " + parsed.table() + " already exists; use mode(\"append\") to add the rows to it,"
                                + " mode(\"overwrite\") to replace its rows or mode(\"ignore\") to leave it as it is");
            }
            if (exists && saveMode == SaveMode.IGNORE) {
                return;
            }
            Writes writes = prepareTable(connection, parsed, SqlDialect.of(connection.getMetaData()), schema);
            List<Batch> batches = rows.get();
            connection.setAutoCommit(false);
            try {
                write(connection, parsed, writes, exists && saveMode == SaveMode.OVERWRITE, batches);
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                try {
                    connection.rollback();
                } catch (SQLException rollback) {
                    e.addSuppressed(rollback);
                }
                throw e;
            }
        } catch (SQLException e) {
            throw new BrookException(
                    ErrorCode.SINK_FAILED,
                    "jdbc write() to table " + parsed.table() + " failed and wrote nothing: " + JdbcErrors.describe(e),
                    e);
        }
    }

    /** Creates the table when missing and allowed, checks its columns, and makes the statements that write a row. */
    private static Writes prepareTable(Connection open, JdbcSinkOptions options, SqlDialect dialect, Schema schema)
            throws SQLException {
        List<String> columns = tableColumns(open, options, dialect, schema);
        return Writes.of(options, dialect, resolve(columns, schema, options.table()), schema);
    }

    @Override
    public void addBatch(long batchId, Schema batchSchema, List<Batch> batches) {
        Connection open = connection();
        try {
            long committed = committedBatchId(open);
            if (batchId <= committed) {
                open.rollback();
                LOGGER.info(
                        "[{}] batch {} was committed already (last {}); skipping it",
                        description(),
                        batchId,
                        committed);
                return;
            }
            write(open, options, writes, complete, batches);
            recordCommit(open, committed, batchId);
            open.commit();
        } catch (SQLException e) {
            rollbackAndClose(e);
            throw new BrookException(
                    ErrorCode.SINK_FAILED,
                    "jdbc sink failed to write batch " + batchId + " to table " + options.table() + ", and rolled it"
                            + " back: " + JdbcErrors.describe(e),
                    e);
        } catch (RuntimeException e) {
            rollbackAndClose(e);
            throw e;
        }
    }

    /**
     * The open connection, or a new one when a failure closed the last or the database dropped it while the query
     * waited for data (idle timeouts, a restarted server).
     */
    private Connection connection() {
        if (connection != null && !isValid(connection)) {
            LOGGER.info("[{}] the connection was lost; opening a new one", description());
            close();
        }
        if (connection == null) {
            Connection opened = options.connection().open(ErrorCode.SINK_FAILED);
            try {
                opened.setAutoCommit(false);
            } catch (SQLException e) {
                closeAfterFailure(opened, e);
                throw new BrookException(
                        ErrorCode.SINK_FAILED,
                        "jdbc sink cannot start a transaction on "
                                + options.connection().url() + ": " + JdbcErrors.describe(e),
                        e);
            }
            connection = opened;
        }
        return connection;
    }

    private static boolean isValid(Connection open) {
        try {
            return open.isValid(VALIDATION_TIMEOUT_SECONDS);
        } catch (SQLException e) {
            return false;
        }
    }

    /** Writes the rows, after deleting the table's rows when {@code replace}; the caller commits. */
    private static void write(
            Connection open, JdbcSinkOptions options, Writes writes, boolean replace, List<Batch> batches)
            throws SQLException {
        if (replace) {
            try (Statement delete = open.createStatement()) {
                delete.executeUpdate("DELETE FROM " + options.table());
            }
        }
        Calendar utc = JdbcTypes.utc();
        if (writes.update().isPresent()) {
            updateThenInsert(open, writes.update().get(), writes.write(), batches, utc);
        } else {
            writeBatched(open, writes.write(), batches, options.batchSize(), utc);
        }
    }

    /** Sends the rows in JDBC batches of {@code batchSize}. */
    private static void writeBatched(Connection open, Sql sql, List<Batch> batches, int batchSize, Calendar utc)
            throws SQLException {
        try (PreparedStatement statement = open.prepareStatement(sql.text())) {
            int pending = 0;
            for (Batch batch : batches) {
                for (int row = 0; row < batch.rowCount(); row++) {
                    sql.bind(statement, batch, batch.position(row), utc);
                    statement.addBatch();
                    if (++pending == batchSize) {
                        statement.executeBatch();
                        pending = 0;
                    }
                }
            }
            if (pending > 0) {
                statement.executeBatch();
            }
        }
    }

    /** Upsert without ON CONFLICT: row by row, since whether to INSERT depends on the UPDATE's count. */
    private static void updateThenInsert(Connection open, Sql update, Sql insert, List<Batch> batches, Calendar utc)
            throws SQLException {
        try (PreparedStatement updating = open.prepareStatement(update.text());
                PreparedStatement inserting = open.prepareStatement(insert.text())) {
            for (Batch batch : batches) {
                for (int row = 0; row < batch.rowCount(); row++) {
                    int position = batch.position(row);
                    update.bind(updating, batch, position, utc);
                    if (updating.executeUpdate() == 0) {
                        insert.bind(inserting, batch, position, utc);
                        inserting.executeUpdate();
                    }
                }
            }
        }
    }

    private long committedBatchId(Connection open) throws SQLException {
        try (PreparedStatement select =
                open.prepareStatement("SELECT batch_id FROM " + COMMITS_TABLE + " WHERE sink_id = ?")) {
            select.setString(1, sinkId);
            try (ResultSet result = select.executeQuery()) {
                return result.next() ? result.getLong(1) : -1;
            }
        }
    }

    /**
     * Moves the sink's commit row from {@code committed} to {@code batchId}. The update names the id it read, so that
     * a second writer of the same sink id (two queries on one checkpoint) fails instead of writing the batch twice.
     */
    private void recordCommit(Connection open, long committed, long batchId) throws SQLException {
        if (committed < 0) {
            try (PreparedStatement insert =
                    open.prepareStatement("INSERT INTO " + COMMITS_TABLE + " (sink_id, batch_id) VALUES (?, ?)")) {
                insert.setString(1, sinkId);
                insert.setLong(2, batchId);
                insert.executeUpdate();
            }
            return;
        }
        try (PreparedStatement update = open.prepareStatement(
                "UPDATE " + COMMITS_TABLE + " SET batch_id = ? WHERE sink_id = ? AND batch_id = ?")) {
            update.setLong(1, batchId);
            update.setString(2, sinkId);
            update.setLong(3, committed);
            if (update.executeUpdate() != 1) {
                throw new SQLException("sink id '" + sinkId + "' moved past batch " + committed
                        + " while this batch was written: is another query writing with the same checkpoint or"
                        + " sinkId?");
            }
        }
    }

    private static void prepareCommitsTable(Connection open) throws SQLException {
        if (probe(open, "SELECT sink_id, batch_id FROM " + COMMITS_TABLE + " WHERE 1 = 0")
                .isPresent()) {
            return;
        }
        try (Statement create = open.createStatement()) {
            create.executeUpdate("CREATE TABLE " + COMMITS_TABLE + " (sink_id VARCHAR("
                    + JdbcSinkOptions.MAX_SINK_ID_LENGTH + ") NOT NULL PRIMARY KEY, batch_id BIGINT NOT NULL)");
        } catch (SQLException e) {
            // Another sink may have created it meanwhile.
            if (probe(open, "SELECT sink_id, batch_id FROM " + COMMITS_TABLE + " WHERE 1 = 0")
                    .isEmpty()) {
                throw e;
            }
        }
    }

    /** The table's column names, after creating it from the schema when it is missing and createTable is on. */
    private static List<String> tableColumns(
            Connection open, JdbcSinkOptions options, SqlDialect dialect, Schema schema) throws SQLException {
        String probe = "SELECT * FROM " + options.table() + " WHERE 1 = 0";
        SQLException missing;
        try {
            return columnNames(open, probe);
        } catch (SQLException e) {
            missing = e;
        }
        if (!options.createTable()) {
            throw new BrookException(
                    ErrorCode.INVALID_OPTION,
                    "jdbc sink cannot read table " + options.table() + " (" + JdbcErrors.describe(missing)
                            + "); create it, or leave option createTable true to have it created",
                    missing);
        }
        try (Statement create = open.createStatement()) {
            create.executeUpdate(createTable(options, dialect, schema));
        } catch (SQLException e) {
            e.addSuppressed(missing);
            throw e;
        }
        LOGGER.info("[JdbcSink[{}]] created the table with columns {}", options.table(), schema.names());
        return columnNames(open, probe);
    }

    private static String createTable(JdbcSinkOptions options, SqlDialect dialect, Schema schema) {
        List<String> columns = new ArrayList<>();
        for (Field field : schema.fields()) {
            boolean key = options.primaryKey().contains(field.name());
            columns.add(dialect.quote(field.name()) + " " + JdbcTypes.ddlType(field.type(), dialect.postgres(), key)
                    + (field.nullable() && !key ? "" : " NOT NULL"));
        }
        if (!options.primaryKey().isEmpty()) {
            columns.add("PRIMARY KEY (" + quoted(options.primaryKey(), dialect) + ")");
        }
        return "CREATE TABLE " + options.table() + " (" + String.join(", ", columns) + ")";
    }

    private static List<String> columnNames(Connection open, String probe) throws SQLException {
        try (Statement statement = open.createStatement();
                ResultSet result = statement.executeQuery(probe)) {
            ResultSetMetaData metadata = result.getMetaData();
            List<String> names = new ArrayList<>();
            for (int column = 1; column <= metadata.getColumnCount(); column++) {
                names.add(metadata.getColumnName(column));
            }
            return names;
        }
    }

    private static Optional<List<String>> probe(Connection open, String probe) {
        try {
            return Optional.of(columnNames(open, probe));
        } catch (SQLException e) {
            return Optional.empty();
        }
    }

    /**
     * The table's name of each output column: the same name, or else the one name equal but for case (PostgreSQL
     * folds unquoted names to lower case, so {@code CREATE TABLE t (userId int)} has a column userid).
     */
    private static List<String> resolve(List<String> tableColumns, Schema schema, String table) {
        List<String> resolved = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String name : schema.names()) {
            List<String> matches = tableColumns.contains(name)
                    ? List.of(name)
                    : tableColumns.stream().filter(name::equalsIgnoreCase).toList();
            if (matches.size() == 1) {
                resolved.add(matches.get(0));
            } else {
                missing.add(name);
            }
        }
        if (!missing.isEmpty()) {
            throw new BrookException(
                    ErrorCode.UNRESOLVED_COLUMN,
                    "table " + table + " has no column " + missing + " of the query's output; its columns are "
                            + tableColumns + ": add the columns to the table or leave them out of the query");
        }
        return resolved;
    }

    private static String quoted(List<String> names, SqlDialect dialect) {
        return names.stream().map(dialect::quote).collect(Collectors.joining(", "));
    }

    private void rollbackAndClose(Exception failure) {
        Connection failed = connection;
        connection = null;
        if (failed != null) {
            try {
                failed.rollback();
            } catch (SQLException e) {
                failure.addSuppressed(e);
            }
            closeAfterFailure(failed, failure);
        }
    }

    private static void closeAfterFailure(Connection failed, Exception failure) {
        try {
            failed.close();
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    @Override
    public String description() {
        return "JdbcSink[" + options.table() + "]";
    }

    /** Closes the connection; idempotent. */
    @Override
    public void close() {
        Connection closing = connection;
        connection = null;
        if (closing != null) {
            try {
                closing.close();
            } catch (SQLException e) {
                LOGGER.warn("[{}] closing the connection failed: {}", description(), JdbcErrors.describe(e));
            }
        }
    }

    /** A statement and the output column bound to each of its parameters, in order. */
    private record Sql(String text, List<Integer> columns) {
        Sql {
            requireNonNull(text, "text is null");
            columns = List.copyOf(columns);
        }

        void bind(PreparedStatement statement, Batch batch, int position, Calendar utc) throws SQLException {
            for (int parameter = 0; parameter < columns.size(); parameter++) {
                int column = columns.get(parameter);
                JdbcTypes.bind(statement, parameter + 1, batch.column(column), position, utc);
            }
        }
    }

    /**
     * The statements that write a row: {@code write} alone (INSERT, or PostgreSQL's upsert), or {@code update} first
     * and {@code write} when it updated nothing.
     */
    private record Writes(Sql write, Optional<Sql> update) {
        Writes {
            requireNonNull(write, "write is null");
            requireNonNull(update, "update is null");
        }

        static Writes of(JdbcSinkOptions options, SqlDialect dialect, List<String> columns, Schema schema) {
            List<Integer> all = new ArrayList<>();
            List<Integer> keys = new ArrayList<>();
            List<Integer> values = new ArrayList<>();
            for (int column = 0; column < schema.size(); column++) {
                all.add(column);
                (options.primaryKey().contains(schema.field(column).name()) ? keys : values).add(column);
            }
            String insert = "INSERT INTO " + options.table() + " (" + quoted(names(columns, all), dialect)
                    + ") VALUES (" + String.join(", ", Collections.nCopies(all.size(), "?")) + ")";
            if (options.mode() == WriteMode.APPEND) {
                return new Writes(new Sql(insert, all), Optional.empty());
            }
            if (dialect.postgres()) {
                String conflict = " ON CONFLICT (" + quoted(names(columns, keys), dialect) + ") DO "
                        + (values.isEmpty() ? "NOTHING" : "UPDATE SET " + assignments(columns, values, dialect, true));
                return new Writes(new Sql(insert + conflict, all), Optional.empty());
            }
            // With only key columns there is nothing to set: a key set to itself still counts the row.
            List<Integer> set = values.isEmpty() ? List.of(keys.get(0)) : values;
            List<Integer> parameters = new ArrayList<>(set);
            parameters.addAll(keys);
            String update = "UPDATE " + options.table() + " SET " + assignments(columns, set, dialect, false)
                    + " WHERE "
                    + keys.stream()
                            .map(key -> dialect.quote(columns.get(key)) + " = ?")
                            .collect(Collectors.joining(" AND "));
            return new Writes(new Sql(insert, all), Optional.of(new Sql(update, parameters)));
        }

        private static List<String> names(List<String> columns, List<Integer> indexes) {
            return indexes.stream().map(columns::get).toList();
        }

        private static String assignments(
                List<String> columns, List<Integer> indexes, SqlDialect dialect, boolean excluded) {
            return indexes.stream()
                    .map(index -> dialect.quote(columns.get(index)) + " = "
                            + (excluded ? "EXCLUDED." + dialect.quote(columns.get(index)) : "?"))
                    .collect(Collectors.joining(", "));
        }
    }
}
