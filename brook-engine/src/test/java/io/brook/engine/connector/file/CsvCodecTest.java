package io.brook.engine.connector.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brook.engine.BrookException;
import io.brook.engine.batch.Batch;
import io.brook.engine.batch.ColumnType;
import io.brook.engine.batch.Field;
import io.brook.engine.batch.Schema;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CsvCodecTest {
    private static final Path FILE = Path.of("/data/people.csv");
    private static final Schema PEOPLE = Schema.of(
            new Field("name", ColumnType.VARCHAR, true),
            new Field("age", ColumnType.INT, true),
            new Field("at", ColumnType.TIMESTAMP, true));

    private static FileOptions options(String... keyValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put(keyValues[i], keyValues[i + 1]);
        }
        return FileOptions.forRead(FileFormat.CSV, map);
    }

    @Test
    void splitsRecordsAsRfc4180WithQuotedSeparatorsQuotesAndLineBreaks() {
        // Given
        String text = "a,\"b,c\",\"say \"\"hi\"\"\"\r\n\r\n\"two\nlines\",,\"\"\nlast";
        CsvCodec.Tokenizer tokenizer = new CsvCodec.Tokenizer(text, ',', '"');

        // When
        List<CsvCodec.CsvRecord> records = new ArrayList<>();
        for (CsvCodec.CsvRecord r = tokenizer.next(); r != null; r = tokenizer.next()) {
            records.add(r);
        }

        // Then
        assertThat(records)
                .extracting(CsvCodec.CsvRecord::values)
                .containsExactly(List.of("a", "b,c", "say \"hi\""), List.of("two\nlines", "", ""), List.of("last"));
        assertThat(records).extracting(CsvCodec.CsvRecord::line).containsExactly(1, 3, 5);
        assertThat(records.get(1).value(1, "")).isNull();
        assertThat(records.get(1).value(2, "")).isEmpty();
    }

    @Test
    void skipsTheHeaderAndConvertsFieldsByPositionWithBadValuesAsNull() {
        // Given: a missing field, an empty field, a bad number, a custom separator
        String text = "name;age;at\nann;41;2026-12-01T14:00:00Z\nbob;;\ncid;old;2026-12-01\ndan\n";

        // When
        List<List<Object>> rows = CsvCodec.INSTANCE
                .read(FILE, text, PEOPLE, options("header", "true", "SEP", ";"))
                .rows();

        // Then
        assertThat(rows)
                .containsExactly(
                        Arrays.asList("ann", 41, 1_796_133_600_000_000L),
                        Arrays.asList("bob", null, null),
                        Arrays.asList("cid", null, 1_796_083_200_000_000L),
                        Arrays.asList("dan", null, null));
    }

    @Test
    void failFastNamesTheFileLineAndColumn() {
        // Given: the bad value is on line 3 because a quoted field spans two lines
        String text = "\"x\ny\",1,\nz,ten,\n";

        // When / Then
        assertThatThrownBy(() -> CsvCodec.INSTANCE.read(FILE, text, PEOPLE, options("mode", "FailFast")))
                .isInstanceOf(BrookException.class)
                .hasMessageStartingWith("file /data/people.csv line 3: column 'age' (INT) cannot hold 'ten'");
    }

    @Test
    void anUnclosedQuoteIsMalformed() {
        // Given
        String text = "a,1,\n\"b,2,\n";

        // When / Then
        assertThat(CsvCodec.INSTANCE.read(FILE, text, PEOPLE, options()).rows())
                .containsExactly(Arrays.asList("a", 1, null), Arrays.asList(null, null, null));
        assertThatThrownBy(() -> CsvCodec.INSTANCE.read(FILE, text, PEOPLE, options("mode", "FAILFAST")))
                .hasMessageStartingWith(
                        "file /data/people.csv line 2: malformed record: a quoted field that starts on line 2 is not"
                                + " closed");
    }

    @Test
    void infersNamesFromTheHeaderAndTypesOnlyWhenAsked() {
        // Given
        Map<Path, String> texts = new LinkedHashMap<>();
        texts.put(Path.of("a.csv"), "id,score,ok,name,,id\n1,2,true,x,,1\n");
        texts.put(Path.of("b.csv"), "id,score,ok,name,,id\n2,2.5,false,3,,\n");

        // When
        Schema plain = CsvCodec.INSTANCE.infer(texts, options("header", "true"));
        Schema inferred = CsvCodec.INSTANCE.infer(texts, options("header", "true", "inferSchema", "true"));

        // Then
        assertThat(plain.names()).containsExactly("id", "score", "ok", "name", "_c4", "id5");
        assertThat(plain.fields()).extracting(Field::type).containsOnly(ColumnType.VARCHAR);
        assertThat(inferred.fields())
                .extracting(Field::type)
                .containsExactly(
                        ColumnType.BIGINT,
                        ColumnType.DOUBLE,
                        ColumnType.BOOLEAN,
                        ColumnType.VARCHAR,
                        ColumnType.VARCHAR,
                        ColumnType.BIGINT);
    }

    @Test
    void writtenRowsReadBackTheSameIncludingNullsAndEmptyStrings() throws Exception {
        // Given
        Batch batch = CsvCodec.INSTANCE.read(
                FILE, "\"a,\"\"b\"\"\n\",1,1969-12-31T23:59:59.999999Z\n\"\",,\n,2,\n", PEOPLE, options());
        FileOptions write = FileOptions.forWrite(FileFormat.CSV, Map.of("header", "true"), java.util.Set.of());
        StringWriter out = new StringWriter();

        // When
        CsvCodec.INSTANCE.writeStart(out, PEOPLE, write);
        CsvCodec.INSTANCE.write(out, batch, write);

        // Then
        assertThat(out.toString())
                .isEqualTo("name,age,at\n\"a,\"\"b\"\"\n\",1,1969-12-31T23:59:59.999999Z\n\"\",,\n,2,\n");
        assertThat(CsvCodec.INSTANCE
                        .read(FILE, out.toString(), PEOPLE, options("header", "true"))
                        .rows())
                .isEqualTo(batch.rows())
                .containsExactly(
                        Arrays.asList("a,\"b\"\n", 1, -1L),
                        Arrays.asList("", null, null),
                        Arrays.asList(null, 2, null));
    }
}
