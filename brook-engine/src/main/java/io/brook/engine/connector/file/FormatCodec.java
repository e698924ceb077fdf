package io.brook.engine.connector.file;

import io.brook.engine.batch.Batch;
import io.brook.engine.batch.Schema;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;
import java.util.Map;

/** Reads a file's text as rows of a schema, infers a schema from files, and writes rows as text; stateless. */
sealed interface FormatCodec permits JsonCodec, CsvCodec {
    /** The records of one file's text as a batch of the (all-nullable) schema. */
    Batch read(Path file, String text, Schema schema, FileOptions options);

    /** A schema that fits the records of these files' texts. */
    Schema infer(Map<Path, String> texts, FileOptions options);

    /** Writes the rows of a batch, one record a line, each line ended by '\n'. */
    void write(Writer out, Batch batch, FileOptions options) throws IOException;

    /** Writes what starts a file before its rows (a CSV header), if anything. */
    default void writeStart(Writer out, Schema schema, FileOptions options) throws IOException {}
}
