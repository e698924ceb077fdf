package io.brook.bench;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;

/**
 * Where the benchmark finds what it launches and where it writes: {@code workDir} (a temporary directory that
 * bench/run.sh removes) holds the brokers' data and logs, the tools' output and the {@code pids} file.
 */
record BenchPaths(Path java, Path workDir, Path kafkaLib, Path kafkaToolsLib, Path brookHome) {
    BenchPaths {
        requireNonNull(java, "java is null");
        requireNonNull(workDir, "workDir is null");
        requireNonNull(kafkaLib, "kafkaLib is null");
        requireNonNull(kafkaToolsLib, "kafkaToolsLib is null");
        requireNonNull(brookHome, "brookHome is null");
    }

    /** One pid a line, of every process the benchmark started; bench/run.sh stops those still running. */
    Path pidFile() {
        return workDir.resolve("pids");
    }
}
