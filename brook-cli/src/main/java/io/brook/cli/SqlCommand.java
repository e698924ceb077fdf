package io.brook.cli;

import static java.util.Objects.requireNonNull;

import io.brook.engine.api.Brook;
import io.brook.http.SqlHttpClient;
import io.brook.sql.SqlSession;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code brook sql}: the interactive SQL shell ({@link SqlShell}) on an engine in this process; or, with {@code -f} or
 * {@code -e}, or when standard input is not a terminal, runs those statements as {@code brook run} does ({@link
 * SqlRunner}). With {@code --server URL} the statements run in that {@code brook server}'s shared session instead
 * ({@link RemoteShellBackend}, {@link RemoteSqlRunner}), and INSERT INTO's queries run on there after this exits.
 */
@Command(
        name = "sql",
        mixinStandardHelpOptions = true,
        description = {
            "Streaming SQL on an engine in this process: an interactive shell with line editing and history (in"
                    + " ~/.brook/sql_history); end each statement with ';'.",
            "With -f or -e, or with statements on standard input, runs them as `brook run` does.",
            "With --server, runs them in a running `brook server` instead, whose continuous queries run on after"
                    + " this exits."
        })
final class SqlCommand implements Callable<Integer> {
    /** How long one request may take: a bounded INSERT runs to its end before the server answers. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofHours(1);

    private static final String QUERY_LOG_LEVEL = "org.slf4j.simpleLogger.log.io.brook.engine.stream.StreamExecution";

    @Spec
    CommandSpec spec;

    @Option(
            names = {"-f", "--file"},
            paramLabel = "FILE",
            description = "Run this SQL script, as `brook run` does (repeatable).")
    List<Path> files = new ArrayList<>();

    @Option(
            names = {"-e", "--execute"},
            paramLabel = "STATEMENTS",
            description = "Run these statements (after any -f scripts), e.g. -e \"SHOW SOURCES;\".")
    String statements;

    @Mixin
    ScriptOptions scriptOptions = new ScriptOptions();

    @Option(
            names = "--server",
            paramLabel = "URL",
            description = "Run the statements in the shared SQL session of the `brook server` whose HTTP API is at URL,"
                    + " e.g. http://127.0.0.1:8080; --var and --set apply to that session, for every client.")
    String server;

    @Option(
            names = "--history-file",
            paramLabel = "FILE",
            description = "Where the shell keeps its history (default: ~/.brook/sql_history).")
    Path historyFile;

    private final Supplier<Brook> engine;
    private final ShutdownSignal shutdownSignal;
    private final InputStream stdin;
    private final BooleanSupplier interactive;

    SqlCommand() {
        // System.console() is null unless both standard input and output are terminals.
        this(Brook::local, new ProcessSignals(), System.in, () -> System.console() != null);
    }

    SqlCommand(Supplier<Brook> engine, ShutdownSignal shutdownSignal, InputStream stdin, BooleanSupplier interactive) {
        this.engine = requireNonNull(engine, "engine is null");
        this.shutdownSignal = requireNonNull(shutdownSignal, "shutdownSignal is null");
        this.stdin = requireNonNull(stdin, "stdin is null");
        this.interactive = requireNonNull(interactive, "interactive is null");
    }

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        SqlHttpClient client = null;
        if (server != null) {
            client = client(server);
            if (client == null) {
                err.println("Error: --server takes the URL of a brook server's HTTP API, such as"
                        + " http://127.0.0.1:8080; got '" + server + "'");
                return BrookCommand.EXIT_USAGE;
            }
        }
        List<SqlRunner.Script> scripts;
        if (!files.isEmpty() || statements != null) {
            scripts = SqlRunner.Script.read(files, err);
            if (scripts == null) {
                return BrookCommand.EXIT_USAGE;
            }
            if (statements != null) {
                scripts.add(new SqlRunner.Script(null, statements));
            }
        } else if (!interactive.getAsBoolean()) {
            try {
                scripts = List.of(new SqlRunner.Script(null, new String(stdin.readAllBytes(), StandardCharsets.UTF_8)));
            } catch (IOException e) {
                err.println("Error: cannot read standard input: " + e.getMessage());
                return BrookCommand.EXIT_FAILURE;
            }
        } else {
            return client == null ? shell() : remoteShell(client);
        }
        if (client != null) {
            return new RemoteSqlRunner(
                            client, shutdownSignal, spec.commandLine().getOut(), err)
                    .run(scriptOptions.variables, scriptOptions.settings, scripts);
        }
        return new SqlRunner(engine, shutdownSignal, spec.commandLine().getOut(), err)
                .run(scriptOptions.variables, scriptOptions.settings, scripts);
    }

    /** A client of the server at {@code url}; null when it is not an http(s) URL with a host. */
    private static SqlHttpClient client(String url) {
        try {
            URI uri = new URI(url);
            boolean http = "http".equals(uri.getScheme()) || "https".equals(uri.getScheme());
            if (!http || uri.getHost() == null) {
                return null;
            }
            return new SqlHttpClient(uri, REQUEST_TIMEOUT);
        } catch (URISyntaxException e) {
            return null;
        }
    }

    /** The history file, its directory created; null after printing why there is none. */
    private Path history(PrintWriter err) {
        Path history =
                historyFile != null ? historyFile : Path.of(System.getProperty("user.home"), ".brook", "sql_history");
        try {
            Path parent = history.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            return history;
        } catch (IOException e) {
            err.println("Warning: no history kept: cannot create the directory of " + history + ": " + e);
            return null;
        }
    }

    private int remoteShell(SqlHttpClient client) {
        PrintWriter err = spec.commandLine().getErr();
        Path history = history(err);
        try (Terminal terminal =
                TerminalBuilder.builder().name("brook").system(true).build()) {
            terminal.writer()
                    .println("Connected to the brook server at " + client.base() + " (a session shared with"
                            + " its other clients; queries started here run on after quit).");
            SqlShell shell = new SqlShell(terminal, new RemoteShellBackend(client, scriptOptions.variables), history);
            shell.set(scriptOptions.settings);
            shell.run();
            return 0;
        } catch (IOException e) {
            err.println("Error: cannot open the terminal: " + e.getMessage());
            return BrookCommand.EXIT_FAILURE;
        }
    }

    private int shell() {
        PrintWriter err = spec.commandLine().getErr();
        // The shell prints a failed query's error in one line; the engine's log of it, with its stack trace, would
        // land in the middle of the screen. slf4j-simple reads a logger's level from system properties when the
        // logger is made, and the engine's query class is not loaded yet.
        System.setProperty(QUERY_LOG_LEVEL, "off");
        Path history = history(err);
        try (Terminal terminal =
                        TerminalBuilder.builder().name("brook").system(true).build();
                Brook brook = engine.get();
                SqlSession session = new SqlSession(brook)) {
            session.liveSelectToMemory(SqlShell.LIVE_ROWS);
            scriptOptions.variables.forEach(session::define);
            SqlShell shell = new SqlShell(terminal, session, history);
            shell.set(scriptOptions.settings);
            shell.run();
            return 0;
        } catch (IOException e) {
            err.println("Error: cannot open the terminal: " + e.getMessage());
            return BrookCommand.EXIT_FAILURE;
        }
    }
}
