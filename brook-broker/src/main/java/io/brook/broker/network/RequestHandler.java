package io.brook.broker.network;

import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.protocol.ApiMessage;

/**
 * Handles decoded requests. Called on a handler thread, one request at a time per connection, in arrival order. It
 * returns at once with a stage that completes with the response body (a {@code *ResponseData}), or with null for a
 * request that gets no response (acks=0 produce). It never blocks on I/O it does not own. A failed stage (or a thrown exception) is answered with the API's error
 * response, built by the connection from the request.
 */
public interface RequestHandler {
    CompletionStage<ApiMessage> handle(Request request);

    /**
     * Whether requests of this API are handled quickly without blocking (no fsync, no waiting), so the network thread
     * may run them itself when the connection has nothing else queued.
     */
    default boolean isNonBlocking(org.apache.kafka.common.protocol.ApiKeys apiKey) {
        return false;
    }
}
