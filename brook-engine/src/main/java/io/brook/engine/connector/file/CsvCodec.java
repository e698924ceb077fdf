package io.brook.engine.connector.file;

import io.brook.engine.BrookException;
import io.brook.engine.ErrorCode;
import io.brook.engine.batch.Batch;
import io.brook.engine.batch.BooleanColumn;
import io.brook.engine.batch.Column;
import io.brook.engine.batch.ColumnType;
import io.brook.engine.batch.DoubleColumn;
import io.brook.engine.batch.Field;
import io.brook.engine.batch.IntColumn;
import io.brook.engine.batch.LongColumn;
import io.brook.engine.batch.Schema;
import io.brook.engine.batch.VarcharColumn;
import io.brook.engine.connector.file.FileOptions.ParseMode;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * CSV as RFC 4180 describes it: fields split by {@code sep}, a field in {@code quote}s may hold separators, line breaks
 * and doubled quotes; records end at CR, LF or CRLF; blank lines are skipped. Columns map to the schema by position
 * (a header line, with {@code header=true}, is skipped when there is a schema and names the columns when inferring).
 * An unquoted field equal to {@code nullValue} (default empty) is NULL, a quoted empty field an empty string, so that
 * what the writer writes reads back the same.
 */
final class CsvCodec implements TextCodec {
    static final CsvCodec INSTANCE = new CsvCodec();

    private CsvCodec() {}

    /** One record: its fields, which of them were quoted, the line it starts on, and what is wrong with it if any. */
    record CsvRecord(List<String> values, List<Boolean> quoted, int line, String error) {
        int size() {
            return values.size();
        }

        /** The field's text, or null when it is absent or stands for NULL. */
        String value(int index, String nullValue) {
            if (index >= values.size()) {
                return null;
            }
            String value = values.get(index);
            return !quoted.get(index) && value.equals(nullValue) ? null : value;
        }
    }

    /** Splits a file's text into records; tracks line numbers across quoted line breaks. */
    static final class Tokenizer {
        private final String text;
        private final char separator;
        private final char quote;
        private int position;
        private int line = 1;

        Tokenizer(String text, char separator, char quote) {
            this.text = text;
            this.separator = separator;
            this.quote = quote;
        }

        /** The next non-blank record, or null at the end. */
        CsvRecord next() {
            while (position < text.length()) {
                CsvRecord record = record();
                boolean blank = record.size() == 1
                        && !record.quoted().get(0)
                        && record.values().get(0).isEmpty()
                        && record.error() == null;
                if (!blank) {
                    return record;
                }
            }
            return null;
        }

        private CsvRecord record() {
            int startLine = line;
            List<String> values = new ArrayList<>();
            List<Boolean> quotedFlags = new ArrayList<>();
            StringBuilder field = new StringBuilder();
            boolean quoted = false;
            boolean inQuotes = false;
            String error = null;
            while (position < text.length()) {
                char c = text.charAt(position++);
                if (inQuotes) {
                    if (c == quote) {
                        if (position < text.length() && text.charAt(position) == quote) {
                            field.append(quote);
                            position++;
                        } else {
                            inQuotes = false;
                        }
                    } else {
                        if (c == '\n' || (c == '\r' && !(position < text.length() && text.charAt(position) == '\n'))) {
                            line++;
                        }
                        field.append(c);
                    }
                } else if (c == quote && field.length() == 0 && !quoted) {
                    inQuotes = true;
                    quoted = true;
                } else if (c == separator) {
                    values.add(field.toString());
                    quotedFlags.add(quoted);
                    field.setLength(0);
                    quoted = false;
                } else if (c == '\n' || c == '\r') {
                    if (c == '\r' && position < text.length() && text.charAt(position) == '\n') {
                        position++;
                    }
                    line++;
                    values.add(field.toString());
                    quotedFlags.add(quoted);
                    return new CsvRecord(values, quotedFlags, startLine, error);
                } else {
                    if (quoted && error == null) {
                        error = "text after the closing quote of field " + (values.size() + 1);
                    }
                    field.append(c);
                }
            }
            if (inQuotes) {
                error = "a quoted field that starts on line " + startLine + " is not closed";
            }
            values.add(field.toString());
            quotedFlags.add(quoted);
            return new CsvRecord(values, quotedFlags, startLine, error);
        }
    }

    /** CSV fields are single values: as Spark, the format refuses array and struct columns rather than flatten them. */
    @Override
    public void throwIfUnsupported(Schema schema) {
        for (Field field : schema.fields()) {
            if (!field.type().isScalar()) {
                throw new BrookException(
                        ErrorCode.UNSUPPORTED_OPERATION,
                        "CSV cannot hold column '" + field.name() + "' of type " + field.sparkTypeName()
                                + " (as in Spark); make it text with to_json(struct(col(\"" + field.name()
                                + "\"))), or use the json or parquet format");
            }
        }
    }

    @Override
    public Batch read(Path file, String text, Schema schema, FileOptions options) {
        RowBuilder rows = new RowBuilder(file, schema, options.mode());
        Tokenizer tokenizer = new Tokenizer(text, options.separator(), options.quote());
        boolean skipHeader = options.header();
        for (CsvRecord record = tokenizer.next(); record != null; record = tokenizer.next()) {
            if (skipHeader) {
                skipHeader = false;
                continue;
            }
            if (record.error() != null) {
                rows.malformed(record.line(), record.error());
                continue;
            }
            if (record.size() != schema.size() && options.mode() != ParseMode.PERMISSIVE) {
                rows.malformed(record.line(), "it has " + record.size() + " fields; the schema has " + schema.size());
                continue;
            }
            for (int column = 0; column < schema.size(); column++) {
                String value = record.value(column, options.nullValue());
                Object converted = value == null
                        ? null
                        : Values.fromText(schema.field(column).type(), value);
                rows.set(column, converted, record.line(), "'" + value + "'");
            }
            rows.endRow();
        }
        return rows.build();
    }

    @Override
    public Schema infer(Map<Path, String> texts, FileOptions options) {
        List<String> names = null;
        List<ColumnType> types = new ArrayList<>();
        for (Map.Entry<Path, String> entry : texts.entrySet()) {
            Tokenizer tokenizer = new Tokenizer(entry.getValue(), options.separator(), options.quote());
            boolean first = true;
            for (CsvRecord record = tokenizer.next(); record != null; record = tokenizer.next()) {
                if (record.error() != null) {
                    if (options.mode() == ParseMode.FAILFAST) {
                        throw RowBuilder.malformedRecord(entry.getKey(), record.line(), record.error());
                    }
                    continue;
                }
                if (names == null) {
                    names = columnNames(record, options.header());
                    names.forEach(name -> types.add(null));
                }
                if (first && options.header()) {
                    first = false;
                    continue;
                }
                first = false;
                for (int column = 0; column < names.size(); column++) {
                    String value = record.value(column, options.nullValue());
                    if (value != null) {
                        ColumnType type = options.inferSchema() ? typeOf(value) : ColumnType.VARCHAR;
                        types.set(column, JsonCodec.widen(types.get(column), type));
                    }
                }
            }
        }
        List<Field> fields = new ArrayList<>();
        if (names != null) {
            for (int column = 0; column < names.size(); column++) {
                ColumnType type = types.get(column);
                fields.add(new Field(names.get(column), type == null ? ColumnType.VARCHAR : type, true));
            }
        }
        return new Schema(fields);
    }

    /** Names from a header (empty ones become _c<i>, repeated ones get their index), or _c0, _c1... without one. */
    private static List<String> columnNames(CsvRecord record, boolean header) {
        List<String> names = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < record.size(); i++) {
            String name = header ? record.values().get(i).strip() : "";
            if (name.isEmpty()) {
                name = "_c" + i;
            }
            if (!seen.add(name)) {
                name = name + i;
                seen.add(name);
            }
            names.add(name);
        }
        return names;
    }

    private static ColumnType typeOf(String text) {
        String value = text.strip();
        if (Values.fromText(ColumnType.BIGINT, value) != Values.INVALID) {
            return ColumnType.BIGINT;
        }
        if (Values.parseDouble(value) != Values.INVALID) {
            return ColumnType.DOUBLE;
        }
        if (Values.parseBoolean(value) != Values.INVALID) {
            return ColumnType.BOOLEAN;
        }
        return ColumnType.VARCHAR;
    }

    @Override
    public void writeStart(Writer out, Schema schema, FileOptions options) throws IOException {
        if (options.header()) {
            List<String> names = schema.names();
            for (int i = 0; i < names.size(); i++) {
                if (i > 0) {
                    out.write(options.separator());
                }
                writeField(out, names.get(i), options);
            }
            out.write('\n');
        }
    }

    @Override
    public void write(Writer out, Batch batch, FileOptions options) throws IOException {
        for (int row = 0; row < batch.rowCount(); row++) {
            int position = batch.position(row);
            for (int c = 0; c < batch.schema().size(); c++) {
                if (c > 0) {
                    out.write(options.separator());
                }
                Column column = batch.column(c);
                if (column.isNull(position)) {
                    out.write(options.nullValue());
                } else if (column.type() == ColumnType.VARCHAR) {
                    writeField(out, ((VarcharColumn) column).getString(position), options);
                } else {
                    out.write(text(column, position));
                }
            }
            out.write('\n');
        }
    }

    private static String text(Column column, int position) {
        return switch (column.type()) {
            case BOOLEAN -> Boolean.toString(((BooleanColumn) column).getBoolean(position));
            case INT -> Integer.toString(((IntColumn) column).getInt(position));
            case BIGINT -> Long.toString(((LongColumn) column).getLong(position));
            case DOUBLE -> Double.toString(((DoubleColumn) column).getDouble(position));
            case DATE -> Values.formatDate(((IntColumn) column).getInt(position));
            case TIMESTAMP -> Values.formatTimestamp(((LongColumn) column).getLong(position));
            case VARCHAR -> ((VarcharColumn) column).getString(position);
            case VARBINARY -> java.util.Base64.getEncoder().encodeToString(((VarcharColumn) column).getBytes(position));
            case ARRAY, STRUCT ->
                throw new IllegalStateException(
                        "CSV refuses array and struct columns before writing; see throwIfUnsupported");
        };
    }

    private static void writeField(Writer out, String value, FileOptions options) throws IOException {
        char quote = options.quote();
        boolean needsQuotes = value.isEmpty()
                || value.equals(options.nullValue())
                || value.indexOf(options.separator()) >= 0
                || value.indexOf(quote) >= 0
                || value.indexOf('\n') >= 0
                || value.indexOf('\r') >= 0;
        if (!needsQuotes) {
            out.write(value);
            return;
        }
        out.write(quote);
        String doubled = String.valueOf(quote) + quote;
        out.write(value.replace(String.valueOf(quote), doubled));
        out.write(quote);
    }
}
