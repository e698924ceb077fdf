package io.brook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.brook.engine.api.Brook;
import io.brook.engine.api.Row;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code brook demo}: example 1 on generated clicks, against a broker and an engine in this process. */
class DemoCommandTest {
    private static final List<String> PAGES = List.of("/", "/pricing", "/docs", "/docs/quickstart", "/blog", "/signup");
    private static final Pattern USER = Pattern.compile("\"user_id\": \"[^\"]+\"");
    private static final Pattern PAGE = Pattern.compile("\"page\": \"([^\"]*)\"");
    private static final Pattern LATENCY = Pattern.compile("\"latency_ms\": (-?\\d+)");
    private static final Pattern TS = Pattern.compile("\"ts\": \"([^\"]+)\"");

    @TempDir
    Path directory;

    private static DemoCommand demo(RunningBroker.Launcher launcher, ShutdownSignal signal) {
        return new DemoCommand(
                launcher, Brook::local, signal, Clock.fixed(Instant.parse("2026-12-01T12:00:00Z"), ZoneOffset.UTC));
    }

    /**
     * What example 1 makes of these clicks, worked out here from their JSON: views per page and window start, over the
     * clicks with a user, a latency >= 0 and a page of the table once trimmed and lower-cased.
     */
    private static Map<String, Long> expectedViews(List<ClickGenerator.Click> clicks) {
        Map<String, Long> views = new TreeMap<>();
        for (ClickGenerator.Click click : clicks) {
            String json = click.json();
            Matcher page = PAGE.matcher(json);
            Matcher latency = LATENCY.matcher(json);
            Matcher ts = TS.matcher(json);
            if (!json.endsWith("}") || !USER.matcher(json).find() || !page.find() || !latency.find() || !ts.find()) {
                continue;
            }
            String canonical = page.group(1).strip().toLowerCase(Locale.ROOT);
            if (Integer.parseInt(latency.group(1)) < 0 || !PAGES.contains(canonical)) {
                continue;
            }
            Instant windowStart = Instant.parse(ts.group(1)).truncatedTo(ChronoUnit.MINUTES);
            views.merge(canonical + " " + windowStart, 1L, Long::sum);
        }
        return views;
    }

    @Test
    void runsExampleOneOnGeneratedClicksAndWritesEveryWindowOnceTheLastClickClosesThem() throws IOException {
        // Given: 600 clicks at 300/s, event times from 10:00:59 on: two one-minute windows per page
        Instant start = Instant.parse("2026-12-01T10:00:59Z");
        ClickGenerator generator = new ClickGenerator(7, PAGES);
        List<ClickGenerator.Click> clicks = new java.util.ArrayList<>();
        for (int index = 0; index < 600; index++) {
            clicks.add(generator.next(start.plusNanos(index * 1_000_000_000L / 300)));
        }
        Map<String, Long> expected = expectedViews(clicks);
        assertThat(expected.keySet().stream().map(key -> key.substring(key.indexOf(' ') + 1)))
                .containsOnly("2026-12-01T10:00:00Z", "2026-12-01T10:01:00Z");
        assertThat(clicks).anyMatch(click -> click.kind() == ClickGenerator.Kind.BROKEN_JSON);
        assertThat(clicks).anyMatch(click -> click.kind() == ClickGenerator.Kind.MESSY_PAGE);
        SqlSessions.NoSignal signal = new SqlSessions.NoSignal();

        // When
        CliRun run = CliRun.command(
                demo(RunningBroker::start, signal),
                "--data-dir",
                directory.toString(),
                "--events",
                "600",
                "--rate",
                "300",
                "--seed",
                "7",
                "--start-time",
                start.toString(),
                "--trigger",
                "100 milliseconds",
                "--http-port",
                "0");

        // Then: the run's lines
        assertThat(run.err).isEmpty();
        assertThat(run.exitCode).isZero();
        assertThat(signal.finished).isZero();
        Path output = directory.resolve("clickstream");
        assertThat(run.out)
                .contains(
                        "Created topic clicks with 3 partitions\n",
                        "Created topic page-stats with 1 partition\n",
                        "  Parquet files:  " + output.resolve("page-stats") + "\n",
                        "  Kafka topic:    ./brook consume page-stats --from-beginning --bootstrap-server 127.0.0.1:",
                        "  checkpoints:    " + output.resolve("checkpoints") + "\n",
                        "Created source clicks\n",
                        "Started query page_stats_files ",
                        "Created push subscription page-stats-webhook: each page-stats record is POSTed to"
                                + " http://127.0.0.1:",
                        "Producing 600 clicks at 300/s to topic clicks",
                        "Produced 600 clicks; sent one more at 2026-12-01T10:03:00.996Z",
                        "  page-stats: " + expected.size() + " window rows in the Parquet files ("
                                + output.resolve("page-stats") + "), " + expected.size()
                                + " records in topic page-stats\n",
                        "  the latest windows (8 of " + expected.size() + "):\n",
                        "  push:       " + expected.size() + " records POSTed to http://127.0.0.1:",
                        "Stopping Brook... stopped cleanly.\n");
        assertThat(run.out).containsPattern("(?m)^Dashboard: +http://127\\.0\\.0\\.1:\\d+/ ");
        assertThat(run.out)
                .containsPattern("(?m)^\\[page_stats_files\\] batch \\d+: [0-9,]+ rows?, [0-9.,]+( [MG])? rows/s in,"
                        + " [0-9.,]+( [MG])? rows/s processed, \\d+ ms, watermark 2026-12-01T10:0\\d:\\d\\d");
        // and the Parquet files: one row per page and minute, with the views worked out above
        try (Brook brook = Brook.local()) {
            Map<String, Long> written = new TreeMap<>();
            for (Row row : brook.read()
                    .parquet(output.resolve("page-stats").toString())
                    .collectAsList()) {
                written.put(row.get(0) + " " + row.get(2), ((Number) row.get(4)).longValue());
            }
            assertThat(written).isEqualTo(expected);
        }
        assertThat(Files.isDirectory(directory.resolve("broker"))).isTrue();
    }

    @Test
    void ctrlCStopsTheGeneratorTheQueriesAndTheBrokerCleanly() {
        // Given: Ctrl-C as soon as the demo listens for it, with clicks for the next hour to come
        SqlSessions.ImmediateSignal signal = new SqlSessions.ImmediateSignal();

        // When
        CliRun run = CliRun.command(
                demo(RunningBroker::start, signal),
                "--data-dir",
                directory.toString(),
                "--events",
                "0",
                "--trigger",
                "100 milliseconds",
                "--http-port",
                "0");

        // Then
        assertThat(run.err).isEmpty();
        assertThat(run.exitCode).isZero();
        assertThat(signal.finished).isZero();
        assertThat(run.out)
                .contains(
                        "Started query page_stats_topic ",
                        "Stopping the queries and the click generator (Ctrl-C)\n",
                        "Stopping Brook... stopped cleanly.\n")
                .doesNotContain("to close the windows");
    }

    @Test
    void brokerStartFailureEndsTheDemoWithTheBrokerMessage() {
        // Given
        RunningBroker.Launcher failing = config -> {
            throw new IOException("not built yet: " + config.host());
        };

        // When
        CliRun run = CliRun.command(demo(failing, new SqlSessions.NoSignal()), "--data-dir", directory.toString());

        // Then
        assertThat(run.exitCode).isEqualTo(1);
        assertThat(run.err)
                .isEqualTo("Error: Brook could not start: not built yet: 127.0.0.1" + System.lineSeparator());
        assertThat(run.out).startsWith("Starting Brook in this process (data in " + directory + ")");
    }

    @Test
    void aDirectoryWithoutTheExampleIsAUsageError() {
        // When
        CliRun run = CliRun.command(
                demo(RunningBroker::start, new SqlSessions.NoSignal()), "--examples", directory.toString());

        // Then
        assertThat(run.exitCode).isEqualTo(2);
        assertThat(run.err)
                .isEqualTo("Error: no clickstream.sql and data/pages.csv in " + directory + " (--examples)"
                        + System.lineSeparator());
        assertThat(run.out).isEmpty();
    }

    @Test
    void aPortOutOfRangeIsAUsageError() {
        // When
        CliRun run = CliRun.command(
                demo(RunningBroker::start, new SqlSessions.NoSignal()),
                "--data-dir",
                directory.toString(),
                "--http-port",
                "70000");

        // Then
        assertThat(run.exitCode).isEqualTo(2);
        assertThat(run.err).startsWith("--http-port is 0-65535 (0 picks a free port); got 70000");
        assertThat(run.out).isEmpty();
    }

    @Test
    void theSameSeedGivesTheSameClicks() {
        // Given
        ClickGenerator first = new ClickGenerator(3, PAGES);
        ClickGenerator second = new ClickGenerator(3, PAGES);
        Instant time = Instant.parse("2026-12-01T10:00:00.123456Z");

        // When
        List<ClickGenerator.Click> clicks = List.of(first.next(time), first.next(time), first.clean(time));

        // Then
        assertThat(clicks).containsExactly(second.next(time), second.next(time), second.clean(time));
        assertThat(clicks.get(2).json()).endsWith(", \"ts\": \"2026-12-01T10:00:00.123Z\"}");
        assertThat(clicks.get(2).kind()).isEqualTo(ClickGenerator.Kind.CLEAN);
        assertThat(Set.of(clicks.get(2).key())).allMatch(key -> key.matches("user-\\d+"));
    }
}
