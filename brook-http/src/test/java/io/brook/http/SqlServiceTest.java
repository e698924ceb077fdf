package io.brook.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.brook.engine.api.Brook;
import io.brook.sql.SqlSession;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** The shared session without HTTP: live queries nobody streams, the query list, embedding programs. */
class SqlServiceTest {
    private static final String EVENTS =
            "CREATE TABLE events (event_type INT) WITH ('connector' = 'nexmark', 'tps' = '10');";

    @Test
    void aLiveQueryThatNoClientStreamsIsStoppedAfterTheAttachTimeout() throws Exception {
        // Given
        try (SqlService service = new SqlService(() -> new SqlSession(Brook.local()), true, Duration.ofMillis(500))) {
            // When
            ScriptResponse response =
                    service.execute(new ScriptRequest(EVENTS + "\nSELECT event_type FROM events;", Map.of()));

            // Then
            assertThat(response.error()).isNull();
            StatementResult live = response.statements().get(1);
            assertThat(live.kind()).isEqualTo(StatementResult.Kind.LIVE);
            Awaitility.await()
                    .atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(service.execute(new ScriptRequest("SHOW QUERIES;", Map.of()))
                                    .statements()
                                    .get(0)
                                    .rows()
                                    .get(0)
                                    .get(2))
                            .isEqualTo("STOPPED"));
            assertThat(service.attach(live.query().name())).isEmpty();
        }
    }

    @Test
    void theSessionIsMadeAtTheFirstScriptAndAnErrorMakingItIsAnInternalError() throws Exception {
        // Given
        int[] made = {0};
        try (SqlService service = new SqlService(
                () -> {
                    made[0]++;
                    throw new IllegalStateException("no engine today");
                },
                true,
                Duration.ofSeconds(30))) {
            assertThat(made[0]).isZero();

            // When
            ScriptResponse response = service.execute(new ScriptRequest("SHOW SOURCES;", Map.of()));

            // Then
            assertThat(made[0]).isEqualTo(1);
            assertThat(response.error())
                    .isEqualTo(
                            new SqlError("INTERNAL_ERROR", "INTERNAL", "IllegalStateException: no engine today", 0, 0));
            assertThat(response.error().httpStatus()).isEqualTo(500);
        }
    }

    @Test
    void theQueriesAreListedWhileAScriptRunsAndAnEmbeddingProgramRunsOnTheSameSession() throws Exception {
        // Given: an INSERT started through the embedding program's access to the session
        try (SqlService service = new SqlService(() -> new SqlSession(Brook.local()), true, Duration.ofSeconds(30))) {
            assertThat(service.queries()).isEmpty();
            String started = service.withSession(session -> {
                session.execute(EVENTS
                        + "\nCREATE TABLE quiet (event_type INT) WITH ('connector' = 'blackhole');"
                        + "\nINSERT INTO quiet SELECT event_type FROM events;");
                return session.queries().get(0).name();
            });
            CountDownLatch scriptRunning = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            ExecutorService executor = Executors.newSingleThreadExecutor();
            try {
                // When: a script holds the session
                Future<?> script = executor.submit(() -> service.withSession(session -> {
                    scriptRunning.countDown();
                    try {
                        return release.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return false;
                    }
                }));
                assertThat(scriptRunning.await(30, TimeUnit.SECONDS)).isTrue();

                // Then: the list answers without waiting for it
                assertThat(service.queries())
                        .extracting(SqlSession.RunningQuery::name)
                        .containsExactly(started);
                release.countDown();
                script.get(30, TimeUnit.SECONDS);
            } finally {
                release.countDown();
                executor.shutdownNow();
            }
        }
    }
}
