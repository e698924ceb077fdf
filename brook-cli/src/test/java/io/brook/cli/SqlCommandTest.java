package io.brook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@code brook sql} without a terminal: -e statements, or statements on standard input. */
class SqlCommandTest {
    private static final String EVENTS =
            "CREATE TABLE events (event_type INT) WITH ('connector' = 'nexmark', 'events.num' = '100');";

    private static InputStream stdin(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    private static CliRun sql(String stdin, String... args) {
        SqlCommand command =
                new SqlCommand(SqlSessions::fastClock, new SqlSessions.NoSignal(), stdin(stdin), () -> false);
        return CliRun.command(command, args);
    }

    @Test
    void executesStatementsGivenWithE() {
        // When
        CliRun run = sql("", "-e", "SHOW SOURCES;");

        // Then
        assertThat(run.err).isEmpty();
        assertThat(run.exitCode).isZero();
        assertThat(run.out)
                .isEqualTo("+----+---------+-------+\n"
                        + "|name|connector|columns|\n"
                        + "+----+---------+-------+\n"
                        + "+----+---------+-------+\n"
                        + "0 rows\n");
    }

    @Test
    void readsStatementsFromStandardInputWhenItIsNotATerminal() {
        // When
        CliRun run = sql(EVENTS + "\nSHOW SOURCES;\n");

        // Then
        assertThat(run.err).isEmpty();
        assertThat(run.exitCode).isZero();
        assertThat(run.out)
                .isEqualTo("Created source events\n"
                        + "+------+---------+----------+\n"
                        + "|  name|connector|   columns|\n"
                        + "+------+---------+----------+\n"
                        + "|events|  nexmark|event_type|\n"
                        + "+------+---------+----------+\n"
                        + "1 row\n");
    }

    @Test
    void runsAStreamToItsEndFromStandardInput() {
        // When
        CliRun run = sql(
                EVENTS + "\nCREATE TABLE sink (event_type INT) WITH ('connector' = 'memory');\n"
                        + "INSERT INTO sink SELECT event_type FROM events;\n",
                "--set",
                "trigger=available-now");

        // Then
        assertThat(run.err).isEmpty();
        assertThat(run.exitCode).isZero();
        assertThat(run.out).contains("Set trigger = available-now\n", "[sink] batch 0: 100 rows, ");
    }

    @Test
    void anErrorOnStandardInputNamesItsLineAndFails() {
        // When
        CliRun run = sql("SHOW SOURCES;\nDESCRIBE evnts;\n");

        // Then
        assertThat(run.exitCode).isEqualTo(1);
        assertThat(run.err).startsWith("Error: line 2:10: no source, sink, table or view named 'evnts'");
        assertThat(run.err).contains("DESCRIBE evnts;\n         ^");
    }
}
