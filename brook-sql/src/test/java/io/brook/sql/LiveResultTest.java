package io.brook.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.brook.engine.api.Row;
import java.util.List;
import org.junit.jupiter.api.Test;

class LiveResultTest {
    @Test
    void appendKeepsTheLastRowsAndCountsAll() {
        // Given
        LiveResult live = new LiveResult(List.of("n"), false, 3);

        // When
        live.add(0, List.of(Row.of(1L), Row.of(2L)));
        live.add(1, List.of(Row.of(3L), Row.of(4L), Row.of(5L), Row.of(6L)));

        // Then
        LiveResult.Snapshot snapshot = live.snapshot();
        assertThat(snapshot.rows()).containsExactly(Row.of(4L), Row.of(5L), Row.of(6L));
        assertThat(snapshot.totalRows()).isEqualTo(6);
        assertThat(snapshot.render()).endsWith("batch 1: 6 rows so far, the last 3 shown\n");
    }

    @Test
    void completeModeReplacesTheTableEachBatch() {
        // Given
        LiveResult live = new LiveResult(List.of("k", "n"), true, 2);
        live.add(0, List.of(Row.of("a", 1L)));

        // When
        live.add(1, List.of(Row.of("a", 2L), Row.of("b", 1L), Row.of("c", 1L)));

        // Then
        LiveResult.Snapshot snapshot = live.snapshot();
        assertThat(snapshot.rows()).containsExactly(Row.of("a", 2L), Row.of("b", 1L));
        assertThat(snapshot.render())
                .isEqualTo("+-+-+\n|k|n|\n+-+-+\n|a|2|\n|b|1|\n+-+-+\nbatch 1: 3 rows, the first 2 shown\n");
    }

    @Test
    void aBatchSeenAlreadyIsIgnored() {
        // Given
        LiveResult live = new LiveResult(List.of("n"), false, 10);
        live.add(0, List.of(Row.of(1L)));

        // When
        live.add(0, List.of(Row.of(1L)));

        // Then
        assertThat(live.snapshot().totalRows()).isEqualTo(1);
        assertThat(live.snapshot().render()).endsWith("batch 0: 1 row so far\n");
    }

    @Test
    void beforeTheFirstBatchItSaysSo() {
        assertThat(new LiveResult(List.of("n"), false, 10).snapshot().render())
                .isEqualTo("(waiting for the first micro-batch)\n");
    }
}
