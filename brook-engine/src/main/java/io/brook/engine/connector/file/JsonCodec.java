package io.brook.engine.connector.file;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.brook.engine.batch.Batch;
import io.brook.engine.batch.Column;
import io.brook.engine.batch.ColumnType;
import io.brook.engine.batch.Field;
import io.brook.engine.batch.Schema;
import io.brook.engine.connector.file.FileOptions.ParseMode;
import io.brook.engine.exec.JsonValues;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * JSON Lines, as Spark's json format: one object per line, blank lines skipped. A field the schema names but the object
 * lacks is NULL; a value of the wrong kind (text for a BIGINT, a fraction for an INT) does not convert. A JSON array
 * reads into an ARRAY column when each element converts to its element type, and is inferred as one when its elements
 * are scalars (an array of nothing but nulls, or empty, as ARRAY of VARCHAR, as Spark infers array<string>). Nested
 * objects, and arrays of objects or arrays, read into a VARCHAR column as their JSON text. Written rows leave out NULL
 * fields, as Spark does; arrays are written as JSON arrays, their null elements as null.
 */
final class JsonCodec implements TextCodec {
    static final JsonCodec INSTANCE = new JsonCodec();
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonCodec() {}

    @Override
    public Batch read(Path file, String text, Schema schema, FileOptions options) {
        RowBuilder rows = new RowBuilder(file, schema, options.mode());
        List<String> lines = text.lines().toList();
        for (int index = 0; index < lines.size(); index++) {
            String line = lines.get(index);
            if (line.isBlank()) {
                continue;
            }
            int lineNumber = index + 1;
            JsonNode node = parse(line);
            if (node == null || !node.isObject()) {
                rows.malformed(lineNumber, reason(line));
                continue;
            }
            for (int column = 0; column < schema.size(); column++) {
                Field field = schema.field(column);
                JsonNode value = node.get(field.name());
                rows.set(column, convert(field, value), lineNumber, value);
            }
            rows.endRow();
        }
        return rows.build();
    }

    private static JsonNode parse(String line) {
        try {
            return MAPPER.readTree(line);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static String reason(String line) {
        try {
            JsonNode node = MAPPER.readTree(line);
            return "expected a JSON object, got " + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        } catch (JsonProcessingException e) {
            return "not JSON (" + e.getOriginalMessage() + ")";
        }
    }

    /**
     * The value of a JSON node as a field's type (a List for ARRAY), null for null or missing, {@link Values#INVALID} if
     * it, or one of its elements, does not fit.
     */
    static Object convert(Field field, JsonNode node) {
        if (field.type() == ColumnType.STRUCT) {
            return convertStruct(field, node);
        }
        if (field.type() != ColumnType.ARRAY) {
            return convert(field.type(), node);
        }
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isArray()) {
            return Values.INVALID;
        }
        List<Object> values = new ArrayList<>(node.size());
        for (JsonNode element : node) {
            Object value = convert(field.element(), element);
            if (value == Values.INVALID) {
                return Values.INVALID;
            }
            values.add(value);
        }
        return values;
    }

    /** The value of a JSON node as a scalar type, null for null or missing, {@link Values#INVALID} if it does not fit. */
    static Object convert(ColumnType type, JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        return switch (type) {
            case BOOLEAN -> node.isBoolean() ? (Object) node.booleanValue() : Values.INVALID;
            case INT -> node.isIntegralNumber() && node.canConvertToInt() ? (Object) node.intValue() : Values.INVALID;
            case BIGINT ->
                node.isIntegralNumber() && node.canConvertToLong() ? (Object) node.longValue() : Values.INVALID;
            case DOUBLE -> {
                if (node.isNumber()) {
                    yield node.doubleValue();
                }
                yield node.isTextual() && isNonFinite(node.textValue())
                        ? Values.parseDouble(node.textValue())
                        : Values.INVALID;
            }
            case VARCHAR -> node.isTextual() ? node.textValue() : node.isValueNode() ? node.asText() : node.toString();
            case VARBINARY -> node.isTextual() ? Values.parseBase64(node.textValue()) : Values.INVALID;
            case DATE -> node.isTextual() ? Values.parseDate(node.textValue().strip()) : Values.INVALID;
            case TIMESTAMP ->
                node.isTextual() ? Values.parseTimestamp(node.textValue().strip()) : Values.INVALID;
            case ARRAY, STRUCT ->
                throw new IllegalArgumentException("an " + type + " value needs its field: use convert(Field, node)");
        };
    }

    /** A JSON object as a struct (the list of its fields' values; a missing field is null), or INVALID. */
    private static Object convertStruct(Field field, JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            return Values.INVALID;
        }
        List<Object> values = new ArrayList<>(field.children().size());
        for (Field child : field.children()) {
            Object value = convert(child, node.get(child.name()));
            if (value == Values.INVALID) {
                return Values.INVALID;
            }
            values.add(value);
        }
        return values;
    }

    private static boolean isNonFinite(String text) {
        return text.equals("NaN") || text.equals("Infinity") || text.equals("-Infinity");
    }

    @Override
    public Schema infer(Map<Path, String> texts, FileOptions options) {
        Map<String, Guess> guesses = new TreeMap<>();
        for (Map.Entry<Path, String> entry : texts.entrySet()) {
            List<String> lines = entry.getValue().lines().toList();
            for (int index = 0; index < lines.size(); index++) {
                if (lines.get(index).isBlank()) {
                    continue;
                }
                JsonNode node = parse(lines.get(index));
                if (node == null || !node.isObject()) {
                    if (options.mode() == ParseMode.FAILFAST) {
                        throw RowBuilder.malformedRecord(entry.getKey(), index + 1, reason(lines.get(index)));
                    }
                    continue;
                }
                for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                    Map.Entry<String, JsonNode> field = fields.next();
                    guesses.merge(field.getKey(), guess(field.getValue()), Guess::widen);
                }
            }
        }
        List<Field> fields = new ArrayList<>();
        guesses.forEach((name, guess) -> fields.add(guess.field(name)));
        return new Schema(fields);
    }

    /**
     * What a field's values suggest: a type (null while only JSON nulls were seen, which fit any), and for arrays an
     * element type (null while only empty arrays and null elements were seen).
     */
    private record Guess(ColumnType type, ColumnType elementType) {
        Guess widen(Guess other) {
            if (type == null) {
                return other;
            }
            if (other.type == null) {
                return this;
            }
            if (type == ColumnType.ARRAY && other.type == ColumnType.ARRAY) {
                return new Guess(ColumnType.ARRAY, JsonCodec.widen(elementType, other.elementType));
            }
            if (type == ColumnType.ARRAY || other.type == ColumnType.ARRAY) {
                return new Guess(ColumnType.VARCHAR, null);
            }
            return new Guess(JsonCodec.widen(type, other.type), null);
        }

        Field field(String name) {
            if (type == ColumnType.ARRAY) {
                return Field.array(name, elementType == null ? ColumnType.VARCHAR : elementType, true);
            }
            return new Field(name, type == null ? ColumnType.VARCHAR : type, true);
        }
    }

    private static Guess guess(JsonNode node) {
        if (!node.isArray()) {
            return new Guess(typeOf(node), null);
        }
        ColumnType element = null;
        for (JsonNode value : node) {
            if (value.isContainerNode()) {
                // Arrays of objects or arrays stay JSON text, as Brook's arrays hold scalars only.
                return new Guess(ColumnType.VARCHAR, null);
            }
            element = widen(element, typeOf(value));
        }
        return new Guess(ColumnType.ARRAY, element);
    }

    /** The type a scalar value suggests; null for JSON null, which fits any. */
    private static ColumnType typeOf(JsonNode node) {
        if (node.isNull()) {
            return null;
        }
        if (node.isIntegralNumber()) {
            return node.canConvertToLong() ? ColumnType.BIGINT : ColumnType.DOUBLE;
        }
        if (node.isNumber()) {
            return ColumnType.DOUBLE;
        }
        if (node.isBoolean()) {
            return ColumnType.BOOLEAN;
        }
        return ColumnType.VARCHAR;
    }

    /** The type that holds values of both: BIGINT and DOUBLE give DOUBLE, any other mix VARCHAR, as Spark does. */
    static ColumnType widen(ColumnType a, ColumnType b) {
        if (a == null) {
            return b;
        }
        if (b == null || a == b) {
            return a;
        }
        if ((a == ColumnType.BIGINT && b == ColumnType.DOUBLE) || (a == ColumnType.DOUBLE && b == ColumnType.BIGINT)) {
            return ColumnType.DOUBLE;
        }
        return ColumnType.VARCHAR;
    }

    @Override
    public void write(Writer out, Batch batch, FileOptions options) throws IOException {
        Schema schema = batch.schema();
        try (JsonGenerator generator = MAPPER.getFactory().createGenerator(out)) {
            generator.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            // Jackson puts a space between root values; JSON Lines, as Spark writes them, start each line with '{'.
            generator.setRootValueSeparator(null);
            for (int row = 0; row < batch.rowCount(); row++) {
                int position = batch.position(row);
                generator.writeStartObject();
                for (int c = 0; c < schema.size(); c++) {
                    Column column = batch.column(c);
                    if (column.isNull(position)) {
                        continue;
                    }
                    generator.writeFieldName(schema.field(c).name());
                    JsonValues.write(generator, column, position, Values::formatTimestamp);
                }
                generator.writeEndObject();
                generator.writeRaw('\n');
            }
        }
    }
}
