package io.brook.cli;

import static java.util.Objects.requireNonNull;

import io.brook.engine.api.Row;
import io.brook.http.ScriptResponse;
import io.brook.http.SqlHttpClient;
import io.brook.http.StatementResult;
import io.brook.sql.LiveResult;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Runs SQL scripts on a {@code brook server}, for {@code brook sql --server} when it is not interactive: the {@code
 * --set} settings as SET statements, then each script as one {@code POST /sql} (with the {@code --var} variables), each
 * result printed as {@link SqlRunner} prints it and an error with the script's name, line, column and caret. The
 * server's session is shared: settings and variables stay there for every client. A query started by INSERT INTO runs
 * on in the server after this returns; a live SELECT's result is printed at each micro-batch until the query ends or
 * the process is asked to stop, which stops it. Exit code: 0; {@link BrookCommand#EXIT_FAILURE} after an error or when
 * a live query failed. Single use.
 */
final class RemoteSqlRunner {
    private static final long POLL_MILLIS = 100;

    private final SqlHttpClient client;
    private final ShutdownSignal shutdownSignal;
    private final PrintWriter out;
    private final PrintWriter err;
    private final List<RemoteLiveFollower> followers = new ArrayList<>();

    RemoteSqlRunner(SqlHttpClient client, ShutdownSignal shutdownSignal, PrintWriter out, PrintWriter err) {
        this.client = requireNonNull(client, "client is null");
        this.shutdownSignal = requireNonNull(shutdownSignal, "shutdownSignal is null");
        this.out = requireNonNull(out, "out is null");
        this.err = requireNonNull(err, "err is null");
    }

    int run(Map<String, String> variables, Map<String, String> settings, List<SqlRunner.Script> scripts)
            throws InterruptedException {
        try {
            List<SqlRunner.Script> all = new ArrayList<>();
            settings.forEach((key, value) -> all.add(new SqlRunner.Script(
                    "--set " + key, "SET " + SqlRunner.quoted(key) + " = " + SqlRunner.quoted(value) + ";")));
            all.addAll(scripts);
            for (SqlRunner.Script script : all) {
                if (!execute(script, variables)) {
                    stopFollowers();
                    return BrookCommand.EXIT_FAILURE;
                }
            }
            return awaitLiveQueries();
        } finally {
            out.flush();
            err.flush();
        }
    }

    private boolean execute(SqlRunner.Script script, Map<String, String> variables) throws InterruptedException {
        String prefix = "Error: " + (script.name() == null ? "" : script.name() + ": ");
        ScriptResponse response;
        try {
            response = client.execute(script.text(), variables);
        } catch (RuntimeException e) {
            printError(prefix + QueryProgress.message(e));
            return false;
        }
        for (StatementResult result : response.statements()) {
            print(result.render());
            if (result.kind() == StatementResult.Kind.LIVE) {
                followers.add(RemoteLiveFollower.start(client, result.query().name(), new SnapshotPrinter()));
            }
        }
        if (response.error() != null) {
            printError(prefix + response.error().message());
            return false;
        }
        return true;
    }

    /**
     * Prints each micro-batch of one live query: the whole table of an aggregation in complete mode, else the rows that
     * are new since the last one printed (as many as the server keeps), as the embedded runner prints each batch.
     */
    private final class SnapshotPrinter implements Consumer<LiveResult.Snapshot> {
        private long printedRows;

        @Override
        public void accept(LiveResult.Snapshot snapshot) {
            if (snapshot.batchId() < 0) {
                return;
            }
            List<Row> rows = snapshot.rows();
            if (!snapshot.complete()) {
                long fresh = Math.min(rows.size(), Math.max(0, snapshot.totalRows() - printedRows));
                rows = rows.subList(rows.size() - (int) fresh, rows.size());
            }
            printedRows = snapshot.totalRows();
            print(new LiveResult.Snapshot(
                            snapshot.columns(), rows, snapshot.batchId(), snapshot.totalRows(), snapshot.complete())
                    .render()
                    .stripTrailing());
        }
    }

    /** Waits until every live query ended or the process is asked to stop, then stops them; the exit code. */
    private int awaitLiveQueries() throws InterruptedException {
        if (followers.isEmpty()) {
            return 0;
        }
        AtomicBoolean stopRequested = new AtomicBoolean();
        Thread waiter = new Thread(
                () -> {
                    try {
                        shutdownSignal.await();
                        stopRequested.set(true);
                    } catch (InterruptedException e) {
                        // The live queries ended first.
                    }
                },
                "brook-sql-shutdown");
        waiter.setDaemon(true);
        waiter.start();
        while (!stopRequested.get() && followers.stream().anyMatch(follower -> !follower.ended())) {
            Thread.sleep(POLL_MILLIS);
        }
        waiter.interrupt();
        boolean failed = false;
        for (RemoteLiveFollower follower : followers) {
            String line = follower.finish();
            boolean lineFailed = line.startsWith("Error: ");
            failed |= lineFailed;
            if (lineFailed) {
                printError(line);
            } else {
                print(line);
            }
        }
        int exitCode = failed ? BrookCommand.EXIT_FAILURE : 0;
        out.flush();
        err.flush();
        shutdownSignal.finished(exitCode);
        return exitCode;
    }

    private void stopFollowers() {
        followers.forEach(RemoteLiveFollower::close);
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
}
