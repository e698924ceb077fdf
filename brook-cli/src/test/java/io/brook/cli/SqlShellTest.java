package io.brook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.brook.engine.api.Brook;
import io.brook.sql.SqlSession;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.DumbTerminal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The interactive shell on a dumb terminal fed with typed lines. */
class SqlShellTest {
    private static final String EVENTS =
            "CREATE TABLE events (event_type INT) WITH ('connector' = 'nexmark', 'events.num' = '100');";

    @TempDir
    Path directory;

    private static String shell(String typed, Path historyFile) throws IOException {
        ByteArrayOutputStream screen = new ByteArrayOutputStream();
        try (Terminal terminal =
                        new DumbTerminal(new ByteArrayInputStream(typed.getBytes(StandardCharsets.UTF_8)), screen);
                Brook brook = SqlSessions.fastClock();
                SqlSession session = new SqlSession(brook)) {
            session.liveSelectToMemory(SqlShell.LIVE_ROWS);
            new SqlShell(terminal, session, historyFile).run();
        }
        return screen.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aStatementGoesOnOverLinesUntilItsSemicolon() throws IOException {
        // When
        String screen = shell("SHOW\n  SOURCES\n;\nquit\n", null);

        // Then: one statement ran (a dumb terminal shows no continuation prompt), then the prompt came back for quit
        assertThat(screen).contains("|name|connector|columns|", "0 rows").doesNotContain("Error");
        assertThat(screen.split(SqlShell.PROMPT, -1)).hasSize(3);
    }

    @Test
    void anErrorIsPrintedAndTheShellGoesOn() throws IOException {
        // When
        String screen = shell("DESCRIBE evnts;\n" + EVENTS + "\n", null);

        // Then
        assertThat(screen)
                .contains(
                        "Error: line 1:10: no source, sink, table or view named 'evnts'",
                        "DESCRIBE evnts;\n         ^",
                        "Created source events");
    }

    @Test
    void aSelectOverAStreamShowsItsResultUntilTheQueryEnds() throws IOException {
        // When
        String screen = shell(
                "SET 'trigger' = 'available-now';\n" + EVENTS
                        + "\nSELECT event_type, COUNT(*) AS events FROM events GROUP BY event_type ORDER BY event_type;\n",
                null);

        // Then
        assertThat(screen)
                .contains(
                        "Started query select ",
                        "Showing its result live; Ctrl-C or q stops it.",
                        "|event_type|events|",
                        "|         2|    92|",
                        "batch 0: 3 rows\n",
                        "Query select ended: it read all its input");
    }

    @Test
    void keepsTheHistoryInItsFile() throws IOException {
        // Given
        Path history = directory.resolve("sql_history");

        // When
        shell("SHOW SOURCES;\nSHOW\nTABLES;\n", history);

        // Then
        assertThat(Files.readString(history, StandardCharsets.UTF_8)).contains("SHOW SOURCES;", "TABLES;");
    }
}
