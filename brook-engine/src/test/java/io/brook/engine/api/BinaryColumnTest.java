package io.brook.engine.api;

import static io.brook.engine.api.functions.col;
import static io.brook.engine.api.functions.count;
import static io.brook.engine.api.functions.max;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brook.engine.batch.ColumnType;
import io.brook.engine.batch.Field;
import io.brook.engine.batch.Schema;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** VARBINARY columns (Spark's BINARY, as Kafka keys and values are) through casts, comparisons, grouping and rows. */
class BinaryColumnTest {
    private static final Schema RECORDS =
            Schema.of(new Field("key", ColumnType.VARBINARY, true), new Field("value", ColumnType.VARBINARY, true));

    private final Brook brook = Brook.local();

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private Dataset<Row> records() {
        return brook.createDataFrame(
                List.of(
                        Row.of(utf8("k1"), utf8("héllo")),
                        Row.of(utf8("k2"), new byte[] {'a', (byte) 0xff, 'b'}),
                        Row.of(null, utf8("k1")),
                        Row.of(utf8("k1"), null)),
                RECORDS);
    }

    @Test
    void castToStringDecodesUtf8AndReplacesMalformedBytes() {
        // Given
        Dataset<Row> frame = records();

        // When
        List<Row> rows = frame.selectExpr("CAST(value AS STRING) AS v", "CAST(key AS VARCHAR) AS k")
                .collectAsList();

        // Then
        assertThat(rows)
                .containsExactly(
                        Row.of("héllo", "k1"), Row.of("a\uFFFDb", "k2"), Row.of("k1", null), Row.of(null, "k1"));
        assertThat(frame.selectExpr("CAST(value AS STRING) AS v")
                        .schema()
                        .field(0)
                        .type())
                .isEqualTo(ColumnType.VARCHAR);
    }

    @Test
    void columnCastTakesSparksTypeNamesBothWays() {
        // Given
        Dataset<Row> frame = records();

        // When
        Dataset<Row> roundTrip = frame.select(
                        col("value").cast("string").as("text"),
                        col("value").cast("string").cast("binary").as("bytes"))
                .filter(col("text").isNotNull());

        // Then
        assertThat(roundTrip.schema().field(1).type()).isEqualTo(ColumnType.VARBINARY);
        assertThat(roundTrip.collectAsList())
                .containsExactly(
                        Row.of("héllo", utf8("héllo")), Row.of("a\uFFFDb", utf8("a\uFFFDb")), Row.of("k1", utf8("k1")));
    }

    @Test
    void binaryValuesCompareByContentAndGroup() {
        // Given
        Dataset<Row> frame = records();

        // When
        List<Row> equal = frame.filter("key = value").collectAsList();
        List<Row> keyed = frame.filter("key = CAST('k1' AS VARBINARY)")
                .select(col("value").cast("string"))
                .collectAsList();
        List<Row> groups = frame.groupBy("key")
                .agg(count("*").as("n"), max(col("value")).as("largest"))
                .orderBy(col("n").desc())
                .collectAsList();

        // Then
        assertThat(equal).isEmpty();
        assertThat(keyed).containsExactly(Row.of("héllo"), Row.of((Object) null));
        assertThat(groups).hasSize(3);
        assertThat(groups.get(0)).isEqualTo(Row.of(utf8("k1"), 2L, utf8("héllo")));
        assertThat(groups.subList(1, 3))
                .containsExactlyInAnyOrder(
                        Row.of(utf8("k2"), 1L, new byte[] {'a', (byte) 0xff, 'b'}), Row.of(null, 1L, utf8("k1")));
    }

    @Test
    void rowsGiveBytesAndShowThemInHex() {
        // Given
        Row row = records().collectAsList().get(0);

        // Then
        assertThat(row.getBinary(0)).isEqualTo(utf8("k1"));
        assertThat(row).isEqualTo(Row.of(utf8("k1"), utf8("héllo")));
        assertThat(row.hashCode()).isEqualTo(Row.of(utf8("k1"), utf8("héllo")).hashCode());
        assertThat(row).hasToString("[[6B 31],[68 C3 A9 6C 6C 6F]]");
        assertThat(Arrays.equals((byte[]) row.get(1), utf8("héllo"))).isTrue();
    }

    @Test
    void binaryDoesNotCastToNumbers() {
        // Given
        Dataset<Row> frame = records();

        // When / Then
        assertThatThrownBy(() -> frame.selectExpr("CAST(value AS INT) AS n").collectAsList())
                .hasMessageContaining("VARBINARY");
    }
}
