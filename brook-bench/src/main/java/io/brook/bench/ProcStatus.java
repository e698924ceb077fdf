package io.brook.bench;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/** Reads a process's resident set size from Linux's /proc/PID/status. */
final class ProcStatus {
    private ProcStatus() {}

    /** VmRSS in KiB, or empty when the process is gone or /proc is not there. */
    static OptionalLong rssKib(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"), US_ASCII)) {
                if (line.startsWith("VmRSS:")) {
                    String value = line.substring("VmRSS:".length()).strip();
                    return OptionalLong.of(Long.parseLong(value.substring(0, value.indexOf(' '))));
                }
            }
        } catch (IOException | RuntimeException e) {
            // The process exited between two reads, or this is not Linux.
        }
        return OptionalLong.empty();
    }
}
