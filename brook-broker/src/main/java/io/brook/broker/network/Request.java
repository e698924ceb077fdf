package io.brook.broker.network;

import static java.util.Objects.requireNonNull;

import java.net.SocketAddress;
import org.apache.kafka.common.protocol.ApiMessage;

/** A decoded request: header, body (a kafka-clients generated {@code *RequestData}) and where it came from. */
public record Request(RequestHeader header, ApiMessage body, SocketAddress remoteAddress, String connectionId) {
    public Request {
        requireNonNull(header, "header is null");
        requireNonNull(body, "body is null");
    }

    public short version() {
        return header.apiVersion();
    }
}
