package io.brook.cli;

import static io.brook.engine.api.functions.col;
import static io.brook.engine.api.functions.count;
import static io.brook.engine.api.functions.max;

import io.brook.engine.api.Brook;
import io.brook.engine.api.Dataset;
import io.brook.engine.api.Row;
import io.brook.engine.api.StreamingQuery;
import io.brook.engine.stream.StreamingQueryListener;
import io.brook.engine.stream.StreamingQueryProgress;
import io.brook.engine.stream.Trigger;
import java.io.PrintWriter;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code brook example rate-count}: a streaming query of the Dataset API, runnable without anything else. The rate
 * source makes rows, a grouped count runs in complete mode once a second, and each batch prints its table and a
 * progress line.
 */
@Command(
        name = "example",
        description = "Run an example streaming query of Brook's engine: rate-count (rate source -> groupBy -> count).")
final class ExampleCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "The example: rate-count.")
    String name;

    @Option(
            names = "--rows-per-second",
            defaultValue = "1000",
            description = "Rows the rate source makes per second (default: ${DEFAULT-VALUE}).")
    long rowsPerSecond;

    @Option(
            names = "--seconds",
            defaultValue = "5",
            description = "How long to run before stopping (default: ${DEFAULT-VALUE}).")
    long seconds;

    @Override
    public void run() {
        if (!name.equals("rate-count")) {
            throw new picocli.CommandLine.ParameterException(
                    spec.commandLine(), "unknown example '" + name + "'; available: rate-count");
        }
        PrintWriter out = spec.commandLine().getOut();
        try (Brook brook = Brook.local()) {
            brook.addListener(new ProgressPrinter(out));
            Dataset<Row> rate = brook.readStream()
                    .format("rate")
                    .option("rowsPerSecond", rowsPerSecond)
                    .load();
            Dataset<Row> counts = rate.groupBy(col("value").mod(10).as("bucket"))
                    .agg(count("*").as("rows"), max(col("value")).as("latest"))
                    .orderBy(col("bucket"));
            StreamingQuery query = counts.writeStream()
                    .outputMode("complete")
                    .trigger(Trigger.ProcessingTime("1 second"))
                    .queryName("rate-count")
                    .foreachBatch((batch, batchId) -> {
                        synchronized (out) {
                            out.println("Batch " + batchId);
                            out.print(batch.showString(10));
                            out.flush();
                        }
                    })
                    .start();
            query.awaitTermination(seconds * 1000);
            query.stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        out.flush();
    }

    /** One line per micro-batch, from the engine's progress reports. */
    private static final class ProgressPrinter implements StreamingQueryListener {
        private final PrintWriter out;

        ProgressPrinter(PrintWriter out) {
            this.out = out;
        }

        @Override
        public void onQueryProgress(StreamingQueryProgress progress) {
            synchronized (out) {
                out.println(String.format(
                        Locale.ROOT,
                        "progress: batch %d, %d rows, %.0f rows/s in, %.0f rows/s processed, %d ms, state %d keys",
                        progress.batchId(),
                        progress.numInputRows(),
                        progress.inputRowsPerSecond(),
                        progress.processedRowsPerSecond(),
                        progress.durationMs().get("triggerExecution"),
                        progress.stateOperators().isEmpty()
                                ? 0
                                : progress.stateOperators().get(0).numRowsTotal()));
                out.flush();
            }
        }
    }
}
