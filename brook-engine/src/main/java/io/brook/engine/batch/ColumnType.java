package io.brook.engine.batch;

/**
 * The types a column can hold, and how each is stored. TIMESTAMP is microseconds since the epoch in UTC, as Spark
 * keeps it; DATE is days since the epoch. ARRAY holds lists of one scalar type or of STRUCTs, named by its
 * {@link Field#element()}; STRUCT holds named fields of scalar types.
 */
public enum ColumnType {
    BOOLEAN,
    INT,
    BIGINT,
    DOUBLE,
    VARCHAR,
    /** Bytes, as Spark's BINARY (Kafka keys and values); stored like VARCHAR in a {@link VarcharColumn}. */
    VARBINARY,
    DATE,
    TIMESTAMP,
    /**
     * A list of values of one scalar type or of STRUCTs, in an {@link ArrayColumn}; arrays do not nest. The element type
     * is {@link Field#element()}.
     */
    ARRAY,
    /** A value made of named fields of scalar types ({@link Field#children()}), in a {@link StructColumn}. */
    STRUCT;

    /** Whether this is a type of single values (not ARRAY, not STRUCT). */
    public boolean isScalar() {
        return this != ARRAY && this != STRUCT;
    }

    /** Whether values of this type are kept in a {@link LongColumn}. */
    public boolean storedAsLong() {
        return this == BIGINT || this == TIMESTAMP;
    }

    /** Whether values of this type are kept in a {@link VarcharColumn} (VARCHAR as UTF-8, VARBINARY as is). */
    public boolean storedAsBytes() {
        return this == VARCHAR || this == VARBINARY;
    }

    /** Whether values of this type are kept in an {@link IntColumn}. */
    public boolean storedAsInt() {
        return this == INT || this == DATE;
    }
}
