package io.brook.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.brook.engine.api.Row;
import io.brook.engine.batch.Schema;
import io.brook.sql.LiveResult;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The JSON of the SQL API, written by the server and read by {@link SqlHttpClient}, in one place so the two agree.
 *
 * <p>Values in {@code rows} are JSON's own where JSON has them (numbers, strings, booleans, null); TIMESTAMP and DATE are
 * ISO-8601 strings ({@code "2026-12-01T10:00:00Z"}), VARBINARY is base64, ARRAY is an array, STRUCT an object keyed by
 * field name. A reader turns them back into the engine's values by the column's type, so that a table renders the same
 * on either side.
 */
final class SqlJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private SqlJson() {}

    // Requests

    /** {@code {"sql": "...", "variables": {"NAME": "value"}}}; variables may be absent. */
    static String request(String sql, Map<String, String> variables) {
        ObjectNode node = NODES.objectNode();
        node.put("sql", sql);
        ObjectNode vars = node.putObject("variables");
        variables.forEach(vars::put);
        return write(node);
    }

    /** A POST /sql body, checked: it is a JSON object with a string {@code sql} and string variables. */
    static ScriptRequest readRequest(String body) {
        JsonNode node;
        try {
            node = MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new BadRequestException(
                    "the body is not JSON: " + e.getOriginalMessage() + "; send {\"sql\": \"SHOW SOURCES;\"}");
        }
        if (node == null || !node.isObject()) {
            throw new BadRequestException("the body is not a JSON object; send {\"sql\": \"SHOW SOURCES;\"}");
        }
        JsonNode sql = node.get("sql");
        if (sql == null || !sql.isTextual()) {
            throw new BadRequestException("the body has no string field 'sql'; send {\"sql\": \"SHOW SOURCES;\"}");
        }
        Map<String, String> variables = new LinkedHashMap<>();
        JsonNode vars = node.get("variables");
        if (vars != null && !vars.isNull()) {
            if (!vars.isObject()) {
                throw new BadRequestException("'variables' is an object of strings, e.g. {\"TOPIC\": \"clicks\"}");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = vars.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                if (!entry.getValue().isTextual()) {
                    throw new BadRequestException("variable '" + entry.getKey() + "' is not a string");
                }
                variables.put(entry.getKey(), entry.getValue().asText());
            }
        }
        return new ScriptRequest(sql.asText(), variables);
    }

    // Responses

    static String response(ScriptResponse response) {
        ObjectNode node = NODES.objectNode();
        ArrayNode statements = node.putArray("statements");
        for (StatementResult result : response.statements()) {
            statements.add(statement(result));
        }
        if (response.error() != null) {
            node.set("error", error(response.error()));
        }
        return write(node);
    }

    /** {@code {"error": {...}}}: a request the server refused before running anything. */
    static String errorOnly(SqlError error) {
        return response(new ScriptResponse(List.of(), error));
    }

    private static ObjectNode statement(StatementResult result) {
        ObjectNode node = NODES.objectNode();
        node.put("kind", result.kind().jsonName());
        if (result.message() != null) {
            node.put("message", result.message());
        }
        if (result.kind() == StatementResult.Kind.ROWS) {
            node.set("columns", columns(result.columns()));
            node.set("rows", rows(result.rows()));
        }
        if (result.query() != null) {
            ObjectNode query = node.putObject("query");
            query.put("name", result.query().name());
            query.put("id", result.query().id());
        }
        return node;
    }

    private static ObjectNode error(SqlError error) {
        ObjectNode node = NODES.objectNode();
        node.put("code", error.code());
        node.put("type", error.type());
        node.put("message", error.message());
        node.put("line", error.line());
        node.put("column", error.column());
        return node;
    }

    static ScriptResponse readResponse(String body) {
        JsonNode node = read(body);
        List<StatementResult> statements = new ArrayList<>();
        for (JsonNode statement : node.path("statements")) {
            statements.add(readStatement(statement));
        }
        JsonNode error = node.get("error");
        return new ScriptResponse(statements, error == null ? null : readError(error));
    }

    static SqlError readError(JsonNode error) {
        return new SqlError(
                error.path("code").asText(SqlError.INTERNAL_ERROR),
                error.path("type").asText("INTERNAL"),
                error.path("message").asText(""),
                error.path("line").asInt(),
                error.path("column").asInt());
    }

    private static StatementResult readStatement(JsonNode node) {
        StatementResult.Kind kind =
                StatementResult.Kind.ofJson(node.path("kind").asText());
        String message = node.hasNonNull("message") ? node.get("message").asText() : null;
        List<StatementResult.ColumnInfo> columns = readColumns(node.path("columns"));
        List<Row> rows = readRows(columns, node.path("rows"));
        JsonNode query = node.get("query");
        StatementResult.QueryRef ref = query == null
                ? null
                : new StatementResult.QueryRef(
                        query.path("name").asText(), query.path("id").asText());
        return new StatementResult(kind, message, columns, rows, ref);
    }

    // Live snapshots

    /**
     * A live result's current state, one SSE {@code snapshot} event: {@code {"columns": [...], "rows": [...], "batchId":
     * 3, "totalRows": 120, "complete": false}}; batchId -1 before the first micro-batch.
     */
    static String snapshot(LiveResult.Snapshot snapshot) {
        ObjectNode node = NODES.objectNode();
        node.set("columns", columns(ColumnTypes.of(snapshot.columns(), snapshot.rows())));
        node.set("rows", rows(snapshot.rows()));
        node.put("batchId", snapshot.batchId());
        node.put("totalRows", snapshot.totalRows());
        node.put("complete", snapshot.complete());
        return write(node);
    }

    static LiveResult.Snapshot readSnapshot(String data) {
        JsonNode node = read(data);
        List<StatementResult.ColumnInfo> columns = readColumns(node.path("columns"));
        return new LiveResult.Snapshot(
                columns.stream().map(StatementResult.ColumnInfo::name).toList(),
                readRows(columns, node.path("rows")),
                node.path("batchId").asLong(-1),
                node.path("totalRows").asLong(),
                node.path("complete").asBoolean());
    }

    /** How a live query ended, the SSE {@code end} event: {@code {"status": "ENDED", "message": "..."}}. */
    static String end(LiveEnd end) {
        ObjectNode node = NODES.objectNode();
        node.put("status", end.status().name());
        node.put("message", end.message());
        return write(node);
    }

    static LiveEnd readEnd(String data) {
        JsonNode node = read(data);
        return new LiveEnd(
                LiveEnd.Status.valueOf(node.path("status").asText("FAILED")),
                node.path("message").asText(""));
    }

    // Columns and values

    private static ArrayNode columns(List<StatementResult.ColumnInfo> columns) {
        ArrayNode array = NODES.arrayNode();
        for (StatementResult.ColumnInfo column : columns) {
            array.addObject().put("name", column.name()).put("type", column.type());
        }
        return array;
    }

    private static List<StatementResult.ColumnInfo> readColumns(JsonNode array) {
        List<StatementResult.ColumnInfo> columns = new ArrayList<>();
        for (JsonNode column : array) {
            columns.add(new StatementResult.ColumnInfo(
                    column.path("name").asText(), column.path("type").asText("NULL")));
        }
        return columns;
    }

    private static ArrayNode rows(List<Row> rows) {
        ArrayNode array = NODES.arrayNode();
        for (Row row : rows) {
            ArrayNode values = array.addArray();
            for (int i = 0; i < row.size(); i++) {
                values.add(value(row.get(i)));
            }
        }
        return array;
    }

    private static JsonNode value(Object value) {
        if (value == null) {
            return NODES.nullNode();
        } else if (value instanceof String text) {
            return NODES.textNode(text);
        } else if (value instanceof Integer number) {
            return NODES.numberNode(number);
        } else if (value instanceof Long number) {
            return NODES.numberNode(number);
        } else if (value instanceof Double number) {
            return NODES.numberNode(number);
        } else if (value instanceof Float number) {
            return NODES.numberNode(number);
        } else if (value instanceof Boolean bool) {
            return NODES.booleanNode(bool);
        } else if (value instanceof byte[] bytes) {
            return NODES.textNode(Base64.getEncoder().encodeToString(bytes));
        } else if (value instanceof Row row) {
            return struct(row);
        } else if (value instanceof List<?> list) {
            ArrayNode array = NODES.arrayNode();
            list.forEach(element -> array.add(value(element)));
            return array;
        }
        // Instant and LocalDate print as ISO-8601; anything else as the engine prints it.
        return NODES.textNode(String.valueOf(value));
    }

    private static JsonNode struct(Row row) {
        Schema schema = row.schema();
        if (schema == null) {
            ArrayNode array = NODES.arrayNode();
            row.values().forEach(field -> array.add(value(field)));
            return array;
        }
        ObjectNode object = NODES.objectNode();
        for (int i = 0; i < row.size(); i++) {
            object.set(schema.field(i).name(), value(row.get(i)));
        }
        return object;
    }

    private static List<Row> readRows(List<StatementResult.ColumnInfo> columns, JsonNode array) {
        List<Row> rows = new ArrayList<>();
        for (JsonNode values : array) {
            Object[] row = new Object[values.size()];
            for (int i = 0; i < row.length; i++) {
                String type = i < columns.size() ? columns.get(i).type() : "NULL";
                row[i] = readValue(type, values.get(i));
            }
            rows.add(Row.of(row));
        }
        return rows;
    }

    private static Object readValue(String type, JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        String upper = type.toUpperCase(Locale.ROOT);
        if (upper.equals("VARBINARY") && node.isTextual()) {
            return Base64.getDecoder().decode(node.asText());
        }
        if (upper.equals("TIMESTAMP") && node.isTextual()) {
            return Instant.parse(node.asText());
        }
        if (upper.equals("DATE") && node.isTextual()) {
            return LocalDate.parse(node.asText());
        }
        if (node.isObject() || (upper.startsWith("STRUCT") && node.isArray())) {
            List<Object> fields = new ArrayList<>();
            node.elements().forEachRemaining(field -> fields.add(readValue("", field)));
            return Row.of(fields.toArray());
        }
        if (node.isArray()) {
            String element = upper.startsWith("ARRAY<") ? upper.substring(6, upper.length() - 1) : "";
            List<Object> elements = new ArrayList<>();
            node.elements().forEachRemaining(item -> elements.add(readValue(element, item)));
            return Collections.unmodifiableList(elements);
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isIntegralNumber() && node.canConvertToInt() && (upper.equals("INT") || upper.equals("INTEGER"))) {
            return node.intValue();
        }
        if (node.isIntegralNumber()) {
            return node.longValue();
        }
        if (node.isNumber()) {
            return node.doubleValue();
        }
        return node.asText();
    }

    private static JsonNode read(String body) {
        try {
            return MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new SqlServerException(
                    "BAD_RESPONSE", "the server's answer is not JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
        }
    }
}
