package io.brook.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;

/** Reading requests and writing answers of the client API (topics, produce, consumers, groups) as JSON. */
final class ApiJson {
    static final ObjectMapper MAPPER = new ObjectMapper();
    static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String JSON = "application/json";

    private ApiJson() {}

    /** The body as a JSON object; an empty body is an empty object when {@code emptyIsObject}. */
    static JsonNode body(Context ctx, boolean emptyIsObject) {
        String body = ctx.body();
        if (body.isBlank()) {
            if (emptyIsObject) {
                return NODES.objectNode();
            }
            throw ApiException.badRequest("the request has no body; send a JSON object");
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("the body is not JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw ApiException.badRequest("the body is JSON but not an object; send {...}");
        }
        return node;
    }

    /** A string field, or {@code fallback} when absent or null. */
    static String text(JsonNode node, String field, String fallback) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isTextual()) {
            throw ApiException.badRequest("'" + field + "' must be a string, was " + value);
        }
        return value.asText();
    }

    /** An integer field, or {@code fallback} when absent or null. */
    static Long integer(JsonNode node, String field, Long fallback) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.canConvertToLong() || !value.isIntegralNumber()) {
            throw ApiException.badRequest("'" + field + "' must be an integer, was " + value);
        }
        return value.asLong();
    }

    /** An array of strings, or an empty list when absent. */
    static List<String> strings(JsonNode node, String field) {
        JsonNode value = node.get(field);
        List<String> strings = new ArrayList<>();
        if (value == null || value.isNull()) {
            return strings;
        }
        if (!value.isArray()) {
            throw ApiException.badRequest("'" + field + "' must be an array of strings, was " + value);
        }
        for (JsonNode element : value) {
            if (!element.isTextual()) {
                throw ApiException.badRequest("'" + field + "' must be an array of strings; found " + element);
            }
            strings.add(element.asText());
        }
        return strings;
    }

    /** An integer query parameter within [min, max], or {@code fallback} when absent. */
    static long queryLong(Context ctx, String name, long fallback, long min, long max) {
        String value = ctx.queryParam(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        long parsed;
        try {
            parsed = Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(
                    "query parameter " + name + " must be an integer " + min + "-" + max + ", was '" + value + "'");
        }
        if (parsed < min || parsed > max) {
            throw ApiException.badRequest(
                    "query parameter " + name + " must be " + min + "-" + max + ", was " + parsed);
        }
        return parsed;
    }

    static void write(Context ctx, int status, JsonNode node) {
        ctx.status(status);
        try {
            ctx.contentType(JSON).result(MAPPER.writeValueAsString(node));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON " + node, e);
        }
    }

    static void error(Context ctx, ApiException error) {
        ObjectNode root = NODES.objectNode();
        root.set("error", errorNode(error.code(), error.getMessage()));
        write(ctx, error.httpStatus(), root);
    }

    static ObjectNode errorNode(String code, String message) {
        ObjectNode node = NODES.objectNode();
        node.put("code", code);
        node.put("message", message);
        return node;
    }
}
