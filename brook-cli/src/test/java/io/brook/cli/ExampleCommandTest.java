package io.brook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The engine's runnable example prints each micro-batch's table and progress. */
class ExampleCommandTest {
    @Test
    void rateCountPrintsGroupedCountsPerBatch() {
        // When
        CliRun run = CliRun.brook("example", "rate-count", "--rows-per-second", "200", "--seconds", "3");

        // Then
        assertThat(run.exitCode).isZero();
        assertThat(run.out).contains("Batch 0", "|bucket|", "progress: batch 0");
        assertThat(run.out).containsPattern("\\|\\s+9\\|");
    }

    @Test
    void anUnknownExampleIsAUsageError() {
        // When
        CliRun run = CliRun.brook("example", "nope");

        // Then
        assertThat(run.exitCode).isEqualTo(2);
        assertThat(run.err).contains("unknown example 'nope'; available: rate-count");
    }
}
