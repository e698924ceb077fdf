package io.brook.engine.stream;

import io.brook.engine.BrookException;
import io.brook.engine.ErrorCode;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * One of a checkpoint's logs, Spark's layout: {@code offsets/<batchId>} (written before a batch runs) or
 * {@code commits/<batchId>} (written after its sink committed). Each entry is a text file whose first line is the
 * version ({@code v1}); it is written to a temporary file, fsynced and renamed, so a crash leaves a whole entry or none.
 */
final class CheckpointLog {
    static final String VERSION = "v1";

    private final Path directory;

    CheckpointLog(Path directory) {
        this.directory = directory;
    }

    Path directory() {
        return directory;
    }

    void write(long batchId, List<String> lines) {
        List<String> content = new ArrayList<>();
        content.add(VERSION);
        content.addAll(lines);
        writeAtomically(directory.resolve(Long.toString(batchId)), String.join("\n", content) + "\n");
    }

    /** The lines after the version line, if the entry exists. */
    Optional<List<String>> read(long batchId) {
        Path file = directory.resolve(Long.toString(batchId));
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            if (lines.isEmpty() || !lines.get(0).equals(VERSION)) {
                throw new BrookException(
                        ErrorCode.INCOMPATIBLE_CHECKPOINT,
                        "checkpoint file " + file + " does not start with " + VERSION + "; it was not written by this"
                                + " version of Brook");
            }
            return Optional.of(lines.subList(1, lines.size()));
        } catch (IOException e) {
            throw new BrookException(ErrorCode.CHECKPOINT_FAILED, "cannot read checkpoint file " + file, e);
        }
    }

    /** The highest batch id with an entry. */
    OptionalLong latest() {
        if (!Files.isDirectory(directory)) {
            return OptionalLong.empty();
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(path -> path.getFileName().toString())
                    .filter(name -> name.matches("\\d+"))
                    .mapToLong(Long::parseLong)
                    .max();
        } catch (IOException e) {
            throw new BrookException(ErrorCode.CHECKPOINT_FAILED, "cannot list " + directory, e);
        }
    }

    static void writeAtomically(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            Path temporary = file.resolveSibling("." + file.getFileName() + ".tmp");
            try (FileChannel channel = FileChannel.open(
                    temporary,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE)) {
                channel.write(java.nio.ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8)));
                channel.force(true);
            }
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            try (FileChannel dir = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
                dir.force(true);
            }
        } catch (IOException e) {
            throw new BrookException(ErrorCode.CHECKPOINT_FAILED, "cannot write checkpoint file " + file, e);
        }
    }
}
