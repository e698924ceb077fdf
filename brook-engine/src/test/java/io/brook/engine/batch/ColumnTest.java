package io.brook.engine.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ColumnTest {
    @Test
    void aBuilderKeepsValuesAndNullsPastItsInitialCapacity() {
        LongColumn.Builder builder = LongColumn.builder(ColumnType.BIGINT, 2);
        for (long i = 0; i < 100; i++) {
            if (i % 7 == 0) {
                builder.appendNull();
            } else {
                builder.append(i * 10);
            }
        }

        LongColumn column = builder.build();

        assertThat(column.size()).isEqualTo(100);
        assertThat(column.mayHaveNulls()).isTrue();
        for (int i = 0; i < 100; i++) {
            assertThat(column.isNull(i)).as("position %d", i).isEqualTo(i % 7 == 0);
            assertThat(column.value(i)).isEqualTo(i % 7 == 0 ? null : i * 10L);
        }
    }

    @Test
    void aColumnWithoutNullsSaysSo() {
        assertThat(IntColumn.of(ColumnType.INT, 1, 2, 3).mayHaveNulls()).isFalse();
        assertThat(DoubleColumn.of(ColumnType.DOUBLE, 1.5).getDouble(0)).isEqualTo(1.5);
        assertThat(BooleanColumn.of(ColumnType.BOOLEAN, true, false).getBoolean(1))
                .isFalse();
    }

    @Test
    void aRegionIsAViewWithItsOwnPositions() {
        LongColumn.Builder builder = LongColumn.builder(ColumnType.TIMESTAMP, 8);
        builder.append(1).appendNull().append(3).append(4).appendNull();
        LongColumn column = builder.build();

        LongColumn region = column.region(1, 3);

        assertThat(region.size()).isEqualTo(3);
        assertThat(region.isNull(0)).isTrue();
        assertThat(region.getLong(1)).isEqualTo(3);
        assertThat(region.getLong(2)).isEqualTo(4);
        assertThatThrownBy(() -> column.region(3, 3))
                .isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessage("region at 3 of 3 positions is outside a column of 5");
    }

    @Test
    void gatherCopiesChosenPositionsOfARegionWithTheirNulls() {
        IntColumn.Builder builder = IntColumn.builder(ColumnType.DATE, 8);
        builder.append(10).append(11).appendNull().append(13).append(14);
        IntColumn region = builder.build().region(1, 4); // 11, null, 13, 14

        IntColumn gathered = region.gather(new int[] {0, 1, 3}, 0, 3);

        assertThat(gathered.size()).isEqualTo(3);
        assertThat(gathered.value(0)).isEqualTo(11);
        assertThat(gathered.isNull(1)).isTrue();
        assertThat(gathered.value(2)).isEqualTo(14);
        assertThat(region.gather(new int[] {0, 3}, 0, 2).mayHaveNulls()).isFalse();
    }

    @Test
    void varcharKeepsUtf8AndComparesBytes() {
        VarcharColumn column = VarcharColumn.of("Zürich", null, "", "東京");

        assertThat(column.getString(0)).isEqualTo("Zürich");
        assertThat(column.byteLength(0)).isEqualTo(7);
        assertThat(column.isNull(1)).isTrue();
        assertThat(column.value(2)).isEqualTo("");
        assertThat(column.equalsBytes(3, "東京".getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .isTrue();
        VarcharColumn gathered = column.region(1, 3).gather(new int[] {2, 0}, 0, 2);
        assertThat(gathered.value(0)).isEqualTo("東京");
        assertThat(gathered.value(1)).isNull();
    }

    @Test
    void aColumnRefusesATypeItCannotHold() {
        assertThatThrownBy(() -> LongColumn.of(ColumnType.VARCHAR, 1L))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a LongColumn holds BIGINT or TIMESTAMP, not VARCHAR");
    }
}
