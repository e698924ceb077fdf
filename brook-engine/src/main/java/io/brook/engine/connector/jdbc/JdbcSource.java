package io.brook.engine.connector.jdbc;

import static java.util.Objects.requireNonNull;

import io.brook.engine.BrookException;
import io.brook.engine.ErrorCode;
import io.brook.engine.batch.Batch;
import io.brook.engine.batch.Column;
import io.brook.engine.batch.ColumnBuilder;
import io.brook.engine.batch.Field;
import io.brook.engine.batch.Schema;
import io.brook.engine.connector.Offset;
import io.brook.engine.connector.ReadLimit;
import io.brook.engine.connector.Source;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A table or a query's result read through JDBC, as Spark's {@code read().format("jdbc")}: bounded, offset 0 before
 * and 1 after. The schema comes from the result's metadata when the Dataset is made ({@code SELECT * ... WHERE 1 = 0});
 * the rows are read anew each time the Dataset runs, so a lookup table that changes is seen as it is now. A read
 * whose columns no longer match the schema fails, naming both.
 *
 * <p>Each read opens a connection, streams the rows in batches of {@code fetchsize} and closes it; nothing is held
 * between reads.
 */
public final class JdbcSource implements Source {
    private static final Offset BEFORE = new Offset("0");
    private static final Offset AFTER = new Offset("1");

    private final JdbcReadOptions options;
    private final Schema schema;

    private JdbcSource(JdbcReadOptions options, Schema schema) {
        this.options = requireNonNull(options, "options is null");
        this.schema = requireNonNull(schema, "schema is null");
    }

    /**
     * The source of {@code read()}'s options; connects once to learn the schema.
     *
     * @throws BrookException INVALID_OPTION for bad options, UNSUPPORTED_OPERATION naming a column of a type Brook
     *     cannot read, SOURCE_FAILED when the database fails
     */
    public static JdbcSource create(Map<String, String> options) {
        JdbcReadOptions parsed = JdbcReadOptions.parse(options);
        try (Connection connection = parsed.connection().open(ErrorCode.SOURCE_FAILED);
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT * FROM " + parsed.relation() + " WHERE 1 = 0")) {
            return new JdbcSource(parsed, schema(result.getMetaData(), parsed));
        } catch (SQLException e) {
            throw new BrookException(
                    ErrorCode.SOURCE_FAILED,
                    "jdbc source cannot read the columns of " + parsed.relation() + ": " + JdbcErrors.describe(e),
                    e);
        }
    }

    private static Schema schema(ResultSetMetaData metadata, JdbcReadOptions options) throws SQLException {
        List<Field> fields = new ArrayList<>();
        for (int column = 1; column <= metadata.getColumnCount(); column++) {
            fields.add(JdbcTypes.field(metadata, column, options.description()));
        }
        try {
            return new Schema(fields);
        } catch (IllegalArgumentException e) {
            throw new BrookException(
                    ErrorCode.UNSUPPORTED_OPERATION,
                    options.description() + " has two columns of one name (" + e.getMessage()
                            + "); name them apart in option query with AS",
                    e);
        }
    }

    @Override
    public Schema schema() {
        return schema;
    }

    @Override
    public Offset initialOffset() {
        return BEFORE;
    }

    @Override
    public Offset latestOffset(Offset start, ReadLimit limit) {
        return AFTER;
    }

    @Override
    public List<Batch> read(Offset start, Offset end) {
        List<Batch> batches = new ArrayList<>();
        read(start, end, batches::add);
        return batches;
    }

    @Override
    public void read(Offset start, Offset end, Consumer<Batch> out) {
        if (start.equals(end)) {
            return;
        }
        try (Connection connection = options.connection().open(ErrorCode.SOURCE_FAILED)) {
            // PostgreSQL streams a result in fetchsize chunks only inside a transaction.
            connection.setAutoCommit(false);
            connection.setReadOnly(true);
            try (Statement statement = connection.createStatement()) {
                statement.setFetchSize(options.fetchSize());
                try (ResultSet result = statement.executeQuery("SELECT * FROM " + options.relation())) {
                    throwIfColumnsChanged(schema(result.getMetaData(), options));
                    readRows(result, out);
                }
            } finally {
                connection.rollback();
            }
        } catch (SQLException e) {
            throw new BrookException(
                    ErrorCode.SOURCE_FAILED,
                    "jdbc source failed to read " + options.relation() + ": " + JdbcErrors.describe(e),
                    e);
        }
    }

    private void readRows(ResultSet result, Consumer<Batch> out) throws SQLException {
        Calendar utc = JdbcTypes.utc();
        ColumnBuilder[] builders = builders();
        int rows = 0;
        while (result.next()) {
            for (int column = 0; column < builders.length; column++) {
                JdbcTypes.append(builders[column], result, column + 1, utc);
            }
            if (++rows == options.fetchSize()) {
                out.accept(build(builders));
                builders = builders();
                rows = 0;
            }
        }
        if (rows > 0) {
            out.accept(build(builders));
        }
    }

    private ColumnBuilder[] builders() {
        ColumnBuilder[] builders = new ColumnBuilder[schema.size()];
        for (int column = 0; column < builders.length; column++) {
            builders[column] = new ColumnBuilder(schema.field(column), options.fetchSize());
        }
        return builders;
    }

    private Batch build(ColumnBuilder[] builders) {
        Column[] columns = new Column[builders.length];
        for (int column = 0; column < columns.length; column++) {
            columns[column] = builders[column].build();
        }
        return Batch.of(schema, columns);
    }

    private void throwIfColumnsChanged(Schema now) {
        if (!now.equals(schema)) {
            throw new BrookException(
                    ErrorCode.SOURCE_FAILED,
                    "the columns of " + options.description() + " changed since the Dataset was made: they were "
                            + describe(schema) + " and are now " + describe(now) + "; make the Dataset again");
        }
    }

    private static String describe(Schema schema) {
        return schema.fields().stream()
                .map(field -> field.name() + " " + field.typeName())
                .toList()
                .toString();
    }

    @Override
    public String description() {
        return "JdbcSource[" + options.description() + "]";
    }
}
