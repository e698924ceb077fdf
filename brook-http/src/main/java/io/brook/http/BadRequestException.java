package io.brook.http;

/** A request the API cannot read (not JSON, a missing field): answered 400 with its message. */
final class BadRequestException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BadRequestException(String message) {
        super(message);
    }
}
