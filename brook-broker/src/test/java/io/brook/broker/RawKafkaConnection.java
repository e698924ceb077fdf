package io.brook.broker;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.message.ResponseHeaderData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.ObjectSerializationCache;

/** A bare Kafka protocol connection for tests: sends one request at an exact version and decodes the answer. */
final class RawKafkaConnection implements AutoCloseable {
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private int nextCorrelationId = 1;

    RawKafkaConnection(int port) throws IOException {
        this.socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /** Sends a request and returns the response body decoded at {@code responseVersion}. */
    ApiMessage send(ApiKeys apiKey, short version, ApiMessage body, short responseVersion) throws IOException {
        int correlationId = nextCorrelationId++;
        sendOnly(apiKey, version, body, correlationId);
        ByteBuffer frame = readFrame();
        ResponseHeaderData header =
                new ResponseHeaderData(new ByteBufferAccessor(frame), apiKey.responseHeaderVersion(responseVersion));
        if (header.correlationId() != correlationId) {
            throw new IOException("correlation id " + header.correlationId() + ", expected " + correlationId);
        }
        ApiMessage response = apiKey.messageType.newResponse();
        response.read(new ByteBufferAccessor(frame), responseVersion);
        return response;
    }

    ApiMessage send(ApiKeys apiKey, short version, ApiMessage body) throws IOException {
        return send(apiKey, version, body, version);
    }

    void sendOnly(ApiKeys apiKey, short version, ApiMessage body, int correlationId) throws IOException {
        RequestHeaderData header = new RequestHeaderData()
                .setRequestApiKey(apiKey.id)
                .setRequestApiVersion(version)
                .setCorrelationId(correlationId)
                .setClientId("raw-test");
        short headerVersion = apiKey.requestHeaderVersion(version);
        ObjectSerializationCache cache = new ObjectSerializationCache();
        int size = header.size(cache, headerVersion) + body.size(cache, version);
        ByteBuffer buffer = ByteBuffer.allocate(4 + size);
        buffer.putInt(size);
        ByteBufferAccessor accessor = new ByteBufferAccessor(buffer);
        header.write(accessor, cache, headerVersion);
        body.write(accessor, cache, version);
        writeRaw(buffer.array());
    }

    void writeRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    ByteBuffer readFrame() throws IOException {
        int size = in.readInt();
        byte[] frame = new byte[size];
        in.readFully(frame);
        return ByteBuffer.wrap(frame);
    }

    /** Whether the broker closed the connection (reads end of stream within the socket timeout). */
    boolean isClosedByBroker() throws IOException {
        try {
            return in.read() < 0;
        } catch (EOFException | java.net.SocketException e) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
