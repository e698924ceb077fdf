package io.brook.engine.connector;

import static java.util.Objects.requireNonNull;

/**
 * A position in a source, as the JSON the source writes into the checkpoint's {@code offsets/<batchId>} file. Only the
 * source that made it reads its content; the engine compares offsets by their JSON.
 */
public record Offset(String json) {
    public Offset {
        requireNonNull(json, "json is null");
        if (json.contains("\n")) {
            throw new IllegalArgumentException("an offset's JSON must be one line: " + json);
        }
    }

    @Override
    public String toString() {
        return json;
    }
}
