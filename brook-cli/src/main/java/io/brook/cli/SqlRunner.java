package io.brook.cli;

import static java.util.Objects.requireNonNull;

import io.brook.engine.BrookException;
import io.brook.engine.api.Brook;
import io.brook.sql.SqlResult;
import io.brook.sql.SqlScript;
import io.brook.sql.SqlSession;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Runs SQL scripts to their end, for {@code brook run} and a {@code brook sql} that is not interactive: one {@link
 * SqlSession} on a new engine session; the {@code --set} settings, then every statement of every script in order, each
 * result printed; then, while continuous queries run, one progress line per micro-batch, until every query has ended
 * (bounded sources under trigger available-now end by themselves) or the process is asked to stop, when it stops them.
 * Exit code: 0; {@link BrookCommand#EXIT_FAILURE} after a statement error (printed with its line, column and caret;
 * the queries started before it are stopped) or when a query failed. Single use.
 */
final class SqlRunner {
    /** A script and the name its errors start with: a file's, or null for statements given on the command line. */
    record Script(String name, String text) {
        Script {
            requireNonNull(text, "text is null");
        }

        /** The scripts in these files, named by their paths as given; null after printing why one cannot be read. */
        static List<Script> read(List<Path> files, PrintWriter err) {
            List<Script> scripts = new ArrayList<>();
            for (Path file : files) {
                try {
                    scripts.add(new Script(file.toString(), Files.readString(file, StandardCharsets.UTF_8)));
                } catch (NoSuchFileException e) {
                    err.println("Error: no file " + file);
                    return null;
                } catch (IOException e) {
                    err.println("Error: cannot read " + file + ": " + e);
                    return null;
                }
            }
            return scripts;
        }
    }

    private final Supplier<Brook> engine;
    private final ShutdownSignal shutdownSignal;
    private final PrintWriter out;
    private final PrintWriter err;

    SqlRunner(Supplier<Brook> engine, ShutdownSignal shutdownSignal, PrintWriter out, PrintWriter err) {
        this.engine = requireNonNull(engine, "engine is null");
        this.shutdownSignal = requireNonNull(shutdownSignal, "shutdownSignal is null");
        this.out = requireNonNull(out, "out is null");
        this.err = requireNonNull(err, "err is null");
    }

    int run(Map<String, String> variables, Map<String, String> settings, List<Script> scripts)
            throws InterruptedException {
        BlockingQueue<Boolean> wakeUps = new LinkedBlockingQueue<>();
        QueryProgress progress = new QueryProgress(out, err, () -> wakeUps.add(true));
        try (Brook brook = engine.get()) {
            brook.addListener(progress);
            try (SqlSession session = new SqlSession(brook)) {
                variables.forEach(session::define);
                if (!execute(session, settings, scripts)) {
                    return BrookCommand.EXIT_FAILURE;
                }
                return awaitQueries(session, progress, wakeUps);
            }
        } finally {
            out.flush();
            err.flush();
        }
    }

    /**
     * Runs the settings and the scripts' statements, each result printed; false after an error, which it has printed.
     * {@code brook demo} uses it alone, as it waits for its queries in its own way.
     */
    boolean execute(SqlSession session, Map<String, String> settings, List<Script> scripts) {
        for (Map.Entry<String, String> setting : settings.entrySet()) {
            String statement = "SET " + quoted(setting.getKey()) + " = " + quoted(setting.getValue()) + ";";
            if (!execute(session, new Script("--set " + setting.getKey(), statement))) {
                return false;
            }
        }
        for (Script script : scripts) {
            if (!execute(session, script)) {
                return false;
            }
        }
        return true;
    }

    private boolean execute(SqlSession session, Script script) {
        try {
            for (SqlScript.Statement statement : SqlScript.of(script.text()).statements()) {
                SqlResult result = session.execute(statement);
                print(result.render());
            }
            return true;
        } catch (BrookException e) {
            printError("Error: " + (script.name() == null ? "" : script.name() + ": ") + e.getMessage());
            return false;
        } catch (RuntimeException e) {
            printError("Error: " + (script.name() == null ? "" : script.name() + ": ") + QueryProgress.message(e));
            return false;
        }
    }

    static String quoted(String text) {
        return "'" + text.replace("'", "''") + "'";
    }

    private void print(String text) {
        if (text.isEmpty()) {
            return;
        }
        synchronized (out) {
            out.println(text);
            out.flush();
        }
    }

    private void printError(String text) {
        out.flush();
        synchronized (err) {
            err.println(text);
            err.flush();
        }
    }

    /** Waits until no query runs or the process is asked to stop, then stops the queries; the exit code. */
    private int awaitQueries(SqlSession session, QueryProgress progress, BlockingQueue<Boolean> wakeUps)
            throws InterruptedException {
        List<SqlSession.RunningQuery> running = session.activeQueries();
        if (running.isEmpty()) {
            return progress.failed() ? BrookCommand.EXIT_FAILURE : 0;
        }
        print("Running " + (running.size() == 1 ? "1 query" : running.size() + " queries") + " ("
                + String.join(
                        ", ",
                        running.stream().map(SqlSession.RunningQuery::name).toList())
                + ") until they end; Ctrl-C stops them");
        AtomicBoolean stopRequested = new AtomicBoolean();
        Thread waiter = new Thread(
                () -> {
                    try {
                        shutdownSignal.await();
                        stopRequested.set(true);
                        wakeUps.add(true);
                    } catch (InterruptedException e) {
                        // The queries ended first.
                    }
                },
                "brook-sql-shutdown");
        waiter.setDaemon(true);
        waiter.start();
        int exitCode;
        try {
            while (!stopRequested.get() && !session.activeQueries().isEmpty()) {
                // Listeners hear of a query's end just before it stops being active: look again soon.
                wakeUps.poll(100, TimeUnit.MILLISECONDS);
            }
            waiter.interrupt();
            int stopping = session.activeQueries().size();
            if (stopping > 0) {
                print("Stopping " + (stopping == 1 ? "1 query" : stopping + " queries"));
            }
            session.close();
            if (stopping > 0) {
                print("Stopped");
            } else if (!progress.failed()) {
                print("Every query has ended");
            }
            exitCode = progress.failed() ? BrookCommand.EXIT_FAILURE : 0;
        } catch (InterruptedException e) {
            exitCode = BrookCommand.EXIT_FAILURE;
            Thread.currentThread().interrupt();
        }
        out.flush();
        err.flush();
        shutdownSignal.finished(exitCode);
        return exitCode;
    }
}
