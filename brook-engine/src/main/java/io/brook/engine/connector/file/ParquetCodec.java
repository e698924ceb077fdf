package io.brook.engine.connector.file;

import io.brook.engine.BrookException;
import io.brook.engine.ErrorCode;
import io.brook.engine.batch.Batch;
import io.brook.engine.batch.Column;
import io.brook.engine.batch.ColumnBuilder;
import io.brook.engine.batch.ColumnType;
import io.brook.engine.batch.Field;
import io.brook.engine.batch.Schema;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.bytes.ByteBufferAllocator;
import org.apache.parquet.bytes.HeapByteBufferAllocator;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.crypto.FileDecryptionProperties;
import org.apache.parquet.filter2.compat.FilterCompat;
import org.apache.parquet.format.converter.ParquetMetadataConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetMetricsCallback;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.MessageColumnIO;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.Converter;
import org.apache.parquet.io.api.GroupConverter;
import org.apache.parquet.io.api.PrimitiveConverter;
import org.apache.parquet.io.api.RecordMaterializer;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimestampLogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;

/**
 * Apache Parquet files, as Spark's parquet format: one file per part, written by {@link ParquetRowWriter}, read column
 * by column into a batch. A read takes the schema's columns by name, reads only those column chunks, and reads a column
 * the file lacks as NULL; a file column of another type is read when it widens (see {@link ParquetTypes#canRead}). No
 * Hadoop class is loaded on these paths. Stateless.
 */
final class ParquetCodec implements FormatCodec {
    static final ParquetCodec INSTANCE = new ParquetCodec();

    private static final long UNIX_EPOCH_JULIAN_DAY = 2_440_588L;
    private static final long MICROS_PER_DAY = 86_400_000_000L;
    private static final Constructor<ParquetReadOptions> READ_OPTIONS = readOptionsConstructor();

    private ParquetCodec() {}

    /** Parquet groups for structs are not written or read yet: struct columns (and arrays of them) are refused. */
    @Override
    public void throwIfUnsupported(Schema schema) {
        for (Field field : schema.fields()) {
            if (field.type() == ColumnType.STRUCT || field.elementType() == ColumnType.STRUCT) {
                throw new BrookException(
                        ErrorCode.UNSUPPORTED_OPERATION,
                        "Parquet files in Brook cannot hold column '" + field.name() + "' of type "
                                + field.sparkTypeName() + " yet (struct groups are not written or read); make it"
                                + " text with to_json(struct(col(\"" + field.name() + "\"))), or use the json format");
            }
        }
    }

    @Override
    public void writeFile(Path file, Schema schema, List<Batch> batches, FileOptions options) throws IOException {
        AtomicFiles.writeFile(file, temporary -> ParquetRowWriter.write(temporary, schema, batches, options));
    }

    @Override
    public Schema inferSchema(List<Path> files, FileOptions options) {
        Map<String, Field> fields = new LinkedHashMap<>();
        Map<String, Path> firstSeenIn = new HashMap<>();
        for (Path file : files) {
            MessageType fileSchema =
                    read(file, reader -> reader.getFooter().getFileMetaData().getSchema());
            for (Type column : fileSchema.getFields()) {
                Field field = ParquetTypes.field(column)
                        .orElseThrow(() -> new BrookException(
                                ErrorCode.SOURCE_FAILED,
                                "file " + file + ": column '" + column.getName() + "' is Parquet '" + describe(column)
                                        + "', which Brook cannot read; pass .schema(...) with the columns to read"));
                Field known = fields.get(column.getName());
                if (known == null) {
                    fields.put(column.getName(), field);
                    firstSeenIn.put(column.getName(), file);
                    continue;
                }
                fields.put(
                        column.getName(),
                        ParquetTypes.widen(known, field)
                                .orElseThrow(() -> new BrookException(
                                        ErrorCode.SOURCE_FAILED,
                                        "column '" + column.getName() + "' is " + known.typeName() + " in "
                                                + firstSeenIn.get(column.getName()) + " but " + field.typeName()
                                                + " in " + file + "; pass .schema(...) to read one type")));
            }
        }
        return new Schema(List.copyOf(fields.values()));
    }

    @Override
    public Batch readFile(Path file, Schema schema, FileOptions options) {
        return read(file, reader -> readRows(file, reader, schema));
    }

    private static Batch readRows(Path file, ParquetFileReader reader, Schema schema) throws IOException {
        ParquetMetadata footer = reader.getFooter();
        throwIfCompressionUnsupported(file, footer);
        MessageType fileSchema = footer.getFileMetaData().getSchema();
        long rowCount = reader.getRecordCount();
        if (rowCount > Integer.MAX_VALUE) {
            throw new BrookException(
                    ErrorCode.SOURCE_FAILED,
                    "file " + file + " has " + rowCount + " rows; Brook reads at most " + Integer.MAX_VALUE
                            + " rows from one Parquet file");
        }
        ColumnBuilder[] builders = new ColumnBuilder[schema.size()];
        List<Type> projected = new ArrayList<>();
        List<Converter> converters = new ArrayList<>();
        boolean[] written = new boolean[schema.size()];
        for (int index = 0; index < schema.size(); index++) {
            Field field = schema.field(index);
            builders[index] = new ColumnBuilder(field, (int) rowCount);
            if (!fileSchema.containsField(field.name())) {
                continue;
            }
            Type column = fileSchema.getType(field.name());
            throwIfUnreadable(file, column, field);
            projected.add(column);
            converters.add(
                    field.type() == ColumnType.ARRAY
                            ? new ListConverter(column, field, builders[index], written, index)
                            : new ValueConverter(
                                    column.asPrimitiveType(), field.type(), builders[index], written, index));
        }
        if (projected.isEmpty()) {
            for (ColumnBuilder builder : builders) {
                for (long row = 0; row < rowCount; row++) {
                    builder.appendNull();
                }
            }
        } else {
            MessageType projection = new MessageType(fileSchema.getName(), projected);
            reader.setRequestedSchema(projection);
            MessageColumnIO columnIo = new ColumnIOFactory().getColumnIO(projection, fileSchema);
            RowMaterializer materializer = new RowMaterializer(converters, builders, written);
            PageReadStore pages;
            while ((pages = reader.readNextRowGroup()) != null) {
                RecordReader<Void> records = columnIo.getRecordReader(pages, materializer);
                for (long row = 0; row < pages.getRowCount(); row++) {
                    records.read();
                }
            }
        }
        Column[] columns = new Column[builders.length];
        for (int index = 0; index < columns.length; index++) {
            columns[index] = builders[index].build();
        }
        return Batch.of(schema, columns);
    }

    private static void throwIfUnreadable(Path file, Type column, Field field) {
        Optional<Field> fileField = ParquetTypes.field(column);
        if (fileField.isEmpty()) {
            throw new BrookException(
                    ErrorCode.SOURCE_FAILED,
                    "file " + file + ": column '" + field.name() + "' is Parquet '" + describe(column)
                            + "', which Brook cannot read");
        }
        if (!ParquetTypes.canRead(fileField.get(), field)) {
            throw new BrookException(
                    ErrorCode.SOURCE_FAILED,
                    "file " + file + ": column '" + field.name() + "' is Parquet '" + describe(column) + "' ("
                            + fileField.get().typeName() + "), which cannot be read as " + field.typeName());
        }
    }

    private static void throwIfCompressionUnsupported(Path file, ParquetMetadata footer) {
        for (BlockMetaData block : footer.getBlocks()) {
            for (ColumnChunkMetaData chunk : block.getColumns()) {
                if (!ParquetCompression.SUPPORTED.contains(chunk.getCodec())) {
                    throw new BrookException(
                            ErrorCode.SOURCE_FAILED,
                            "file " + file + ": column " + chunk.getPath() + " is compressed with " + chunk.getCodec()
                                    + ", which Brook cannot read; it reads " + ParquetCompression.SUPPORTED);
                }
            }
        }
    }

    private static String describe(Type column) {
        return column.toString().strip();
    }

    /** What is done with an open reader. */
    private interface ReaderFunction<T> {
        T apply(ParquetFileReader reader) throws IOException;
    }

    /** Opens a file with parquet's reader, configured without Hadoop; the caller closes it. */
    static ParquetFileReader open(Path file) throws IOException {
        return new ParquetFileReader(new LocalInputFile(file), readOptions());
    }

    private static <T> T read(Path file, ReaderFunction<T> function) {
        try (ParquetFileReader reader = open(file)) {
            return function.apply(reader);
        } catch (BrookException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // parquet reports a file that is not Parquet, or is cut short, as a RuntimeException
            throw new BrookException(ErrorCode.SOURCE_FAILED, "cannot read Parquet file " + file + ": " + e, e);
        }
    }

    /**
     * Read options without Hadoop. parquet-java's {@code ParquetReadOptions.Builder} (1.18.1) always makes Hadoop's
     * codec factory first, which loads Hadoop classes even when another factory is set afterwards, so the options are
     * made with their (package-private) constructor, with the builder's defaults and {@link ParquetCompression}.
     */
    private static ParquetReadOptions readOptions() {
        try {
            return READ_OPTIONS.newInstance(
                    false, // useSignedStringMinMax
                    true, // useStatsFilter
                    true, // useDictionaryFilter
                    true, // useRecordFilter
                    true, // useColumnIndexFilter
                    false, // usePageChecksumVerification
                    true, // useBloomFilter
                    false, // useOffHeapDecryptBuffer
                    false, // useHadoopVectoredIo
                    FilterCompat.NOOP,
                    ParquetMetadataConverter.NO_FILTER,
                    ParquetCompression.INSTANCE,
                    new HeapByteBufferAllocator(),
                    8 * 1024 * 1024, // maxAllocationSize, the builder's default
                    new HashMap<String, String>(),
                    null, // no decryption
                    null, // no metrics callback
                    new PlainParquetConfiguration());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot make parquet's read options with " + READ_OPTIONS, e);
        }
    }

    private static Constructor<ParquetReadOptions> readOptionsConstructor() {
        try {
            Constructor<ParquetReadOptions> constructor = ParquetReadOptions.class.getDeclaredConstructor(
                    boolean.class,
                    boolean.class,
                    boolean.class,
                    boolean.class,
                    boolean.class,
                    boolean.class,
                    boolean.class,
                    boolean.class,
                    boolean.class,
                    FilterCompat.Filter.class,
                    ParquetMetadataConverter.MetadataFilter.class,
                    CompressionCodecFactory.class,
                    ByteBufferAllocator.class,
                    int.class,
                    Map.class,
                    FileDecryptionProperties.class,
                    ParquetMetricsCallback.class,
                    ParquetConfiguration.class);
            constructor.setAccessible(true);
            return constructor;
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(
                    "this parquet-hadoop has no ParquetReadOptions constructor of 1.18.1's shape; check the Parquet"
                            + " version before upgrading it",
                    e);
        }
    }

    /** Ends each record: a column the record had no value for (NULL, or not in the file) gets a NULL. */
    private static final class RowMaterializer extends RecordMaterializer<Void> {
        private final GroupConverter root;

        RowMaterializer(List<Converter> converters, ColumnBuilder[] builders, boolean[] written) {
            this.root = new GroupConverter() {
                @Override
                public Converter getConverter(int fieldIndex) {
                    return converters.get(fieldIndex);
                }

                @Override
                public void start() {
                    Arrays.fill(written, false);
                }

                @Override
                public void end() {
                    for (int index = 0; index < builders.length; index++) {
                        if (!written[index]) {
                            builders[index].appendNull();
                        }
                    }
                }
            };
        }

        @Override
        public Void getCurrentRecord() {
            return null;
        }

        @Override
        public GroupConverter getRootConverter() {
            return root;
        }
    }

    /**
     * Appends one LIST column's arrays to the builder of the ARRAY column it is read as: each record's list is one
     * array (a null list calls nothing, so the record's end appends NULL), each repeated entry one element, NULL when
     * the entry has no value.
     */
    private static final class ListConverter extends GroupConverter {
        private final ColumnBuilder builder;
        private final boolean[] written;
        private final int index;
        private final Converter entries;

        ListConverter(Type column, Field field, ColumnBuilder builder, boolean[] written, int index) {
            this.builder = builder;
            this.written = written;
            this.index = index;
            Type element = ParquetTypes.listElement(column)
                    .orElseThrow(() -> new IllegalArgumentException("not a LIST of scalars: " + column));
            ColumnBuilder elements = builder.arrayElements();
            boolean[] elementWritten = new boolean[1];
            ValueConverter values =
                    new ValueConverter(element.asPrimitiveType(), field.elementType(), elements, elementWritten, 0);
            this.entries = new GroupConverter() {
                @Override
                public Converter getConverter(int fieldIndex) {
                    return values;
                }

                @Override
                public void start() {
                    elementWritten[0] = false;
                }

                @Override
                public void end() {
                    if (!elementWritten[0]) {
                        elements.appendNull();
                    }
                }
            };
        }

        @Override
        public Converter getConverter(int fieldIndex) {
            return entries;
        }

        @Override
        public void start() {}

        @Override
        public void end() {
            builder.endArray();
            written[index] = true;
        }
    }

    /** Appends one file column's values to the builder of the schema column it is read as, converting as needed. */
    private static final class ValueConverter extends PrimitiveConverter {
        private final ColumnBuilder builder;
        private final boolean[] written;
        private final int index;
        private final boolean asDouble;
        private final boolean int96;
        private final long multiplier;
        private final long divisor;

        ValueConverter(PrimitiveType column, ColumnType wanted, ColumnBuilder builder, boolean[] written, int index) {
            this.builder = builder;
            this.written = written;
            this.index = index;
            this.asDouble = wanted == ColumnType.DOUBLE;
            this.int96 = column.getPrimitiveTypeName() == PrimitiveTypeName.INT96;
            long multiplier = 1;
            long divisor = 1;
            if (column.getLogicalTypeAnnotation() instanceof TimestampLogicalTypeAnnotation timestamp) {
                switch (timestamp.getUnit()) {
                    case MILLIS -> multiplier = 1000;
                    case MICROS -> {}
                    case NANOS -> divisor = 1000;
                }
            }
            this.multiplier = multiplier;
            this.divisor = divisor;
        }

        @Override
        public void addBoolean(boolean value) {
            builder.appendBoolean(value);
            written[index] = true;
        }

        @Override
        public void addInt(int value) {
            if (asDouble) {
                builder.appendDouble(value);
            } else {
                builder.appendLong(value);
            }
            written[index] = true;
        }

        @Override
        public void addLong(long value) {
            if (asDouble) {
                builder.appendDouble(value);
            } else {
                builder.appendLong(Math.floorDiv(Math.multiplyExact(value, multiplier), divisor));
            }
            written[index] = true;
        }

        @Override
        public void addFloat(float value) {
            builder.appendDouble(value);
            written[index] = true;
        }

        @Override
        public void addDouble(double value) {
            builder.appendDouble(value);
            written[index] = true;
        }

        @Override
        public void addBinary(Binary value) {
            if (int96) {
                // Spark's legacy timestamps: nanoseconds of the day, then the Julian day, little-endian
                ByteBuffer bytes = value.toByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
                long nanosOfDay = bytes.getLong();
                long julianDay = bytes.getInt();
                builder.appendLong((julianDay - UNIX_EPOCH_JULIAN_DAY) * MICROS_PER_DAY + nanosOfDay / 1000);
            } else {
                byte[] bytes = value.getBytesUnsafe();
                builder.appendUtf8(bytes, 0, bytes.length);
            }
            written[index] = true;
        }
    }
}
