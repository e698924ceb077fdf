package io.brook.broker.network;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.DefaultFileRegion;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.protocol.Writable;
import org.apache.kafka.common.record.internal.BaseRecords;
import org.apache.kafka.common.record.internal.MemoryRecords;

/**
 * Serialises a response into Netty buffers: everything but records goes into one pooled buffer; records held in
 * memory are wrapped without a copy, and {@link FileSliceRecords} become file regions sent with sendfile. The parts are
 * written to the channel in order. Not thread-safe; one per response.
 */
final class ResponseWriter implements Writable {
    private final ByteBuf buffer;
    private final List<Object> parts = new ArrayList<>(3);
    private int partStart;

    ResponseWriter(ByteBufAllocator allocator, int capacity) {
        this.buffer = allocator.directBuffer(capacity);
    }

    /** The parts in write order: ByteBufs and file regions. The writer must not be used afterwards. */
    List<Object> finish() {
        cutPart();
        buffer.release();
        return parts;
    }

    /** Releases everything written so far, after a failed write. */
    void abandon() {
        buffer.release();
        for (Object part : parts) {
            io.netty.util.ReferenceCountUtil.release(part);
        }
        parts.clear();
    }

    private void cutPart() {
        int end = buffer.writerIndex();
        if (end > partStart) {
            parts.add(buffer.retainedSlice(partStart, end - partStart));
        }
        partStart = end;
    }

    @Override
    public void writeRecords(BaseRecords records) {
        if (records instanceof FileSliceRecords slice) {
            if (slice.sizeInBytes() > 0) {
                cutPart();
                parts.add(new SharedFileRegion(slice));
            }
        } else if (records instanceof MemoryRecords memory) {
            ByteBuffer bytes = memory.buffer();
            if (bytes.remaining() > 0) {
                cutPart();
                parts.add(io.netty.buffer.Unpooled.wrappedBuffer(bytes));
            }
        } else if (records != null) {
            throw new IllegalArgumentException(
                    "cannot write records of type " + records.getClass().getName());
        }
    }

    /** A region of a segment file; the channel belongs to the log, so sending it must not close it. */
    private static final class SharedFileRegion extends DefaultFileRegion {
        SharedFileRegion(FileSliceRecords slice) {
            super(slice.channel(), slice.position(), slice.sizeInBytes());
        }

        @Override
        protected void deallocate() {
            // The log owns the channel.
        }
    }

    @Override
    public void writeByte(byte value) {
        buffer.writeByte(value);
    }

    @Override
    public void writeShort(short value) {
        buffer.writeShort(value);
    }

    @Override
    public void writeInt(int value) {
        buffer.writeInt(value);
    }

    @Override
    public void writeLong(long value) {
        buffer.writeLong(value);
    }

    @Override
    public void writeDouble(double value) {
        buffer.writeDouble(value);
    }

    @Override
    public void writeByteArray(byte[] bytes) {
        buffer.writeBytes(bytes);
    }

    @Override
    public void writeUnsignedVarint(int value) {
        int remaining = value;
        while ((remaining & 0xffffff80) != 0) {
            buffer.writeByte((remaining & 0x7f) | 0x80);
            remaining >>>= 7;
        }
        buffer.writeByte(remaining);
    }

    @Override
    public void writeByteBuffer(ByteBuffer source) {
        buffer.writeBytes(source.duplicate());
    }

    @Override
    public void writeVarint(int value) {
        writeUnsignedVarint((value << 1) ^ (value >> 31));
    }

    @Override
    public void writeVarlong(long value) {
        long remaining = (value << 1) ^ (value >> 63);
        while ((remaining & 0xffffffffffffff80L) != 0L) {
            buffer.writeByte(((int) remaining & 0x7f) | 0x80);
            remaining >>>= 7;
        }
        buffer.writeByte((int) remaining);
    }
}
