package io.brook.cli;

import io.brook.sql.LiveResult;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * What {@link SqlShell} runs statements on: a {@code SqlSession} in this process ({@link LocalShellBackend}) or a
 * {@code brook server} over HTTP ({@link RemoteShellBackend}). Called on the shell's thread only.
 */
interface ShellBackend {
    /**
     * Runs the statements of one input in order, handing each result's text to {@code print} and each live result to
     * {@code show}, which returns when the shell stops showing it; the first error is thrown (a {@code BrookException}
     * prints as its message) after the results before it were printed.
     */
    void execute(String input, Consumer<String> print, Consumer<LiveView> show);

    /** A live SELECT's result as the shell redraws it. */
    interface LiveView {
        LiveResult.Snapshot snapshot();

        /** Whether the query ended by itself (or failed): nothing more will come. */
        boolean ended();

        /** Stops the query if it still runs; the line to print about how it ended. */
        String finish() throws InterruptedException;

        /** The run id of a query in this process, whose failure the view reports itself; null for a remote one. */
        UUID runId();
    }
}
