package io.brook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.brook.engine.api.Brook;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code brook run}: SQL scripts to their end, with a progress line per micro-batch. */
class RunCommandTest {
    private static final Path EXAMPLES = Path.of("..", "examples", "nexmark");

    @TempDir
    Path directory;

    /** The example DDL with 1,000 events instead of ten million. */
    private Path boundedDdl() throws IOException {
        String ddl = Files.readString(EXAMPLES.resolve("ddl.sql"), StandardCharsets.UTF_8);
        String bounded = ddl.replace("'events.num' = '10000000'", "'events.num' = '1000'");
        assertThat(bounded).isNotEqualTo(ddl);
        return write("ddl.sql", bounded);
    }

    private Path write(String name, String text) throws IOException {
        Path file = directory.resolve(name);
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }

    @Test
    void runsTheNexmarkExampleToItsEndWithAProgressLinePerBatch() throws IOException {
        // Given
        SqlSessions.NoSignal signal = new SqlSessions.NoSignal();
        RunCommand command = new RunCommand(SqlSessions::fastClock, signal);

        // When
        CliRun run = CliRun.command(
                command,
                boundedDdl().toString(),
                EXAMPLES.resolve("q1.sql").toString(),
                "--set",
                "trigger=available-now");

        // Then
        assertThat(run.err).isEmpty();
        assertThat(run.exitCode).isZero();
        assertThat(run.out)
                .contains(
                        "Set trigger = available-now\n",
                        "Created source nexmark\n",
                        "Created view person\n",
                        "Created view auction\n",
                        "Created view bid\n",
                        "Created sink nexmark_q1\n",
                        "Started query nexmark_q1 ",
                        "Running 1 query (nexmark_q1) until they end; Ctrl-C stops them\n");
        assertThat(run.out)
                .containsPattern("(?m)^\\[nexmark_q1\\] batch 0: 1,000 rows, [0-9.,]+( [MG])? rows/s in, .* ms$");
        assertThat(run.out).endsWith("Every query has ended\n").doesNotContain("Stopping");
        assertThat(signal.finished).isZero();
    }

    @Test
    void aBoundedSelectPrintsItsTable() throws IOException {
        // Given
        Path script = write(
                "count.sql",
                "SET 'execution.runtime-mode' = 'batch';\n"
                        + "CREATE TABLE events (event_type INT) WITH ('connector' = 'nexmark', 'events.num' = '50');\n"
                        + "SELECT event_type, COUNT(*) AS events FROM events GROUP BY event_type ORDER BY event_type;\n");

        // When
        CliRun run =
                CliRun.command(new RunCommand(SqlSessions::fastClock, new SqlSessions.NoSignal()), script.toString());

        // Then
        assertThat(run.exitCode).isZero();
        assertThat(run.out)
                .contains("+----------+------+\n"
                        + "|event_type|events|\n"
                        + "+----------+------+\n"
                        + "|         0|     1|\n"
                        + "|         1|     3|\n"
                        + "|         2|    46|\n"
                        + "+----------+------+\n"
                        + "3 rows\n");
    }

    @Test
    void aStatementErrorShowsTheScriptsLineAndCaretAndFails() throws IOException {
        // Given
        Path script = write(
                "typo.sql",
                "CREATE TABLE events (event_type INT) WITH ('connector' = 'nexmark');\n"
                        + "SELECT event_typo\n"
                        + "FROM events;\n");

        // When
        CliRun run =
                CliRun.command(new RunCommand(SqlSessions::fastClock, new SqlSessions.NoSignal()), script.toString());

        // Then
        assertThat(run.exitCode).isEqualTo(1);
        assertThat(run.out).contains("Created source events\n");
        assertThat(run.err)
                .startsWith(
                        "Error: " + script + ": line 2:8: column 'event_typo' not found; did you mean 'event_type'?\n"
                                + "SELECT event_typo\n"
                                + "       ^");
    }

    @Test
    void anUnknownStatementIsAnErrorAtItsStart() throws IOException {
        // Given
        Path script = write("keyword.sql", "SHOW SOURCES;\n\n  SELEC 1;\n");

        // When
        CliRun run =
                CliRun.command(new RunCommand(SqlSessions::fastClock, new SqlSessions.NoSignal()), script.toString());

        // Then
        assertThat(run.exitCode).isEqualTo(1);
        assertThat(run.err).contains(script + ": line 3:3: ", "\n  SELEC 1;\n  ^");
    }

    @Test
    void ctrlCStopsEndlessQueriesAndExitsZero() throws IOException {
        // Given
        Path script = write(
                "endless.sql",
                "CREATE TABLE events (event_type INT) WITH ('connector' = 'nexmark');\n"
                        + "CREATE TABLE sink (event_type INT) WITH ('connector' = 'blackhole');\n"
                        + "INSERT INTO sink SELECT event_type FROM events;\n");
        SqlSessions.ImmediateSignal signal = new SqlSessions.ImmediateSignal();

        // When (on the wall clock: the fast one would make one giant first batch of an endless stream)
        CliRun run = CliRun.command(new RunCommand(Brook::local, signal), script.toString());

        // Then
        assertThat(run.err).isEmpty();
        assertThat(run.exitCode).isZero();
        // A micro-batch that ends while the query stops still reports its progress line before "Stopped".
        assertThat(run.out)
                .contains("Running 1 query (sink) until they end", "Stopping 1 query\n")
                .endsWith("Stopped\n");
        assertThat(run.out.indexOf("Stopping 1 query")).isGreaterThan(run.out.indexOf("Running 1 query"));
        assertThat(signal.finished).isZero();
    }

    @Test
    void aFailedQueryIsReportedAndFailsTheRun() throws IOException {
        // Given
        Path input = Files.createDirectories(directory.resolve("input"));
        Files.writeString(input.resolve("part-0.parquet"), "not parquet", StandardCharsets.UTF_8);
        Path script = write(
                "failing.sql",
                "CREATE SOURCE files (a INT) WITH ('connector' = 'files', 'format' = 'parquet', 'path' = '" + input
                        + "');\n"
                        + "CREATE SINK out (a INT) WITH ('connector' = 'blackhole');\n"
                        + "INSERT INTO out SELECT a FROM files;\n");
        SqlSessions.NoSignal signal = new SqlSessions.NoSignal();

        // When
        CliRun run = CliRun.command(new RunCommand(SqlSessions::fastClock, signal), script.toString());

        // Then
        assertThat(run.exitCode).isEqualTo(1);
        assertThat(run.err)
                .startsWith("Error: query out failed: cannot read Parquet file " + input.resolve("part-0.parquet"));
        assertThat(run.out).contains("Running 1 query (out)").doesNotContain("Every query has ended");
        assertThat(signal.finished).isEqualTo(1);
    }

    @Test
    void aMissingFileIsAUsageError() {
        // When
        CliRun run = CliRun.command(
                new RunCommand(SqlSessions::fastClock, new SqlSessions.NoSignal()),
                directory.resolve("nope.sql").toString());

        // Then
        assertThat(run.exitCode).isEqualTo(2);
        assertThat(run.err).isEqualTo("Error: no file " + directory.resolve("nope.sql") + System.lineSeparator());
    }
}
