package io.brook.engine.exec;

import io.brook.engine.batch.Batch;
import io.brook.engine.batch.Column;
import io.brook.engine.batch.ColumnType;
import io.brook.engine.batch.LongColumn;
import io.brook.engine.batch.Schema;
import java.util.Arrays;

/** The operators of event time: tracking the watermark, and assigning rows to windows. */
final class EventTimeOperators {
    private EventTimeOperators() {}

    /** Passes batches on and tracks the largest event time of the micro-batch for the watermark. */
    static final class WatermarkOperator implements Operator {
        private final int id;
        private final int column;
        private final long delayMicros;
        private final Operator downstream;
        private long maxEventTime = Long.MIN_VALUE;

        WatermarkOperator(int id, int column, long delayMicros, Operator downstream) {
            this.id = id;
            this.column = column;
            this.delayMicros = delayMicros;
            this.downstream = downstream;
        }

        @Override
        public void accept(Batch batch) {
            LongColumn times = (LongColumn) batch.column(column);
            long max = Long.MIN_VALUE;
            for (int row = 0; row < batch.rowCount(); row++) {
                int position = batch.position(row);
                if (!times.isNull(position)) {
                    max = Math.max(max, times.getLong(position));
                }
            }
            synchronized (this) {
                maxEventTime = Math.max(maxEventTime, max);
            }
            downstream.accept(batch);
        }

        @Override
        public boolean acceptsConcurrently() {
            return downstream.acceptsConcurrently();
        }

        @Override
        public synchronized void finish(BatchContext context) {
            if (maxEventTime != Long.MIN_VALUE) {
                context.observer().eventTime(id, maxEventTime, delayMicros);
            }
            maxEventTime = Long.MIN_VALUE;
            downstream.finish(context);
        }
    }

    /**
     * Repeats each row once per window containing its time and adds the window's start and end: Spark's windows,
     * aligned to the epoch, the latest starting at {@code time - time mod slide}.
     */
    static final class WindowAssignOperator implements Operator {
        private final int timeColumn;
        private final long size;
        private final long slide;
        private final Schema schema;
        private final Operator downstream;

        WindowAssignOperator(int timeColumn, long size, long slide, Schema schema, Operator downstream) {
            this.timeColumn = timeColumn;
            this.size = size;
            this.slide = slide;
            this.schema = schema;
            this.downstream = downstream;
        }

        @Override
        public void accept(Batch batch) {
            LongColumn times = (LongColumn) batch.column(timeColumn);
            int windowsPerRow = (int) ((size + slide - 1) / slide);
            int capacity = batch.rowCount() * windowsPerRow;
            int[] positions = new int[capacity];
            long[] starts = new long[capacity];
            long[] ends = new long[capacity];
            int count = 0;
            for (int row = 0; row < batch.rowCount(); row++) {
                int position = batch.position(row);
                if (times.isNull(position)) {
                    continue;
                }
                long time = times.getLong(position);
                long lastStart = time - Math.floorMod(time, slide);
                for (long start = lastStart; start > time - size; start -= slide) {
                    positions[count] = position;
                    starts[count] = start;
                    ends[count] = start + size;
                    count++;
                }
            }
            if (count == 0) {
                return;
            }
            int inputColumns = schema.size() - 2;
            Column[] columns = new Column[schema.size()];
            for (int i = 0; i < inputColumns; i++) {
                columns[i] = batch.column(i).gather(positions, 0, count);
            }
            columns[inputColumns] = LongColumn.of(ColumnType.TIMESTAMP, Arrays.copyOf(starts, count));
            columns[inputColumns + 1] = LongColumn.of(ColumnType.TIMESTAMP, Arrays.copyOf(ends, count));
            downstream.accept(Batch.of(schema, columns).withKindOf(batch));
        }

        @Override
        public boolean acceptsConcurrently() {
            return downstream.acceptsConcurrently();
        }

        @Override
        public void finish(BatchContext context) {
            downstream.finish(context);
        }
    }
}
