package io.brook.engine.connector.file;

import io.brook.engine.BrookException;
import io.brook.engine.ErrorCode;
import io.brook.engine.batch.Batch;
import io.brook.engine.batch.Schema;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads a file's text as rows of a schema, infers a schema from files, and writes rows as text; stateless. */
sealed interface TextCodec extends FormatCodec permits JsonCodec, CsvCodec, PlainTextCodec {
    /** The records of one file's text as a batch of the (all-nullable) schema. */
    Batch read(Path file, String text, Schema schema, FileOptions options);

    /** A schema that fits the records of these files' texts. */
    Schema infer(Map<Path, String> texts, FileOptions options);

    /** Writes the rows of a batch, one record a line, each line ended by '\n' (text: by its lineSep). */
    void write(Writer out, Batch batch, FileOptions options) throws IOException;

    /** Writes what starts a file before its rows (a CSV header), if anything. */
    default void writeStart(Writer out, Schema schema, FileOptions options) throws IOException {}

    @Override
    default Batch readFile(Path file, Schema schema, FileOptions options) {
        return read(file, readText(file), schema, options);
    }

    @Override
    default Schema inferSchema(List<Path> files, FileOptions options) {
        Map<Path, String> texts = new LinkedHashMap<>();
        for (Path file : files) {
            texts.put(file, readText(file));
        }
        return infer(texts, options);
    }

    @Override
    default void writeFile(Path file, Schema schema, List<Batch> batches, FileOptions options) throws IOException {
        AtomicFiles.write(file, writer -> {
            writeStart(writer, schema, options);
            for (Batch batch : batches) {
                write(writer, batch, options);
            }
        });
    }

    private static String readText(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new BrookException(ErrorCode.SOURCE_FAILED, "cannot read file " + file + ": " + e, e);
        }
    }
}
