package io.brook.broker.network;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Splits the byte stream into Kafka frames (a 4-byte size, then that many bytes) and copies each frame into a heap
 * array, so request handlers on other threads own their bytes. A frame larger than {@code socket.request.max.bytes}
 * or with a negative size is logged and closes the connection; nothing is read past a frame.
 */
final class KafkaFrameDecoder extends ByteToMessageDecoder {
    private static final Logger LOGGER = LoggerFactory.getLogger(KafkaFrameDecoder.class);

    private final int maxFrameBytes;

    KafkaFrameDecoder(int maxFrameBytes) {
        this.maxFrameBytes = maxFrameBytes;
    }

    @Override
    protected void decode(ChannelHandlerContext context, ByteBuf in, List<Object> out) {
        while (in.readableBytes() >= 4) {
            int size = in.getInt(in.readerIndex());
            if (size < 0 || size > maxFrameBytes) {
                LOGGER.warn(
                        "[connection {}] closing: request frame of {} bytes is {} (socket.request.max.bytes is {})",
                        context.channel().remoteAddress(),
                        size,
                        size < 0 ? "negative" : "too large",
                        maxFrameBytes);
                in.skipBytes(in.readableBytes());
                context.close();
                return;
            }
            if (in.readableBytes() < 4 + size) {
                return;
            }
            in.skipBytes(4);
            byte[] frame = new byte[size];
            in.readBytes(frame);
            out.add(frame);
        }
    }
}
