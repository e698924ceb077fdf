package io.brook.http;

/** A request names a topic the broker does not have: answered 404 with its message. */
final class TopicNotFoundException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    TopicNotFoundException(String message) {
        super(message);
    }
}
