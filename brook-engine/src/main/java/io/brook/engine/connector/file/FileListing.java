package io.brook.engine.connector.file;

import io.brook.engine.BrookException;
import io.brook.engine.ErrorCode;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The data files a path names: a file; a directory (its files at any depth, except those whose name or directory starts
 * with '.' or '_', which are hidden, temporary or metadata, as in Spark); or a glob ({@code /data/*.json}, matched
 * against whole paths, '*' within one directory level). A directory written by a file sink (it has
 * {@code _brook_metadata}) lists only the files its manifest commits.
 */
final class FileListing {
    /** A data file and what the streaming source orders new files by. */
    record FileEntry(Path path, long modificationTime, long size) {}

    private FileListing() {}

    static boolean isGlob(String path) {
        return path.chars().anyMatch(c -> c == '*' || c == '?' || c == '[' || c == '{');
    }

    /** The files the path names now; an empty list when nothing matches. */
    static List<FileEntry> list(String path) {
        try {
            if (isGlob(path)) {
                return listGlob(path);
            }
            Path target = Path.of(path).toAbsolutePath().normalize();
            if (Files.isDirectory(target)) {
                return listDirectory(target);
            }
            if (Files.isRegularFile(target)) {
                return List.of(entry(target));
            }
            return List.of();
        } catch (IOException e) {
            throw new BrookException(ErrorCode.SOURCE_FAILED, "cannot list " + path + ": " + e, e);
        }
    }

    /** Whether the path (or, for a glob, the directory it starts from) exists. */
    static boolean exists(String path) {
        return isGlob(path) || Files.exists(Path.of(path));
    }

    private static List<FileEntry> listGlob(String glob) throws IOException {
        Path pattern = Path.of(glob).toAbsolutePath().normalize();
        int first = 0;
        while (first < pattern.getNameCount() && !isGlob(pattern.getName(first).toString())) {
            first++;
        }
        Path base = first == 0 ? pattern.getRoot() : pattern.getRoot().resolve(pattern.subpath(0, first));
        if (!Files.isDirectory(base)) {
            return List.of();
        }
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
        int depth = pattern.getNameCount() - first;
        List<Path> matches;
        try (Stream<Path> walk = Files.walk(base, depth)) {
            matches = walk.filter(candidate -> candidate.getNameCount() == pattern.getNameCount())
                    .filter(matcher::matches)
                    .filter(candidate -> !isHidden(candidate.getFileName()))
                    .sorted()
                    .toList();
        }
        List<FileEntry> entries = new ArrayList<>();
        for (Path match : matches) {
            if (Files.isDirectory(match)) {
                entries.addAll(listDirectory(match));
            } else if (Files.isRegularFile(match)) {
                entries.add(entry(match));
            }
        }
        return entries;
    }

    private static List<FileEntry> listDirectory(Path directory) throws IOException {
        if (SinkManifest.exists(directory)) {
            List<FileEntry> entries = new ArrayList<>();
            for (Path file : new SinkManifest(directory).files()) {
                try {
                    entries.add(entry(file));
                } catch (NoSuchFileException e) {
                    throw new BrookException(
                            ErrorCode.SOURCE_FAILED,
                            "file " + file + " is listed in " + directory.resolve(SinkManifest.DIRECTORY)
                                    + " but does not exist; was it deleted?",
                            e);
                }
            }
            return entries;
        }
        List<FileEntry> entries = new ArrayList<>();
        Files.walkFileTree(directory, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
                return dir.equals(directory) || !isHidden(dir.getFileName())
                        ? FileVisitResult.CONTINUE
                        : FileVisitResult.SKIP_SUBTREE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                if (attributes.isRegularFile() && !isHidden(file.getFileName())) {
                    entries.add(
                            new FileEntry(file, attributes.lastModifiedTime().toMillis(), attributes.size()));
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE; // deleted while listing: it is simply not there
                }
                throw e;
            }
        });
        return entries;
    }

    private static FileEntry entry(Path file) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
        return new FileEntry(file, attributes.lastModifiedTime().toMillis(), attributes.size());
    }

    private static boolean isHidden(Path name) {
        String text = name.toString();
        return text.startsWith(".") || text.startsWith("_");
    }
}
