package io.brook.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process's {@link ShutdownSignal}, built on a shutdown hook: SIGINT or SIGTERM starts the JVM's shutdown, the hook
 * wakes the waiting command, waits while it closes its broker, then ends the process with the command's exit code (0
 * after a clean stop, where the JVM would otherwise exit 130 or 143). Single use.
 */
final class ProcessSignals implements ShutdownSignal {
    private static final Logger LOGGER = LoggerFactory.getLogger(ProcessSignals.class);
    private static final long CLEAN_UP_TIMEOUT_SECONDS = 60;

    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile int exitCode = BrookCommand.EXIT_FAILURE;

    @Override
    public void await() throws InterruptedException {
        Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "brook-shutdown"));
        stopRequested.await();
    }

    @Override
    public void finished(int exitCode) {
        this.exitCode = exitCode;
        finished.countDown();
    }

    private void stop() {
        if (finished.getCount() > 0) {
            // Not when the command had finished on its own and the JVM exits normally.
            LOGGER.info("Stopping");
        }
        stopRequested.countDown();
        try {
            if (!finished.await(CLEAN_UP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                LOGGER.error("Did not stop within {} s; exiting without a clean shutdown", CLEAN_UP_TIMEOUT_SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // The JVM is shutting down already, so System.exit would block: halt sets the exit code.
        Runtime.getRuntime().halt(exitCode);
    }
}
