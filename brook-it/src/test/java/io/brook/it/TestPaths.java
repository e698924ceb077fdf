package io.brook.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Where integration tests put their files: {@code target/it-work} under Maven, the system temp dir otherwise. */
final class TestPaths {
    private TestPaths() {}

    static Path workDir() throws IOException {
        String configured = System.getProperty("brook.it.workDir");
        Path dir = configured == null ? Path.of(System.getProperty("java.io.tmpdir"), "brook-it") : Path.of(configured);
        Files.createDirectories(dir);
        return dir;
    }

    /** A new empty directory under {@link #workDir()} whose name starts with {@code prefix}. */
    static Path newDirectory(String prefix) throws IOException {
        return Files.createTempDirectory(workDir(), prefix);
    }

    static void deleteRecursively(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(root)) {
            paths = walk.sorted(Comparator.reverseOrder()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root + " to delete it", e);
        }
        for (Path path : paths) {
            try {
                Files.deleteIfExists(path);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete " + path, e);
            }
        }
    }
}
