package io.brook.engine.connector.file;

import static org.assertj.core.api.Assertions.assertThat;

import io.brook.engine.batch.ArrayColumn;
import io.brook.engine.batch.Batch;
import io.brook.engine.batch.BooleanColumn;
import io.brook.engine.batch.ColumnType;
import io.brook.engine.batch.DoubleColumn;
import io.brook.engine.batch.Field;
import io.brook.engine.batch.IntColumn;
import io.brook.engine.batch.LongColumn;
import io.brook.engine.batch.Schema;
import io.brook.engine.batch.VarcharColumn;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.format.ColumnChunk;
import org.apache.parquet.format.CompressionCodec;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.RowGroup;
import org.apache.parquet.format.Util;
import org.apache.parquet.format.converter.ParquetMetadataConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimeUnit;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Parquet files Brook writes, checked with parquet's own footer parser and record reader. */
class ParquetFilesTest {
    private static final Schema SCHEMA = Schema.of(
            new Field("flag", ColumnType.BOOLEAN, true),
            new Field("small", ColumnType.INT, true),
            new Field("big", ColumnType.BIGINT, true),
            new Field("ratio", ColumnType.DOUBLE, true),
            new Field("name", ColumnType.VARCHAR, true),
            new Field("bytes", ColumnType.VARBINARY, true),
            new Field("day", ColumnType.DATE, true),
            new Field("at", ColumnType.TIMESTAMP, true));

    @TempDir
    Path temp;

    private static Batch twoRows() {
        return Batch.of(
                SCHEMA,
                BooleanColumn.builder(ColumnType.BOOLEAN, 2)
                        .append(true)
                        .appendNull()
                        .build(),
                IntColumn.builder(ColumnType.INT, 2).append(7).appendNull().build(),
                LongColumn.builder(ColumnType.BIGINT, 2)
                        .append(1L << 40)
                        .appendNull()
                        .build(),
                DoubleColumn.builder(ColumnType.DOUBLE, 2)
                        .append(2.5)
                        .appendNull()
                        .build(),
                VarcharColumn.builder(ColumnType.VARCHAR, 2)
                        .append("é")
                        .appendNull()
                        .build(),
                VarcharColumn.builder(ColumnType.VARBINARY, 2)
                        .appendUtf8(new byte[] {1, 2})
                        .appendNull()
                        .build(),
                IntColumn.builder(ColumnType.DATE, 2)
                        .append(20_000)
                        .appendNull()
                        .build(),
                LongColumn.builder(ColumnType.TIMESTAMP, 2)
                        .append(1_700_000_000_123_456L)
                        .appendNull()
                        .build());
    }

    private Path write(String compression) throws Exception {
        Path file = temp.resolve("part-" + compression + ".parquet");
        FileOptions options =
                FileOptions.forWrite(FileFormat.PARQUET, Map.of("compression", compression), java.util.Set.of());
        ParquetCodec.INSTANCE.writeFile(file, SCHEMA, List.of(twoRows()), options);
        return file;
    }

    /** The file's footer as parquet's thrift structures, parsed with no Brook code: the last 8 bytes locate it. */
    private static FileMetaData footer(Path file) throws Exception {
        byte[] bytes = Files.readAllBytes(file);
        assertThat(new String(bytes, 0, 4, java.nio.charset.StandardCharsets.US_ASCII))
                .isEqualTo("PAR1");
        assertThat(new String(bytes, bytes.length - 4, 4, java.nio.charset.StandardCharsets.US_ASCII))
                .isEqualTo("PAR1");
        int length = ByteBuffer.wrap(bytes, bytes.length - 8, 4)
                .order(ByteOrder.LITTLE_ENDIAN)
                .getInt();
        try (InputStream in = new java.io.ByteArrayInputStream(bytes, bytes.length - 8 - length, length)) {
            return Util.readFileMetaData(in);
        }
    }

    @Test
    void theFooterDeclaresSparksTypesAllOptional() throws Exception {
        // Given
        Path file = write("snappy");

        // When
        FileMetaData footer = footer(file);
        MessageType schema = new ParquetMetadataConverter()
                .fromParquetMetadata(footer)
                .getFileMetaData()
                .getSchema();

        // Then
        assertThat(schema)
                .isEqualTo(Types.buildMessage()
                        .optional(PrimitiveTypeName.BOOLEAN)
                        .named("flag")
                        .optional(PrimitiveTypeName.INT32)
                        .named("small")
                        .optional(PrimitiveTypeName.INT64)
                        .named("big")
                        .optional(PrimitiveTypeName.DOUBLE)
                        .named("ratio")
                        .optional(PrimitiveTypeName.BINARY)
                        .as(LogicalTypeAnnotation.stringType())
                        .named("name")
                        .optional(PrimitiveTypeName.BINARY)
                        .named("bytes")
                        .optional(PrimitiveTypeName.INT32)
                        .as(LogicalTypeAnnotation.dateType())
                        .named("day")
                        .optional(PrimitiveTypeName.INT64)
                        .as(LogicalTypeAnnotation.timestampType(true, TimeUnit.MICROS))
                        .named("at")
                        .named("brook_schema"));
        assertThat(schema.getFields())
                .allSatisfy(field -> assertThat(field.getRepetition()).isEqualTo(Type.Repetition.OPTIONAL));
        assertThat(footer.getNum_rows()).isEqualTo(2);
        assertThat(footer.getRow_groups())
                .flatMap(RowGroup::getColumns)
                .extracting(ColumnChunk::getMeta_data)
                .extracting(meta -> meta.getCodec())
                .containsOnly(CompressionCodec.SNAPPY)
                .hasSize(8);
    }

    @Test
    void theOptionNamesTheCodecInTheFooter() throws Exception {
        for (Map.Entry<String, CompressionCodec> entry : Map.of(
                        "none", CompressionCodec.UNCOMPRESSED,
                        "gzip", CompressionCodec.GZIP,
                        "zstd", CompressionCodec.ZSTD,
                        "lz4_raw", CompressionCodec.LZ4_RAW)
                .entrySet()) {
            // When
            FileMetaData footer = footer(write(entry.getKey()));

            // Then
            assertThat(footer.getRow_groups()
                            .get(0)
                            .getColumns()
                            .get(0)
                            .getMeta_data()
                            .getCodec())
                    .as(entry.getKey())
                    .isEqualTo(entry.getValue());
        }
    }

    @Test
    void parquetsOwnRecordReaderReadsTheValues() throws Exception {
        // Given
        Path file = write("zstd");
        MessageType schema = new ParquetMetadataConverter()
                .fromParquetMetadata(footer(file))
                .getFileMetaData()
                .getSchema();

        // When: parquet's example record model (Group), not Brook's converters
        List<Group> groups = new ArrayList<>();
        try (ParquetFileReader reader = ParquetCodec.open(file)) {
            PageReadStore pages;
            while ((pages = reader.readNextRowGroup()) != null) {
                RecordReader<Group> records = new ColumnIOFactory()
                        .getColumnIO(schema)
                        .getRecordReader(pages, new GroupRecordConverter(schema));
                for (long row = 0; row < pages.getRowCount(); row++) {
                    groups.add(records.read());
                }
            }
        }

        // Then
        assertThat(groups).hasSize(2);
        Group first = groups.get(0);
        assertThat(first.getBoolean("flag", 0)).isTrue();
        assertThat(first.getInteger("small", 0)).isEqualTo(7);
        assertThat(first.getLong("big", 0)).isEqualTo(1L << 40);
        assertThat(first.getDouble("ratio", 0)).isEqualTo(2.5);
        assertThat(first.getString("name", 0)).isEqualTo("é");
        assertThat(first.getBinary("bytes", 0).getBytes()).containsExactly(1, 2);
        assertThat(first.getInteger("day", 0)).isEqualTo(20_000);
        assertThat(first.getLong("at", 0)).isEqualTo(1_700_000_000_123_456L);
        Group second = groups.get(1);
        for (int field = 0; field < SCHEMA.size(); field++) {
            assertThat(second.getFieldRepetitionCount(field))
                    .as(SCHEMA.field(field).name())
                    .isZero();
        }
    }

    @Test
    void anArrayIsTheThreeLevelListSparkWritesAndParquetsReaderSeesItsEntries() throws Exception {
        // Given: a list, a null list, an empty list, and a list with a null element
        Schema schema = Schema.of(Field.array("tags", ColumnType.VARCHAR, true));
        Batch batch = Batch.of(
                schema,
                ArrayColumn.of(ColumnType.VARCHAR, List.of("a", "b"), null, List.of(), Arrays.asList(null, "c")));
        Path file = temp.resolve("part-tags.parquet");
        ParquetCodec.INSTANCE.writeFile(
                file, schema, List.of(batch), FileOptions.forWrite(FileFormat.PARQUET, Map.of(), java.util.Set.of()));

        // When
        MessageType written = new ParquetMetadataConverter()
                .fromParquetMetadata(footer(file))
                .getFileMetaData()
                .getSchema();
        List<Group> groups = new ArrayList<>();
        try (ParquetFileReader reader = ParquetCodec.open(file)) {
            PageReadStore pages = reader.readNextRowGroup();
            RecordReader<Group> records = new ColumnIOFactory()
                    .getColumnIO(written)
                    .getRecordReader(pages, new GroupRecordConverter(written));
            for (long row = 0; row < pages.getRowCount(); row++) {
                groups.add(records.read());
            }
        }

        // Then
        assertThat(written)
                .isEqualTo(Types.buildMessage()
                        .optionalGroup()
                        .as(LogicalTypeAnnotation.listType())
                        .repeatedGroup()
                        .optional(PrimitiveTypeName.BINARY)
                        .as(LogicalTypeAnnotation.stringType())
                        .named("element")
                        .named("list")
                        .named("tags")
                        .named("brook_schema"));
        Group first = groups.get(0).getGroup("tags", 0);
        assertThat(first.getFieldRepetitionCount("list")).isEqualTo(2);
        assertThat(first.getGroup("list", 1).getString("element", 0)).isEqualTo("b");
        assertThat(groups.get(1).getFieldRepetitionCount("tags"))
                .as("a null list")
                .isZero();
        assertThat(groups.get(2).getGroup("tags", 0).getFieldRepetitionCount("list"))
                .as("an empty list")
                .isZero();
        Group last = groups.get(3).getGroup("tags", 0);
        assertThat(last.getGroup("list", 0).getFieldRepetitionCount("element"))
                .as("a null element")
                .isZero();
        assertThat(last.getGroup("list", 1).getString("element", 0)).isEqualTo("c");
        assertThat(ParquetCodec.INSTANCE
                        .readFile(file, schema, FileOptions.forRead(FileFormat.PARQUET, Map.of()))
                        .rows())
                .containsExactly(
                        List.of(List.of("a", "b")),
                        Arrays.asList((Object) null),
                        List.of(List.of()),
                        List.of(Arrays.asList(null, "c")));
    }

    @Test
    void noHadoopClassIsOnTheTestClasspath() {
        // The tests above prove the read and write paths need no Hadoop only while Hadoop is absent (see the pom).
        assertThat(getClass().getClassLoader().getResource("org/apache/hadoop/conf/Configuration.class"))
                .isNull();
    }
}
