package io.brook.engine.plan;

import io.brook.engine.BrookException;
import io.brook.engine.ErrorCode;
import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.sql.parser.SqlParseException;

/** Errors in SQL text as Brook reports them: "line L:C: message", then the line and a caret under the column. */
public final class SqlErrors {
    private static final int MAX_EXPECTED = 6;

    private SqlErrors() {}

    /** An error at a 1-based line and column of {@code text}. */
    public static BrookException at(ErrorCode code, String text, int line, int column, String message) {
        return new BrookException(code, render(text, line, column, message));
    }

    /** "line L:C: message", the line of {@code text} and a caret under the column. */
    public static String render(String text, int line, int column, String message) {
        int shownLine = Math.max(1, line);
        int shownColumn = Math.max(1, column);
        List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
        String shown = shownLine <= lines.size() ? lines.get(shownLine - 1) : "";
        String caret = " ".repeat(Math.min(shownColumn - 1, shown.length())) + "^";
        return "line " + shownLine + ":" + shownColumn + ": " + message + "\n" + shown + "\n" + caret;
    }

    /** Calcite's parse message, first line only, in Brook's words, with what was expected when that is short. */
    public static String parseMessage(SqlParseException e) {
        String message = firstLine(e.getMessage());
        java.util.Collection<String> expected = expected(e);
        if (!expected.isEmpty() && expected.size() <= MAX_EXPECTED) {
            message += "; expected " + String.join(" or ", expected);
        }
        return message;
    }

    private static java.util.Collection<String> expected(SqlParseException e) {
        java.util.Set<String> expected = new java.util.TreeSet<>();
        int[][] sequences = e.getExpectedTokenSequences();
        String[] images = e.getTokenImages();
        if (sequences == null || images == null) {
            return expected;
        }
        for (int[] sequence : sequences) {
            if (sequence.length == 1 && sequence[0] < images.length) {
                expected.add(images[sequence[0]]);
            }
        }
        return expected;
    }

    /** The first line of a Calcite message, without its own position ("at line 1, column 8"). */
    public static String firstLine(String message) {
        int newline = message.indexOf('\n');
        String first = newline < 0 ? message : message.substring(0, newline);
        return first.replaceFirst("^Encountered", "unexpected")
                .replaceAll(" at line \\d+, column \\d+\\.?", "")
                .replace("<EOF>", "<end of statement>");
    }
}
