package io.brook.broker.network;

import java.nio.channels.FileChannel;
import org.apache.kafka.common.record.internal.BaseRecords;
import org.apache.kafka.common.record.internal.RecordsSend;

/**
 * Records that stay in a segment file: placed in a response body (e.g. a Fetch partition's records), they are sent
 * with sendfile by {@link ResponseWriter} instead of being copied into the response buffer.
 */
public final class FileSliceRecords implements BaseRecords {
    private final FileChannel channel;
    private final long position;
    private final int size;

    public FileSliceRecords(FileChannel channel, long position, int size) {
        this.channel = channel;
        this.position = position;
        this.size = size;
    }

    FileChannel channel() {
        return channel;
    }

    long position() {
        return position;
    }

    @Override
    public int sizeInBytes() {
        return size;
    }

    @Override
    public RecordsSend<? extends BaseRecords> toSend() {
        throw new UnsupportedOperationException("Brook sends file slices through Netty, not Kafka's Send");
    }
}
