package io.brook.broker.network;

import static java.util.Objects.requireNonNull;

import org.apache.kafka.common.protocol.ApiKeys;

/** The header of one request: which API, at which version, its correlation id and the client's id. */
public record RequestHeader(ApiKeys apiKey, short apiVersion, int correlationId, String clientId) {
    public RequestHeader {
        requireNonNull(apiKey, "apiKey is null");
    }
}
