package io.brook.bench;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * The benchmark's output: a header, a table with one row per figure (Kafka, Brook, and the ratio Brook/Kafka), the
 * errors, the notes, and as the last line {@code summary key=value ...} for scripts. A missing value prints as
 * {@code n/a}, and so does a ratio with a missing or zero side.
 */
final class Report {
    static final String NOT_AVAILABLE = "n/a";

    private Report() {}

    static void print(
            PrintWriter out,
            List<String> header,
            List<Figure> figures,
            SystemResult kafka,
            SystemResult brook,
            List<String> notes) {
        header.forEach(out::println);
        out.println();
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"figure", "unit", "Kafka", "Brook", "Brook/Kafka", "better"});
        for (Figure figure : figures) {
            OptionalDouble kafkaValue = kafka.value(figure.key());
            OptionalDouble brookValue = brook.value(figure.key());
            rows.add(new String[] {
                figure.key(),
                figure.unit().label(),
                format(figure, kafkaValue),
                format(figure, brookValue),
                ratio(kafkaValue, brookValue),
                figure.unit().higherIsBetter() ? "higher" : "lower"
            });
        }
        printTable(out, rows);
        List<String> errors = new ArrayList<>();
        for (SystemResult result : List.of(kafka, brook)) {
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
        out.println(summary(figures, kafka, brook));
        out.flush();
    }

    /** {@code summary k_kafka=v k_brook=v k_ratio=r ...} over every figure, in report order. */
    static String summary(List<Figure> figures, SystemResult kafka, SystemResult brook) {
        StringBuilder line = new StringBuilder("summary");
        for (Figure figure : figures) {
            OptionalDouble kafkaValue = kafka.value(figure.key());
            OptionalDouble brookValue = brook.value(figure.key());
            line.append(' ')
                    .append(figure.key())
                    .append("_kafka=")
                    .append(format(figure, kafkaValue))
                    .append(' ')
                    .append(figure.key())
                    .append("_brook=")
                    .append(format(figure, brookValue))
                    .append(' ')
                    .append(figure.key())
                    .append("_ratio=")
                    .append(ratio(kafkaValue, brookValue));
        }
        return line.toString();
    }

    static String format(Figure figure, OptionalDouble value) {
        return value.isPresent()
                ? String.format(Locale.ROOT, figure.unit().format(), value.getAsDouble())
                : NOT_AVAILABLE;
    }

    static String ratio(OptionalDouble kafka, OptionalDouble brook) {
        if (kafka.isEmpty() || brook.isEmpty() || kafka.getAsDouble() == 0) {
            return NOT_AVAILABLE;
        }
        return String.format(Locale.ROOT, "%.3f", brook.getAsDouble() / kafka.getAsDouble());
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
