package io.brook.engine.stream;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.brook.engine.BrookException;
import io.brook.engine.ErrorCode;
import io.brook.engine.batch.Batch;
import io.brook.engine.batch.Schema;
import io.brook.engine.connector.Offset;
import io.brook.engine.connector.ReadLimit;
import io.brook.engine.connector.Sink;
import io.brook.engine.connector.Source;
import io.brook.engine.exec.BatchContext;
import io.brook.engine.exec.OutputMode;
import io.brook.engine.exec.Pipeline;
import io.brook.engine.state.StateStoreConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a streaming query as Spark's micro-batch execution does. For each batch: ask every source for its latest offset
 * (capped by its read limit); if nothing is new, wait for the trigger; else log the offsets to {@code offsets/<id>},
 * read and run the batch through the pipeline, hand the result to the sink, commit the state, and log
 * {@code commits/<id>}. On start it resumes from the checkpoint: a batch whose offsets were logged but not committed is
 * run again with exactly those offsets, so an exactly-once sink sees each batch once.
 *
 * <p>Runs on its own thread from {@link #start}; {@link #stop} interrupts and joins it. Thread-safe.
 */
public final class StreamExecution {
    private static final Logger LOGGER = LoggerFactory.getLogger(StreamExecution.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int RECENT_PROGRESS = 100;
    private static final long IDLE_POLL_MILLIS = 10;

    /** A source under the table name the plan scans it by. */
    public record NamedSource(String table, Source source, ReadLimit limit) {}

    private final String name;
    private final List<NamedSource> sources;
    private final Pipeline pipeline;
    private final Schema outputSchema;
    private final Sink sink;
    private final OutputMode outputMode;
    private final Trigger trigger;
    private final Path checkpoint;
    private final List<StreamingQueryListener> listeners;
    private final LongSupplier clockMillis;
    private final UUID id;
    private final UUID runId = UUID.randomUUID();
    private final CheckpointLog offsetLog;
    private final CheckpointLog commitLog;
    private final StateBackend state;
    private final Deque<StreamingQueryProgress> recent = new ArrayDeque<>();
    private final CountDownLatch terminated = new CountDownLatch(1);
    private final Thread thread;
    private volatile boolean stopping;
    private volatile Throwable exception;
    private volatile String status = "Initializing sources";
    private final java.util.concurrent.atomic.AtomicLong pollsStarted = new java.util.concurrent.atomic.AtomicLong();
    private volatile long lastIdlePoll = -1;
    /** The event-time watermark in microseconds ({@link Long#MIN_VALUE} until there is one), for the next batch. */
    private long watermarkMicros = Long.MIN_VALUE;
    /**
     * The watermark once every source has ended: later than any event time, yet far enough from {@link Long#MAX_VALUE}
     * that watermark arithmetic (a window's size added, a delay taken away) cannot overflow.
     */
    static final long END_OF_TIME = Long.MAX_VALUE / 4;
    /** The watermark the last batch ran with, to know when a batch without data has windows to close. */
    private long lastBatchWatermark = Long.MIN_VALUE;
    /** The processing-time watermark the last batch ran with (see BatchContext), to know when windows end. */
    private long lastBatchProcessingWatermark = Long.MIN_VALUE;
    /** Whether the sink was told that every source has ended. */
    private boolean inputEnded;
    /** Each watermark operator's largest event time minus its delay, across batches. */
    private final Map<Integer, Long> operatorWatermarks = new java.util.HashMap<>();

    public StreamExecution(
            String name,
            List<NamedSource> sources,
            Pipeline pipeline,
            Schema outputSchema,
            Sink sink,
            OutputMode outputMode,
            Trigger trigger,
            Path checkpoint,
            List<StreamingQueryListener> listeners,
            StateStoreConfig stateConfig,
            List<String> stateSignature,
            int partitions,
            Optional<Duration> stateTtl,
            LongSupplier clockMillis) {
        this.name = name;
        this.sources = List.copyOf(sources);
        this.pipeline = requireNonNull(pipeline, "pipeline is null");
        this.outputSchema = requireNonNull(outputSchema, "outputSchema is null");
        this.sink = requireNonNull(sink, "sink is null");
        this.outputMode = requireNonNull(outputMode, "outputMode is null");
        this.trigger = requireNonNull(trigger, "trigger is null");
        this.checkpoint = requireNonNull(checkpoint, "checkpoint is null");
        this.listeners = List.copyOf(listeners);
        this.clockMillis = clockMillis;
        this.offsetLog = new CheckpointLog(checkpoint.resolve("offsets"));
        this.commitLog = new CheckpointLog(checkpoint.resolve("commits"));
        this.id = readOrCreateMetadata(List.copyOf(stateSignature), partitions);
        this.state = new StoreStateBackend(checkpoint, stateConfig, stateTtl);
        this.thread = new Thread(this::run, "brook-query-" + (name == null ? id : name));
        this.thread.setDaemon(true);
    }

    /**
     * The query id from the checkpoint's {@code metadata}, written on the first start with the signature of the
     * query's state. A restart with a query whose stateful operators differ is refused: its state would be misread.
     */
    private UUID readOrCreateMetadata(List<String> stateSignature, int partitions) {
        Path metadata = checkpoint.resolve("metadata");
        if (Files.exists(metadata)) {
            JsonNode node;
            try {
                node = JSON.readTree(Files.readString(metadata, StandardCharsets.UTF_8));
            } catch (IOException | RuntimeException e) {
                throw new BrookException(
                        ErrorCode.INCOMPATIBLE_CHECKPOINT, "cannot read the query id from " + metadata + ": " + e, e);
            }
            JsonNode stored = node.get("state");
            if (stored != null) {
                List<String> before = new ArrayList<>();
                stored.forEach(line -> before.add(line.asText()));
                if (!before.equals(stateSignature)) {
                    throw new BrookException(
                            ErrorCode.INCOMPATIBLE_CHECKPOINT,
                            "the checkpoint " + checkpoint + " belongs to a query with other stateful operators: it"
                                    + " has " + before + ", this query has " + stateSignature + "; restore the"
                                    + " query's groupBy/aggregates/dropDuplicates, or use a new checkpointLocation");
                }
            }
            return UUID.fromString(node.get("id").asText());
        }
        UUID created = UUID.randomUUID();
        com.fasterxml.jackson.databind.node.ObjectNode node = JSON.createObjectNode();
        node.put("id", created.toString());
        node.put("partitions", partitions);
        com.fasterxml.jackson.databind.node.ArrayNode state = node.putArray("state");
        stateSignature.forEach(state::add);
        CheckpointLog.writeAtomically(metadata, node + "\n");
        return created;
    }

    /**
     * The number of state partitions a checkpoint was written with, if it exists: a restarted query keeps it whatever
     * the session now says, as Spark keeps its shuffle partitions, because the state is split that way.
     */
    public static java.util.OptionalInt checkpointPartitions(Path checkpoint) {
        Path metadata = checkpoint.resolve("metadata");
        if (!Files.exists(metadata)) {
            return java.util.OptionalInt.empty();
        }
        try {
            JsonNode partitions = JSON.readTree(Files.readString(metadata, StandardCharsets.UTF_8))
                    .get("partitions");
            return partitions == null ? java.util.OptionalInt.of(1) : java.util.OptionalInt.of(partitions.asInt());
        } catch (IOException | RuntimeException e) {
            throw new BrookException(
                    ErrorCode.INCOMPATIBLE_CHECKPOINT, "cannot read the checkpoint metadata " + metadata + ": " + e, e);
        }
    }

    public UUID id() {
        return id;
    }

    public UUID runId() {
        return runId;
    }

    public String name() {
        return name;
    }

    public void start() {
        for (StreamingQueryListener listener : listeners) {
            listener.onQueryStarted(id, runId, name);
        }
        thread.start();
    }

    private void run() {
        try {
            runBatches();
        } catch (Throwable e) {
            if (!stopping) {
                exception = e;
                LOGGER.error("[query {} id={}] failed", name, id, e);
            }
        } finally {
            closeQuietly();
            status = "Stopped";
            for (StreamingQueryListener listener : listeners) {
                listener.onQueryTerminated(id, runId, exception);
            }
            terminated.countDown();
        }
    }

    private void runBatches() throws InterruptedException {
        for (int i = 0; i < sources.size(); i++) {
            sources.get(i).source().initialize(checkpoint.resolve("sources").resolve(Integer.toString(i)));
        }
        List<Offset> committed = new ArrayList<>();
        for (NamedSource source : sources) {
            committed.add(source.source().initialOffset());
        }
        long lastOffsets = offsetLog.latest().orElse(-1);
        long lastCommit = commitLog.latest().orElse(-1);
        long nextBatch = 0;
        if (lastOffsets >= 0) {
            if (lastCommit >= 0) {
                committed = readOffsets(lastCommit);
                String commitMetadata = commitLog.read(lastCommit).orElseThrow().get(0);
                watermarkMicros = metadataLong(commitMetadata, "nextBatchWatermarkMicros");
                readOperatorWatermarks(commitMetadata);
                String lastBatch = offsetLog.read(lastCommit).orElseThrow().get(0);
                lastBatchWatermark = metadataLong(lastBatch, "batchWatermarkMicros");
                long lastTimestamp = metadataLong(lastBatch, "batchTimestampMs");
                if (lastTimestamp != Long.MIN_VALUE) {
                    lastBatchProcessingWatermark = processingWatermark(lastBatchWatermark, lastTimestamp);
                }
            }
            if (lastCommit < lastOffsets) {
                List<Offset> start = lastOffsets == 0 ? committed : readOffsets(lastOffsets - 1);
                LOGGER.info("[query {} id={}] re-running uncommitted batch {}", name, id, lastOffsets);
                String metadata = offsetLog.read(lastOffsets).orElseThrow().get(0);
                watermarkMicros = metadataLong(metadata, "batchWatermarkMicros");
                // The batch runs again at the time it was first triggered, so the state TTL expires the same entries.
                long logged = metadataLong(metadata, "batchTimestampMs");
                runBatch(
                        lastOffsets,
                        start,
                        readOffsets(lastOffsets),
                        logged == Long.MIN_VALUE ? clockMillis.getAsLong() : logged);
                committed = readOffsets(lastOffsets);
            }
            nextBatch = lastOffsets + 1;
        }
        boolean once = trigger.kind() == Trigger.Kind.ONCE;
        while (!stopping) {
            long triggerStart = clockMillis.getAsLong();
            long poll = pollsStarted.incrementAndGet();
            status = "Getting offsets from sources";
            List<Offset> ends = new ArrayList<>();
            boolean hasData = false;
            for (int i = 0; i < sources.size(); i++) {
                NamedSource source = sources.get(i);
                ReadLimit limit = once ? ReadLimit.ALL : source.limit();
                Offset end = source.source().latestOffset(committed.get(i), limit);
                ends.add(end);
                hasData |= !end.equals(committed.get(i));
            }
            if (!hasData
                    && pipeline.statefulOperators() > 0
                    && outputMode != OutputMode.COMPLETE
                    && (watermarkMicros > lastBatchWatermark
                            // Once every source has ended, the final watermark closes them all (below).
                            || (processingTimeWindowsEnded(triggerStart) && !allEnded(committed)))) {
                // As Spark does: a batch without data, so that windows the new watermark closes are emitted now.
                offsetLog.write(nextBatch, offsetLines(committed, triggerStart));
                runBatch(nextBatch, committed, committed, triggerStart);
                nextBatch++;
                continue;
            }
            if (!hasData
                    && watermarkMicros < END_OF_TIME
                    && (!operatorWatermarks.isEmpty() || pipeline.readsProcessingTime())
                    && allEnded(committed)) {
                // Every source has ended: the final watermark closes every window and session still open.
                watermarkMicros = END_OF_TIME;
                continue;
            }
            if (!hasData) {
                lastIdlePoll = poll;
                if (!inputEnded && allEnded(committed)) {
                    inputEnded = true;
                    sink.inputEnded();
                }
                if (trigger.kind() == Trigger.Kind.ONCE || trigger.kind() == Trigger.Kind.AVAILABLE_NOW) {
                    return;
                }
                status = "Waiting for data to arrive";
                waitFor(trigger.kind() == Trigger.Kind.PROCESSING_TIME ? trigger.intervalMillis() : IDLE_POLL_MILLIS);
                continue;
            }
            offsetLog.write(nextBatch, offsetLines(ends, triggerStart));
            runBatch(nextBatch, committed, ends, triggerStart);
            committed = ends;
            nextBatch++;
            if (once) {
                return;
            }
            if (trigger.kind() == Trigger.Kind.PROCESSING_TIME) {
                long elapsed = clockMillis.getAsLong() - triggerStart;
                waitFor(Math.max(0, trigger.intervalMillis() - elapsed));
            }
        }
    }

    /** Whether processing-time windows have ended since the last batch (their ends are multiples of the step). */
    private boolean processingTimeWindowsEnded(long timestampMillis) {
        long step = pipeline.processingTimeStepMicros();
        return step > 0
                && lastBatchProcessingWatermark != Long.MIN_VALUE
                && Math.floorDiv(processingWatermark(watermarkMicros, timestampMillis), step)
                        > Math.floorDiv(lastBatchProcessingWatermark, step);
    }

    /**
     * The processing-time watermark of a batch with this event-time watermark, triggered at this time: just below the
     * time, or the end of time once every source has ended (so the last processing-time windows close too).
     */
    private static long processingWatermark(long watermarkMicros, long timestampMillis) {
        return watermarkMicros >= END_OF_TIME ? END_OF_TIME : BatchContext.processingWatermark(timestampMillis);
    }

    private boolean allEnded(List<Offset> offsets) {
        for (int i = 0; i < sources.size(); i++) {
            if (!sources.get(i).source().hasEnded(offsets.get(i))) {
                return false;
            }
        }
        return !sources.isEmpty();
    }

    private void waitFor(long millis) throws InterruptedException {
        if (millis > 0 && !stopping) {
            Thread.sleep(millis);
        }
    }

    private List<String> offsetLines(List<Offset> ends, long timestampMillis) {
        List<String> lines = new ArrayList<>();
        lines.add("{\"batchWatermarkMs\":" + millis(watermarkMicros) + ",\"batchTimestampMs\":" + timestampMillis
                + ",\"batchWatermarkMicros\":" + watermarkMicros + "}");
        for (Offset end : ends) {
            lines.add(end.json());
        }
        return lines;
    }

    private static long millis(long micros) {
        return micros == Long.MIN_VALUE ? 0 : Math.floorDiv(micros, 1000);
    }

    /** A number field of a log entry's metadata line; {@link Long#MIN_VALUE} when absent (no watermark). */
    private static long metadataLong(String json, String field) {
        try {
            JsonNode value = JSON.readTree(json).get(field);
            return value == null ? Long.MIN_VALUE : value.asLong();
        } catch (IOException e) {
            throw new BrookException(
                    ErrorCode.INCOMPATIBLE_CHECKPOINT, "cannot read the checkpoint's metadata line " + json, e);
        }
    }

    private List<Offset> readOffsets(long batchId) {
        List<String> lines = offsetLog
                .read(batchId)
                .orElseThrow(() -> new BrookException(
                        ErrorCode.INCOMPATIBLE_CHECKPOINT,
                        "the checkpoint has no offsets for batch " + batchId + " in " + offsetLog.directory()));
        if (lines.size() - 1 != sources.size()) {
            throw new BrookException(
                    ErrorCode.INCOMPATIBLE_CHECKPOINT,
                    "the checkpoint " + checkpoint + " was written by a query with " + (lines.size() - 1)
                            + " sources; this query has " + sources.size()
                            + ". Use a new checkpointLocation for a changed query");
        }
        List<Offset> offsets = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            offsets.add(new Offset(line));
        }
        return offsets;
    }

    private void runBatch(long batchId, List<Offset> starts, List<Offset> ends, long triggerStart) {
        status = "Processing new data";
        long started = clockMillis.getAsLong();
        BatchObservations observed = new BatchObservations();
        long processingWatermark = processingWatermark(watermarkMicros, triggerStart);
        BatchContext context = new BatchContext(
                batchId,
                outputMode,
                watermarkMicros,
                lastBatchWatermark,
                processingWatermark,
                lastBatchProcessingWatermark,
                triggerStart,
                (operator, partition) -> state.open(operator, partition, batchId, triggerStart),
                observed);
        pipeline.begin(context);
        long inputRows = 0;
        List<StreamingQueryProgress.SourceProgress> sourceProgress = new ArrayList<>();
        for (int i = 0; i < sources.size(); i++) {
            NamedSource source = sources.get(i);
            long rows = 0;
            long[] read = {0};
            try (Pipeline.Pusher pusher = pipeline.pusher(source.table())) {
                source.source().read(starts.get(i), ends.get(i), batch -> {
                    read[0] += batch.rowCount();
                    pusher.accept(batch);
                });
            }
            rows = read[0];
            inputRows += rows;
            sourceProgress.add(new StreamingQueryProgress.SourceProgress(
                    source.source().description(),
                    starts.get(i).json(),
                    ends.get(i).json(),
                    rows,
                    0,
                    0));
        }
        List<Batch> output;
        long batchWatermark = watermarkMicros;
        try {
            output = pipeline.finish(context);
            for (int operator = 0; operator < pipeline.statefulOperators(); operator++) {
                state.removeExpired(operator, batchId, triggerStart);
            }
        } catch (RuntimeException e) {
            state.abort();
            throw e;
        }
        long processed = clockMillis.getAsLong();
        if (!sink.acceptsRetractions()) {
            output = output.stream().filter(batch -> !batch.retracting()).toList();
        }
        sink.addBatch(batchId, outputSchema, output);
        long sinkDone = clockMillis.getAsLong();
        advanceWatermark(observed);
        state.commit();
        commitLog.write(
                batchId,
                List.of("{\"nextBatchWatermarkMs\":" + millis(watermarkMicros) + ",\"nextBatchWatermarkMicros\":"
                        + watermarkMicros + operatorWatermarksJson() + "}"));
        lastBatchWatermark = batchWatermark;
        lastBatchProcessingWatermark = processingWatermark;
        sink.watermarkAdvanced(watermarkMicros);
        for (int i = 0; i < sources.size(); i++) {
            sources.get(i).source().commit(ends.get(i));
        }
        long done = clockMillis.getAsLong();
        report(
                batchId,
                inputRows,
                output,
                sourceProgress,
                triggerStart,
                started,
                processed,
                sinkDone,
                done,
                batchWatermark,
                observed);
    }

    private void report(
            long batchId,
            long inputRows,
            List<Batch> output,
            List<StreamingQueryProgress.SourceProgress> sourceProgress,
            long triggerStart,
            long started,
            long processed,
            long sinkDone,
            long done,
            long batchWatermark,
            BatchObservations observations) {
        long outputRows = output.stream().mapToLong(Batch::rowCount).sum();
        double seconds = Math.max(1, done - triggerStart) / 1000.0;
        double processedRate = inputRows / seconds;
        StreamingQueryProgress previous = lastProgress();
        double inputRate = previous == null
                ? processedRate
                : inputRows
                        / Math.max(
                                0.001,
                                (triggerStart
                                                - Instant.parse(previous.timestamp())
                                                        .toEpochMilli())
                                        / 1000.0);
        List<StreamingQueryProgress.SourceProgress> sourcesWithRates = new ArrayList<>();
        for (StreamingQueryProgress.SourceProgress source : sourceProgress) {
            sourcesWithRates.add(new StreamingQueryProgress.SourceProgress(
                    source.description(),
                    source.startOffset(),
                    source.endOffset(),
                    source.numInputRows(),
                    inputRows == 0 ? 0 : inputRate * source.numInputRows() / inputRows,
                    inputRows == 0 ? 0 : processedRate * source.numInputRows() / inputRows));
        }
        Map<String, Long> durations = new LinkedHashMap<>();
        durations.put("latestOffset", started - triggerStart);
        durations.put("execution", processed - started);
        durations.put("addBatch", sinkDone - processed);
        durations.put("commit", done - sinkDone);
        durations.put("triggerExecution", done - triggerStart);
        List<StreamingQueryProgress.StateOperatorProgress> operators = new ArrayList<>();
        for (int operator = 0; operator < pipeline.statefulOperators(); operator++) {
            long[] metrics = state.metrics(operator);
            operators.add(new StreamingQueryProgress.StateOperatorProgress(
                    "stateStoreSave",
                    metrics[0],
                    metrics[1],
                    metrics[2],
                    observations.dropped.getOrDefault(operator, 0L),
                    metrics[3]));
        }
        StreamingQueryProgress progress = new StreamingQueryProgress(
                id.toString(),
                runId.toString(),
                name,
                Instant.ofEpochMilli(triggerStart).toString(),
                batchId,
                inputRows,
                inputRate,
                processedRate,
                durations,
                eventTime(batchWatermark, observations),
                operators,
                sourcesWithRates,
                new StreamingQueryProgress.SinkProgress(sink.description(), outputRows));
        synchronized (recent) {
            recent.addLast(progress);
            if (recent.size() > RECENT_PROGRESS) {
                recent.removeFirst();
            }
        }
        for (StreamingQueryListener listener : listeners) {
            listener.onQueryProgress(progress);
        }
    }

    /** What one batch's operators reported, from the threads their partitions run on. */
    private static final class BatchObservations implements BatchContext.BatchObserver {
        final Map<Integer, long[]> eventTimes = new java.util.concurrent.ConcurrentHashMap<>();
        final Map<Integer, Long> dropped = new java.util.concurrent.ConcurrentHashMap<>();

        @Override
        public void eventTime(int watermarkOperatorId, long maxEventTimeMicros, long delayMicros) {
            eventTimes.put(watermarkOperatorId, new long[] {maxEventTimeMicros, delayMicros});
        }

        @Override
        public void droppedByWatermark(int operatorId, long rows) {
            dropped.merge(operatorId, rows, Long::sum);
        }
    }

    /**
     * Spark's global watermark policy "min": each watermark operator's largest event time minus its delay, across
     * batches; the watermark is the smallest of those, and it never goes back.
     */
    private void advanceWatermark(BatchObservations observations) {
        for (Map.Entry<Integer, long[]> entry : observations.eventTimes.entrySet()) {
            long candidate = entry.getValue()[0] - entry.getValue()[1];
            operatorWatermarks.merge(entry.getKey(), candidate, Math::max);
        }
        if (!operatorWatermarks.isEmpty()) {
            long global = operatorWatermarks.values().stream()
                    .mapToLong(Long::longValue)
                    .min()
                    .orElseThrow();
            watermarkMicros = Math.max(watermarkMicros, global);
        }
    }

    /**
     * Each watermark operator's candidate, for the commit log: on restart the watermark stays the minimum over all of
     * them, even when the first batch after it reads from only some of the watermarked streams.
     */
    private String operatorWatermarksJson() {
        if (operatorWatermarks.isEmpty()) {
            return "";
        }
        StringBuilder json = new StringBuilder(",\"watermarkOperatorsMicros\":{");
        new java.util.TreeMap<>(operatorWatermarks).forEach((operator, micros) -> {
            if (json.charAt(json.length() - 1) != '{') {
                json.append(',');
            }
            json.append('"').append(operator).append("\":").append(micros);
        });
        return json.append('}').toString();
    }

    private void readOperatorWatermarks(String commitMetadata) {
        try {
            JsonNode operators = JSON.readTree(commitMetadata).get("watermarkOperatorsMicros");
            if (operators != null) {
                operators
                        .fields()
                        .forEachRemaining(entry -> operatorWatermarks.put(
                                Integer.valueOf(entry.getKey()),
                                entry.getValue().asLong()));
            }
        } catch (IOException | RuntimeException e) {
            throw new BrookException(
                    ErrorCode.INCOMPATIBLE_CHECKPOINT, "cannot read the checkpoint's commit line " + commitMetadata, e);
        }
    }

    private static Map<String, String> eventTime(long batchWatermark, BatchObservations observations) {
        Map<String, String> result = new LinkedHashMap<>();
        long max = observations.eventTimes.values().stream()
                .mapToLong(values -> values[0])
                .max()
                .orElse(Long.MIN_VALUE);
        if (max != Long.MIN_VALUE) {
            result.put("max", instant(max));
        }
        if (batchWatermark != Long.MIN_VALUE) {
            result.put("watermark", instant(batchWatermark));
        }
        return result;
    }

    private static String instant(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L)
                .toString();
    }

    public StreamingQueryProgress lastProgress() {
        synchronized (recent) {
            return recent.peekLast();
        }
    }

    public List<StreamingQueryProgress> recentProgress() {
        synchronized (recent) {
            return List.copyOf(recent);
        }
    }

    public String status() {
        return status;
    }

    public boolean isActive() {
        return terminated.getCount() > 0;
    }

    public Throwable exception() {
        return exception;
    }

    /** Waits until every source's data available now has been processed and committed (for tests). */
    public void processAllAvailable() throws InterruptedException {
        long target = pollsStarted.get() + 1;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (isActive() && lastIdlePoll < target) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("query " + name + " did not catch up within 60 s");
            }
            Thread.sleep(1);
        }
        throwIfFailed();
    }

    public void awaitTermination() throws InterruptedException {
        terminated.await();
        throwIfFailed();
    }

    public boolean awaitTermination(long timeoutMillis) throws InterruptedException {
        boolean done = terminated.await(timeoutMillis, TimeUnit.MILLISECONDS);
        throwIfFailed();
        return done;
    }

    private void throwIfFailed() {
        Throwable failure = exception;
        if (failure != null) {
            throw new BrookException(
                    ErrorCode.QUERY_FAILED, "query " + name + " [id = " + id + "] failed: " + failure, failure);
        }
    }

    public void stop() throws InterruptedException {
        stopping = true;
        thread.interrupt();
        terminated.await();
    }

    private void closeQuietly() {
        for (NamedSource source : sources) {
            try {
                source.source().close();
            } catch (Exception e) {
                LOGGER.warn(
                        "[query {}] closing {} failed", name, source.source().description(), e);
            }
        }
        try {
            sink.close();
        } catch (Exception e) {
            LOGGER.warn("[query {}] closing {} failed", name, sink.description(), e);
        }
        state.close();
    }
}
