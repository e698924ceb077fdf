package io.brook.engine.connector.file;

import io.brook.engine.batch.Batch;
import io.brook.engine.batch.Schema;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads one file as rows of a schema, infers a schema from files, and writes rows to a new file; stateless. Text
 * formats implement it through {@link TextCodec}, Parquet through {@link ParquetCodec}.
 */
sealed interface FormatCodec permits TextCodec, ParquetCodec {
    /**
     * Refuses, naming the column, a schema whose columns this format cannot hold; checked before a file is read or
     * written.
     */
    default void throwIfUnsupported(Schema schema) {}

    /** The records of one file as a batch of the (all-nullable) schema. */
    Batch readFile(Path file, Schema schema, FileOptions options);

    /** A schema that fits the records of these files. */
    Schema inferSchema(List<Path> files, FileOptions options);

    /** Writes the rows into a new file, atomically: readers see all of it or nothing (see {@link AtomicFiles}). */
    void writeFile(Path file, Schema schema, List<Batch> batches, FileOptions options) throws IOException;
}
