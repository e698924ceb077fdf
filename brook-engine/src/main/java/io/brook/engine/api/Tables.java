package io.brook.engine.api;

import io.brook.engine.batch.Field;
import io.brook.engine.batch.Schema;
import java.util.List;
import java.util.Locale;

/** Text tables as Spark's {@code show()} prints them, and schema trees as {@code printSchema()} does. */
public final class Tables {
    private Tables() {}

    /** Rows under a header of column names, in a box of dashes and bars. */
    public static String format(String[] columns, List<Row> rows) {
        int[] widths = new int[columns.length];
        for (int c = 0; c < columns.length; c++) {
            widths[c] = columns[c].length();
            for (Row row : rows) {
                widths[c] = Math.max(widths[c], Row.format(row.get(c)).length());
            }
        }
        StringBuilder line = new StringBuilder("+");
        for (int width : widths) {
            line.append("-".repeat(width)).append('+');
        }
        line.append('\n');
        StringBuilder text = new StringBuilder(line);
        appendRow(text, widths, columns);
        text.append(line);
        for (Row row : rows) {
            String[] values = new String[columns.length];
            for (int c = 0; c < columns.length; c++) {
                values[c] = Row.format(row.get(c));
            }
            appendRow(text, widths, values);
        }
        return text.append(line).toString();
    }

    private static void appendRow(StringBuilder text, int[] widths, String[] values) {
        text.append('|');
        for (int c = 0; c < values.length; c++) {
            text.append(" ".repeat(widths[c] - values[c].length()))
                    .append(values[c])
                    .append('|');
        }
        text.append('\n');
    }

    private static void schemaChildren(StringBuilder text, List<Field> children, String prefix) {
        for (Field child : children) {
            text.append(prefix)
                    .append(child.name())
                    .append(": ")
                    .append(child.type().name().toLowerCase(Locale.ROOT))
                    .append(" (nullable = ")
                    .append(child.nullable())
                    .append(")\n");
        }
    }

    /** A schema as a tree, as {@code printSchema()} prints it. */
    public static String schema(Schema schema) {
        StringBuilder text = new StringBuilder("root\n");
        for (Field field : schema.fields()) {
            text.append(" |-- ")
                    .append(field.name())
                    .append(": ")
                    .append(field.type().name().toLowerCase(Locale.ROOT))
                    .append(" (nullable = ")
                    .append(field.nullable())
                    .append(")\n");
            if (field.elementType() != null) {
                text.append(" |    |-- element: ")
                        .append(field.elementType().name().toLowerCase(Locale.ROOT))
                        .append(" (containsNull = true)\n");
                schemaChildren(text, field.element().children(), " |    |    |-- ");
            }
            schemaChildren(text, field.children(), " |    |-- ");
        }
        return text.toString();
    }
}
