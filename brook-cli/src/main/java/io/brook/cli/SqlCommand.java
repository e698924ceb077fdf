package io.brook.cli;

import static java.util.Objects.requireNonNull;

import io.brook.engine.api.Brook;
import io.brook.sql.SqlSession;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * SqlRunner}).
 */
@Command(
        name = "sql",
        mixinStandardHelpOptions = true,
        description = {
            "Streaming SQL on an engine in this process: an interactive shell with line editing and history (in"
                    + " ~/.brook/sql_history); end each statement with ';'.",
            "With -f or -e, or with statements on standard input, runs them as `brook run` does."
        })
final class SqlCommand implements Callable<Integer> {
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
            return shell();
        }
        return new SqlRunner(engine, shutdownSignal, spec.commandLine().getOut(), err)
                .run(scriptOptions.variables, scriptOptions.settings, scripts);
    }

    private int shell() {
        PrintWriter err = spec.commandLine().getErr();
        // The shell prints a failed query's error in one line; the engine's log of it, with its stack trace, would
        // land in the middle of the screen. slf4j-simple reads a logger's level from system properties when the
        // logger is made, and the engine's query class is not loaded yet.
        System.setProperty(QUERY_LOG_LEVEL, "off");
        Path history =
                historyFile != null ? historyFile : Path.of(System.getProperty("user.home"), ".brook", "sql_history");
        try {
            Path parent = history.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (IOException e) {
            err.println("Warning: no history kept: cannot create the directory of " + history + ": " + e);
            history = null;
        }
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
