package io.brook.cli;

/**
 * Tells a long-running command when the process is asked to stop (Ctrl-C, SIGTERM) and ends the process with the
 * command's exit code once it has cleaned up. Tests use one that returns at once.
 */
interface ShutdownSignal {
    /** Blocks until the process is asked to stop. */
    void await() throws InterruptedException;

    /** The command has cleaned up after {@link #await}; the process may end with {@code exitCode}. */
    void finished(int exitCode);
}
