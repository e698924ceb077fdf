package io.brook.bench;

import static java.util.Objects.requireNonNull;

/**
 * One measured quantity in the report, such as {@code produce_100b_acks1_p1_rps}: its key (the summary line appends
 * the system's name, such as {@code _kafka} or {@code _brook}, or {@code _ratio}), its unit, and whether a higher value
 * is the better one. A figure that is not {@code measured} yet keeps its row in the table, marked as such.
 */
record Figure(String key, Unit unit, boolean measured) {
    Figure(String key, Unit unit) {
        this(key, unit, true);
    }

    /** A row for a figure the benchmark will measure later. */
    static Figure notYetMeasured(String key, Unit unit) {
        return new Figure(key, unit, false);
    }

    Figure {
        requireNonNull(key, "key is null");
        requireNonNull(unit, "unit is null");
        if (!key.matches("[a-z0-9_]+")) {
            throw new IllegalArgumentException(
                    "figure key must be lower-case letters, digits and '_'; got '" + key + "'");
        }
    }

    /** Units with their number format and which way is better. */
    enum Unit {
        RECORDS_PER_SECOND("rec/s", "%.0f", true),
        MEGABYTES_PER_SECOND("MB/s", "%.2f", true),
        MILLISECONDS("ms", "%.2f", false),
        MEBIBYTES("MiB", "%.1f", false);

        private final String label;
        private final String format;
        private final boolean higherIsBetter;

        Unit(String label, String format, boolean higherIsBetter) {
            this.label = label;
            this.format = format;
            this.higherIsBetter = higherIsBetter;
        }

        String label() {
            return label;
        }

        String format() {
            return format;
        }

        boolean higherIsBetter() {
            return higherIsBetter;
        }
    }
}
