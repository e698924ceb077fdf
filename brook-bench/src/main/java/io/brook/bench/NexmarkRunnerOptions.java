package io.brook.bench;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The command line of a Nexmark runner, the same for {@link BrookNexmarkRunner} and SparkNexmarkRunner:
 * {@code --query qN --queries-dir DIR --work-dir DIR --bootstrap HOST:PORT --topic T --max-offsets N
 * --deadline-seconds S}. {@link #arguments()} writes it, {@link #parse} reads it.
 */
record NexmarkRunnerOptions(
        String query,
        Path queriesDir,
        Path workDir,
        String bootstrap,
        String topic,
        long maxOffsets,
        int deadlineSeconds) {

    private static final List<String> KEYS =
            List.of("query", "queries-dir", "work-dir", "bootstrap", "topic", "max-offsets", "deadline-seconds");

    NexmarkRunnerOptions {
        requireNonNull(query, "query is null");
        if (!query.matches("q[0-9]+")) {
            throw new IllegalArgumentException("query is q0, q1, ...; got '" + query + "'");
        }
        requireNonNull(queriesDir, "queriesDir is null");
        requireNonNull(workDir, "workDir is null");
        requireNonNull(bootstrap, "bootstrap is null");
        requireNonNull(topic, "topic is null");
        if (maxOffsets <= 0) {
            throw new IllegalArgumentException("max-offsets must be > 0; got " + maxOffsets);
        }
        if (deadlineSeconds <= 0) {
            throw new IllegalArgumentException("deadline-seconds must be > 0; got " + deadlineSeconds);
        }
    }

    List<String> arguments() {
        List<String> arguments = new ArrayList<>();
        arguments.addAll(List.of("--query", query));
        arguments.addAll(List.of("--queries-dir", queriesDir.toString()));
        arguments.addAll(List.of("--work-dir", workDir.toString()));
        arguments.addAll(List.of("--bootstrap", bootstrap));
        arguments.addAll(List.of("--topic", topic));
        arguments.addAll(List.of("--max-offsets", Long.toString(maxOffsets)));
        arguments.addAll(List.of("--deadline-seconds", Integer.toString(deadlineSeconds)));
        return List.copyOf(arguments);
    }

    static NexmarkRunnerOptions parse(String[] args) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --option value pairs; got " + Arrays.toString(args));
            }
            String key = args[i].substring(2);
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException("unknown option --" + key + "; known: " + KEYS);
            }
            values.put(key, args[i + 1]);
        }
        if (!values.keySet().containsAll(KEYS)) {
            throw new IllegalArgumentException("every option is required: " + KEYS + "; got " + values.keySet());
        }
        return new NexmarkRunnerOptions(
                values.get("query"),
                Path.of(values.get("queries-dir")),
                Path.of(values.get("work-dir")),
                values.get("bootstrap"),
                values.get("topic"),
                Long.parseLong(values.get("max-offsets")),
                Integer.parseInt(values.get("deadline-seconds")));
    }
}
