package io.brook.engine.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Structs as one child column per field: views, copies, builders, arrays of them, and the fields that describe them. */
class StructColumnTest {
    private static final List<Field> HEADER =
            List.of(new Field("key", ColumnType.VARCHAR, true), new Field("value", ColumnType.VARBINARY, true));
    private static final Field HEADERS = Field.arrayOf("headers", Field.struct("header", HEADER, true), true);

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static StructColumn points() {
        List<Field> fields =
                List.of(new Field("x", ColumnType.INT, true), new Field("label", ColumnType.VARCHAR, true));
        return StructColumn.of(fields, List.of(1, "a"), null, Arrays.asList(3, null), List.of(4, "d"));
    }

    @Test
    void aStructHoldsItsFieldsValuesAndNullStructsHaveNullFields() {
        // When
        StructColumn column = points();

        // Then
        assertThat(column.size()).isEqualTo(4);
        assertThat(column.type()).isEqualTo(ColumnType.STRUCT);
        assertThat(column.value(0)).containsExactly(1, "a");
        assertThat(column.isNull(1)).isTrue();
        assertThat(column.value(1)).isNull();
        assertThat(column.child(0).isNull(1) && column.child(1).isNull(1)).isTrue();
        assertThat(column.value(2)).containsExactly(3, null);
        assertThat(column.child(1).value(3)).isEqualTo("d");
        assertThat(column.fields().get(1).name()).isEqualTo("label");
    }

    @Test
    void aRegionIsAViewAndGatherACompactCopyOfTheChosenStructs() {
        // Given
        StructColumn column = points();

        // When
        StructColumn region = column.region(1, 2);
        StructColumn gathered = column.gather(new int[] {3, 1, 0}, 0, 3);

        // Then
        assertThat(Arrays.asList(region.value(0), region.value(1))).containsExactly(null, Arrays.asList(3, null));
        assertThat(region.isNull(0)).isTrue();
        assertThat(Arrays.asList(gathered.value(0), gathered.value(1), gathered.value(2)))
                .containsExactly(List.of(4, "d"), null, List.of(1, "a"));
        assertThat(gathered.isNull(1)).isTrue();
    }

    @Test
    void anArrayOfStructsBuildsGathersAndReadsBack() {
        // Given
        ColumnBuilder builder = new ColumnBuilder(HEADERS, 2);

        // When
        builder.appendObject(List.of(List.of("k1", bytes("v1")), Arrays.asList("k2", null)));
        builder.appendNull();
        builder.appendObject(List.of());
        StructColumn.Builder headers = builder.arrayElements().structs();
        headers.child(0).appendString("k3");
        headers.child(1).appendBytes(new byte[] {1, 2});
        builder.arrayElements().endStruct();
        builder.endArray();
        ArrayColumn built = (ArrayColumn) builder.build();
        ArrayColumn gathered = built.gather(new int[] {3, 0}, 0, 2);

        // Then
        assertThat(built.size()).isEqualTo(4);
        assertThat(built.elementType()).isEqualTo(ColumnType.STRUCT);
        assertThat(built.elementField()).isEqualTo(HEADERS.element());
        StructColumn elements = (StructColumn) built.elements();
        assertThat(elements.value(0).get(0)).isEqualTo("k1");
        assertThat((byte[]) elements.value(0).get(1)).isEqualTo(bytes("v1"));
        assertThat(elements.value(1)).containsExactly("k2", null);
        assertThat(built.isNull(1)).isTrue();
        assertThat(built.length(2)).isZero();
        assertThat((byte[]) ((StructColumn) built.elements()).child(1).value(built.start(3)))
                .containsExactly(1, 2);
        assertThat(gathered.length(0)).isEqualTo(1);
        assertThat(((StructColumn) gathered.elements()).child(0).value(0)).isEqualTo("k3");
        assertThat(((StructColumn) gathered.elements()).child(0).value(1)).isEqualTo("k1");
        assertThat(Batch.of(Schema.of(HEADERS), built).rowCount()).isEqualTo(4);
        assertThat(Columns.allNull(HEADERS, 3).isNull(2)).isTrue();
    }

    @Test
    void fieldsDescribeStructsAndArraysOfThemAndRefuseWhatIsNotSupported() {
        // When / Then
        assertThat(HEADERS.typeName()).isEqualTo("ARRAY<STRUCT<key: VARCHAR, value: VARBINARY>>");
        assertThat(HEADERS.sparkTypeName()).isEqualTo("array<struct<key:string,value:binary>>");
        assertThat(HEADERS.elementType()).isEqualTo(ColumnType.STRUCT);
        assertThat(HEADERS.element().name()).isEqualTo("element");
        assertThat(Field.struct("s", HEADER, true).childIndex("value")).isEqualTo(1);
        assertThatThrownBy(() -> Field.struct("s", List.of(), true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("struct column 's' needs at least one field");
        assertThatThrownBy(() -> Field.struct("s", List.of(HEADERS), true))
                .hasMessage("struct column 's' cannot hold field 'headers' of type"
                        + " ARRAY<STRUCT<key: VARCHAR, value: VARBINARY>>: struct fields must be of a scalar type yet");
        assertThatThrownBy(() -> Field.struct("s", List.of(HEADER.get(0), HEADER.get(0)), true))
                .hasMessage("struct column 's' has two fields named 'key'");
        assertThatThrownBy(() -> Field.arrayOf("a", Field.array("b", ColumnType.INT, true), true))
                .hasMessage("array column 'a' cannot hold arrays (ARRAY<INT>): arrays of arrays are not supported yet");
        assertThatThrownBy(() -> new ColumnBuilder(ColumnType.STRUCT, 1))
                .hasMessage("a STRUCT column builder needs its fields: build it from a Field");
    }

    @Test
    void aBatchRefusesStructsOfOtherFieldsThanItsSchemaSays() {
        // Given
        Schema schema = Schema.of(Field.struct("s", List.of(new Field("x", ColumnType.BIGINT, true)), true));
        StructColumn ints = StructColumn.of(List.of(new Field("x", ColumnType.INT, true)), List.of(1));

        // When / Then
        assertThatThrownBy(() -> Batch.of(schema, ints))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("column 's' is STRUCT<x: BIGINT> in the schema but the column holds STRUCT<x: INT>");
        assertThat(Batch.of(schema, StructColumn.of(List.of(new Field("x", ColumnType.BIGINT, true)), List.of(5L)))
                        .rows())
                .containsExactly(List.of(List.of(5L)));
    }
}
