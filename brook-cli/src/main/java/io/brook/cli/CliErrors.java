package io.brook.cli;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.errors.TimeoutException;

/** Turns what a Kafka client threw into the one line a user should read. */
final class CliErrors {
    private CliErrors() {}

    /** The exception that says what went wrong: the cause inside the client's future wrappers. */
    static Throwable unwrap(Throwable throwable) {
        Throwable current = throwable;
        while ((current instanceof ExecutionException || current instanceof CompletionException)
                && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }

    /**
     * A one-line message for {@code throwable}: its message, the direct cause's when that adds something (as in
     * "Failed to create new KafkaAdminClient: Invalid url in bootstrap.servers: x"), and a hint on a timeout.
     */
    static String message(Throwable throwable, String bootstrapServer) {
        Throwable error = unwrap(throwable);
        String message = messageOf(error);
        Throwable cause = error.getCause();
        if (cause != null && cause.getMessage() != null && !message.contains(cause.getMessage())) {
            message = message + ": " + cause.getMessage();
        }
        if (error instanceof TimeoutException && message.contains("not present in metadata")) {
            message = message + " (does the topic exist? Create it with `./brook topic create NAME`.)";
        } else if (error instanceof TimeoutException) {
            message = message + " (no answer from " + bootstrapServer
                    + " in time: is Brook running there? Start it with `./brook server`.)";
        }
        return message;
    }

    private static String messageOf(Throwable error) {
        return error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
    }
}
