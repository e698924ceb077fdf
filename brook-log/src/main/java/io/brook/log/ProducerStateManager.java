package io.brook.log;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Idempotent-producer state of one partition: per producer id, its epoch and the sequence and offset ranges of its
 * last {@value #CACHED_BATCHES} batches, so a retried batch is answered with its original offsets instead of being
 * written twice. Rebuilt on start-up from a snapshot plus the batches after it. Used by the log's writer only.
 */
final class ProducerStateManager {
    static final int CACHED_BATCHES = 5;
    private static final int SNAPSHOT_VERSION = 1;

    private final Map<Long, ProducerEntry> producers = new HashMap<>();

    /** A batch already written: the offsets it got the first time. */
    record Duplicate(long firstOffset, long lastOffset) {}

    private record BatchMetadata(int firstSequence, int lastSequence, long firstOffset, long lastOffset) {}

    private static final class ProducerEntry {
        short epoch;
        final Deque<BatchMetadata> batches = new ArrayDeque<>();

        ProducerEntry(short epoch) {
            this.epoch = epoch;
        }

        int lastSequence() {
            return batches.isEmpty() ? -1 : batches.getLast().lastSequence();
        }
    }

    /**
     * Checks a batch from an idempotent producer before it is written.
     *
     * @return the earlier write if this batch is a retry of one of the last cached batches, otherwise null
     * @throws InvalidProducerEpochException if the epoch is older than the producer's current one
     * @throws OutOfOrderSequenceException if the sequence does not continue the producer's last one
     */
    Duplicate check(String partition, long producerId, short epoch, int firstSequence, int lastSequence) {
        ProducerEntry entry = producers.get(producerId);
        if (entry == null) {
            if (firstSequence != 0) {
                throw new OutOfOrderSequenceException("Out of order sequence number for producer " + producerId
                        + " at " + partition + ": found " + firstSequence
                        + " (incoming seq. number), but the producer is unknown, so it must start at 0");
            }
            return null;
        }
        if (epoch < entry.epoch) {
            throw new InvalidProducerEpochException("Epoch of producer " + producerId + " at " + partition + " is "
                    + epoch + ", which is smaller than the last seen epoch " + entry.epoch);
        }
        if (epoch > entry.epoch) {
            if (firstSequence != 0) {
                throw new OutOfOrderSequenceException("Invalid sequence number for new epoch of producer "
                        + producerId + " at " + partition + ": " + epoch + " (request epoch), " + firstSequence
                        + " (seq. number), " + entry.epoch + " (current producer epoch)");
            }
            return null;
        }
        for (BatchMetadata batch : entry.batches) {
            if (batch.firstSequence() == firstSequence && batch.lastSequence() == lastSequence) {
                return new Duplicate(batch.firstOffset(), batch.lastOffset());
            }
        }
        int expected = entry.lastSequence() == Integer.MAX_VALUE ? 0 : entry.lastSequence() + 1;
        if (firstSequence != expected) {
            throw new OutOfOrderSequenceException("Out of order sequence number for producer " + producerId + " at "
                    + partition + ": found " + firstSequence + " (incoming seq. number), " + entry.lastSequence()
                    + " (current end sequence number)");
        }
        return null;
    }

    /** Records a written batch. Also used to replay the log on start-up, so it never rejects. */
    void update(long producerId, short epoch, int firstSequence, int lastSequence, long firstOffset, long lastOffset) {
        ProducerEntry entry = producers.computeIfAbsent(producerId, id -> new ProducerEntry(epoch));
        if (epoch != entry.epoch) {
            entry.epoch = epoch;
            entry.batches.clear();
        }
        entry.batches.addLast(new BatchMetadata(firstSequence, lastSequence, firstOffset, lastOffset));
        while (entry.batches.size() > CACHED_BATCHES) {
            entry.batches.removeFirst();
        }
    }

    /** Replays the batch starting at {@code at} if it came from an idempotent producer. */
    void replay(ByteBuffer buffer, int at) {
        long producerId = RecordBatches.producerId(buffer, at);
        int baseSequence = RecordBatches.baseSequence(buffer, at);
        if (producerId < 0 || baseSequence < 0) {
            return;
        }
        int delta = RecordBatches.lastOffsetDelta(buffer, at);
        update(
                producerId,
                RecordBatches.producerEpoch(buffer, at),
                baseSequence,
                lastSequence(baseSequence, delta),
                RecordBatches.baseOffset(buffer, at),
                RecordBatches.baseOffset(buffer, at) + delta);
    }

    static int lastSequence(int baseSequence, int lastOffsetDelta) {
        long last = (long) baseSequence + lastOffsetDelta;
        return (int) (last > Integer.MAX_VALUE ? last - Integer.MAX_VALUE - 1 : last);
    }

    /** Forgets batches at or after {@code offset} (after a truncation). */
    void truncateTo(long offset) {
        producers.values().forEach(entry -> entry.batches.removeIf(batch -> batch.lastOffset() >= offset));
        producers.values().removeIf(entry -> entry.batches.isEmpty());
    }

    /** Per producer id, the last offset of its last batch. */
    Map<Long, Long> lastOffsets() {
        Map<Long, Long> result = new HashMap<>();
        producers.forEach((producerId, entry) -> {
            if (!entry.batches.isEmpty()) {
                result.put(producerId, entry.batches.getLast().lastOffset());
            }
        });
        return result;
    }

    int producerCount() {
        return producers.size();
    }

    byte[] snapshot() {
        Map<Long, ProducerEntry> sorted = new TreeMap<>(producers);
        int size = 8;
        for (ProducerEntry entry : sorted.values()) {
            size += 8 + 2 + 4 + entry.batches.size() * 24;
        }
        ByteBuffer buffer = ByteBuffer.allocate(size);
        buffer.putInt(SNAPSHOT_VERSION).putInt(sorted.size());
        sorted.forEach((producerId, entry) -> {
            buffer.putLong(producerId).putShort(entry.epoch).putInt(entry.batches.size());
            for (BatchMetadata batch : entry.batches) {
                buffer.putInt(batch.firstSequence())
                        .putInt(batch.lastSequence())
                        .putLong(batch.firstOffset())
                        .putLong(batch.lastOffset());
            }
        });
        return buffer.array();
    }

    /** Loads a snapshot written by {@link #snapshot}; throws {@link CorruptRecordException} if it is malformed. */
    void load(byte[] snapshot) {
        producers.clear();
        try {
            ByteBuffer buffer = ByteBuffer.wrap(snapshot);
            int version = buffer.getInt();
            if (version != SNAPSHOT_VERSION) {
                throw new CorruptRecordException(
                        "producer snapshot version " + version + " is not " + SNAPSHOT_VERSION);
            }
            int count = buffer.getInt();
            for (int i = 0; i < count; i++) {
                long producerId = buffer.getLong();
                short epoch = buffer.getShort();
                int batches = buffer.getInt();
                for (int b = 0; b < batches; b++) {
                    update(producerId, epoch, buffer.getInt(), buffer.getInt(), buffer.getLong(), buffer.getLong());
                }
            }
        } catch (java.nio.BufferUnderflowException e) {
            producers.clear();
            throw new CorruptRecordException("producer snapshot is truncated");
        }
    }
}
