package io.brook.bench;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * The benchmark's output: a header, a table with one row per figure (the anchor, such as Kafka or Spark, Brook, and the
 * ratio Brook/anchor), optional detail lines, the errors, the notes, and as the last line {@code summary key=value ...}
 * for scripts. A missing value prints as {@code n/a}, and so does a ratio with a missing or zero side; a figure not
 * measured yet prints as {@code not yet measured} in the table and {@code n/a} in the summary.
 */
final class Report {
    static final String NOT_AVAILABLE = "n/a";
    static final String NOT_YET_MEASURED = "not yet measured";

    private Report() {}

    static void print(
            PrintWriter out,
            List<String> header,
            List<Figure> figures,
            SystemResult anchor,
            SystemResult brook,
            List<String> notes) {
        print(out, header, figures, anchor, brook, List.of(), notes);
    }

    /** As above, with {@code details} (lines such as a per-step table) printed after the table. */
    static void print(
            PrintWriter out,
            List<String> header,
            List<Figure> figures,
            SystemResult anchor,
            SystemResult brook,
            List<String> details,
            List<String> notes) {
        header.forEach(out::println);
        out.println();
        String anchorLabel = label(anchor.system());
        String brookLabel = label(brook.system());
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"figure", "unit", anchorLabel, brookLabel, brookLabel + "/" + anchorLabel, "better"});
        for (Figure figure : figures) {
            OptionalDouble anchorValue = anchor.value(figure.key());
            OptionalDouble brookValue = brook.value(figure.key());
            boolean measured = figure.measured();
            rows.add(new String[] {
                figure.key(),
                figure.unit().label(),
                measured ? format(figure, anchorValue) : NOT_YET_MEASURED,
                measured ? format(figure, brookValue) : NOT_YET_MEASURED,
                ratio(anchorValue, brookValue),
                figure.unit().higherIsBetter() ? "higher" : "lower"
            });
        }
        printTable(out, rows);
        if (!details.isEmpty()) {
            out.println();
            details.forEach(out::println);
        }
        List<String> errors = new ArrayList<>();
        for (SystemResult result : List.of(anchor, brook)) {
            for (Map.Entry<String, String> error : result.errors().entrySet()) {
                errors.add(result.system() + " " + error.getKey() + ": " + error.getValue());
            }
        }
        if (!errors.isEmpty()) {
            out.println();
            out.println("Errors (their figures are n/a):");
            errors.forEach(error -> out.println("  " + error));
        }
        if (!notes.isEmpty()) {
            out.println();
            out.println("Notes:");
            notes.forEach(note -> out.println("  - " + note));
        }
        out.println();
        out.println(summary(figures, anchor, brook));
        out.flush();
    }

    /** {@code summary k_kafka=v k_brook=v k_ratio=r ...} (the anchor's name first) over every figure, in order. */
    static String summary(List<Figure> figures, SystemResult anchor, SystemResult brook) {
        StringBuilder line = new StringBuilder("summary");
        for (Figure figure : figures) {
            OptionalDouble anchorValue = anchor.value(figure.key());
            OptionalDouble brookValue = brook.value(figure.key());
            line.append(' ')
                    .append(figure.key())
                    .append('_')
                    .append(anchor.system())
                    .append('=')
                    .append(format(figure, anchorValue))
                    .append(' ')
                    .append(figure.key())
                    .append('_')
                    .append(brook.system())
                    .append('=')
                    .append(format(figure, brookValue))
                    .append(' ')
                    .append(figure.key())
                    .append("_ratio=")
                    .append(ratio(anchorValue, brookValue));
        }
        return line.toString();
    }

    static String format(Figure figure, OptionalDouble value) {
        return value.isPresent()
                ? String.format(Locale.ROOT, figure.unit().format(), value.getAsDouble())
                : NOT_AVAILABLE;
    }

    static String ratio(OptionalDouble anchor, OptionalDouble brook) {
        if (anchor.isEmpty() || brook.isEmpty() || anchor.getAsDouble() == 0) {
            return NOT_AVAILABLE;
        }
        return String.format(Locale.ROOT, "%.3f", brook.getAsDouble() / anchor.getAsDouble());
    }

    /** A system's name as a column title: "kafka" becomes "Kafka", "rabbitmq" "RabbitMQ". */
    static String label(String system) {
        if (system.equals("rabbitmq")) {
            return "RabbitMQ";
        }
        return system.isEmpty() ? system : Character.toUpperCase(system.charAt(0)) + system.substring(1);
    }

    private static void printTable(PrintWriter out, List<String[]> rows) {
        int columns = rows.get(0).length;
        int[] widths = new int[columns];
        for (String[] row : rows) {
            for (int i = 0; i < columns; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < columns; i++) {
                if (i > 0) {
                    line.append("  ");
                }
                // Names and units left-aligned, numbers right-aligned.
                String cell = row[i];
                String padding = " ".repeat(widths[i] - cell.length());
                line.append(i < 2 || i == columns - 1 ? cell + padding : padding + cell);
            }
            out.println(line.toString().stripTrailing());
        }
    }
}
