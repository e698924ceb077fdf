package io.brook.bench;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;

/** The figures one system (Kafka or Brook) produced, and one error line per run that produced none. */
final class SystemResult {
    private final String system;
    private final Map<String, Double> values = new LinkedHashMap<>();
    private final Map<String, String> errors = new LinkedHashMap<>();

    SystemResult(String system) {
        this.system = requireNonNull(system, "system is null");
    }

    String system() {
        return system;
    }

    void put(String key, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("figure " + key + " of " + system + " must be finite, was " + value);
        }
        values.put(key, value);
    }

    void error(String run, String message) {
        errors.put(run, message);
    }

    OptionalDouble value(String key) {
        Double value = values.get(key);
        return value == null ? OptionalDouble.empty() : OptionalDouble.of(value);
    }

    /** Run name to error line, in the order they happened. */
    Map<String, String> errors() {
        return Collections.unmodifiableMap(errors);
    }
}
