package io.brook.engine.connector.jdbc;

import io.brook.engine.BrookException;
import io.brook.engine.ErrorCode;
import io.brook.engine.batch.BooleanColumn;
import io.brook.engine.batch.Column;
import io.brook.engine.batch.ColumnBuilder;
import io.brook.engine.batch.ColumnType;
import io.brook.engine.batch.DoubleColumn;
import io.brook.engine.batch.Field;
import io.brook.engine.batch.IntColumn;
import io.brook.engine.batch.LongColumn;
import io.brook.engine.batch.Schema;
import io.brook.engine.batch.VarcharColumn;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.LocalDate;
import java.util.Calendar;
import java.util.TimeZone;

/**
 * How Brook's column types meet SQL's: the parameter setters of the sink, the types of the tables it creates, and the
 * Brook type of each result column the source reads. TIMESTAMP (microseconds since the epoch) goes through
 * {@link Timestamp} with a UTC calendar, so a {@code timestamp with time zone} column holds the instant and a
 * {@code timestamp} column its UTC wall time, whatever the JVM's or the session's time zone; DATE through
 * {@link LocalDate}.
 */
final class JdbcTypes {
    private static final long MICROS_PER_SECOND = 1_000_000;

    private JdbcTypes() {}

    /** A calendar of UTC for timestamp setters and getters; calendars are mutable, so one per statement or read. */
    static Calendar utc() {
        return Calendar.getInstance(TimeZone.getTimeZone("UTC"));
    }

    /** Refuses, naming the column, a schema with a column the sink cannot write (arrays and structs). */
    static void throwIfUnwritable(Schema schema) {
        for (Field field : schema.fields()) {
            if (!field.type().isScalar()) {
                throw new BrookException(
                        ErrorCode.UNSUPPORTED_OPERATION,
                        "column '" + field.name() + "' is " + field.typeName() + "; the jdbc sink writes only"
                                + " BOOLEAN, INT, BIGINT, DOUBLE, VARCHAR, VARBINARY, DATE and TIMESTAMP columns:"
                                + " drop it or turn it into a string, e.g. with to_json");
            }
        }
    }

    /** The column type a created table gets for a Brook type. */
    static String ddlType(ColumnType type, boolean postgres, boolean key) {
        return switch (type) {
            case BOOLEAN -> "BOOLEAN";
            case INT -> "INTEGER";
            case BIGINT -> "BIGINT";
            case DOUBLE -> "DOUBLE PRECISION";
            // Elsewhere TEXT may not be a key (MySQL), so keys get a bounded VARCHAR.
            case VARCHAR -> postgres || !key ? "TEXT" : "VARCHAR(255)";
            case VARBINARY -> postgres ? "BYTEA" : "BLOB";
            case DATE -> "DATE";
            case TIMESTAMP -> postgres ? "TIMESTAMP WITH TIME ZONE" : "TIMESTAMP";
            case ARRAY, STRUCT -> throw new IllegalArgumentException("no SQL type for " + type);
        };
    }

    private static int sqlType(ColumnType type) {
        return switch (type) {
            case BOOLEAN -> Types.BOOLEAN;
            case INT -> Types.INTEGER;
            case BIGINT -> Types.BIGINT;
            case DOUBLE -> Types.DOUBLE;
            case VARCHAR -> Types.VARCHAR;
            case VARBINARY -> Types.VARBINARY;
            case DATE -> Types.DATE;
            case TIMESTAMP -> Types.TIMESTAMP;
            case ARRAY, STRUCT -> throw new IllegalArgumentException("no SQL type for " + type);
        };
    }

    /** Sets parameter {@code parameter} to the value at a position of a column. */
    static void bind(PreparedStatement statement, int parameter, Column column, int position, Calendar utc)
            throws SQLException {
        ColumnType type = column.type();
        if (column.isNull(position)) {
            statement.setNull(parameter, sqlType(type));
            return;
        }
        switch (type) {
            case BOOLEAN -> statement.setBoolean(parameter, ((BooleanColumn) column).getBoolean(position));
            case INT -> statement.setInt(parameter, ((IntColumn) column).getInt(position));
            case BIGINT -> statement.setLong(parameter, ((LongColumn) column).getLong(position));
            case DOUBLE -> statement.setDouble(parameter, ((DoubleColumn) column).getDouble(position));
            case VARCHAR -> statement.setString(parameter, ((VarcharColumn) column).getString(position));
            case VARBINARY -> statement.setBytes(parameter, ((VarcharColumn) column).getBytes(position));
            case DATE -> statement.setObject(parameter, LocalDate.ofEpochDay(((IntColumn) column).getInt(position)));
            case TIMESTAMP ->
                statement.setTimestamp(parameter, timestamp(((LongColumn) column).getLong(position)), utc);
            case ARRAY, STRUCT -> throw new IllegalArgumentException("cannot bind a " + type + " value");
        }
    }

    static Timestamp timestamp(long micros) {
        Timestamp timestamp = new Timestamp(Math.floorDiv(micros, MICROS_PER_SECOND) * 1000);
        timestamp.setNanos((int) Math.floorMod(micros, MICROS_PER_SECOND) * 1000);
        return timestamp;
    }

    static long micros(Timestamp timestamp) {
        long seconds = Math.floorDiv(timestamp.getTime(), 1000);
        return seconds * MICROS_PER_SECOND + timestamp.getNanos() / 1000;
    }

    /**
     * The Brook field of result column {@code column} (1-based). Every field is nullable: drivers report the base
     * column's NOT NULL even where an outer join or an expression makes nulls.
     *
     * @throws BrookException naming the column and its SQL type when Brook has no type for it
     */
    static Field field(ResultSetMetaData metadata, int column, String relation) throws SQLException {
        String name = metadata.getColumnLabel(column);
        return new Field(name, type(metadata, column, name, relation), true);
    }

    private static ColumnType type(ResultSetMetaData metadata, int column, String name, String relation)
            throws SQLException {
        int sqlType = metadata.getColumnType(column);
        switch (sqlType) {
            case Types.BIT, Types.BOOLEAN:
                return ColumnType.BOOLEAN;
            case Types.TINYINT, Types.SMALLINT, Types.INTEGER:
                return ColumnType.INT;
            case Types.BIGINT:
                return ColumnType.BIGINT;
            case Types.REAL, Types.FLOAT, Types.DOUBLE:
                return ColumnType.DOUBLE;
            case Types.CHAR,
                    Types.VARCHAR,
                    Types.LONGVARCHAR,
                    Types.NCHAR,
                    Types.NVARCHAR,
                    Types.LONGNVARCHAR,
                    Types.CLOB,
                    Types.NCLOB:
                return ColumnType.VARCHAR;
            case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB:
                return ColumnType.VARBINARY;
            case Types.DATE:
                return ColumnType.DATE;
            case Types.TIMESTAMP, Types.TIMESTAMP_WITH_TIMEZONE:
                return ColumnType.TIMESTAMP;
            default:
                throw new BrookException(
                        ErrorCode.UNSUPPORTED_OPERATION,
                        "column '" + name + "' of " + relation + " has SQL type " + metadata.getColumnTypeName(column)
                                + ", which Brook cannot read; it reads booleans, integers, floating point, text,"
                                + " binary, dates and timestamps: cast it in option query, e.g. cast(" + name
                                + " as double precision) or cast(" + name + " as text)");
        }
    }

    /** Appends the value of result column {@code column} (1-based) of the current row as the builder's type. */
    static void append(ColumnBuilder builder, ResultSet result, int column, Calendar utc) throws SQLException {
        switch (builder.type()) {
            case BOOLEAN -> {
                boolean value = result.getBoolean(column);
                appendOrNull(builder, result, () -> builder.appendBoolean(value));
            }
            case INT, BIGINT -> {
                long value = result.getLong(column);
                appendOrNull(builder, result, () -> builder.appendLong(value));
            }
            case DOUBLE -> {
                double value = result.getDouble(column);
                appendOrNull(builder, result, () -> builder.appendDouble(value));
            }
            case VARCHAR -> {
                String value = result.getString(column);
                appendOrNull(builder, result, () -> builder.appendString(value));
            }
            case VARBINARY -> {
                byte[] value = result.getBytes(column);
                appendOrNull(builder, result, () -> builder.appendBytes(value));
            }
            case DATE -> {
                LocalDate value = result.getObject(column, LocalDate.class);
                appendOrNull(builder, result, () -> builder.appendLong(value.toEpochDay()));
            }
            case TIMESTAMP -> {
                Timestamp value = result.getTimestamp(column, utc);
                appendOrNull(builder, result, () -> builder.appendLong(micros(value)));
            }
            case ARRAY, STRUCT -> throw new IllegalArgumentException("cannot read a " + builder.type() + " value");
        }
    }

    private static void appendOrNull(ColumnBuilder builder, ResultSet result, Runnable append) throws SQLException {
        if (result.wasNull()) {
            builder.appendNull();
        } else {
            append.run();
        }
    }
}
