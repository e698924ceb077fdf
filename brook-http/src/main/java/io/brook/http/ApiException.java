package io.brook.http;

import static java.util.Objects.requireNonNull;

/**
 * A request the client API cannot serve, answered as {@code {"error": {"code": "TOPIC_NOT_FOUND", "message": "..."}}}
 * with {@link #httpStatus()}: the same {@code error} object the SQL endpoints answer. The message says what was wrong
 * and what to do instead.
 */
final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int httpStatus;
    private final String code;

    ApiException(int httpStatus, String code, String message) {
        super(requireNonNull(message, "message is null"));
        this.httpStatus = httpStatus;
        this.code = requireNonNull(code, "code is null");
    }

    ApiException(int httpStatus, String code, String message, Throwable cause) {
        super(requireNonNull(message, "message is null"), cause);
        this.httpStatus = httpStatus;
        this.code = requireNonNull(code, "code is null");
    }

    static ApiException badRequest(String message) {
        return new ApiException(400, "BAD_REQUEST", message);
    }

    static ApiException notFound(String code, String message) {
        return new ApiException(404, code, message);
    }

    int httpStatus() {
        return httpStatus;
    }

    String code() {
        return code;
    }
}
