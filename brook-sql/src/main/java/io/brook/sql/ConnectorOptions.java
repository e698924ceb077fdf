package io.brook.sql;

import io.brook.engine.BrookException;
import io.brook.engine.ErrorCode;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A CREATE statement's {@code WITH (...)} options for one connector: read by any of their names (Brook's, Spark's or
 * Flink's), and every option nobody read is an error that lists what the connector knows, so a typo never passes
 * silently.
 */
final class ConnectorOptions {
    private final String relation;
    private final String connector;
    private final Map<String, String> options;
    private final Set<String> used = new LinkedHashSet<>();
    private final Set<String> known = new LinkedHashSet<>();

    ConnectorOptions(String relation, String connector, Map<String, String> options) {
        this.relation = relation;
        this.connector = connector;
        this.options = new LinkedHashMap<>(options);
        used.add("connector");
        used.add("connector.type");
    }

    String connector() {
        return connector;
    }

    /** The value of the first of these names that is given. */
    Optional<String> get(String... names) {
        known.add(names[0]);
        for (String name : names) {
            if (options.containsKey(name)) {
                used.add(name);
                return Optional.of(options.get(name));
            }
        }
        return Optional.empty();
    }

    String require(String what, String... names) {
        return get(names)
                .orElseThrow(() -> new BrookException(
                        ErrorCode.INVALID_OPTION,
                        relation + ": the " + connector + " connector needs option '" + names[0] + "' (" + what + ")"));
    }

    /** Every option whose name starts with the prefix, without it (Flink's {@code properties.*}). */
    Map<String, String> withPrefix(String prefix) {
        known.add(prefix + "*");
        Map<String, String> result = new LinkedHashMap<>();
        for (Map.Entry<String, String> option : options.entrySet()) {
            if (option.getKey().startsWith(prefix)) {
                used.add(option.getKey());
                result.put(option.getKey().substring(prefix.length()), option.getValue());
            }
        }
        return result;
    }

    /** Options passed on to the engine as they are (its own checks apply): marks them read. */
    Map<String, String> passThrough(List<String> names) {
        Map<String, String> result = new LinkedHashMap<>();
        for (String name : names) {
            get(name).ifPresent(value -> result.put(name, value));
        }
        return result;
    }

    /** Refuses options that no one read. */
    void checkAllUsed() {
        for (String key : options.keySet()) {
            if (!used.contains(key)) {
                throw new BrookException(
                        ErrorCode.INVALID_OPTION,
                        relation + ": unknown option '" + key + "' for the " + connector + " connector"
                                + io.brook.engine.plan.Names.didYouMean(key, known) + "; it knows "
                                + String.join(", ", known));
            }
        }
    }
}
