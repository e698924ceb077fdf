package io.brook.cli;

import io.brook.engine.stream.StreamingQueryListener;
import io.brook.engine.stream.StreamingQueryProgress;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Prints one line per micro-batch of every query of an engine session, such as {@code [nexmark_q0] batch 12: 10,000
 * rows, 10,000 rows/s in, 2.1 M rows/s processed, 5 ms, watermark 2023-11-14T22:13:16Z}, and a query's failure as it
 * happens; then calls {@code onTerminated} so that a waiting command looks again. Added with {@code
 * Brook.addListener} before the queries start. Its methods run on the queries' threads; lines do not interleave.
 */
final class QueryProgress implements StreamingQueryListener {
    private final PrintWriter out;
    private final PrintWriter err;
    private final Runnable onTerminated;
    private final Map<UUID, String> names = new ConcurrentHashMap<>();
    private volatile boolean failed;

    QueryProgress(PrintWriter out, PrintWriter err, Runnable onTerminated) {
        this.out = out;
        this.err = err;
        this.onTerminated = onTerminated;
    }

    /** Whether a query of the session failed. */
    boolean failed() {
        return failed;
    }

    @Override
    public void onQueryStarted(UUID id, UUID runId, String name) {
        names.put(runId, name == null ? id.toString() : name);
    }

    @Override
    public void onQueryProgress(StreamingQueryProgress progress) {
        synchronized (out) {
            out.println(line(progress));
            out.flush();
        }
    }

    @Override
    public void onQueryTerminated(UUID id, UUID runId, Throwable exception) {
        if (exception != null) {
            failed = true;
            synchronized (err) {
                err.println(
                        "Error: query " + names.getOrDefault(runId, id.toString()) + " failed: " + message(exception));
                err.flush();
            }
        }
        onTerminated.run();
    }

    static String message(Throwable exception) {
        return exception.getMessage() == null ? exception.toString() : exception.getMessage();
    }

    /** The progress line of one micro-batch. */
    static String line(StreamingQueryProgress progress) {
        StringBuilder line = new StringBuilder();
        line.append('[')
                .append(progress.name() == null ? progress.id() : progress.name())
                .append("] batch ")
                .append(progress.batchId())
                .append(": ")
                .append(
                        progress.numInputRows() == 1
                                ? "1 row"
                                : String.format(Locale.ROOT, "%,d rows", progress.numInputRows()))
                .append(", ")
                .append(rate(progress.inputRowsPerSecond()))
                .append(" rows/s in, ")
                .append(rate(progress.processedRowsPerSecond()))
                .append(" rows/s processed, ")
                .append(progress.durationMs().getOrDefault("triggerExecution", 0L))
                .append(" ms");
        String watermark = progress.eventTime().get("watermark");
        if (watermark != null) {
            line.append(", watermark ").append(watermark);
        }
        return line.toString();
    }

    /** A rate as people read it: {@code 950}, {@code 10,000}, {@code 2.1 M}. */
    static String rate(double perSecond) {
        if (perSecond >= 999_950_000) {
            return String.format(Locale.ROOT, "%.1f G", perSecond / 1e9);
        }
        if (perSecond >= 999_950) {
            return String.format(Locale.ROOT, "%.1f M", perSecond / 1e6);
        }
        return String.format(Locale.ROOT, "%,.0f", perSecond);
    }
}
