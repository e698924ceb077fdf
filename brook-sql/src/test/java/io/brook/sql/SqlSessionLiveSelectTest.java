package io.brook.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.brook.engine.api.Brook;
import io.brook.engine.api.Row;
import io.brook.engine.api.StreamingQuery;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** A SELECT over a stream, with live results in memory, as the shell runs it. */
class SqlSessionLiveSelectTest {
    private static final String EVENTS = "CREATE TABLE nexmark (event_type INT) WITH ("
            + " 'connector' = 'nexmark', 'events.num' = '100', 'first-event.rate' = '1000');";

    /** A session whose clock runs 1,000 s per reading, so that every event is due at the first micro-batch. */
    private static Brook fastClockSession() {
        AtomicLong ticks = new AtomicLong();
        return Brook.builder()
                .clock(() -> 1_700_000_000_000L + ticks.getAndIncrement() * 1_000_000L)
                .getOrCreate();
    }

    private static LiveResult.Snapshot run(String select) throws InterruptedException {
        try (Brook brook = fastClockSession();
                SqlSession session = new SqlSession(brook)) {
            session.liveSelectToMemory(5);
            session.execute("SET 'trigger' = 'available-now';" + EVENTS);
            SqlResult result = session.execute(select).get(0);
            StreamingQuery query = result.query();
            assertThat(query.awaitTermination(30_000)).isTrue();
            assertThat(query.exception()).isNull();
            return session.liveResult(query).orElseThrow().snapshot();
        }
    }

    @Test
    void anAppendingSelectKeepsItsLastRows() throws InterruptedException {
        // When
        LiveResult.Snapshot snapshot = run("SELECT event_type FROM nexmark;");

        // Then
        assertThat(snapshot.columns()).containsExactly("event_type");
        assertThat(snapshot.complete()).isFalse();
        assertThat(snapshot.totalRows()).isEqualTo(100);
        assertThat(snapshot.rows()).hasSize(5);
    }

    @Test
    void anAggregationShowsItsWholeTable() throws InterruptedException {
        // When
        LiveResult.Snapshot snapshot =
                run("SELECT event_type, COUNT(*) AS events FROM nexmark GROUP BY event_type ORDER BY event_type;");

        // Then
        assertThat(snapshot.complete()).isTrue();
        assertThat(snapshot.rows().stream().map(row -> row.get(0)).toList()).containsExactly(0, 1, 2);
        long events = 0;
        for (Row row : snapshot.rows()) {
            events += (Long) row.get(1);
        }
        assertThat(events).isEqualTo(100);
    }

    @Test
    void withoutLiveResultsASelectHasNone() throws InterruptedException {
        try (Brook brook = fastClockSession();
                SqlSession session = new SqlSession(brook)) {
            // Given
            session.execute("SET 'trigger' = 'available-now';" + EVENTS);

            // When
            List<SqlResult> results = session.execute("SELECT event_type FROM nexmark WHERE event_type = 9;");

            // Then
            StreamingQuery query = results.get(0).query();
            assertThat(session.liveResult(query)).isEmpty();
            assertThat(query.awaitTermination(30_000)).isTrue();
        }
    }
}
