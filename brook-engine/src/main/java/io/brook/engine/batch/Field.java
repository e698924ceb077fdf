package io.brook.engine.batch;

import static java.util.Objects.requireNonNull;

/** A named, typed column of a schema. */
public record Field(String name, ColumnType type, boolean nullable) {
    public Field {
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
    }
}
