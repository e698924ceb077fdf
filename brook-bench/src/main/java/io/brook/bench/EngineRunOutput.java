package io.brook.bench;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * What an engine runner ({@link BrookEngineRunner}, or SparkEngineRunner in brook-bench/spark) printed on stdout, one
 * record a line, each a kind and {@code key=value} fields ({@code reason=} last, taking the rest of the line):
 *
 * <pre>
 * info engine=spark version=4.2.0 ...
 * started ms=EPOCH_MS                        the query's start() returned
 * first_batch ms=EPOCH_MS                    the first progress report appeared
 * step rate=ROWS_PER_S start_ms=EPOCH_MS     a query at this rate started
 * batch rate=R id=N ts_ms=T rows=N trigger_ms=D max_event_ms=M   one progress report (max_event_ms -1: none)
 * step_end rate=R end_ms=EPOCH_MS status=ok|failed [reason=...]
 * ladder_end reason=...                      why the runner climbed no further
 * etl rows_out=N                             the Kafka JSON ETL's output holds N rows (its run is one step of rate 1)
 * rows_out count=N                           a Nexmark query wrote N rows to its sink (its run is one step of rate 1)
 * cpu ms=N                                   the runner's JVM used N ms of CPU time (all threads) during the step
 * refused reason=...                         the engine would not start the query (a Nexmark query it cannot run)
 * done
 * </pre>
 *
 * Other lines (an engine's own printing) are skipped. {@link #parse} checks the lines it reads and throws
 * {@link RunFailedException} naming the line it cannot read.
 */
record EngineRunOutput(
        Map<String, String> info,
        OptionalLong startedMillis,
        OptionalLong firstBatchMillis,
        List<Step> steps,
        String ladderEnd,
        OptionalLong etlRowsOut,
        OptionalLong rowsOut,
        OptionalLong cpuMillis,
        String refused,
        boolean done) {

    EngineRunOutput {
        info = Collections.unmodifiableMap(new LinkedHashMap<>(info));
        requireNonNull(startedMillis, "startedMillis is null");
        requireNonNull(firstBatchMillis, "firstBatchMillis is null");
        steps = List.copyOf(steps);
        requireNonNull(etlRowsOut, "etlRowsOut is null");
        requireNonNull(rowsOut, "rowsOut is null");
        requireNonNull(cpuMillis, "cpuMillis is null");
    }

    /** One progress report: when its trigger started, its input rows, its duration and the largest event time seen. */
    record Batch(long batchId, long timestampMillis, long rows, long triggerMillis, long maxEventMillis) {
        Batch {
            if (rows < 0) {
                throw new IllegalArgumentException("rows must be >= 0, was " + rows);
            }
            if (triggerMillis < 0) {
                throw new IllegalArgumentException("triggerMillis must be >= 0, was " + triggerMillis);
            }
        }

        boolean hasEventTime() {
            return maxEventMillis >= 0;
        }

        long endMillis() {
            return timestampMillis + triggerMillis;
        }
    }

    /**
     * One query at one rate: when it started and stopped ({@code endMillis} -1 when the runner never said) and its
     * batches. {@code failure} is null when it ended as planned.
     */
    record Step(long rate, long startMillis, long endMillis, List<Batch> batches, String failure) {
        Step {
            if (rate <= 0) {
                throw new IllegalArgumentException("rate must be > 0, was " + rate);
            }
            batches = List.copyOf(batches);
        }

        boolean failed() {
            return failure != null;
        }
    }

    static EngineRunOutput parse(String stdout) throws RunFailedException {
        Map<String, String> info = new LinkedHashMap<>();
        OptionalLong started = OptionalLong.empty();
        OptionalLong firstBatch = OptionalLong.empty();
        List<Step> steps = new ArrayList<>();
        String ladderEnd = null;
        OptionalLong etlRowsOut = OptionalLong.empty();
        OptionalLong rowsOut = OptionalLong.empty();
        OptionalLong cpuMillis = OptionalLong.empty();
        String refused = null;
        boolean done = false;
        long stepRate = -1;
        long stepStart = -1;
        List<Batch> batches = new ArrayList<>();
        int lineNumber = 0;
        for (String line : stdout.lines().toList()) {
            lineNumber++;
            String kind = line.indexOf(' ') < 0 ? line : line.substring(0, line.indexOf(' '));
            if (!RECORD_KINDS.contains(kind)) {
                continue;
            }
            Map<String, String> fields = fields(line, lineNumber);
            switch (kind) {
                case "info" -> info.putAll(fields);
                case "started" -> started = OptionalLong.of(number(fields, "ms", line, lineNumber));
                case "first_batch" -> firstBatch = OptionalLong.of(number(fields, "ms", line, lineNumber));
                case "step" -> {
                    if (stepRate > 0) {
                        steps.add(new Step(stepRate, stepStart, -1, batches, "the runner started the next step"));
                    }
                    stepRate = number(fields, "rate", line, lineNumber);
                    stepStart = number(fields, "start_ms", line, lineNumber);
                    batches = new ArrayList<>();
                }
                case "batch" -> {
                    throwIfNotInStep(stepRate, fields, line, lineNumber);
                    batches.add(new Batch(
                            number(fields, "id", line, lineNumber),
                            number(fields, "ts_ms", line, lineNumber),
                            number(fields, "rows", line, lineNumber),
                            number(fields, "trigger_ms", line, lineNumber),
                            number(fields, "max_event_ms", line, lineNumber)));
                }
                case "step_end" -> {
                    throwIfNotInStep(stepRate, fields, line, lineNumber);
                    String status = fields.getOrDefault("status", "");
                    String failure =
                            status.equals("ok") ? null : fields.getOrDefault("reason", "status '" + status + "'");
                    steps.add(new Step(
                            stepRate, stepStart, number(fields, "end_ms", line, lineNumber), batches, failure));
                    stepRate = -1;
                    batches = new ArrayList<>();
                }
                case "ladder_end" -> ladderEnd = fields.getOrDefault("reason", "");
                case "etl" -> etlRowsOut = OptionalLong.of(number(fields, "rows_out", line, lineNumber));
                case "rows_out" -> rowsOut = OptionalLong.of(number(fields, "count", line, lineNumber));
                case "cpu" -> cpuMillis = OptionalLong.of(number(fields, "ms", line, lineNumber));
                case "refused" -> refused = fields.getOrDefault("reason", "");
                case "done" -> done = true;
                default -> throw new IllegalStateException("unhandled record kind " + kind);
            }
        }
        if (stepRate > 0) {
            steps.add(new Step(stepRate, stepStart, -1, batches, "the runner stopped during this step"));
        }
        return new EngineRunOutput(
                info, started, firstBatch, steps, ladderEnd, etlRowsOut, rowsOut, cpuMillis, refused, done);
    }

    private static final List<String> RECORD_KINDS = List.of(
            "info",
            "started",
            "first_batch",
            "step",
            "batch",
            "step_end",
            "ladder_end",
            "etl",
            "rows_out",
            "cpu",
            "refused",
            "done");

    /** The {@code key=value} fields after the kind; {@code reason=} takes the rest of the line. */
    private static Map<String, String> fields(String line, int lineNumber) throws RunFailedException {
        Map<String, String> fields = new LinkedHashMap<>();
        String rest = line.indexOf(' ') < 0
                ? ""
                : line.substring(line.indexOf(' ') + 1).strip();
        while (!rest.isEmpty()) {
            int equals = rest.indexOf('=');
            if (equals <= 0) {
                throw new RunFailedException("runner output line " + lineNumber + " has a field without '=': " + line);
            }
            String key = rest.substring(0, equals);
            if (key.equals("reason")) {
                fields.put(key, rest.substring(equals + 1).strip());
                break;
            }
            int space = rest.indexOf(' ', equals);
            fields.put(key, space < 0 ? rest.substring(equals + 1) : rest.substring(equals + 1, space));
            rest = space < 0 ? "" : rest.substring(space + 1).strip();
        }
        return fields;
    }

    private static long number(Map<String, String> fields, String key, String line, int lineNumber)
            throws RunFailedException {
        String value = fields.get(key);
        if (value == null) {
            throw new RunFailedException("runner output line " + lineNumber + " has no " + key + "=: " + line);
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new RunFailedException(
                    "runner output line " + lineNumber + " has " + key + "=" + value + ", not a whole number: " + line,
                    e);
        }
    }

    private static void throwIfNotInStep(long stepRate, Map<String, String> fields, String line, int lineNumber)
            throws RunFailedException {
        if (stepRate <= 0) {
            throw new RunFailedException("runner output line " + lineNumber + " comes before any step: " + line);
        }
        String rate = fields.get("rate");
        if (rate != null && !rate.equals(Long.toString(stepRate))) {
            throw new RunFailedException("runner output line " + lineNumber + " names rate " + rate
                    + " inside the step at " + stepRate + ": " + line);
        }
    }
}
