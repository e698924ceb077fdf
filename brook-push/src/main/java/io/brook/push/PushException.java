package io.brook.push;

import static java.util.Objects.requireNonNull;

/**
 * A push-subscription request Brook refuses, with a stable {@link Code} that says which HTTP status the API answers and a
 * message that names the fix ({@code "no push subscription 'hooks'; list them with brook push list"}).
 */
public final class PushException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Stable error codes; each maps to one HTTP status. */
    public enum Code {
        /** A field is missing, malformed or out of range: 400. */
        INVALID_ARGUMENT(400),
        /** The topic or dead-letter topic does not exist: 400 (the request names it, the path does not). */
        UNKNOWN_TOPIC(400),
        /** No subscription of that name: 404. */
        SUBSCRIPTION_NOT_FOUND(404),
        /** A subscription of that name exists already: 409. */
        SUBSCRIPTION_EXISTS(409),
        /** The broker cannot be reached (not started yet, or gone): 503. */
        BROKER_UNAVAILABLE(503);

        private final int httpStatus;

        Code(int httpStatus) {
            this.httpStatus = httpStatus;
        }

        /** The HTTP status the API answers with. */
        public int httpStatus() {
            return httpStatus;
        }
    }

    private final Code code;

    public PushException(Code code, String message) {
        super(requireNonNull(message, "message is null"));
        this.code = requireNonNull(code, "code is null");
    }

    public PushException(Code code, String message, Throwable cause) {
        super(requireNonNull(message, "message is null"), cause);
        this.code = requireNonNull(code, "code is null");
    }

    public Code code() {
        return code;
    }
}
