package io.brook.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
    /** Debian's Chromium, which Playwright drives headless (Playwright's own browser downloads need the internet). */
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    /** The dashboard's browser check, copied to the work directory and given its playwright-core there. */
    private static final Path BROWSER_CHECK_SOURCES = Path.of("src", "test", "browser");

    private static final Duration NPM_TIMEOUT = Duration.ofMinutes(5);

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

    static void requireChromium() {
        require(Files.isExecutable(CHROMIUM), "chromium (" + CHROMIUM + ")", "chromium");
    }

    /**
     * The directory of the dashboard's browser check ({@code src/test/browser}: its script, package.json and lock) with
     * playwright-core installed beside it by {@code npm ci} from the npm registry, under {@code target}; node and npm
     * must be on the PATH.
     */
    static Path browserCheck() throws Exception {
        boolean npm = ExternalProcess.run(List.of("npm", "--version"), "", Duration.ofSeconds(60))
                        .exitCode()
                == 0;
        String message =
                "node and npm are not installed; install Node.js 18 or later (Debian: apt-get install -y nodejs"
                        + " npm)";
        assumeTrue(npm || System.getenv("CI") != null, message);
        assertThat(npm).as(message + "; CI must run this test").isTrue();
        Path directory = TestPaths.workDir().resolve("browser-check");
        Files.createDirectories(directory);
        for (String file : List.of("package.json", "package-lock.json", "dashboard-check.js")) {
            Files.copy(
                    BROWSER_CHECK_SOURCES.resolve(file), directory.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        if (!Files.isRegularFile(directory.resolve("node_modules/playwright-core/package.json"))) {
            ExternalProcess.Result installed = ExternalProcess.run(
                    List.of("npm", "ci", "--no-audit", "--no-fund", "--prefix", directory.toString()), "", NPM_TIMEOUT);
            assertThat(installed.exitCode()).as(installed.describe()).isZero();
        }
        return directory;
    }

    private static void require(boolean present, String what, String debianPackage) {
        String message =
                what + " is not installed; install it with `apt-get install -y " + debianPackage + "` (.ci/run does)";
        assumeTrue(present || System.getenv("CI") != null, message);
        assertThat(present).as(message + "; CI must run this test").isTrue();
    }
}
