package io.brook.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Non-Java clients the tests drive (kcat, Debian's Python Kafka clients). On a developer machine a missing client
 * skips its test with a message saying how to install it; in CI (the environment variable CI is set) it fails.
 */
final class ExternalTools {
    static final Path KCAT = Path.of("/usr/bin/kcat");
    /** Debian's interpreter: the Debian packages install there, not into a pyenv or virtualenv python. */
    static final Path DEBIAN_PYTHON = Path.of("/usr/bin/python3");

    private ExternalTools() {}

    static void requireKcat() {
        require(Files.isExecutable(KCAT), "kcat (" + KCAT + ")", "kcat");
    }

    static void requirePythonModule(String module, String debianPackage) throws Exception {
        boolean present = Files.isExecutable(DEBIAN_PYTHON)
                && ExternalProcess.run(
                                        List.of(DEBIAN_PYTHON.toString(), "-I", "-c", "import " + module),
                                        "",
                                        Duration.ofSeconds(30))
                                .exitCode()
                        == 0;
        require(present, "python module " + module + " for " + DEBIAN_PYTHON, debianPackage);
    }

    private static void require(boolean present, String what, String debianPackage) {
        String message =
                what + " is not installed; install it with `apt-get install -y " + debianPackage + "` (.ci/run does)";
        assumeTrue(present || System.getenv("CI") != null, message);
        assertThat(present).as(message + "; CI must run this test").isTrue();
    }
}
