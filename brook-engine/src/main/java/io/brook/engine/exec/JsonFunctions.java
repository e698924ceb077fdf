package io.brook.engine.exec;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.brook.engine.BrookException;
import io.brook.engine.ErrorCode;
import io.brook.engine.batch.ArrayColumn;
import io.brook.engine.batch.StructColumn;
import io.brook.engine.batch.VarcharColumn;
import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** JSON functions over VARCHAR columns: {@code to_json} and the paths of {@code get_json_object}; see JsonFieldReader. */
final class JsonFunctions {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern STEP = Pattern.compile("\\.([^.\\[]+)|\\[(\\d+)]|\\['([^']+)']");

    private JsonFunctions() {}

    /** Spark's JSONPath subset: {@code $}, {@code .name}, {@code ['name']}, {@code [index]}; as a JSON pointer. */
    static JsonPointer pointer(String path) {
        String text = path.strip();
        if (!text.startsWith("$")) {
            throw new BrookException(
                    ErrorCode.INVALID_EXPRESSION,
                    "a JSON path starts with '$', e.g. '$.user.name'; got '" + path + "'");
        }
        StringBuilder pointer = new StringBuilder();
        Matcher step = STEP.matcher(text);
        int at = 1;
        while (at < text.length()) {
            if (!step.find(at) || step.start() != at) {
                throw new BrookException(
                        ErrorCode.INVALID_EXPRESSION,
                        "cannot read JSON path '" + path + "' at character " + (at + 1)
                                + "; use $.name, $['name'] and $.list[0]");
            }
            String name = step.group(1) != null ? step.group(1) : step.group(2) != null ? step.group(2) : step.group(3);
            pointer.append('/').append(name.replace("~", "~0").replace("/", "~1"));
            at = step.end();
        }
        return JsonPointer.compile(pointer.toString());
    }

    static Evaluator toJson(java.util.List<String> names, java.util.List<Evaluator> values) {
        return batch -> {
            io.brook.engine.batch.Column[] columns = new io.brook.engine.batch.Column[values.size()];
            for (int i = 0; i < columns.length; i++) {
                columns[i] = values.get(i).evaluate(batch);
            }
            VarcharColumn.Builder out = VarcharColumn.builder(batch.rowCount());
            java.io.StringWriter text = new java.io.StringWriter();
            for (int row = 0; row < batch.rowCount(); row++) {
                text.getBuffer().setLength(0);
                try (com.fasterxml.jackson.core.JsonGenerator generator =
                        JSON.getFactory().createGenerator(text)) {
                    generator.writeStartObject();
                    for (int i = 0; i < columns.length; i++) {
                        io.brook.engine.batch.Column column = columns[i];
                        if (column.isNull(row)) {
                            continue;
                        }
                        generator.writeFieldName(names.get(i));
                        writeValue(generator, column, row);
                    }
                    generator.writeEndObject();
                } catch (IOException e) {
                    throw new IllegalStateException("cannot write JSON", e);
                }
                out.append(text.toString());
            }
            return out.build();
        };
    }

    private static void writeValue(
            com.fasterxml.jackson.core.JsonGenerator generator, io.brook.engine.batch.Column column, int row)
            throws IOException {
        switch (column.type()) {
            case BOOLEAN -> generator.writeBoolean(((io.brook.engine.batch.BooleanColumn) column).getBoolean(row));
            case INT -> generator.writeNumber(((io.brook.engine.batch.IntColumn) column).getInt(row));
            case BIGINT -> generator.writeNumber(((io.brook.engine.batch.LongColumn) column).getLong(row));
            case DOUBLE -> generator.writeNumber(((io.brook.engine.batch.DoubleColumn) column).getDouble(row));
            case VARCHAR -> generator.writeString(((VarcharColumn) column).getString(row));
            case VARBINARY -> generator.writeBinary(((VarcharColumn) column).getBytes(row));
            case DATE ->
                generator.writeString(
                        java.time.LocalDate.ofEpochDay(((io.brook.engine.batch.IntColumn) column).getInt(row))
                                .toString());
            case TIMESTAMP -> {
                long micros = ((io.brook.engine.batch.LongColumn) column).getLong(row);
                generator.writeString(java.time.Instant.ofEpochSecond(
                                Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L)
                        .toString());
            }
            case ARRAY -> {
                ArrayColumn array = (ArrayColumn) column;
                generator.writeStartArray();
                int end = array.start(row) + array.length(row);
                for (int element = array.start(row); element < end; element++) {
                    if (array.elements().isNull(element)) {
                        generator.writeNull();
                    } else {
                        writeValue(generator, array.elements(), element);
                    }
                }
                generator.writeEndArray();
            }
            case STRUCT -> {
                // As Spark's to_json writes a struct: an object of its non-null fields.
                StructColumn struct = (StructColumn) column;
                generator.writeStartObject();
                for (int i = 0; i < struct.childCount(); i++) {
                    if (!struct.child(i).isNull(row)) {
                        generator.writeFieldName(struct.fields().get(i).name());
                        writeValue(generator, struct.child(i), row);
                    }
                }
                generator.writeEndObject();
            }
        }
    }
}
