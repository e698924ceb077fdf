package io.brook.broker.fetch;

import io.brook.log.PartitionLog;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Long-polling fetches waiting for data, by partition log. A produce calls {@link #notifyAppended} after an append;
 * every fetch waiting on that log is woken once (and must register again if it keeps waiting). Thread-safe.
 */
public final class PartitionWatchers {
    private final Map<PartitionLog, Set<Runnable>> waiting = new ConcurrentHashMap<>();

    /** Registers {@code wakeUp} on each log; returns a handle that removes it from all of them. */
    public Runnable watch(List<PartitionLog> logs, Runnable wakeUp) {
        for (PartitionLog log : logs) {
            waiting.computeIfAbsent(log, ignored -> ConcurrentHashMap.newKeySet())
                    .add(wakeUp);
        }
        return () -> {
            for (PartitionLog log : logs) {
                Set<Runnable> watchers = waiting.get(log);
                if (watchers != null) {
                    watchers.remove(wakeUp);
                }
            }
        };
    }

    public void notifyAppended(PartitionLog log) {
        Set<Runnable> watchers = waiting.get(log);
        if (watchers == null || watchers.isEmpty()) {
            return;
        }
        for (Runnable wakeUp : watchers.toArray(new Runnable[0])) {
            if (watchers.remove(wakeUp)) {
                wakeUp.run();
            }
        }
    }
}
