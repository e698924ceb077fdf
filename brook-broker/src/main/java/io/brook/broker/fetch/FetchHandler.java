package io.brook.broker.fetch;

import static java.util.Objects.requireNonNull;

import io.brook.broker.BrokerContext;
import io.brook.broker.admin.ApiErrors;
import io.brook.broker.network.FileSliceRecords;
import io.brook.broker.topic.Topic;
import io.brook.broker.topic.TopicMetrics;
import io.brook.log.OffsetOutOfRangeException;
import io.brook.log.PartitionLog;
import io.brook.log.ReadResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.FetchResponseData.FetchableTopicResponse;
import org.apache.kafka.common.message.FetchResponseData.PartitionData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.requests.ApiError;

/**
 * Fetch: reads whole batches from each partition's log within max_bytes and partition_max_bytes (the first batch of
 * the first non-empty partition is returned even if larger), long-polls up to max_wait_ms until min_bytes are there,
 * and keeps incremental fetch sessions as clients use them. Isolation levels are accepted; with no transactions the
 * last stable offset is the high watermark.
 */
public final class FetchHandler {
    private static final int MAX_SESSIONS = 1000;

    private final BrokerContext context;
    private final PartitionWatchers watchers;
    private final ScheduledExecutorService timer;
    private final Executor executor;
    private final FetchSessionCache sessions = new FetchSessionCache(MAX_SESSIONS);
    private final TopicMetrics metrics;

    public FetchHandler(
            BrokerContext context,
            PartitionWatchers watchers,
            ScheduledExecutorService timer,
            Executor executor,
            TopicMetrics metrics) {
        this.metrics = requireNonNull(metrics, "metrics is null");
        this.context = context;
        this.watchers = watchers;
        this.timer = timer;
        this.executor = executor;
    }

    /** One partition to read in this fetch. */
    private record Target(FetchSessionFacade.Entry entry, String topic, PartitionLog log, Errors lookupError) {}

    public CompletionStage<ApiMessage> fetch(FetchRequestData request, short version) {
        FetchSessionFacade facade;
        try {
            facade = FetchSessionFacade.begin(sessions, request, version);
        } catch (FetchSessionFacade.SessionError e) {
            return CompletableFuture.completedFuture(
                    new FetchResponseData().setErrorCode(e.error().code()).setSessionId(request.sessionId()));
        }
        List<Target> targets = new ArrayList<>();
        for (FetchSessionFacade.Entry entry : facade.entries()) {
            targets.add(resolve(entry, version));
        }
        FetchResponseData first = read(targets, request, facade, version, false);
        if (first != null) {
            return CompletableFuture.completedFuture(first);
        }
        CompletableFuture<ApiMessage> result = new CompletableFuture<>();
        new DelayedFetch(targets, request, facade, version, result).start();
        return result;
    }

    private Target resolve(FetchSessionFacade.Entry entry, short version) {
        FetchSessionCache.Key key = entry.key();
        String topicName = key.topic();
        if (version >= 13) {
            topicName = context.topics().topic(key.topicId()).map(Topic::name).orElse(null);
            if (topicName == null) {
                return new Target(entry, null, null, Errors.UNKNOWN_TOPIC_ID);
            }
        }
        PartitionLog log = context.topics().log(topicName, key.partition());
        return new Target(entry, topicName, log, log == null ? Errors.UNKNOWN_TOPIC_OR_PARTITION : Errors.NONE);
    }

    /**
     * Reads every target. Returns the response if it should go out now (enough bytes, an error, no wait asked for, or
     * {@code finalAttempt}), otherwise null.
     */
    private FetchResponseData read(
            List<Target> targets,
            FetchRequestData request,
            FetchSessionFacade facade,
            short version,
            boolean finalAttempt) {
        int remaining = request.maxBytes() <= 0 ? Integer.MAX_VALUE : request.maxBytes();
        long totalBytes = 0;
        boolean anyError = false;
        Map<Target, PartitionData> results = new LinkedHashMap<>();
        for (Target target : targets) {
            FetchSessionCache.CachedPartition cached = target.entry().partition();
            PartitionData data = new PartitionData()
                    .setPartitionIndex(target.entry().key().partition())
                    .setHighWatermark(-1)
                    .setLastStableOffset(-1)
                    .setLogStartOffset(-1)
                    .setPreferredReadReplica(-1)
                    .setRecords(MemoryRecords.EMPTY);
            if (target.lookupError() != Errors.NONE) {
                data.setErrorCode(target.lookupError().code());
                anyError = true;
            } else {
                PartitionLog log = target.log();
                try {
                    int limit = Math.min(cached.maxBytes, remaining);
                    ReadResult read = limit <= 0 && totalBytes > 0
                            ? ReadResult.empty(log.logStartOffset(), log.highWatermark())
                            : log.read(cached.fetchOffset, Math.max(limit, 0), totalBytes == 0);
                    data.setHighWatermark(read.highWatermark())
                            .setLastStableOffset(read.highWatermark())
                            .setLogStartOffset(read.logStartOffset());
                    if (read.sizeInBytes() > 0) {
                        data.setRecords(
                                read.fileChannel() != null
                                        ? new FileSliceRecords(
                                                read.fileChannel(), read.filePosition(), read.sizeInBytes())
                                        : MemoryRecords.readableRecords(read.records()));
                        totalBytes += read.sizeInBytes();
                        remaining -= read.sizeInBytes();
                        metrics.fetched(target.topic(), read.sizeInBytes());
                    }
                } catch (OffsetOutOfRangeException e) {
                    data.setErrorCode(Errors.OFFSET_OUT_OF_RANGE.code())
                            .setHighWatermark(log.highWatermark())
                            .setLastStableOffset(log.highWatermark())
                            .setLogStartOffset(log.logStartOffset());
                    anyError = true;
                } catch (RuntimeException | java.io.IOException e) {
                    ApiError error = ApiErrors.of(e);
                    data.setErrorCode(error.error().code());
                    anyError = true;
                }
            }
            results.put(target, data);
        }
        boolean ready = finalAttempt
                || anyError
                || request.maxWaitMs() <= 0
                || totalBytes >= Math.max(1, request.minBytes())
                || targets.isEmpty();
        if (!ready) {
            return null;
        }
        return buildResponse(results, facade, version);
    }

    private FetchResponseData buildResponse(
            Map<Target, PartitionData> results, FetchSessionFacade facade, short version) {
        FetchResponseData response = new FetchResponseData().setSessionId(facade.responseSessionId());
        Map<FetchSessionCache.Key, FetchableTopicResponse> byTopic = new LinkedHashMap<>();
        for (Map.Entry<Target, PartitionData> entry : results.entrySet()) {
            FetchSessionCache.Key key = entry.getKey().entry().key();
            PartitionData data = entry.getValue();
            if (!facade.shouldInclude(entry.getKey().entry(), data)) {
                continue;
            }
            FetchSessionCache.Key topicKey = new FetchSessionCache.Key(key.topicId(), key.topic(), -1);
            byTopic.computeIfAbsent(topicKey, ignored -> {
                        FetchableTopicResponse topicResponse = new FetchableTopicResponse()
                                .setTopic(key.topic())
                                .setTopicId(key.topicId());
                        response.responses().add(topicResponse);
                        return topicResponse;
                    })
                    .partitions()
                    .add(data);
        }
        return response;
    }

    /** A fetch waiting for data or for its max_wait to pass. */
    private final class DelayedFetch {
        private final List<Target> targets;
        private final FetchRequestData request;
        private final FetchSessionFacade facade;
        private final short version;
        private final CompletableFuture<ApiMessage> result;
        private final AtomicBoolean done = new AtomicBoolean();
        private final List<PartitionLog> logs = new ArrayList<>();
        private volatile Runnable unwatch = () -> {};
        private volatile ScheduledFuture<?> timeout;

        DelayedFetch(
                List<Target> targets,
                FetchRequestData request,
                FetchSessionFacade facade,
                short version,
                CompletableFuture<ApiMessage> result) {
            this.targets = targets;
            this.request = request;
            this.facade = facade;
            this.version = version;
            this.result = result;
            for (Target target : targets) {
                if (target.log() != null) {
                    logs.add(target.log());
                }
            }
        }

        void start() {
            timeout = timer.schedule(
                    () -> executor.execute(() -> attempt(true)), request.maxWaitMs(), TimeUnit.MILLISECONDS);
            watch();
            // Data may have arrived between the first read and the registration.
            if (anyNewData()) {
                executor.execute(() -> attempt(false));
            }
        }

        private void watch() {
            unwatch = watchers.watch(logs, () -> executor.execute(() -> attempt(false)));
        }

        private boolean anyNewData() {
            for (Target target : targets) {
                if (target.log() != null
                        && target.log().logEndOffset() > target.entry().partition().fetchOffset) {
                    return true;
                }
            }
            return false;
        }

        private void attempt(boolean finalAttempt) {
            if (done.get()) {
                return;
            }
            synchronized (this) {
                if (done.get()) {
                    return;
                }
                unwatch.run();
                FetchResponseData response;
                try {
                    response = read(targets, request, facade, version, finalAttempt);
                } catch (RuntimeException e) {
                    done.set(true);
                    timeout.cancel(false);
                    result.completeExceptionally(e);
                    return;
                }
                if (response == null) {
                    watch();
                    return;
                }
                done.set(true);
                timeout.cancel(false);
                result.complete(response);
            }
        }
    }
}
