package io.brook.engine.connector;

import static org.assertj.core.api.Assertions.assertThat;

import io.brook.engine.batch.Batch;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The rate source makes the rows due by the clock, the same ones every time a range is read, capped by a limit. */
class RateSourceTest {
    private static List<List<Object>> rows(List<Batch> batches) {
        List<List<Object>> rows = new ArrayList<>();
        batches.forEach(batch -> rows.addAll(batch.rows()));
        return rows;
    }

    @Test
    void rowsAreDueByTheClockAndReadTheSameTwice() {
        // Given
        AtomicLong clock = new AtomicLong(1_000_000);
        RateSource source = new RateSource(1000, clock::get);
        Offset start = source.initialOffset();

        // When
        clock.addAndGet(1_500);
        Offset end = source.latestOffset(start, ReadLimit.ALL);
        List<List<Object>> first = rows(source.read(start, end));
        List<List<Object>> again = rows(source.read(start, end));

        // Then
        assertThat(first).hasSize(1_500).isEqualTo(again);
        assertThat(first.get(0)).containsExactly(1_000_000_000L, 0L);
        assertThat(first.get(1_499)).containsExactly(1_000_000_000L + 1_499_000L, 1_499L);
        assertThat(source.latestOffset(end, ReadLimit.ALL)).isEqualTo(end);
    }

    @Test
    void aLimitCapsABatchAndTheRestComesNext() {
        // Given
        AtomicLong clock = new AtomicLong(0);
        RateSource source = new RateSource(100, clock::get);
        Offset start = source.initialOffset();
        clock.set(10_000);

        // When
        Offset capped = source.latestOffset(start, ReadLimit.maxRows(250));
        Offset rest = source.latestOffset(capped, ReadLimit.ALL);

        // Then
        assertThat(rows(source.read(start, capped))).hasSize(250);
        assertThat(rows(source.read(capped, rest))).hasSize(750).first().isEqualTo(List.of(2_500_000L, 250L));
    }
}
