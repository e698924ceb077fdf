package io.brook.engine.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Arrays as offsets into a column of elements: views, copies, builders, and the fields that describe them. */
class ArrayColumnTest {
    private static ArrayColumn tags() {
        return ArrayColumn.of(
                ColumnType.VARCHAR, List.of("a", "b"), null, List.of(), Arrays.asList("c", null, "d"), List.of("e"));
    }

    @Test
    void anArrayHoldsItsElementsNullArraysAndNullElements() {
        // When
        ArrayColumn column = tags();

        // Then
        assertThat(column.size()).isEqualTo(5);
        assertThat(column.elementType()).isEqualTo(ColumnType.VARCHAR);
        assertThat(column.value(0)).containsExactly("a", "b");
        assertThat(column.isNull(1)).isTrue();
        assertThat(column.value(1)).isNull();
        assertThat(column.length(1)).isZero();
        assertThat(column.value(2)).isEmpty();
        assertThat(column.value(3)).containsExactly("c", null, "d");
        assertThat(column.elements().isNull(column.start(3) + 1)).isTrue();
        assertThatThrownBy(() -> column.value(0).add("z")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void aRegionIsAViewAndGatherACompactCopyOfTheChosenArrays() {
        // Given
        ArrayColumn column = tags();

        // When
        ArrayColumn region = column.region(1, 3);
        ArrayColumn gathered = column.gather(new int[] {4, 1, 3, 0}, 1, 3);

        // Then
        assertThat(region.elements()).isSameAs(column.elements());
        assertThat(List.of(region.isNull(0), region.value(1), region.value(2)))
                .containsExactly(true, List.of(), Arrays.asList("c", null, "d"));
        assertThat(gathered.size()).isEqualTo(3);
        assertThat(gathered.isNull(0)).isTrue();
        assertThat(gathered.value(1)).containsExactly("c", null, "d");
        assertThat(gathered.value(2)).containsExactly("a", "b");
        assertThat(gathered.elements().size())
                .as("only the chosen arrays' elements")
                .isEqualTo(5);
    }

    @Test
    void aColumnBuilderOfAnArrayFieldCopiesArraysAndBuildsThemElementByElement() {
        // Given
        ColumnBuilder builder = new ColumnBuilder(Field.array("n", ColumnType.BIGINT, true), 1);

        // When
        builder.append(ArrayColumn.of(ColumnType.BIGINT, List.of(1L, 2L)), 0);
        builder.appendNull();
        builder.arrayElements().appendLong(7);
        builder.arrayElements().appendNull();
        builder.endArray();
        builder.appendObject(List.of(9L));
        Column built = builder.build();

        // Then
        assertThat(builder.size()).isEqualTo(4);
        assertThat(built).isInstanceOf(ArrayColumn.class);
        assertThat(Arrays.asList(built.value(0), built.value(1), built.value(2), built.value(3)))
                .containsExactly(List.of(1L, 2L), null, Arrays.asList(7L, null), List.of(9L));
    }

    @Test
    void arraysNeedAScalarElementTypeAndNullArraysHaveNoElements() {
        // When / Then
        assertThatThrownBy(() -> new Field("tags", ColumnType.ARRAY, true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("array column 'tags' needs a scalar element type; got null");
        assertThatThrownBy(() -> Field.array("nested", ColumnType.ARRAY, true))
                .hasMessage("array column 'nested' needs a scalar element type; got ARRAY");
        assertThatThrownBy(() -> new ColumnBuilder(ColumnType.ARRAY, 4))
                .hasMessage("an ARRAY column builder needs the element type: build it from a Field");
        assertThatThrownBy(() -> Columns.allNull(ColumnType.ARRAY, 2))
                .hasMessage("a column of null arrays needs the element type: use allNull(Field, size)");
        ArrayColumn.Builder arrays = ArrayColumn.builder(ColumnType.INT, 2);
        arrays.elements().appendLong(1);
        assertThatThrownBy(arrays::appendNull)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("a null array cannot have elements; 1 were appended since the previous array");
        Column nulls = Columns.allNull(Field.array("tags", ColumnType.VARCHAR, true), 2);
        assertThat(nulls.isNull(0) && nulls.isNull(1)).isTrue();
        assertThat(Field.array("tags", ColumnType.VARCHAR, true).sparkTypeName())
                .isEqualTo("array<string>");
    }

    @Test
    void aBatchRefusesArraysOfAnotherElementTypeThanItsSchemaSays() {
        // Given
        Schema schema = Schema.of(Field.array("ids", ColumnType.BIGINT, true));

        // When / Then
        assertThatThrownBy(() -> Batch.of(schema, ArrayColumn.of(ColumnType.INT, List.of(1))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("column 'ids' is ARRAY<BIGINT> in the schema but the column holds arrays of INT");
        assertThat(Batch.of(schema, ArrayColumn.of(ColumnType.BIGINT, List.of(1L)))
                        .rows())
                .containsExactly(List.of(List.of(1L)));
    }
}
