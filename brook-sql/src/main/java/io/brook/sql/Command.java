package io.brook.sql;

import io.brook.engine.batch.Field;
import java.util.List;
import java.util.Map;

/** A statement as Brook's parser reads it; queries inside statements are kept as text spans for Calcite. */
sealed interface Command {
    /** What a CREATE makes: a stream to read, a place to write, or a table (by its connector: bounded, or Flink's). */
    enum Role {
        SOURCE,
        SINK,
        TABLE
    }

    /** A part of the script, from an offset to the statement's end or to another offset. */
    record Span(int start, int end) {}

    /** A declared column: physical (a type), computed ({@code name AS expression}) or metadata (Kafka's fields). */
    record ColumnDefinition(String name, Field field, Span computed, String metadataKey, SqlLexer.Token at) {
        boolean physical() {
            return computed == null && metadataKey == null;
        }
    }

    /** {@code WATERMARK FOR column AS expression}. */
    record Watermark(String column, Span expression, SqlLexer.Token at) {}

    /** {@code partitionKeys}: Flink's {@code PARTITIONED BY (...)}, the columns a file sink's directories are named by. */
    record CreateRelation(
            Role role,
            String name,
            boolean orReplace,
            boolean ifNotExists,
            List<ColumnDefinition> columns,
            Watermark watermark,
            List<String> primaryKey,
            List<String> partitionKeys,
            Map<String, String> options,
            boolean flinkForm,
            SqlLexer.Token at)
            implements Command {}

    record CreateView(String name, boolean orReplace, boolean ifNotExists, List<String> columnNames, Span query)
            implements Command {}

    /**
     * {@code CREATE [TEMPORARY [SYSTEM]] FUNCTION [IF NOT EXISTS] name AS 'class' [LANGUAGE JAVA] [USING JAR 'path',
     * ...]}: {@code at} is the name, {@code classAt} the class name's string, {@code jarsAt} each jar's.
     */
    record CreateFunction(
            String name,
            boolean orReplace,
            boolean ifNotExists,
            String className,
            List<String> jars,
            SqlLexer.Token at,
            SqlLexer.Token classAt,
            List<SqlLexer.Token> jarsAt)
            implements Command {
        public CreateFunction {
            jars = List.copyOf(jars);
            jarsAt = List.copyOf(jarsAt);
        }
    }

    /** {@code DROP [TEMPORARY [SYSTEM]] FUNCTION [IF EXISTS] name}; {@code at} is the name. */
    record DropFunction(String name, boolean ifExists, SqlLexer.Token at) implements Command {}

    record Drop(String what, String name, boolean ifExists, SqlLexer.Token at) implements Command {}

    record Insert(String target, List<String> columns, Span query, SqlLexer.Token at) implements Command {}

    record Query(Span query) implements Command {}

    record Show(String what) implements Command {}

    record Describe(String name, SqlLexer.Token at) implements Command {}

    record Explain(Command explained) implements Command {}

    record StopQuery(String id, SqlLexer.Token at) implements Command {}

    /** {@code SET 'key' = 'value'}; {@code SET} alone lists the options. */
    record Set(String key, String value) implements Command {}

    record Reset(String key) implements Command {}
}
