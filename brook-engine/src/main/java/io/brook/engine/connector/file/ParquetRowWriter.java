package io.brook.engine.connector.file;

import io.brook.engine.batch.ArrayColumn;
import io.brook.engine.batch.Batch;
import io.brook.engine.batch.BooleanColumn;
import io.brook.engine.batch.Column;
import io.brook.engine.batch.DoubleColumn;
import io.brook.engine.batch.IntColumn;
import io.brook.engine.batch.LongColumn;
import io.brook.engine.batch.Schema;
import io.brook.engine.batch.VarcharColumn;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.MessageType;

/**
 * Writes batches into one Parquet file, a row at a time straight from the columns to parquet's {@link RecordConsumer}
 * (no record objects). Configured without Hadoop: a {@link PlainParquetConfiguration}, a {@link LocalOutputFile} and
 * {@link ParquetCompression}'s codecs, so no Hadoop class is loaded. Used by one thread for one file.
 */
final class ParquetRowWriter {
    private ParquetRowWriter() {}

    /** Writes the rows into a new file at the path, compressed with the {@code compression} option's codec. */
    static void write(Path file, Schema schema, List<Batch> batches, FileOptions options) throws IOException {
        MessageType messageType = ParquetTypes.messageType(schema);
        Row row = new Row();
        try (ParquetWriter<Row> writer = new Builder(new LocalOutputFile(file), messageType)
                .withConf(new PlainParquetConfiguration())
                .withCodecFactory(ParquetCompression.INSTANCE)
                .withCompressionCodec(ParquetCompression.codec(options.compression()))
                .build()) {
            for (Batch batch : batches) {
                row.batch = batch;
                for (int index = 0; index < batch.rowCount(); index++) {
                    row.position = batch.position(index);
                    writer.write(row);
                }
            }
        }
    }

    /** The row being written: a position in a batch, reused for every row (parquet keeps no reference to it). */
    private static final class Row {
        private Batch batch;
        private int position;
    }

    private static final class Builder extends ParquetWriter.Builder<Row, Builder> {
        private final MessageType messageType;

        Builder(OutputFile file, MessageType messageType) {
            super(file);
            this.messageType = messageType;
        }

        @Override
        protected Builder self() {
            return this;
        }

        @Override
        protected WriteSupport<Row> getWriteSupport(ParquetConfiguration conf) {
            return new RowWriteSupport(messageType);
        }

        /** Not called: the writer is built with a {@link ParquetConfiguration}; parquet's API still declares it. */
        @Override
        protected WriteSupport<Row> getWriteSupport(Configuration conf) {
            return new RowWriteSupport(messageType);
        }
    }

    private static final class RowWriteSupport extends WriteSupport<Row> {
        private final MessageType messageType;
        private RecordConsumer consumer;

        RowWriteSupport(MessageType messageType) {
            this.messageType = messageType;
        }

        @Override
        public WriteContext init(ParquetConfiguration configuration) {
            return new WriteContext(messageType, Map.of());
        }

        /** Not called: see {@link Builder#getWriteSupport(Configuration)}. */
        @Override
        public WriteContext init(Configuration configuration) {
            return new WriteContext(messageType, Map.of());
        }

        @Override
        public String getName() {
            return "brook";
        }

        @Override
        public void prepareForWrite(RecordConsumer recordConsumer) {
            this.consumer = recordConsumer;
        }

        @Override
        public void write(Row row) {
            Batch batch = row.batch;
            int position = row.position;
            Schema schema = batch.schema();
            consumer.startMessage();
            for (int index = 0; index < schema.size(); index++) {
                Column column = batch.column(index);
                if (column.isNull(position)) {
                    continue;
                }
                String name = schema.field(index).name();
                consumer.startField(name, index);
                if (column instanceof ArrayColumn array) {
                    writeList(array, position);
                } else {
                    writeValue(column, position);
                }
                consumer.endField(name, index);
            }
            consumer.endMessage();
        }

        /** An array as the three-level LIST of {@link ParquetTypes#messageType}; an empty one has no entries. */
        private void writeList(ArrayColumn array, int position) {
            Column elements = array.elements();
            int length = array.length(position);
            consumer.startGroup();
            if (length > 0) {
                consumer.startField("list", 0);
                for (int element = array.start(position); element < array.start(position) + length; element++) {
                    consumer.startGroup();
                    if (!elements.isNull(element)) {
                        consumer.startField("element", 0);
                        writeValue(elements, element);
                        consumer.endField("element", 0);
                    }
                    consumer.endGroup();
                }
                consumer.endField("list", 0);
            }
            consumer.endGroup();
        }

        private void writeValue(Column column, int position) {
            switch (column.type()) {
                case BOOLEAN -> consumer.addBoolean(((BooleanColumn) column).getBoolean(position));
                case INT, DATE -> consumer.addInteger(((IntColumn) column).getInt(position));
                case BIGINT, TIMESTAMP -> consumer.addLong(((LongColumn) column).getLong(position));
                case DOUBLE -> consumer.addDouble(((DoubleColumn) column).getDouble(position));
                case VARCHAR, VARBINARY ->
                    consumer.addBinary(Binary.fromConstantByteArray(((VarcharColumn) column).getBytes(position)));
                case ARRAY -> throw new IllegalStateException("arrays are written as LISTs by writeList");
                case STRUCT ->
                    throw new IllegalStateException("Parquet refuses struct columns before writing; see ParquetCodec");
            }
        }
    }
}
