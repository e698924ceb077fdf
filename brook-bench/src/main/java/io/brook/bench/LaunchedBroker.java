package io.brook.bench;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * A broker process that answered its first request, with what its start-up measured. {@link #stop(Duration)} sends
 * SIGTERM and reports how long the broker took to exit; {@link #close()} stops it if that has not happened.
 */
final class LaunchedBroker implements AutoCloseable {
    private final ChildProcess process;
    private final String host;
    private final int port;
    private final Readiness.Startup startup;

    LaunchedBroker(ChildProcess process, String host, int port, Readiness.Startup startup) {
        this.process = requireNonNull(process, "process is null");
        this.host = requireNonNull(host, "host is null");
        this.port = port;
        this.startup = requireNonNull(startup, "startup is null");
    }

    String bootstrap() {
        return host + ":" + port;
    }

    long pid() {
        return process.pid();
    }

    Readiness.Startup startup() {
        return startup;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** What the broker printed on stdout so far (Brook prints its HTTP API's address and "Brook ready" there). */
    String stdout() {
        return process.stdout();
    }

    String tail(int lines) {
        return process.tail(lines);
    }

    /** Milliseconds from SIGTERM to exit; throws if the broker needed SIGKILL after {@code grace}. */
    double stop(Duration grace) throws RunFailedException {
        long start = System.nanoTime();
        if (!process.stop(grace)) {
            throw new RunFailedException(
                    process.name() + " did not exit within " + grace.toSeconds() + " s of SIGTERM and was killed");
        }
        return (System.nanoTime() - start) / 1_000_000.0;
    }

    @Override
    public void close() {
        process.close();
    }
}
