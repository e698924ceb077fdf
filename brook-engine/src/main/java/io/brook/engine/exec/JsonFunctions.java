package io.brook.engine.exec;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.brook.engine.BrookException;
import io.brook.engine.ErrorCode;
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

    /** JSON_STRUCT: the values as the fields of a struct, null where {@code object} is null. */
    static Evaluator struct(
            java.util.List<io.brook.engine.batch.Field> fields, Evaluator object, java.util.List<Evaluator> values) {
        return batch -> {
            io.brook.engine.batch.Column objects = object.evaluate(batch);
            io.brook.engine.batch.Column[] columns = new io.brook.engine.batch.Column[values.size()];
            boolean sameTypes = true;
            for (int i = 0; i < columns.length; i++) {
                columns[i] = values.get(i).evaluate(batch);
                sameTypes &= columns[i].type() == fields.get(i).type();
            }
            if (sameTypes) {
                // The fields were read from the same object, so they are null wherever it is: no copy needed.
                return io.brook.engine.batch.StructColumn.over(fields, columns, objects);
            }
            io.brook.engine.batch.StructColumn.Builder out =
                    io.brook.engine.batch.StructColumn.builder(fields, batch.rowCount());
            for (int row = 0; row < batch.rowCount(); row++) {
                if (objects.isNull(row)) {
                    out.appendNull();
                    continue;
                }
                for (int i = 0; i < columns.length; i++) {
                    out.child(i).append(columns[i], row);
                }
                out.endStruct();
            }
            return out.build();
        };
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
                        JsonValues.write(generator, column, row, JsonFunctions::timestampText);
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

    /** Spark's to_json text of a TIMESTAMP: ISO-8601 in UTC, as short as the value allows. */
    private static String timestampText(long micros) {
        return java.time.Instant.ofEpochSecond(
                        Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L)
                .toString();
    }
}
