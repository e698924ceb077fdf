package io.brook.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * A disk in memory that can lose power. Each file keeps its current content and its durable content; {@link
 * LogFile#force} makes the current content durable, including changes made through a buffer from {@link
 * LogFile#map}, which behaves like a mapping of the file. Each directory keeps a current and a durable view of its
 * entries; {@link Storage#fsyncDirectory} makes its current view durable, so a new file, a rename or a delete survives a
 * crash only after the directory was fsynced.
 *
 * <p>{@link #crash} is the power loss: every directory falls back to its durable view (what is not reachable through
 * durable entries is gone) and every file to its durable content plus, at random, a torn prefix of what changed after
 * its last fsync, with some bytes possibly garbled; where the new content was shorter than the old, the old tail may
 * survive. After a crash the handles and storage views of the dead process throw {@link IOException}; {@link
 * #storage()} gives the view for the next one. Thread-safe.
 */
final class SimulatedDisk {
    private final Directory root = new Directory();
    private final Map<Path, Integer> forces = new ConcurrentHashMap<>();
    private final Map<Path, Integer> directoryFsyncs = new ConcurrentHashMap<>();
    private volatile Consumer<Path> beforeForce = path -> {};
    private int generation;
    private int crashCountdown;
    private Random crashRandom;

    /** The storage of the process that runs now; it stops working at the next {@link #crash}. */
    synchronized Storage storage() {
        return new View(generation);
    }

    /** Runs {@code hook} at the start of every file fsync (outside the disk's lock, so it may block). */
    void beforeForce(Consumer<Path> hook) {
        this.beforeForce = hook;
    }

    /** How many times files named {@code path} were fsynced. */
    int forceCount(Path path) {
        return forces.getOrDefault(path, 0);
    }

    int directoryFsyncCount(Path directory) {
        return directoryFsyncs.getOrDefault(directory, 0);
    }

    /** The current content of a file, or null if it does not exist. */
    synchronized byte[] content(Path path) {
        Node node = resolve(path);
        return node instanceof Inode inode ? Arrays.copyOf(inode.data, inode.length) : null;
    }

    /** The content a crash would keep for sure: null if the file's name is not durable. */
    synchronized byte[] durableContent(Path path) {
        Node node = resolveDurable(path);
        return node instanceof Inode inode ? inode.durable.clone() : null;
    }

    /** Overwrites bytes of a file as a stray write would, durable at once (for corruption tests). */
    synchronized void corrupt(Path path, int position, byte[] bytes) {
        Inode inode = (Inode) resolve(path);
        System.arraycopy(bytes, 0, inode.data, position, bytes.length);
        inode.durable = Arrays.copyOf(inode.data, inode.length);
    }

    /**
     * Arms a crash in the middle of things: the {@code operations}-th changing operation from now (a write, truncate,
     * fsync, mapping, create, rename or delete) loses power instead of running and throws {@link IOException}.
     */
    synchronized void crashAfter(int operations, Random random) {
        if (operations < 1) {
            throw new IllegalArgumentException("operations must be >= 1, was " + operations);
        }
        this.crashCountdown = operations;
        this.crashRandom = random;
    }

    synchronized void disarm() {
        crashCountdown = 0;
    }

    /** How many times the disk lost power; a storage view is dead once this moved past its birth. */
    synchronized int crashes() {
        return generation;
    }

    private void tick() throws IOException {
        if (crashCountdown > 0 && --crashCountdown == 0) {
            crash(crashRandom);
            throw new IOException("simulated power loss");
        }
    }

    /** Loses power: see the class comment. Every handle and view from before stops working. */
    synchronized void crash(Random random) {
        generation++;
        tear(root, random, Collections.newSetFromMap(new IdentityHashMap<>()));
    }

    private static void tear(Directory directory, Random random, Set<Node> seen) {
        directory.entries = new TreeMap<>(directory.durableEntries);
        for (Node child : directory.entries.values()) {
            if (!seen.add(child)) {
                continue;
            }
            if (child instanceof Directory subdirectory) {
                tear(subdirectory, random, seen);
            } else {
                ((Inode) child).tear(random);
            }
        }
    }

    private Node resolve(Path path) {
        Node node = root;
        for (Path name : path.toAbsolutePath()) {
            if (!(node instanceof Directory directory)) {
                return null;
            }
            node = directory.entries.get(name.toString());
        }
        return node;
    }

    private Node resolveDurable(Path path) {
        Node node = root;
        for (Path name : path.toAbsolutePath()) {
            if (!(node instanceof Directory directory)) {
                return null;
            }
            node = directory.durableEntries.get(name.toString());
        }
        return node;
    }

    private Directory parentOf(Path path) throws IOException {
        Path parent = path.toAbsolutePath().getParent();
        Node node = parent == null ? root : resolve(parent);
        if (!(node instanceof Directory directory)) {
            throw new NoSuchFileException(String.valueOf(parent), null, "no such directory");
        }
        return directory;
    }

    private abstract static class Node {}

    private static final class Directory extends Node {
        TreeMap<String, Node> entries = new TreeMap<>();
        TreeMap<String, Node> durableEntries = new TreeMap<>();
    }

    private static final class Inode extends Node {
        byte[] data = new byte[0];
        int length;
        byte[] durable = new byte[0];

        void ensureLength(int newLength) {
            if (newLength <= length) {
                return;
            }
            if (newLength > data.length) {
                data = Arrays.copyOf(data, Math.max(newLength, data.length * 2));
            } else {
                // Bytes past the end may hold writes made through a mapping while the file was shorter.
                Arrays.fill(data, length, newLength, (byte) 0);
            }
            length = newLength;
        }

        void tear(Random random) {
            byte[] current = Arrays.copyOf(data, length);
            int common = 0;
            int bound = Math.min(current.length, durable.length);
            while (common < bound && current[common] == durable[common]) {
                common++;
            }
            int unsynced = current.length - common;
            int kept = switch (unsynced == 0 ? 0 : random.nextInt(3)) {
                case 0 -> 0;
                case 1 -> unsynced;
                default -> random.nextInt(unsynced + 1);
            };
            byte[] result = Arrays.copyOf(current, common + kept);
            if (kept > 0 && random.nextInt(4) == 0) {
                for (int i = random.nextInt(3); i >= 0; i--) {
                    result[common + random.nextInt(kept)] ^= (byte) (1 + random.nextInt(255));
                }
            }
            if (durable.length > result.length && random.nextBoolean()) {
                int from = result.length;
                result = Arrays.copyOf(result, durable.length);
                System.arraycopy(durable, from, result, from, durable.length - from);
            }
            data = result;
            length = result.length;
            durable = result.clone();
        }
    }

    private final class View implements Storage {
        private final int viewGeneration;

        View(int generation) {
            this.viewGeneration = generation;
        }

        private void checkAlive() throws IOException {
            if (viewGeneration != generation) {
                throw new IOException("simulated disk lost power; this process is dead");
            }
        }

        @Override
        public LogFile open(Path path) throws IOException {
            synchronized (SimulatedDisk.this) {
                checkAlive();
                tick();
                Directory parent = parentOf(path);
                String name = path.getFileName().toString();
                Node node = parent.entries.get(name);
                if (node == null) {
                    node = new Inode();
                    parent.entries.put(name, node);
                } else if (node instanceof Directory) {
                    throw new IOException(path + " is a directory");
                }
                return new Handle(path, (Inode) node, viewGeneration);
            }
        }

        @Override
        public boolean exists(Path path) {
            synchronized (SimulatedDisk.this) {
                return resolve(path) != null;
            }
        }

        @Override
        public void createDirectories(Path directory) throws IOException {
            synchronized (SimulatedDisk.this) {
                checkAlive();
                tick();
                Directory current = root;
                for (Path name : directory.toAbsolutePath()) {
                    Node node = current.entries.get(name.toString());
                    if (node == null) {
                        node = new Directory();
                        current.entries.put(name.toString(), node);
                    } else if (!(node instanceof Directory)) {
                        throw new FileAlreadyExistsException(directory.toString());
                    }
                    current = (Directory) node;
                }
            }
        }

        @Override
        public List<Path> list(Path directory) throws IOException {
            synchronized (SimulatedDisk.this) {
                checkAlive();
                if (!(resolve(directory) instanceof Directory node)) {
                    throw new NoSuchFileException(directory.toString());
                }
                List<Path> result = new ArrayList<>();
                for (String name : node.entries.keySet()) {
                    result.add(directory.resolve(name));
                }
                return result;
            }
        }

        @Override
        public void deleteIfExists(Path path) throws IOException {
            synchronized (SimulatedDisk.this) {
                checkAlive();
                tick();
                Directory parent = parentOf(path);
                String name = path.getFileName().toString();
                if (parent.entries.get(name) instanceof Directory directory && !directory.entries.isEmpty()) {
                    throw new DirectoryNotEmptyException(path.toString());
                }
                parent.entries.remove(name);
            }
        }

        @Override
        public void rename(Path source, Path target) throws IOException {
            synchronized (SimulatedDisk.this) {
                checkAlive();
                tick();
                Directory sourceParent = parentOf(source);
                Node node = sourceParent.entries.remove(source.getFileName().toString());
                if (node == null) {
                    throw new NoSuchFileException(source.toString());
                }
                parentOf(target).entries.put(target.getFileName().toString(), node);
            }
        }

        @Override
        public void fsyncDirectory(Path directory) throws IOException {
            synchronized (SimulatedDisk.this) {
                checkAlive();
                tick();
                Node node = directory.getParent() == null ? root : resolve(directory);
                if (!(node instanceof Directory target)) {
                    throw new NoSuchFileException(directory.toString());
                }
                target.durableEntries = new TreeMap<>(target.entries);
                directoryFsyncs.merge(directory, 1, Integer::sum);
            }
        }
    }

    private final class Handle implements LogFile {
        private final Path path;
        private final Inode inode;
        private final int handleGeneration;
        private boolean closed;

        Handle(Path path, Inode inode, int generation) {
            this.path = path;
            this.inode = inode;
            this.handleGeneration = generation;
        }

        private void checkUsable() throws IOException {
            if (closed) {
                throw new ClosedChannelException();
            }
            if (handleGeneration != generation) {
                throw new IOException("simulated disk lost power; " + path + " belongs to a dead process");
            }
        }

        @Override
        public long size() throws IOException {
            synchronized (SimulatedDisk.this) {
                checkUsable();
                return inode.length;
            }
        }

        @Override
        public void write(ByteBuffer source, long position) throws IOException {
            synchronized (SimulatedDisk.this) {
                checkUsable();
                tick();
                int at = Math.toIntExact(position);
                int count = source.remaining();
                inode.ensureLength(at + count);
                source.get(inode.data, at, count);
            }
        }

        @Override
        public int read(ByteBuffer target, long position) throws IOException {
            synchronized (SimulatedDisk.this) {
                checkUsable();
                int count = (int) Math.max(0, Math.min(target.remaining(), inode.length - position));
                target.put(inode.data, (int) position, count);
                return count;
            }
        }

        @Override
        public void truncate(long size) throws IOException {
            synchronized (SimulatedDisk.this) {
                checkUsable();
                tick();
                if (size < inode.length) {
                    inode.length = (int) size;
                }
            }
        }

        @Override
        public void force() throws IOException {
            synchronized (SimulatedDisk.this) {
                checkUsable();
            }
            beforeForce.accept(path);
            synchronized (SimulatedDisk.this) {
                checkUsable();
                tick();
                inode.durable = Arrays.copyOf(inode.data, inode.length);
                forces.merge(path, 1, Integer::sum);
            }
        }

        @Override
        public ByteBuffer map(int size) throws IOException {
            synchronized (SimulatedDisk.this) {
                checkUsable();
                tick();
                inode.ensureLength(size);
                // Like a real mapping, the buffer writes straight into the file's bytes.
                return ByteBuffer.wrap(inode.data, 0, size).slice();
            }
        }

        @Override
        public void close() {
            synchronized (SimulatedDisk.this) {
                closed = true;
            }
        }
    }
}
