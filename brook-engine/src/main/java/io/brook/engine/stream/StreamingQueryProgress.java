package io.brook.engine.stream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.List;
import java.util.Map;

/**
 * The report of one micro-batch, with the fields of Spark's {@code StreamingQueryProgress}: rows and rates, the time of
 * each phase, the watermark, each stateful operator's rows and memory, and each source's offsets. {@link #json} prints
 * it as Spark does.
 */
public record StreamingQueryProgress(
        String id,
        String runId,
        String name,
        String timestamp,
        long batchId,
        long numInputRows,
        double inputRowsPerSecond,
        double processedRowsPerSecond,
        Map<String, Long> durationMs,
        Map<String, String> eventTime,
        List<StateOperatorProgress> stateOperators,
        List<SourceProgress> sources,
        SinkProgress sink) {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public StreamingQueryProgress {
        durationMs = Map.copyOf(durationMs);
        eventTime = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(eventTime));
        stateOperators = List.copyOf(stateOperators);
        sources = List.copyOf(sources);
    }

    /**
     * A stateful operator after the batch: keys in its state, keys written in this batch, approximate memory, input
     * rows dropped as late, and keys removed because no batch had updated them for longer than the state TTL
     * ({@code brook.state.ttl}; always 0 without one).
     */
    public record StateOperatorProgress(
            String operatorName,
            long numRowsTotal,
            long numRowsUpdated,
            long memoryUsedBytes,
            long numRowsDroppedByWatermark,
            long numRowsRemovedByTtl) {}

    public record SourceProgress(
            String description,
            String startOffset,
            String endOffset,
            long numInputRows,
            double inputRowsPerSecond,
            double processedRowsPerSecond) {}

    public record SinkProgress(String description, long numOutputRows) {}

    public String json() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write progress as JSON", e);
        }
    }

    @Override
    public String toString() {
        return json();
    }
}
