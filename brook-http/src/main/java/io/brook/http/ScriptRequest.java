package io.brook.http;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** A {@code POST /sql} body: a script of one or more statements, and variables for its {@code ${NAME}}s. */
record ScriptRequest(String sql, Map<String, String> variables) {
    ScriptRequest {
        requireNonNull(sql, "sql is null");
        variables = Collections.unmodifiableMap(new LinkedHashMap<>(variables));
    }
}
