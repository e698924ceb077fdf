package io.brook.bench;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A process the benchmark started: stdin from /dev/null, stdout and stderr drained into capped files (a tool that
 * prints a stack trace per failed record must not fill the disk). Its pid is appended to the work
 * directory's {@code pids} file, so that bench/run.sh can stop it even if this JVM dies; a JVM shutdown hook stops every
 * child still running. {@link #close()} stops it (SIGTERM, then SIGKILL after a grace period) and is idempotent.
 */
final class ChildProcess implements AutoCloseable {
    private static final Set<ChildProcess> RUNNING = ConcurrentHashMap.newKeySet();
    private static final Duration SHUTDOWN_HOOK_GRACE = Duration.ofSeconds(10);
    private static volatile boolean stopping;

    static {
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            stopping = true;
                            for (ChildProcess child : RUNNING) {
                                child.stop(SHUTDOWN_HOOK_GRACE);
                            }
                        },
                        "brook-bench-stop-children"));
    }

    private final String name;
    private final Process process;
    private final long startNanos;
    private final OutputDrain stdout;
    private final OutputDrain stderr;

    private ChildProcess(String name, Process process, long startNanos, OutputDrain stdout, OutputDrain stderr) {
        this.name = name;
        this.process = process;
        this.startNanos = startNanos;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /** Starts {@code command}; {@code outputPrefix} + ".out"/".err" receive its output, {@code pidFile} its pid. */
    static ChildProcess start(String name, List<String> command, Path workingDirectory, Path outputPrefix, Path pidFile)
            throws IOException {
        requireNonNull(name, "name is null");
        if (stopping) {
            // The JVM is exiting (SIGTERM, SIGINT): its shutdown hook stops the children; start no more.
            throw new IOException("not starting " + name + ": the benchmark is stopping");
        }
        Path stdout = outputPrefix.resolveSibling(outputPrefix.getFileName() + ".out");
        Path stderr = outputPrefix.resolveSibling(outputPrefix.getFileName() + ".err");
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workingDirectory.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        long startNanos = System.nanoTime();
        Process process = builder.start();
        ChildProcess child = new ChildProcess(
                name,
                process,
                startNanos,
                OutputDrain.start(name + "-stdout", process.getInputStream(), stdout),
                OutputDrain.start(name + "-stderr", process.getErrorStream(), stderr));
        RUNNING.add(child);
        Files.writeString(pidFile, process.pid() + "\n", UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        return child;
    }

    String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    /** {@link System#nanoTime()} just before the process was started. */
    long startNanos() {
        return startNanos;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Waits up to {@code timeout} for the process to exit; returns its exit code, or -1 if it is still running. */
    int waitFor(Duration timeout) throws InterruptedException {
        if (process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            RUNNING.remove(this);
            stdout.awaitEnd();
            stderr.awaitEnd();
            return process.exitValue();
        }
        return -1;
    }

    /** SIGKILL: the process gets no chance to clean up (what a crash looks like to its peers). */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    int exitValue() {
        return process.exitValue();
    }

    /** What the process printed so far: all of it, or its head and tail when it printed more than the cap. */
    String stdout() {
        return stdout.text();
    }

    String stderr() {
        return stderr.text();
    }

    /** The last {@code count} non-blank lines of stderr and stdout, joined by " | ", for an error message. */
    String tail(int count) {
        List<String> lines = (stderr() + "\n" + stdout())
                .lines()
                .map(String::strip)
                .filter(line -> !line.isEmpty())
                .toList();
        return String.join(" | ", lines.subList(Math.max(0, lines.size() - count), lines.size()));
    }

    /**
     * Sends SIGTERM and waits up to {@code grace} for the process to exit, then sends SIGKILL. Returns whether it
     * exited within the grace period.
     */
    boolean stop(Duration grace) {
        if (!process.isAlive()) {
            RUNNING.remove(this);
            return true;
        }
        process.destroy();
        boolean exited;
        try {
            exited = process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exited = false;
        }
        if (!exited) {
            process.destroyForcibly();
            try {
                process.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        RUNNING.remove(this);
        stdout.awaitEnd();
        stderr.awaitEnd();
        return exited;
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(30));
    }

    /** Copies a stream to a file up to {@link #FILE_CAP} bytes and keeps the last {@link #TAIL_CAP} bytes in memory. */
    private static final class OutputDrain implements Runnable {
        private static final int FILE_CAP = 8 * 1024 * 1024;
        private static final int TAIL_CAP = 64 * 1024;

        private final InputStream input;
        private final Path file;
        private final Thread thread;
        private final byte[] tail = new byte[TAIL_CAP];
        private long total;

        private OutputDrain(String name, InputStream input, Path file) {
            this.input = input;
            this.file = file;
            this.thread = new Thread(this, "brook-bench-drain-" + name);
            this.thread.setDaemon(true);
        }

        static OutputDrain start(String name, InputStream input, Path file) {
            OutputDrain drain = new OutputDrain(name, input, file);
            drain.thread.start();
            return drain;
        }

        @Override
        public void run() {
            byte[] buffer = new byte[8192];
            try (OutputStream output = Files.newOutputStream(file)) {
                int read;
                while ((read = input.read(buffer)) >= 0) {
                    synchronized (this) {
                        if (total < FILE_CAP) {
                            int toFile = (int) Math.min(read, FILE_CAP - total);
                            output.write(buffer, 0, toFile);
                            output.flush();
                        }
                        for (int i = 0; i < read; i++) {
                            tail[(int) ((total + i) % TAIL_CAP)] = buffer[i];
                        }
                        total += read;
                    }
                }
            } catch (IOException e) {
                // The process ended or the file cannot be written: what was read so far stays readable.
            }
        }

        void awaitEnd() {
            try {
                thread.join(Duration.ofSeconds(5).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        synchronized String text() {
            String head;
            try {
                head = new String(Files.readAllBytes(file), UTF_8);
            } catch (IOException e) {
                head = "(cannot read " + file + ": " + e.getMessage() + ")";
            }
            if (total <= FILE_CAP) {
                return head;
            }
            int length = (int) Math.min(TAIL_CAP, total - FILE_CAP);
            byte[] last = new byte[length];
            for (int i = 0; i < length; i++) {
                last[i] = tail[(int) ((total - length + i) % TAIL_CAP)];
            }
            return head + "\n[... " + (total - FILE_CAP - length) + " bytes left out ...]\n" + new String(last, UTF_8);
        }
    }
}
