package io.brook.engine.exec;

import static org.assertj.core.api.Assertions.assertThat;

import io.brook.engine.batch.Column;
import io.brook.engine.batch.ColumnBuilder;
import io.brook.engine.batch.ColumnType;
import io.brook.engine.batch.Field;
import io.brook.engine.batch.IntColumn;
import io.brook.engine.batch.StructColumn;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Rows holding structs and arrays of structs (as a stream join buffers them) encode to bytes and decode back. */
class KeyCodecTest {
    private static final List<Field> HEADER =
            List.of(new Field("key", ColumnType.VARCHAR, true), new Field("value", ColumnType.VARBINARY, true));
    private static final Field POINT = Field.struct(
            "point", List.of(new Field("x", ColumnType.INT, true), new Field("label", ColumnType.VARCHAR, true)), true);
    private static final Field HEADERS = Field.arrayOf("headers", Field.struct("element", HEADER, true), true);

    @Test
    void structsAndArraysOfStructsDecodeToTheValuesTheyEncoded() {
        // Given
        Column ids = IntColumn.of(ColumnType.INT, new int[] {1, 2, 3});
        Column points = StructColumn.of(POINT.children(), List.of(10, "a"), null, Arrays.asList(30, null));
        ColumnBuilder headers = new ColumnBuilder(HEADERS, 3);
        headers.appendObject(List.of(List.of("k1", new byte[] {1}), Arrays.asList("k2", null)));
        headers.appendNull();
        headers.appendObject(List.of());
        Column[] row = {ids, points, headers.build()};
        KeyCodec codec = new KeyCodec(List.of(ColumnType.INT, ColumnType.STRUCT, ColumnType.ARRAY));
        ColumnBuilder[] out = {
            new ColumnBuilder(ColumnType.INT, 3), new ColumnBuilder(POINT, 3), new ColumnBuilder(HEADERS, 3)
        };

        // When
        for (int position = 0; position < 3; position++) {
            codec.encode(row, position);
            byte[] bytes = Arrays.copyOf(codec.bytes(), codec.length());
            assertThat(codec.decode(bytes, 0, out)).isEqualTo(bytes.length);
        }

        // Then
        Column decodedPoints = out[1].build();
        Column decodedHeaders = out[2].build();
        assertThat(decodedPoints.value(0)).isEqualTo(List.of(10, "a"));
        assertThat(decodedPoints.isNull(1)).isTrue();
        assertThat(decodedPoints.value(2)).isEqualTo(Arrays.asList(30, null));
        @SuppressWarnings("unchecked")
        List<List<Object>> first = (List<List<Object>>) decodedHeaders.value(0);
        assertThat(first).hasSize(2);
        assertThat(first.get(0).get(0)).isEqualTo("k1");
        assertThat((byte[]) first.get(0).get(1)).containsExactly(1);
        assertThat(first.get(1)).containsExactly("k2", null);
        assertThat(decodedHeaders.isNull(1)).isTrue();
        assertThat(decodedHeaders.value(2)).isEqualTo(List.of());
    }
}
