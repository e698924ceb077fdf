package io.brook.engine.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchTest {
    private static final Schema CLICKS = Schema.of(
            new Field("user", ColumnType.VARCHAR, false),
            new Field("clicks", ColumnType.BIGINT, true),
            new Field("ratio", ColumnType.DOUBLE, false));

    private static Batch clicks() {
        LongColumn.Builder counts = LongColumn.builder(ColumnType.BIGINT, 4);
        counts.append(3).appendNull().append(5).append(8);
        return Batch.of(
                CLICKS,
                VarcharColumn.of("ann", "bob", "cid", "dee"),
                counts.build(),
                DoubleColumn.of(ColumnType.DOUBLE, 0.1, 0.2, 0.3, 0.4));
    }

    @Test
    void aSelectionKeepsRowsWithoutCopyingAndCompactGathersThem() {
        Batch batch = clicks();

        Batch selected = batch.select(new int[] {1, 3});

        assertThat(selected.rowCount()).isEqualTo(2);
        assertThat(selected.position(1)).isEqualTo(3);
        assertThat(selected.column(0)).isSameAs(batch.column(0));
        assertThat(selected.rows()).containsExactly(Arrays.asList("bob", null, 0.2), Arrays.asList("dee", 8L, 0.4));
        Batch compacted = selected.compact();
        assertThat(compacted.hasSelection()).isFalse();
        assertThat(compacted.column(0).size()).isEqualTo(2);
        assertThat(compacted.rows()).isEqualTo(selected.rows());
    }

    @Test
    void otherColumnsKeepASelectionAndMayHoldNullsOnlyWhereItSkips() {
        // Given: rows 1 and 3 selected; 'clicks' is null only at row 1
        Batch selected = clicks().select(new int[] {2, 3});
        Schema picked =
                Schema.of(new Field("clicks", ColumnType.BIGINT, false), new Field("user", ColumnType.VARCHAR, false));

        // When
        Batch projected = selected.withColumns(picked, selected.column(1), selected.column(0));

        // Then
        assertThat(projected.rows()).containsExactly(Arrays.asList(5L, "cid"), Arrays.asList(8L, "dee"));
        assertThat(projected.column(1)).isSameAs(selected.column(0));
        assertThat(selected.asRetractions()
                        .withColumns(picked, selected.column(1), selected.column(0))
                        .retracting())
                .isTrue();
        assertThatThrownBy(() ->
                        clicks().select(new int[] {1, 2}).withColumns(picked, selected.column(1), selected.column(0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("column 'clicks' is not nullable but holds a null");
        assertThatThrownBy(() -> selected.withColumns(picked, VarcharColumn.of("a"), selected.column(0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("column 'clicks' is BIGINT of 4 positions in the batch but the column holds 1 VARCHAR");
    }

    @Test
    void retractionsStayRetractionsWhenSelectedCompactedOrRebuilt() {
        // Given
        Batch retractions = clicks().asRetractions();

        // When
        Batch selected = retractions.select(new int[] {0, 2});
        Batch compacted = selected.compact();
        Batch rebuilt = Batch.of(CLICKS, compacted.column(0), compacted.column(1), compacted.column(2));

        // Then
        assertThat(clicks().retracting()).isFalse();
        assertThat(retractions.retracting()).isTrue();
        assertThat(selected.retracting()).isTrue();
        assertThat(compacted.retracting()).isTrue();
        assertThat(rebuilt.retracting()).isFalse();
        assertThat(rebuilt.withKindOf(retractions).retracting()).isTrue();
        assertThat(retractions.withKindOf(rebuilt).retracting()).isFalse();
        assertThat(compacted.rows()).isEqualTo(selected.rows());
    }

    @Test
    void aBatchChecksItsColumnsAgainstItsSchema() {
        assertThatThrownBy(() -> Batch.of(CLICKS, VarcharColumn.of("ann")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("schema [user, clicks, ratio] has 3 columns; got 1");
        assertThatThrownBy(() -> Batch.of(
                        CLICKS,
                        VarcharColumn.of("ann"),
                        DoubleColumn.of(ColumnType.DOUBLE, 1.0),
                        DoubleColumn.of(ColumnType.DOUBLE, 1.0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("column 'clicks' is BIGINT in the schema but the column holds DOUBLE");
        assertThatThrownBy(() -> Batch.of(
                        CLICKS,
                        VarcharColumn.of("ann", null),
                        LongColumn.of(ColumnType.BIGINT, 1, 2),
                        DoubleColumn.of(ColumnType.DOUBLE, 1.0, 2.0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("column 'user' is not nullable but holds a null");
        assertThatThrownBy(() -> clicks().select(new int[] {2, 1}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("selected positions must ascend within 0..3: [2, 1]");
    }

    @Test
    void aSchemaFindsColumnsByNameAndRefusesDuplicates() {
        assertThat(CLICKS.indexOf("ratio")).isEqualTo(2);
        assertThatThrownBy(() -> CLICKS.indexOf("page"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no column 'page' among [user, clicks, ratio]");
        assertThatThrownBy(() -> new Schema(
                        List.of(new Field("a", ColumnType.INT, false), new Field("a", ColumnType.INT, false))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("duplicate column name 'a'");
    }
}
