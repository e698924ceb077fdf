package io.brook.engine.exec;

import io.brook.engine.batch.Batch;
import io.brook.engine.batch.BooleanColumn;
import io.brook.engine.batch.Column;
import io.brook.engine.batch.ColumnBuilder;
import io.brook.engine.batch.DoubleColumn;
import io.brook.engine.batch.VarcharColumn;
import java.util.Arrays;
import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.hll.Union;

/**
 * APPROX_COUNT_DISTINCT: per group, a HyperLogLog sketch of the non-null values (Apache DataSketches' HLL with 2^p
 * registers, exact while small), estimated as a BIGINT. Its state is the sketch's compact bytes, and merging two
 * sketches is a union, so a group carries across micro-batches whatever the order of merges. Values are hashed by
 * type: integers, dates, timestamps and booleans as longs, doubles as doubles (-0.0 as 0.0), text and bytes as their
 * bytes after a marker byte (so that the empty string counts, which the sketch would skip).
 */
final class ApproxCountDistinct implements Accumulator {
    private final int column;
    private final int precision;
    private Union[] sketches = new Union[16];

    ApproxCountDistinct(int column, int precision) {
        this.column = column;
        this.precision = precision;
    }

    @Override
    public void ensureGroups(int groupCount) {
        if (groupCount > sketches.length) {
            sketches = Arrays.copyOf(sketches, Accumulators.capacity(sketches.length, groupCount));
        }
    }

    private Union sketch(int group) {
        Union sketch = sketches[group];
        if (sketch == null) {
            sketch = new Union(precision);
            sketches[group] = sketch;
        }
        return sketch;
    }

    @Override
    public void add(Batch batch, int[] groupIds, int groupCount) {
        ensureGroups(groupCount);
        Column values = batch.column(column);
        for (int row = 0; row < batch.rowCount(); row++) {
            int position = batch.position(row);
            if (values.isNull(position)) {
                continue;
            }
            Union sketch = sketch(groupIds[row]);
            if (values instanceof VarcharColumn text) {
                byte[] marked = new byte[1 + text.byteLength(position)];
                marked[0] = 1;
                text.copyBytes(position, marked, 1);
                sketch.update(marked);
            } else if (values instanceof DoubleColumn doubles) {
                sketch.update(doubles.getDouble(position));
            } else if (values instanceof BooleanColumn booleans) {
                sketch.update(booleans.getBoolean(position) ? 1L : 0L);
            } else {
                sketch.update(ColumnTypes.longAt(values, position));
            }
        }
    }

    @Override
    public int mergeState(int group, byte[] state, int offset) {
        int length = KeyCodec.getInt(state, offset);
        if (length > 0) {
            sketch(group).update(HllSketch.heapify(Arrays.copyOfRange(state, offset + 4, offset + 4 + length)));
        }
        return offset + 4 + length;
    }

    @Override
    public void writeState(int group, StateWriter out) {
        Union sketch = sketches[group];
        byte[] bytes = sketch == null || sketch.isEmpty() ? new byte[0] : sketch.toCompactByteArray();
        out.writeBytes(bytes, 0, bytes.length);
    }

    @Override
    public void appendResult(int group, ColumnBuilder out) {
        Union sketch = sketches[group];
        out.appendLong(sketch == null ? 0 : Math.round(sketch.getEstimate()));
    }
}
