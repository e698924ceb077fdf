package io.brook.cli;

import static java.util.Objects.requireNonNull;

import io.brook.engine.BrookException;
import io.brook.engine.stream.StreamingQueryListener;
import io.brook.sql.LiveResult;
import io.brook.sql.SqlScript;
import io.brook.sql.SqlSession;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jline.reader.EOFError;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.ParsedLine;
import org.jline.reader.Parser;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.DefaultParser;
import org.jline.terminal.Attributes;
import org.jline.terminal.Terminal;
import org.jline.utils.InfoCmp.Capability;
import org.jline.utils.NonBlockingReader;

/**
 * The interactive shell of {@code brook sql}: reads statements with line editing and history (JLine), a statement
 * ending at a {@code ;} outside strings and comments (the continuation prompt asks for more until then), runs them on a
 * {@link SqlSession} in this process or a {@code brook server} ({@link ShellBackend}) and prints each result or error; an error does not end the shell. A SELECT over a stream shows its
 * live result, redrawn at most once a second, until Ctrl-C (or {@code q}) stops that query or it ends by itself; an
 * INSERT's query runs on in the background (SHOW QUERIES, STOP QUERY). At the prompt Ctrl-C clears the line; Ctrl-D or
 * {@code quit} ends the shell. Runs on the calling thread; closes neither the terminal nor the session.
 */
final class SqlShell {
    static final String PROMPT = "brook> ";
    static final String CONTINUATION_PROMPT = "    -> ";
    /** Rows a live result keeps: the last ones of an appending query, the first ones of a complete table. */
    static final int LIVE_ROWS = 20;

    private static final long REDRAW_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long KEY_WAIT_MILLIS = 100;
    private static final Set<String> QUIT = Set.of("quit", "exit", "\\q");

    private final Terminal terminal;
    private final ShellBackend backend;
    private final LineReader reader;
    private final PrintWriter out;
    /** The run id of the query shown live, which reports its own failure. */
    private volatile UUID liveRunId;

    SqlShell(Terminal terminal, SqlSession session, Path historyFile) {
        this(terminal, new LocalShellBackend(session), historyFile);
        session.brook().addListener(new FailurePrinter());
    }

    /** A shell on any backend; a remote one's background queries report failures in SHOW QUERIES only. */
    SqlShell(Terminal terminal, ShellBackend backend, Path historyFile) {
        this.terminal = requireNonNull(terminal, "terminal is null");
        this.backend = requireNonNull(backend, "backend is null");
        this.reader = lineReader(terminal, historyFile);
        this.out = terminal.writer();
    }

    /** A reader with the shell's prompts and statement ends; {@code historyFile} null keeps history in memory only. */
    static LineReader lineReader(Terminal terminal, Path historyFile) {
        LineReaderBuilder builder = LineReaderBuilder.builder()
                .terminal(terminal)
                .appName("brook")
                .parser(new StatementParser())
                .variable(LineReader.SECONDARY_PROMPT_PATTERN, CONTINUATION_PROMPT)
                // SQL has != and ! in strings: no history expansion.
                .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true);
        if (historyFile != null) {
            builder.variable(LineReader.HISTORY_FILE, historyFile);
        }
        return builder.build();
    }

    /** Runs {@code SET 'key' = 'value'} for each setting, printing the results, before the first prompt. */
    void set(Map<String, String> settings) {
        for (Map.Entry<String, String> setting : settings.entrySet()) {
            execute("SET '" + setting.getKey().replace("'", "''") + "' = '"
                    + setting.getValue().replace("'", "''") + "';");
        }
    }

    /** Reads and runs statements until Ctrl-D or {@code quit}. */
    void run() {
        out.println("Brook SQL: end each statement with ';'. Ctrl-C cancels, Ctrl-D or quit exits.");
        out.flush();
        while (true) {
            String input;
            try {
                input = reader.readLine(PROMPT);
            } catch (UserInterruptException e) {
                continue;
            } catch (EndOfFileException e) {
                break;
            }
            if (isQuit(input)) {
                break;
            }
            execute(input);
        }
        try {
            reader.getHistory().save();
        } catch (IOException e) {
            out.println("Warning: the history was not saved: " + e.getMessage());
        }
        out.flush();
    }

    private static boolean isQuit(String input) {
        String command = input.strip().toLowerCase(Locale.ROOT);
        if (command.endsWith(";")) {
            command = command.substring(0, command.length() - 1).strip();
        }
        return QUIT.contains(command);
    }

    /** Runs the statements of one input; the first error is printed and skips the rest. */
    void execute(String input) {
        try {
            backend.execute(input, this::print, this::showLive);
        } catch (BrookException e) {
            print("Error: " + e.getMessage());
        } catch (RuntimeException e) {
            print("Error: " + QueryProgress.message(e));
        }
    }

    private void print(String text) {
        if (!text.isEmpty()) {
            out.println(text);
        }
        out.flush();
    }

    /** Redraws the query's live result until the query ends, or Ctrl-C or q stops it. */
    private void showLive(ShellBackend.LiveView live) {
        print("Showing its result live; Ctrl-C or q stops it.");
        liveRunId = live.runId();
        AtomicBoolean stop = new AtomicBoolean();
        Terminal.SignalHandler previous = terminal.handle(Terminal.Signal.INT, signal -> stop.set(true));
        Attributes attributes = terminal.enterRawMode();
        try {
            int drawnLines = 0;
            long shownBatch = Long.MIN_VALUE;
            long drawnAt = 0;
            while (true) {
                boolean ended = live.ended();
                LiveResult.Snapshot snapshot = live.snapshot();
                long now = System.nanoTime();
                boolean due = shownBatch == Long.MIN_VALUE || ended || stop.get() || now - drawnAt >= REDRAW_NANOS;
                if (snapshot.batchId() != shownBatch && due) {
                    drawnLines = redraw(snapshot, drawnLines);
                    shownBatch = snapshot.batchId();
                    drawnAt = now;
                }
                if (ended || stop.get()) {
                    break;
                }
                int key = terminal.reader().read(KEY_WAIT_MILLIS);
                if (key == NonBlockingReader.EOF) {
                    // No more keys will come: only Ctrl-C's signal or the query's end stops the view.
                    Thread.sleep(KEY_WAIT_MILLIS);
                } else if (key == 'q' || key == 'Q' || key == 3) {
                    // 3 is Ctrl-C where the terminal does not turn it into a signal.
                    stop.set(true);
                }
            }
        } catch (IOException e) {
            print("Error: cannot read the terminal: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            terminal.setAttributes(attributes);
            terminal.handle(Terminal.Signal.INT, previous);
        }
        finishLive(live);
    }

    private void finishLive(ShellBackend.LiveView live) {
        try {
            print(live.finish());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            liveRunId = null;
        }
    }

    /** Draws the snapshot over the {@code previousLines} drawn before, or below them on a terminal that cannot. */
    private int redraw(LiveResult.Snapshot snapshot, int previousLines) {
        List<String> lines = fit(snapshot.render());
        boolean inPlace = !terminal.getType().startsWith(Terminal.TYPE_DUMB)
                && terminal.getStringCapability(Capability.cursor_up) != null
                && terminal.getStringCapability(Capability.clr_eos) != null;
        if (previousLines > 0 && inPlace) {
            terminal.puts(Capability.carriage_return);
            for (int i = 0; i < previousLines; i++) {
                terminal.puts(Capability.cursor_up);
            }
            terminal.puts(Capability.clr_eos);
        }
        for (String line : lines) {
            out.println(line);
        }
        out.flush();
        return lines.size();
    }

    /** The text's lines cut to the terminal's width and height, so that moving up by their count reaches the top. */
    private List<String> fit(String text) {
        List<String> lines = new ArrayList<>(List.of(text.split("\n")));
        int width = terminal.getWidth();
        if (width > 1) {
            lines.replaceAll(line -> line.length() < width ? line : line.substring(0, width - 1));
        }
        int height = terminal.getHeight();
        if (height > 3 && lines.size() > height - 1) {
            String last = lines.get(lines.size() - 1);
            lines = new ArrayList<>(lines.subList(0, height - 3));
            lines.add("...");
            lines.add(last);
        }
        return lines;
    }

    /** A statement ends at a {@code ;} outside strings and comments: until then Enter asks for another line. */
    private static final class StatementParser implements Parser {
        private final DefaultParser words = new DefaultParser();

        StatementParser() {
            words.setEscapeChars(new char[0]);
        }

        @Override
        public ParsedLine parse(String line, int cursor, ParseContext context) {
            if (context == ParseContext.ACCEPT_LINE && !SqlScript.isComplete(line) && !isQuit(line)) {
                throw new EOFError(-1, -1, "the statement goes on until ';'");
            }
            return words.parse(line, cursor, context);
        }
    }

    /** Reports a background query's failure above the prompt. */
    private final class FailurePrinter implements StreamingQueryListener {
        private final Map<UUID, String> names = new ConcurrentHashMap<>();

        @Override
        public void onQueryStarted(UUID id, UUID runId, String name) {
            names.put(runId, name == null ? id.toString() : name);
        }

        @Override
        public void onQueryTerminated(UUID id, UUID runId, Throwable exception) {
            if (exception != null && !runId.equals(liveRunId)) {
                reader.printAbove("Error: query " + names.getOrDefault(runId, id.toString()) + " failed: "
                        + QueryProgress.message(exception));
            }
        }
    }
}
