package io.brook.it;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Optional;
import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.message.ResponseHeaderData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.ObjectSerializationCache;

/**
 * A plain blocking socket that speaks Kafka frames byte by byte, for requests no client library would send: any
 * bytes, any version, any size prefix. Encodes requests with kafka-clients' generated classes and decodes responses
 * with them. One thread at a time; {@link #close} is idempotent.
 */
final class RawKafkaConnection implements AutoCloseable {
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    /** What came back for a request: a response frame, the connection closing, or nothing within the time limit. */
    sealed interface Reply permits Frame, Closed, Silent {}

    /** One response frame without its size prefix; its first four bytes are the correlation id. */
    record Frame(byte[] bytes) implements Reply {
        int correlationId() {
            return ByteBuffer.wrap(bytes).getInt(0);
        }
    }

    /** The broker closed (or reset) the connection. */
    record Closed(String how) implements Reply {}

    /** The connection stayed open and silent for the whole wait. */
    record Silent() implements Reply {}

    RawKafkaConnection(String host, int port) throws IOException {
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress(host, port), 10_000);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    /** Sends these bytes as they are (a size prefix included, or not). Returns false if the broker had closed. */
    boolean sendRaw(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Tells the broker nothing more will come (half-close), as a client cut off mid-frame would. */
    void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    /** Waits up to {@code timeout} for one response frame, the end of the stream, or nothing. */
    Reply read(Duration timeout) throws IOException {
        socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
        int size;
        try {
            size = in.readInt();
        } catch (SocketTimeoutException e) {
            return new Silent();
        } catch (EOFException e) {
            return new Closed("end of stream");
        } catch (SocketException e) {
            return new Closed(e.getMessage());
        }
        if (size < 4) {
            throw new IOException("the broker sent a response frame of " + size + " bytes");
        }
        byte[] frame = new byte[size];
        // Once the size arrived, the rest of the frame must follow promptly.
        socket.setSoTimeout(10_000);
        in.readFully(frame);
        return new Frame(frame);
    }

    /** The frame of a request: size, header at the version the API needs, body. */
    static byte[] encodeRequest(ApiKeys apiKey, short version, int correlationId, ApiMessage body) {
        short headerVersion = apiKey.requestHeaderVersion(version);
        RequestHeaderData header = new RequestHeaderData()
                .setRequestApiKey(apiKey.id)
                .setRequestApiVersion(version)
                .setCorrelationId(correlationId)
                .setClientId("brook-it-raw");
        ObjectSerializationCache cache = new ObjectSerializationCache();
        int size = header.size(cache, headerVersion) + body.size(cache, version);
        ByteBuffer buffer = ByteBuffer.allocate(4 + size);
        buffer.putInt(size);
        ByteBufferAccessor accessor = new ByteBufferAccessor(buffer);
        header.write(accessor, cache, headerVersion);
        body.write(accessor, cache, version);
        return buffer.array();
    }

    /** A frame holding a hand-made header (api key, version, correlation id, client id) and arbitrary body bytes. */
    static byte[] encodeRawRequest(short apiKey, short version, int correlationId, byte[] body) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ByteBuffer header = ByteBuffer.allocate(10);
        header.putShort(apiKey).putShort(version).putInt(correlationId).putShort((short) -1);
        bytes.writeBytes(header.array());
        bytes.writeBytes(body);
        byte[] payload = bytes.toByteArray();
        return ByteBuffer.allocate(4 + payload.length)
                .putInt(payload.length)
                .put(payload)
                .array();
    }

    /**
     * Sends a request and decodes its response, skipping nothing: the next frame must answer this request.
     *
     * @throws IOException if the broker closed the connection or did not answer in time
     */
    <T extends ApiMessage> T call(ApiKeys apiKey, short version, ApiMessage body, Class<T> responseType)
            throws IOException {
        return responseType.cast(callWithin(apiKey, version, body, Duration.ofSeconds(30)));
    }

    /** As {@link #call}, for any API, waiting at most {@code timeout} for the answer. */
    ApiMessage callWithin(ApiKeys apiKey, short version, ApiMessage body, Duration timeout) throws IOException {
        int correlationId = (int) (System.nanoTime() & 0x3FFFFFFF);
        if (!sendRaw(encodeRequest(apiKey, version, correlationId, body))) {
            throw new IOException("the broker closed the connection before " + apiKey + " v" + version);
        }
        Reply reply = read(timeout);
        if (!(reply instanceof Frame frame)) {
            throw new IOException(apiKey + " v" + version + " got no response: " + reply);
        }
        return decodeResponse(apiKey, version, frame.bytes(), correlationId, ApiMessage.class);
    }

    /** Decodes a response frame at {@code version}, checking its correlation id and that every byte was read. */
    static <T extends ApiMessage> T decodeResponse(
            ApiKeys apiKey, short version, byte[] frame, int correlationId, Class<T> responseType) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(frame);
        ByteBufferAccessor accessor = new ByteBufferAccessor(buffer);
        ResponseHeaderData header = new ResponseHeaderData(accessor, apiKey.responseHeaderVersion(version));
        if (header.correlationId() != correlationId) {
            throw new IOException("response correlation id " + header.correlationId() + ", expected " + correlationId);
        }
        ApiMessage response = apiKey.messageType.newResponse();
        response.read(accessor, version);
        if (buffer.hasRemaining()) {
            throw new IOException(
                    buffer.remaining() + " bytes left after the " + apiKey + " v" + version + " response");
        }
        return responseType.cast(response);
    }

    static Optional<Integer> correlationIdOf(Reply reply) {
        return reply instanceof Frame frame ? Optional.of(frame.correlationId()) : Optional.empty();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
