package io.brook.it;

import static java.util.Objects.requireNonNull;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Runs a command to completion with a time limit: standard input from a string, standard output and error into files
 * under the test work directory (so a chatty child never blocks on a full pipe). A command still running at its limit
 * is killed with SIGKILL and reported as timed out; nothing outlives {@link #run}.
 */
final class ExternalProcess {
    private ExternalProcess() {}

    /** What a finished command printed and returned. */
    record Result(List<String> command, int exitCode, boolean timedOut, String stdout, String stderr) {
        Result {
            command = List.copyOf(command);
            requireNonNull(stdout, "stdout is null");
            requireNonNull(stderr, "stderr is null");
        }

        /** A description for assertion messages: the command, its exit code and everything it printed. */
        String describe() {
            List<String> shown = command.stream()
                    .map(argument -> argument.length() > 200
                            ? argument.substring(0, 60) + "...(" + argument.length() + " characters)"
                            : argument)
                    .toList();
            return "command " + shown + (timedOut ? " timed out" : " exited with " + exitCode) + "\n--- stdout ---\n"
                    + stdout + "\n--- stderr ---\n" + stderr;
        }
    }

    static Result run(List<String> command, String stdin, Duration timeout) throws IOException, InterruptedException {
        return run(command, stdin, timeout, Map.of());
    }

    static Result run(List<String> command, String stdin, Duration timeout, Map<String, String> environment)
            throws IOException, InterruptedException {
        Path dir = TestPaths.newDirectory("process-");
        Path in = dir.resolve("stdin");
        Path out = dir.resolve("stdout");
        Path err = dir.resolve("stderr");
        Files.writeString(in, stdin == null ? "" : stdin, StandardCharsets.UTF_8);
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectInput(in.toFile())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        boolean finished;
        try {
            finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } finally {
            if (process.isAlive()) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
        Result result = new Result(
                command,
                finished ? process.exitValue() : -1,
                !finished,
                Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
        TestPaths.deleteRecursively(dir);
        return result;
    }

    /** The command line of a child JVM running {@code mainClass} with this test JVM's classpath. */
    static List<String> javaCommand(List<String> jvmOptions, String mainClass, List<String> arguments) {
        return javaCommand(testClasspath(), jvmOptions, mainClass, arguments);
    }

    static List<String> javaCommand(
            String classpath, List<String> jvmOptions, String mainClass, List<String> arguments) {
        List<String> command = new ArrayList<>();
        command.add(javaExecutable());
        // Child JVMs are short-lived: start fast and stay small on a 2-core machine.
        command.add("-XX:+UseSerialGC");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-Xshare:auto");
        command.add("-cp");
        command.add(classpath);
        command.addAll(jvmOptions);
        command.add(mainClass);
        command.addAll(arguments);
        return command;
    }

    static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * This JVM's test classpath. Surefire and Failsafe may start the JVM from a manifest-only jar; they then publish
     * the real classpath in {@code surefire.test.class.path} (and {@code java.class.path}).
     */
    static String testClasspath() {
        String classpath = System.getProperty("surefire.test.class.path");
        if (classpath == null || classpath.isBlank()) {
            classpath = System.getProperty("java.class.path");
        }
        return classpath;
    }

    /** The jars of a directory as a classpath, in name order so runs are repeatable. */
    static String classpathOf(Path directory) throws IOException {
        try (var files = Files.list(directory)) {
            return String.join(
                    File.pathSeparator,
                    files.filter(path -> path.toString().endsWith(".jar"))
                            .map(Path::toString)
                            .sorted()
                            .toList());
        }
    }

    /** The environment with which a child runs in a predictable locale. */
    static Map<String, String> plainEnvironment() {
        Map<String, String> environment = new TreeMap<>();
        environment.put("LC_ALL", "C.UTF-8");
        return environment;
    }
}
