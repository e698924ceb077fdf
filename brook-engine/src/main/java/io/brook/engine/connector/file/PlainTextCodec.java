package io.brook.engine.connector.file;

import io.brook.engine.BrookException;
import io.brook.engine.ErrorCode;
import io.brook.engine.batch.Batch;
import io.brook.engine.batch.ColumnBuilder;
import io.brook.engine.batch.ColumnType;
import io.brook.engine.batch.Field;
import io.brook.engine.batch.Schema;
import io.brook.engine.batch.VarcharColumn;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Spark's text format: each line of a file is a row of one string column, {@code value} unless the schema names it
 * otherwise. Lines end at \n, \r\n or \r, or at {@code lineSep} when it is set; a separator at the end of the file ends
 * the last line rather than starting an empty one, and blank lines inside are empty strings. With {@code wholetext} a
 * file is one row holding all of its text; an empty file has no rows, as Spark skips empty files. Writing needs exactly
 * one string column and ends each row with {@code lineSep} (\n by default); a NULL is written as an empty line, as
 * Spark writes it, and so reads back as an empty string.
 */
final class PlainTextCodec implements TextCodec {
    static final PlainTextCodec INSTANCE = new PlainTextCodec();
    static final Schema SCHEMA = Schema.of(new Field("value", ColumnType.VARCHAR, true));

    private PlainTextCodec() {}

    @Override
    public void throwIfUnsupported(Schema schema) {
        if (schema.size() != 1 || schema.field(0).type() != ColumnType.VARCHAR) {
            String columns = schema.fields().stream()
                    .map(field -> field.name() + " " + field.sparkTypeName())
                    .collect(Collectors.joining(", "));
            throw new BrookException(
                    ErrorCode.UNSUPPORTED_OPERATION,
                    "the text format holds exactly one string column, as in Spark; got " + schema.size()
                            + (schema.size() == 1 ? " column: " : " columns: ") + columns
                            + " (to write, make one with concat(...), to_json(struct(...)) or .cast(\"string\"))");
        }
    }

    @Override
    public Batch read(Path file, String text, Schema schema, FileOptions options) {
        List<String> lines = options.wholeText() ? wholeText(text) : lines(text, options);
        ColumnBuilder values = new ColumnBuilder(schema.field(0), Math.max(lines.size(), 1));
        for (String line : lines) {
            values.appendString(line);
        }
        return Batch.of(schema, values.build());
    }

    private static List<String> wholeText(String text) {
        return text.isEmpty() ? List.of() : List.of(text);
    }

    private static List<String> lines(String text, FileOptions options) {
        if (options.lineSeparator().isEmpty()) {
            return text.lines().toList(); // \n, \r\n and \r, and no empty line after a final one
        }
        String separator = options.lineSeparator().get();
        List<String> lines = new ArrayList<>();
        int start = 0;
        while (start < text.length()) {
            int end = text.indexOf(separator, start);
            if (end < 0) {
                end = text.length();
            }
            lines.add(text.substring(start, end));
            start = end + separator.length();
        }
        return lines;
    }

    /** Always {@code value STRING}, without reading the files. */
    @Override
    public Schema inferSchema(List<Path> files, FileOptions options) {
        return SCHEMA;
    }

    @Override
    public Schema infer(Map<Path, String> texts, FileOptions options) {
        return SCHEMA;
    }

    @Override
    public void write(Writer out, Batch batch, FileOptions options) throws IOException {
        String separator = options.lineSeparator().orElse("\n");
        VarcharColumn values = (VarcharColumn) batch.column(0);
        for (int row = 0; row < batch.rowCount(); row++) {
            int position = batch.position(row);
            if (!values.isNull(position)) {
                out.write(values.getString(position));
            }
            out.write(separator);
        }
    }
}
