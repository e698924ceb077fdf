package io.brook.cli;

import static java.util.Objects.requireNonNull;

/**
 * One line of {@code brook produce} input: {@code key<SEPARATOR>value} gives a key, a line without the separator is a
 * value without a key. Only the first separator splits, so values may contain it.
 */
record LineRecord(String key, String value) {
    LineRecord {
        requireNonNull(value, "value is null");
    }

    static LineRecord parse(String line, String separator) {
        requireNonNull(line, "line is null");
        requireNonNull(separator, "separator is null");
        if (separator.isEmpty()) {
            throw new IllegalArgumentException("separator must not be empty");
        }
        int at = line.indexOf(separator);
        if (at < 0) {
            return new LineRecord(null, line);
        }
        return new LineRecord(line.substring(0, at), line.substring(at + separator.length()));
    }
}
