package io.brook.http;

/** A request names something there is none of (a topic, a query): answered 404 with its message. */
final class NotFoundException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NotFoundException(String message) {
        super(message);
    }
}
