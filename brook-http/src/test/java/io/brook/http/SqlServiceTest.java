package io.brook.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.brook.engine.api.Brook;
import io.brook.sql.SqlSession;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** The shared session without HTTP: what happens to live queries nobody streams. */
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
}
