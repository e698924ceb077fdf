package io.brook.bench;

import static java.util.Objects.requireNonNull;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * The Nexmark benchmark's report: a table of events per second and output rows per query for Spark and Brook (the
 * ratio Brook/Spark, and a note where the row counts differ or an engine refused or failed a query), the same per core
 * next to the Flink Nexmark suite's published throughput per core, the reasons for refusals and failures, notes, and as
 * the last line {@code summary key=value ...}.
 */
final class NexmarkReport {
    static final String NOT_AVAILABLE = "n/a";

    /**
     * Flink's "Throughput/Cores" from the nexmark/nexmark repository's GUIDE_V1.md (linked from its README), commit
     * 6b3646c3: 100 M events from Flink's datagen source at 10 M events/s, 3 workers of 8 cores, parallelism 8, RocksDB
     * state, mini-batches; in thousands of events per second per core.
     */
    static final Map<String, Double> FLINK_PER_CORE_THOUSANDS = flink();

    static final String FLINK_SOURCE = "Flink: \"Throughput/Cores\" of the example result table in GUIDE_V1.md of"
            + " github.com/nexmark/nexmark (commit 6b3646c3, linked from its README): Flink 1.13-2.0 on 3 workers of 8"
            + " cores / 32 GB, 8 TaskManagers of 1 slot, parallelism 8, RocksDB incremental checkpoints every 3 min,"
            + " mini-batch 2 s / 50000 rows; 100 M events from the datagen source (no Kafka, no JSON) at 10 M events/s;"
            + " cores measured by a CPU collector per node.";

    private NexmarkReport() {}

    private static Map<String, Double> flink() {
        Map<String, Double> figures = new LinkedHashMap<>();
        figures.put("q0", 155.02);
        figures.put("q1", 157.94);
        figures.put("q2", 175.21);
        figures.put("q3", 152.12);
        figures.put("q4", 34.33);
        figures.put("q5", 22.14);
        figures.put("q7", 12.33);
        figures.put("q8", 146.14);
        return java.util.Collections.unmodifiableMap(figures);
    }

    /**
     * How one engine did on one query: events per second of wall time and per second of its JVM's CPU time, and rows
     * written, or why there are none.
     */
    record Outcome(
            OptionalDouble eventsPerSecond,
            OptionalDouble eventsPerCpuSecond,
            OptionalLong rows,
            double seconds,
            String problem) {
        Outcome {
            requireNonNull(eventsPerSecond, "eventsPerSecond is null");
            requireNonNull(eventsPerCpuSecond, "eventsPerCpuSecond is null");
            requireNonNull(rows, "rows is null");
        }

        static Outcome measured(double eventsPerSecond, OptionalDouble eventsPerCpuSecond, long rows, double seconds) {
            return new Outcome(
                    OptionalDouble.of(eventsPerSecond), eventsPerCpuSecond, OptionalLong.of(rows), seconds, null);
        }

        /** The engine would not start the query. */
        static Outcome refused(String reason) {
            return new Outcome(
                    OptionalDouble.empty(), OptionalDouble.empty(), OptionalLong.empty(), 0, "refused: " + reason);
        }

        static Outcome failed(String reason) {
            return new Outcome(
                    OptionalDouble.empty(), OptionalDouble.empty(), OptionalLong.empty(), 0, "failed: " + reason);
        }

        static Outcome notRun() {
            return new Outcome(
                    OptionalDouble.empty(), OptionalDouble.empty(), OptionalLong.empty(), 0, "not run (BENCH_SYSTEMS)");
        }

        boolean refused() {
            return problem != null && problem.startsWith("refused: ");
        }
    }

    record QueryResult(String query, Outcome spark, Outcome brook) {
        QueryResult {
            requireNonNull(query, "query is null");
            requireNonNull(spark, "spark is null");
            requireNonNull(brook, "brook is null");
        }

        /** "rows differ", "Spark refused", ... or empty. */
        String note() {
            List<String> notes = new ArrayList<>();
            if (spark.rows().isPresent()
                    && brook.rows().isPresent()
                    && spark.rows().getAsLong() != brook.rows().getAsLong()) {
                notes.add("ROWS DIFFER");
            }
            note(notes, "Spark", spark);
            note(notes, "Brook", brook);
            return String.join("; ", notes);
        }

        private static void note(List<String> notes, String engine, Outcome outcome) {
            if (outcome.problem() != null) {
                String problem = outcome.problem();
                notes.add(engine + " "
                        + (problem.startsWith("not run") ? "not run" : problem.substring(0, problem.indexOf(':'))));
            }
        }
    }

    static void print(
            PrintWriter out,
            List<String> header,
            List<QueryResult> results,
            int cores,
            long events,
            List<String> notes) {
        header.forEach(out::println);
        out.println();
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"query", "Spark ev/s", "Brook ev/s", "Brook/Spark", "rows Spark", "rows Brook", "note"});
        for (QueryResult result : results) {
            rows.add(new String[] {
                result.query(),
                rate(result.spark().eventsPerSecond()),
                rate(result.brook().eventsPerSecond()),
                ratio(result.spark().eventsPerSecond(), result.brook().eventsPerSecond()),
                count(result.spark().rows()),
                count(result.brook().rows()),
                result.note()
            });
        }
        printTable(out, rows);
        out.println();
        out.printf(
                Locale.ROOT,
                "Events/s per core (%d cores; the events divided by the wall time and the cores):%n",
                cores);
        List<String[]> perCore = new ArrayList<>();
        perCore.add(new String[] {"query", "Spark ev/s/core", "Brook ev/s/core", "Flink ev/s/core (published)"});
        for (QueryResult result : results) {
            Double flink = FLINK_PER_CORE_THOUSANDS.get(result.query());
            perCore.add(new String[] {
                result.query(),
                perCore(result.spark().eventsPerSecond(), cores),
                perCore(result.brook().eventsPerSecond(), cores),
                flink == null ? NOT_AVAILABLE : String.format(Locale.ROOT, "%.0f", flink * 1000)
            });
        }
        printTable(out, perCore);
        out.println("  " + FLINK_SOURCE);
        out.println();
        out.println(
                "Events per CPU-second (the events divided by the CPU time of the engine's JVM, all threads, over the"
                        + " same interval; less swayed than wall time by other work on the machine):");
        List<String[]> perCpu = new ArrayList<>();
        perCpu.add(new String[] {"query", "Spark ev/CPU-s", "Brook ev/CPU-s", "Brook/Spark"});
        for (QueryResult result : results) {
            perCpu.add(new String[] {
                result.query(),
                rate(result.spark().eventsPerCpuSecond()),
                rate(result.brook().eventsPerCpuSecond()),
                ratio(result.spark().eventsPerCpuSecond(), result.brook().eventsPerCpuSecond())
            });
        }
        printTable(out, perCpu);
        List<String> problems = new ArrayList<>();
        for (QueryResult result : results) {
            if (result.spark().problem() != null) {
                problems.add(result.query() + " spark " + result.spark().problem());
            }
            if (result.brook().problem() != null) {
                problems.add(result.query() + " brook " + result.brook().problem());
            }
        }
        if (!problems.isEmpty()) {
            out.println();
            out.println("Refused or failed (no figures):");
            problems.forEach(problem -> out.println("  " + problem));
        }
        if (!notes.isEmpty()) {
            out.println();
            out.println("Notes:");
            notes.forEach(note -> out.println("  - " + note));
        }
        out.println();
        out.println(summary(results, events));
        out.flush();
    }

    /**
     * {@code summary events=N q0_spark_eps=.. q0_brook_eps=.. q0_ratio=.. q0_cpu_ratio=.. q0_spark_rows=.. q0_brook_rows=.. ...
     * spark_ran=q0,q1 brook_ran=q0,q1,q5}.
     */
    static String summary(List<QueryResult> results, long events) {
        StringBuilder line = new StringBuilder("summary events=").append(events);
        List<String> sparkRan = new ArrayList<>();
        List<String> brookRan = new ArrayList<>();
        for (QueryResult result : results) {
            String q = result.query();
            line.append(' ')
                    .append(q)
                    .append("_spark_eps=")
                    .append(rate(result.spark().eventsPerSecond()));
            line.append(' ')
                    .append(q)
                    .append("_brook_eps=")
                    .append(rate(result.brook().eventsPerSecond()));
            line.append(' ')
                    .append(q)
                    .append("_ratio=")
                    .append(ratio(
                            result.spark().eventsPerSecond(), result.brook().eventsPerSecond()));
            line.append(' ')
                    .append(q)
                    .append("_cpu_ratio=")
                    .append(ratio(
                            result.spark().eventsPerCpuSecond(), result.brook().eventsPerCpuSecond()));
            line.append(' ')
                    .append(q)
                    .append("_spark_rows=")
                    .append(count(result.spark().rows()));
            line.append(' ')
                    .append(q)
                    .append("_brook_rows=")
                    .append(count(result.brook().rows()));
            if (result.spark().eventsPerSecond().isPresent()) {
                sparkRan.add(q);
            }
            if (result.brook().eventsPerSecond().isPresent()) {
                brookRan.add(q);
            }
        }
        line.append(" spark_ran=").append(sparkRan.isEmpty() ? "none" : String.join(",", sparkRan));
        line.append(" brook_ran=").append(brookRan.isEmpty() ? "none" : String.join(",", brookRan));
        return line.toString();
    }

    private static String rate(OptionalDouble value) {
        return value.isPresent() ? String.format(Locale.ROOT, "%.0f", value.getAsDouble()) : NOT_AVAILABLE;
    }

    private static String perCore(OptionalDouble value, int cores) {
        return value.isPresent() ? String.format(Locale.ROOT, "%.0f", value.getAsDouble() / cores) : NOT_AVAILABLE;
    }

    private static String count(OptionalLong value) {
        return value.isPresent() ? Long.toString(value.getAsLong()) : NOT_AVAILABLE;
    }

    static String ratio(OptionalDouble spark, OptionalDouble brook) {
        if (spark.isEmpty() || brook.isEmpty() || spark.getAsDouble() == 0) {
            return NOT_AVAILABLE;
        }
        return String.format(Locale.ROOT, "%.3f", brook.getAsDouble() / spark.getAsDouble());
    }

    /** Columns two apart; the first and last left-aligned, the numbers between right-aligned. */
    private static void printTable(PrintWriter out, List<String[]> rows) {
        int columns = rows.get(0).length;
        int[] widths = new int[columns];
        for (String[] row : rows) {
            for (int i = 0; i < columns; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < columns; i++) {
                if (i > 0) {
                    line.append("  ");
                }
                String padding = " ".repeat(widths[i] - row[i].length());
                boolean left = i == 0 || (i == columns - 1 && row.length == 7);
                line.append(left ? row[i] + padding : padding + row[i]);
            }
            out.println(line.toString().stripTrailing());
        }
    }
}
