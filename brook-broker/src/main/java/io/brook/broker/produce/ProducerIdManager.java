package io.brook.broker.produce;

import io.brook.log.Storage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * Hands out producer ids that are never reused, even across crashes: ids are reserved in blocks, and the end of the
 * current block is written durably before any id from it is handed out. Thread-safe.
 */
public final class ProducerIdManager {
    private static final long BLOCK_SIZE = 1000;
    private static final String FILE_NAME = "producer-id-block";

    private final Storage storage;
    private final Path file;
    private long next;
    private long blockEnd;

    private ProducerIdManager(Storage storage, Path file, long next) {
        this.storage = storage;
        this.file = file;
        this.next = next;
        this.blockEnd = next;
    }

    public static ProducerIdManager open(Storage storage, Path dataDir) throws IOException {
        Path file = dataDir.resolve(FILE_NAME);
        long next = 0;
        if (storage.exists(file)) {
            byte[] content = storage.readAll(file);
            if (content.length != Long.BYTES) {
                throw new IOException("producer id file " + file + " has " + content.length + " bytes, expected 8");
            }
            next = ByteBuffer.wrap(content).getLong();
        }
        return new ProducerIdManager(storage, file, next);
    }

    public synchronized long nextProducerId() throws IOException {
        if (next >= blockEnd) {
            long newEnd = next + BLOCK_SIZE;
            storage.writeAtomically(
                    file, ByteBuffer.allocate(Long.BYTES).putLong(newEnd).array());
            blockEnd = newEnd;
        }
        return next++;
    }
}
