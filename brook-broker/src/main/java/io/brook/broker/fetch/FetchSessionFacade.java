package io.brook.broker.fetch;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData.PartitionData;
import org.apache.kafka.common.protocol.Errors;

/**
 * One fetch request seen through its session (KIP-227): which partitions to read, the session id to answer with, and
 * which partitions the response must carry. A sessionless or full fetch carries every partition; an incremental one
 * only those with records, an error or a changed high watermark or log start offset.
 */
final class FetchSessionFacade {
    private static final int INITIAL_EPOCH = 0;
    private static final int FINAL_EPOCH = -1;

    private final FetchSessionCache.FetchSession session;
    private final boolean incremental;
    private final List<Entry> entries;

    /** A partition to read, with the session's state for it. */
    record Entry(FetchSessionCache.Key key, FetchSessionCache.CachedPartition partition) {}

    /** The request does not fit the session the broker has. */
    static final class SessionError extends Exception {
        private static final long serialVersionUID = 1L;
        private final transient Errors error;

        SessionError(Errors error) {
            super(error.message(), null, false, false);
            this.error = error;
        }

        Errors error() {
            return error;
        }
    }

    private FetchSessionFacade(FetchSessionCache.FetchSession session, boolean incremental, List<Entry> entries) {
        this.session = session;
        this.incremental = incremental;
        this.entries = entries;
    }

    static FetchSessionFacade begin(FetchSessionCache cache, FetchRequestData request, short version)
            throws SessionError {
        int sessionId = version >= 7 ? request.sessionId() : 0;
        int epoch = version >= 7 ? request.sessionEpoch() : FINAL_EPOCH;
        if (epoch == FINAL_EPOCH || epoch == INITIAL_EPOCH) {
            if (sessionId != 0) {
                cache.remove(sessionId);
            }
            List<Entry> entries = new ArrayList<>();
            forEachRequested(request, version, (key, partition) -> entries.add(new Entry(key, partition)));
            if (epoch == FINAL_EPOCH) {
                return new FetchSessionFacade(null, false, entries);
            }
            FetchSessionCache.FetchSession session = cache.create();
            synchronized (session) {
                entries.forEach(entry -> session.partitions.put(entry.key(), entry.partition()));
            }
            return new FetchSessionFacade(session, false, entries);
        }
        FetchSessionCache.FetchSession session = cache.get(sessionId);
        if (session == null) {
            throw new SessionError(Errors.FETCH_SESSION_ID_NOT_FOUND);
        }
        synchronized (session) {
            if (epoch != session.nextEpoch) {
                throw new SessionError(Errors.INVALID_FETCH_SESSION_EPOCH);
            }
            session.nextEpoch = epoch == Integer.MAX_VALUE ? 1 : epoch + 1;
            forEachRequested(request, version, (key, partition) -> {
                FetchSessionCache.CachedPartition cached = session.partitions.get(key);
                if (cached == null) {
                    session.partitions.put(key, partition);
                } else {
                    cached.fetchOffset = partition.fetchOffset;
                    cached.maxBytes = partition.maxBytes;
                }
            });
            for (FetchRequestData.ForgottenTopic forgotten : request.forgottenTopicsData()) {
                Uuid topicId = version >= 13 ? forgotten.topicId() : Uuid.ZERO_UUID;
                String topic = version >= 13 ? null : forgotten.topic();
                for (int partition : forgotten.partitions()) {
                    session.partitions.remove(new FetchSessionCache.Key(topicId, topic, partition));
                }
            }
            List<Entry> entries = new ArrayList<>();
            for (Map.Entry<FetchSessionCache.Key, FetchSessionCache.CachedPartition> entry :
                    session.partitions.entrySet()) {
                entries.add(new Entry(entry.getKey(), entry.getValue()));
            }
            return new FetchSessionFacade(session, true, entries);
        }
    }

    private interface PartitionConsumer {
        void accept(FetchSessionCache.Key key, FetchSessionCache.CachedPartition partition);
    }

    private static void forEachRequested(FetchRequestData request, short version, PartitionConsumer consumer) {
        for (FetchRequestData.FetchTopic topic : request.topics()) {
            Uuid topicId = version >= 13 ? topic.topicId() : Uuid.ZERO_UUID;
            String name = version >= 13 ? null : topic.topic();
            for (FetchRequestData.FetchPartition partition : topic.partitions()) {
                consumer.accept(
                        new FetchSessionCache.Key(topicId, name, partition.partition()),
                        new FetchSessionCache.CachedPartition(partition.fetchOffset(), partition.partitionMaxBytes()));
            }
        }
    }

    List<Entry> entries() {
        return entries;
    }

    int responseSessionId() {
        return session == null ? 0 : session.id;
    }

    /** Whether the response carries this partition; records what it tells the client. */
    boolean shouldInclude(Entry entry, PartitionData data) {
        FetchSessionCache.CachedPartition cached = entry.partition();
        Object lock = session == null ? cached : session;
        synchronized (lock) {
            boolean changed = data.errorCode() != Errors.NONE.code()
                    || data.records().sizeInBytes() > 0
                    || data.highWatermark() != cached.lastHighWatermark
                    || data.logStartOffset() != cached.lastLogStartOffset;
            cached.lastHighWatermark = data.highWatermark();
            cached.lastLogStartOffset = data.logStartOffset();
            return !incremental || changed;
        }
    }
}
