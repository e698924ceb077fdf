package io.brook.broker.fetch;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.common.Uuid;

/**
 * Incremental fetch sessions (KIP-227). A session remembers the partitions a client fetches and what was last sent
 * for each, so the client's next request names only what changed and the response carries only partitions with news.
 * The cache is bounded; the least recently used session is evicted first (its client falls back to a full fetch after
 * FETCH_SESSION_ID_NOT_FOUND). Thread-safe.
 */
final class FetchSessionCache {
    private final int maxSessions;
    private final LinkedHashMap<Integer, FetchSession> sessions = new LinkedHashMap<>(16, 0.75f, true);

    FetchSessionCache(int maxSessions) {
        this.maxSessions = maxSessions;
    }

    /** A partition of a session, keyed by topic id (v13+) or name. */
    record Key(Uuid topicId, String topic, int partition) {}

    /** What the session knows about one partition. */
    static final class CachedPartition {
        long fetchOffset;
        int maxBytes;
        long lastHighWatermark = -1;
        long lastLogStartOffset = -1;

        CachedPartition(long fetchOffset, int maxBytes) {
            this.fetchOffset = fetchOffset;
            this.maxBytes = maxBytes;
        }
    }

    static final class FetchSession {
        final int id;
        int nextEpoch = 1;
        final LinkedHashMap<Key, CachedPartition> partitions = new LinkedHashMap<>();

        FetchSession(int id) {
            this.id = id;
        }
    }

    synchronized FetchSession create() {
        int id;
        do {
            id = ThreadLocalRandom.current().nextInt(1, Integer.MAX_VALUE);
        } while (sessions.containsKey(id));
        FetchSession session = new FetchSession(id);
        sessions.put(id, session);
        while (sessions.size() > maxSessions) {
            Map.Entry<Integer, FetchSession> eldest =
                    sessions.entrySet().iterator().next();
            sessions.remove(eldest.getKey());
        }
        return session;
    }

    synchronized FetchSession get(int id) {
        return sessions.get(id);
    }

    synchronized void remove(int id) {
        sessions.remove(id);
    }

    synchronized int size() {
        return sessions.size();
    }
}
