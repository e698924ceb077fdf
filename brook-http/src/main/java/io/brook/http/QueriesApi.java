package io.brook.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.brook.engine.api.StreamingQuery;
import io.brook.engine.stream.StreamingQueryProgress;
import io.brook.sql.SqlSession;
import io.javalin.http.Context;

/**
 * The server's continuous queries (the INSERT INTOs of its shared SQL session) and their progress, for the dashboard
 * and for scripts: {@code GET /queries} lists each with its status and last progress report, {@code GET
 * /queries/{name}} adds its recent reports (Spark's StreamingQueryProgress fields: rows, rates, durations, watermark,
 * state), oldest first. Queries that ended stay listed with {@code active: false} and their failure, if any.
 */
final class QueriesApi {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String APPLICATION_JSON = "application/json";

    private QueriesApi() {}

    static void list(Context ctx, SqlService sql) {
        ArrayNode queries = JSON.createArrayNode();
        for (SqlSession.RunningQuery query : sql.queries()) {
            queries.add(describe(query, false));
        }
        ctx.contentType(APPLICATION_JSON).result(queries.toString());
    }

    static void get(Context ctx, SqlService sql) {
        String name = ctx.pathParam("name");
        for (SqlSession.RunningQuery query : sql.queries()) {
            if (query.name().equals(name)) {
                ctx.contentType(APPLICATION_JSON).result(describe(query, true).toString());
                return;
            }
        }
        throw ApiException.notFound(
                "QUERY_NOT_FOUND",
                "no query '" + name + "'; GET /queries lists the server's queries (SHOW QUERIES in"
                        + " brook sql --server)");
    }

    private static ObjectNode describe(SqlSession.RunningQuery running, boolean withRecent) {
        StreamingQuery query = running.query();
        ObjectNode node = JSON.createObjectNode();
        node.put("name", running.name());
        node.put("id", query.id().toString());
        node.put("sink", running.sink());
        node.put("sql", running.sql());
        node.put("active", query.isActive());
        node.put("status", query.status());
        Throwable failure = query.exception();
        if (failure == null) {
            node.putNull("exception");
        } else {
            node.put("exception", failure.getMessage() == null ? failure.toString() : failure.getMessage());
        }
        StreamingQueryProgress last = query.lastProgress();
        node.set("lastProgress", last == null ? null : JSON.valueToTree(last));
        if (withRecent) {
            ArrayNode recent = node.putArray("recentProgress");
            for (StreamingQueryProgress progress : query.recentProgress()) {
                recent.add(JSON.valueToTree(progress));
            }
        }
        return node;
    }
}
