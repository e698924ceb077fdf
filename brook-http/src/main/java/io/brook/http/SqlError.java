package io.brook.http;

import static java.util.Objects.requireNonNull;

import io.brook.engine.BrookException;
import io.brook.engine.ErrorCode;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A statement's error as the HTTP API reports it: {@code {"code": "UNRESOLVED_COLUMN", "type": "USER", "message": "line
 * 1:8: ...\n<the line>\n       ^", "line": 1, "column": 8}}. The message is exactly the text {@code SqlSession} throws,
 * caret included; {@code line} and {@code column} are 0 when it names no position (and column 0 when it names a line
 * only). {@code code} is an {@link ErrorCode} name, or {@code INTERNAL_ERROR} for a failure that is not Brook's own.
 */
public record SqlError(String code, String type, String message, int line, int column) {
    static final String INTERNAL_ERROR = "INTERNAL_ERROR";
    static final String NOT_FOUND = "NOT_FOUND";
    static final String METHOD_NOT_ALLOWED = "METHOD_NOT_ALLOWED";
    private static final Pattern POSITION = Pattern.compile("^line (\\d+)(?::(\\d+))?:");

    public SqlError {
        requireNonNull(code, "code is null");
        requireNonNull(type, "type is null");
        requireNonNull(message, "message is null");
    }

    /** The error of a failed statement, with the position its message starts with. */
    static SqlError of(RuntimeException e) {
        if (e instanceof BrookException brook) {
            Matcher matcher = POSITION.matcher(brook.getMessage());
            int line = matcher.find() ? Integer.parseInt(matcher.group(1)) : 0;
            int column = line > 0 && matcher.group(2) != null ? Integer.parseInt(matcher.group(2)) : 0;
            return new SqlError(
                    brook.errorCode().name(), brook.errorCode().type().name(), brook.getMessage(), line, column);
        }
        String message =
                e.getMessage() == null ? e.getClass().getName() : e.getClass().getSimpleName() + ": " + e.getMessage();
        return new SqlError(INTERNAL_ERROR, ErrorCode.Type.INTERNAL.name(), message, 0, 0);
    }

    /** A mistake in the request itself (not JSON, no {@code sql}, an unknown query): always the caller's. */
    static SqlError badRequest(String message) {
        return new SqlError("BAD_REQUEST", ErrorCode.Type.USER.name(), message, 0, 0);
    }

    /** A path the API does not serve, or a live query that is not there: 404. */
    static SqlError notFound(String message) {
        return new SqlError(NOT_FOUND, ErrorCode.Type.USER.name(), message, 0, 0);
    }

    /** A known path asked with another method: 405. */
    static SqlError methodNotAllowed(String message) {
        return new SqlError(METHOD_NOT_ALLOWED, ErrorCode.Type.USER.name(), message, 0, 0);
    }

    /** The HTTP status: 400 when the caller has to change something, 404 for what is not there, 500 otherwise. */
    int httpStatus() {
        if (code.equals(NOT_FOUND)) {
            return 404;
        }
        if (code.equals(METHOD_NOT_ALLOWED)) {
            return 405;
        }
        return type.equals(ErrorCode.Type.USER.name()) ? 400 : 500;
    }

    /** The error as the client throws it, so that it prints as the embedded session's would. */
    public RuntimeException toException() {
        for (ErrorCode errorCode : ErrorCode.values()) {
            if (errorCode.name().equals(code)) {
                return new BrookException(errorCode, message);
            }
        }
        return new SqlServerException(code, message);
    }
}
