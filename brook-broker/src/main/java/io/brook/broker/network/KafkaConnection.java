package io.brook.broker.network;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.message.ResponseHeaderData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.protocol.ObjectSerializationCache;
import org.apache.kafka.common.requests.AbstractRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection. Decodes each frame's header and body with kafka-clients' generated classes, hands requests
 * to the {@link RequestHandler} one at a time in arrival order, and writes responses in that same order as they
 * complete (a long-polling fetch delays only its own connection). A frame that cannot be decoded is logged and closes
 * this connection only; a request of a version the broker does not serve gets the protocol's UNSUPPORTED_VERSION.
 */
final class KafkaConnection extends ChannelInboundHandlerAdapter {
    private static final Logger LOGGER = LoggerFactory.getLogger(KafkaConnection.class);
    private static final AtomicLong NEXT_ID = new AtomicLong();
    private static final int MAX_QUEUED_RESPONSES = 64;

    private final RequestHandler handler;
    private final SupportedApis apis;
    private final SerialExecutor executor;
    private final RequestMetrics metrics;
    private final String connectionId = "c" + NEXT_ID.incrementAndGet();
    private final ArrayDeque<PendingResponse> pending = new ArrayDeque<>();
    private ChannelHandlerContext context;

    KafkaConnection(RequestHandler handler, SupportedApis apis, Executor handlerExecutor, RequestMetrics metrics) {
        this.handler = handler;
        this.apis = apis;
        this.executor = new SerialExecutor(handlerExecutor);
        this.metrics = metrics;
    }

    private static final class PendingResponse {
        private List<Object> response;
        private boolean done;
        private boolean closeAfter;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        this.context = ctx;
        super.channelActive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
        byte[] frame = (byte[]) message;
        try {
            dispatch(frame);
        } catch (RuntimeException e) {
            LOGGER.warn(
                    "[connection {} {}] closing: malformed request frame of {} bytes: {}",
                    connectionId,
                    ctx.channel().remoteAddress(),
                    frame.length,
                    e.toString());
            LOGGER.debug("[connection {}] malformed frame", connectionId, e);
            closeAfterPending();
        }
    }

    private void dispatch(byte[] frame) {
        if (frame.length < 8) {
            throw new IllegalArgumentException("a request header needs at least 8 bytes, got " + frame.length);
        }
        ByteBuffer buffer = ByteBuffer.wrap(frame);
        short apiKeyId = buffer.getShort(0);
        short version = buffer.getShort(2);
        int correlationId = buffer.getInt(4);
        if (!ApiKeys.hasId(apiKeyId)) {
            throw new IllegalArgumentException("unknown API key " + apiKeyId);
        }
        ApiKeys apiKey = ApiKeys.forId(apiKeyId);
        // The frame decoder strips the 4-byte size prefix; count it, as the client sent it.
        metrics.received(apiKey, frame.length + 4);
        ApiVersionRange range = apis.ranges().get(apiKey);
        if (apiKey == ApiKeys.API_VERSIONS && (range == null || version > range.max())) {
            // KIP-511: answer a too-new ApiVersions with v0 and our ranges, so the client can pick a version.
            ApiVersionsResponseData body = new ApiVersionsResponseData()
                    .setErrorCode(Errors.UNSUPPORTED_VERSION.code())
                    .setApiKeys(apis.toApiVersions());
            respondAt(new RequestHeader(apiKey, (short) 0, correlationId, null), body);
            return;
        }
        if (range == null) {
            throw new IllegalArgumentException("API " + apiKey + " is not served by Brook");
        }
        if (!apiKey.isVersionSupported(version)) {
            throw new IllegalArgumentException("API " + apiKey + " version " + version
                    + " is outside the codec's range " + apiKey.oldestVersion() + "-" + apiKey.latestVersion(true));
        }
        ByteBufferAccessor accessor = new ByteBufferAccessor(buffer);
        RequestHeaderData headerData = new RequestHeaderData(accessor, apiKey.requestHeaderVersion(version));
        RequestHeader header = new RequestHeader(apiKey, version, correlationId, headerData.clientId());
        int bodyStart = buffer.position();
        if (!range.contains(version)) {
            Request request = new Request(
                    header, apiKey.messageType.newRequest(), context.channel().remoteAddress(), connectionId);
            respondWithError(
                    request,
                    frame,
                    bodyStart,
                    new UnsupportedVersionException("Brook serves " + apiKey + " versions " + range.min() + "-"
                            + range.max() + "; the client sent version " + version));
            return;
        }
        ApiMessage body = apiKey.messageType.newRequest();
        body.read(accessor, version);
        if (buffer.hasRemaining()) {
            throw new IllegalArgumentException(
                    buffer.remaining() + " bytes left over after the " + apiKey + " v" + version + " body");
        }
        Request request = new Request(header, body, context.channel().remoteAddress(), connectionId);
        PendingResponse slot = reserveSlot();
        Runnable task = () -> {
            try {
                handler.handle(request).whenComplete((response, error) -> {
                    if (error != null) {
                        completeWithError(slot, request, frame, bodyStart, unwrap(error));
                        return;
                    }
                    try {
                        complete(slot, response == null ? null : encode(header, response));
                    } catch (RuntimeException e) {
                        // A response the codec cannot write is a Brook bug; without an answer the client would
                        // wait forever, so say what failed and close the connection.
                        LOGGER.error(
                                "[connection {}] cannot encode the response to {} v{}; closing the connection",
                                connectionId,
                                header.apiKey(),
                                header.apiVersion(),
                                e);
                        closeAt(slot);
                    }
                });
            } catch (RuntimeException e) {
                completeWithError(slot, request, frame, bodyStart, e);
            }
        };
        if (handler.isNonBlocking(apiKey)) {
            executor.executeInlineIfIdle(task);
        } else {
            executor.execute(task);
        }
    }

    private static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }

    private List<Object> errorResponse(Request request, byte[] frame, int bodyStart, Throwable error) {
        if (!(error instanceof org.apache.kafka.common.errors.ApiException)) {
            LOGGER.error("[connection {}] {} failed", connectionId, request.header(), error);
        }
        ByteBuffer body =
                ByteBuffer.wrap(frame, bodyStart, frame.length - bodyStart).slice();
        AbstractRequest parsed = AbstractRequest.parseRequest(
                        request.header().apiKey(), request.version(), new ByteBufferAccessor(body))
                .request;
        return encode(request.header(), parsed.getErrorResponse(0, error).data());
    }

    /**
     * Answers with an error now. The response is built before a slot is reserved: building it parses the body, which
     * may be malformed, and a reserved slot that is never completed would hold back every later response and the close.
     */
    private void respondWithError(Request request, byte[] frame, int bodyStart, Throwable error) {
        List<Object> response = errorResponse(request, frame, bodyStart, error);
        complete(reserveSlot(), response);
    }

    private void respondAt(RequestHeader header, ApiMessage body) {
        List<Object> response = encode(header, body);
        complete(reserveSlot(), response);
    }

    /** Completes a slot with the error response, or closes the connection there if even that cannot be built. */
    private void completeWithError(
            PendingResponse slot, Request request, byte[] frame, int bodyStart, Throwable error) {
        List<Object> response;
        try {
            response = errorResponse(request, frame, bodyStart, error);
        } catch (RuntimeException e) {
            LOGGER.warn(
                    "[connection {}] cannot answer {} with an error ({}); closing the connection",
                    connectionId,
                    request.header(),
                    e.toString());
            closeAt(slot);
            return;
        }
        complete(slot, response);
    }

    private PendingResponse reserveSlot() {
        PendingResponse slot = new PendingResponse();
        pending.add(slot);
        if (pending.size() >= MAX_QUEUED_RESPONSES) {
            // Back-pressure: stop reading until responses drain, as Kafka mutes a busy channel.
            context.channel().config().setAutoRead(false);
        }
        return slot;
    }

    /** Turns a reserved slot into a close: responses before it are still written, later ones dropped. */
    private void closeAt(PendingResponse slot) {
        onEventLoop(() -> {
            slot.closeAfter = true;
            slot.done = true;
            drain();
        });
    }

    private void closeAfterPending() {
        PendingResponse slot = reserveSlot();
        slot.closeAfter = true;
        slot.done = true;
        drain();
    }

    /** Serialises a response: a size prefix, the header and the body, records left where they are. */
    private List<Object> encode(RequestHeader header, ApiMessage body) {
        short headerVersion = header.apiKey().responseHeaderVersion(header.apiVersion());
        ResponseHeaderData responseHeader = new ResponseHeaderData().setCorrelationId(header.correlationId());
        ObjectSerializationCache cache = new ObjectSerializationCache();
        int size = responseHeader.size(cache, headerVersion) + body.size(cache, header.apiVersion());
        ResponseWriter writer = new ResponseWriter(context.alloc(), Math.min(4 + size, 64 * 1024));
        try {
            writer.writeInt(size);
            responseHeader.write(writer, cache, headerVersion);
            body.write(writer, cache, header.apiVersion());
        } catch (RuntimeException e) {
            writer.abandon();
            throw e;
        }
        metrics.sent(header.apiKey(), 4 + size);
        return writer.finish();
    }

    /** Called from any thread when a response is ready. */
    private void complete(PendingResponse slot, List<Object> response) {
        onEventLoop(() -> {
            slot.response = response;
            slot.done = true;
            drain();
        });
    }

    /** Response slots are only touched on the channel's event loop: run there, at once if already on it. */
    private void onEventLoop(Runnable task) {
        if (context.channel().eventLoop().inEventLoop()) {
            task.run();
        } else {
            context.channel().eventLoop().execute(task);
        }
    }

    private void drain() {
        boolean wrote = false;
        while (!pending.isEmpty() && pending.peek().done) {
            PendingResponse head = pending.poll();
            if (head.closeAfter) {
                pending.forEach(p -> release(p.response));
                pending.clear();
                context.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(future -> context.close());
                return;
            }
            if (head.response != null) {
                if (context.channel().isActive()) {
                    for (Object part : head.response) {
                        context.write(part, context.voidPromise());
                    }
                    wrote = true;
                } else {
                    release(head.response);
                }
            }
        }
        if (wrote) {
            context.flush();
        }
        if (pending.size() < MAX_QUEUED_RESPONSES / 2
                && !context.channel().config().isAutoRead()) {
            context.channel().config().setAutoRead(true);
        }
    }

    private static void release(List<Object> parts) {
        if (parts != null) {
            parts.forEach(io.netty.util.ReferenceCountUtil::release);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOGGER.debug(
                "[connection {} {}] closed after an error: {}",
                connectionId,
                ctx.channel().remoteAddress(),
                cause.toString());
        ctx.close();
    }
}
