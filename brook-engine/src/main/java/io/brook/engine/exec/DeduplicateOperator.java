package io.brook.engine.exec;

import io.brook.engine.batch.Batch;
import io.brook.engine.batch.Column;
import io.brook.engine.batch.LongColumn;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Passes on the first row of each key. A bounded query remembers keys in a hash for its one run; a stream remembers
 * them in its state across batches, dropping late rows and evicting keys the watermark has passed when a key column
 * carries event time.
 */
final class DeduplicateOperator implements Operator {
    private final int operatorId;
    private final int partition;
    private final int[] keyColumns;
    private final int finalityKey;
    private final WatermarkBound late;
    private final WatermarkBound closed;
    private final KeyCodec codec;
    private final Operator downstream;
    private final Pipeline.CurrentBatch currentBatch;
    private GroupHash seen;
    private long dropped;

    DeduplicateOperator(
            int operatorId,
            int partition,
            int[] keyColumns,
            KeyCodec codec,
            int finalityKey,
            EventTime.TimeColumn finalityColumn,
            Operator downstream,
            Pipeline.CurrentBatch currentBatch) {
        this.operatorId = operatorId;
        this.partition = partition;
        this.keyColumns = keyColumns.clone();
        this.codec = codec;
        this.finalityKey = finalityColumn == null ? -1 : finalityKey;
        this.late = finalityColumn == null ? null : finalityColumn.late();
        this.closed = finalityColumn == null ? null : finalityColumn.closed();
        this.downstream = downstream;
        this.currentBatch = currentBatch;
        this.seen = new GroupHash(codec);
    }

    @Override
    public void accept(Batch batch) {
        BatchContext context = currentBatch.context();
        KeyValueState state = context.streaming() ? context.state(operatorId, partition) : null;
        long watermark = state != null && finalityKey >= 0 ? late.at(context) : Long.MIN_VALUE;
        boolean dropLate = watermark != Long.MIN_VALUE;
        Column[] keys = new Column[keyColumns.length];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = batch.column(keyColumns[i]);
        }
        LongColumn times = finalityKey >= 0 ? (LongColumn) keys[finalityKey] : null;
        int[] kept = new int[batch.rowCount()];
        int count = 0;
        for (int row = 0; row < batch.rowCount(); row++) {
            int position = batch.position(row);
            if (dropLate && (times.isNull(position) || times.getLong(position) <= watermark)) {
                dropped++;
                continue;
            }
            codec.encode(keys, position);
            int before = seen.groupCount();
            seen.findOrAdd(codec.bytes(), 0, codec.length());
            if (seen.groupCount() == before) {
                continue; // a duplicate within this run or batch
            }
            if (state != null) {
                byte[] key = Arrays.copyOf(codec.bytes(), codec.length());
                if (state.get(key) != null) {
                    continue; // seen in an earlier batch
                }
                state.put(key, new byte[0]);
            }
            kept[count++] = position;
        }
        if (count > 0) {
            downstream.accept(count == batch.rowCount() ? batch : batch.select(Arrays.copyOf(kept, count)));
        }
    }

    @Override
    public void finish(BatchContext context) {
        if (context.streaming()) {
            KeyValueState state = context.state(operatorId, partition);
            long watermark = finalityKey >= 0 ? closed.at(context) : Long.MIN_VALUE;
            if (watermark != Long.MIN_VALUE) {
                List<byte[]> expired = new ArrayList<>();
                state.forEach((key, value) -> {
                    long time = codec.longAt(key, finalityKey);
                    if (time != Long.MIN_VALUE && time <= watermark) {
                        expired.add(key.clone());
                    }
                });
                expired.forEach(state::remove);
            }
            if (dropped > 0) {
                context.observer().droppedByWatermark(operatorId, dropped);
            }
            // The state remembers keys across batches; the hash only within one.
            seen = new GroupHash(codec);
        }
        dropped = 0;
        downstream.finish(context);
    }
}
