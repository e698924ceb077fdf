package io.brook.engine.exec;

import com.fasterxml.jackson.core.JsonGenerator;
import io.brook.engine.batch.ArrayColumn;
import io.brook.engine.batch.BooleanColumn;
import io.brook.engine.batch.Column;
import io.brook.engine.batch.DoubleColumn;
import io.brook.engine.batch.IntColumn;
import io.brook.engine.batch.LongColumn;
import io.brook.engine.batch.StructColumn;
import io.brook.engine.batch.VarcharColumn;
import java.io.IOException;
import java.time.LocalDate;
import java.util.function.LongFunction;

/**
 * Writes a column's value as JSON, for {@code to_json} and the JSON file sink alike: numbers and booleans as JSON
 * ones, text as strings, bytes as base64, a DATE as {@code yyyy-MM-dd}, an array as a JSON array (null elements as
 * null) and a struct as an object of its non-null fields, as Spark writes them. Only TIMESTAMP text differs between
 * the two callers, so they pass its format.
 */
public final class JsonValues {
    private JsonValues() {}

    /** Writes the non-null value at {@code position}; {@code timestamp} turns microseconds since the epoch into text. */
    public static void write(JsonGenerator generator, Column column, int position, LongFunction<String> timestamp)
            throws IOException {
        switch (column.type()) {
            case BOOLEAN -> generator.writeBoolean(((BooleanColumn) column).getBoolean(position));
            case INT -> generator.writeNumber(((IntColumn) column).getInt(position));
            case BIGINT -> generator.writeNumber(((LongColumn) column).getLong(position));
            case DOUBLE -> generator.writeNumber(((DoubleColumn) column).getDouble(position));
            case VARCHAR -> generator.writeString(((VarcharColumn) column).getString(position));
            case VARBINARY -> generator.writeBinary(((VarcharColumn) column).getBytes(position));
            case DATE ->
                generator.writeString(LocalDate.ofEpochDay(((IntColumn) column).getInt(position))
                        .toString());
            case TIMESTAMP -> generator.writeString(timestamp.apply(((LongColumn) column).getLong(position)));
            case ARRAY -> {
                ArrayColumn array = (ArrayColumn) column;
                Column elements = array.elements();
                generator.writeStartArray();
                int end = array.start(position) + array.length(position);
                for (int element = array.start(position); element < end; element++) {
                    if (elements.isNull(element)) {
                        generator.writeNull();
                    } else {
                        write(generator, elements, element, timestamp);
                    }
                }
                generator.writeEndArray();
            }
            case STRUCT -> {
                StructColumn struct = (StructColumn) column;
                generator.writeStartObject();
                for (int i = 0; i < struct.childCount(); i++) {
                    if (!struct.child(i).isNull(position)) {
                        generator.writeFieldName(struct.fields().get(i).name());
                        write(generator, struct.child(i), position, timestamp);
                    }
                }
                generator.writeEndObject();
            }
        }
    }
}
