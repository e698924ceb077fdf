package io.brook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoCommandTest {
    @TempDir
    Path directory;

    @Test
    void brokerStartFailureEndsTheDemoWithTheBrokerMessage() {
        // Given
        RunningBroker.Launcher failing = config -> {
            throw new IOException("not built yet: " + config.host());
        };

        // When
        CliRun run = CliRun.command(new DemoCommand(failing), "--data-dir", directory.toString());

        // Then
        assertThat(run.exitCode).isEqualTo(1);
        assertThat(run.err)
                .isEqualTo("Error: Brook could not start: not built yet: 127.0.0.1" + System.lineSeparator());
        assertThat(run.out).startsWith("Starting Brook in this process (data in " + directory + ")");
    }

    @Test
    void clickEventsAreTheSameEveryRunAndKeyedByUser() {
        assertThat(ClickEvents.user(1)).isEqualTo(ClickEvents.user(1)).matches("user-1[1-5]");
        assertThat(ClickEvents.json(3))
                .isEqualTo("{\"click\":3,\"user\":\"" + ClickEvents.user(3) + "\",\"page\":\"/docs/quickstart\"}");
    }
}
