package io.brook.engine.exec;

import io.brook.engine.BrookException;
import io.brook.engine.ErrorCode;
import io.brook.engine.batch.Batch;
import io.brook.engine.batch.Column;
import io.brook.engine.batch.ColumnBuilder;
import io.brook.engine.batch.ColumnType;
import io.brook.engine.batch.VarcharColumn;
import io.brook.engine.plan.RelTypes;
import java.util.Arrays;
import java.util.List;
import org.apache.calcite.rel.core.AggregateCall;
import org.apache.calcite.rel.type.RelDataType;

/**
 * The accumulators of Brook's aggregate functions: COUNT, COUNT(DISTINCT), SUM, AVG, MIN and MAX, and Brook's own
 * FIRST, LAST, APPROX_COUNT_DISTINCT, COLLECT_LIST and COLLECT_SET ({@link BrookAggregates}). Of an ARRAY column, only
 * COUNT is taken.
 */
final class Accumulators {
    private Accumulators() {}

    static Accumulator create(AggregateCall call, RelDataType inputRowType, boolean streaming) {
        return create(call, inputRowType, streaming, false);
    }

    /**
     * The accumulator of a call; with {@code retracting}, one that can also take rows back ({@link
     * Accumulator#retract}), for an aggregation over an updating result, or a refusal naming the call.
     */
    static Accumulator create(AggregateCall call, RelDataType inputRowType, boolean streaming, boolean retracting) {
        List<Integer> args = call.getArgList();
        ColumnType input = args.isEmpty()
                ? null
                : RelTypes.columnType(
                        inputRowType.getFieldNames().get(args.get(0)),
                        inputRowType.getFieldList().get(args.get(0)).getType());
        // Refuses, naming the call, a result type batches cannot hold (collect_list of an array, say).
        RelTypes.columnType(call.getName(), call.getType());
        if (input != null
                && !input.isScalar()
                && (call.getAggregation().getKind() != org.apache.calcite.sql.SqlKind.COUNT || call.isDistinct())) {
            throw new BrookException(
                    ErrorCode.UNSUPPORTED_OPERATION,
                    "cannot aggregate " + input.name().toLowerCase(java.util.Locale.ROOT) + " column '"
                            + inputRowType.getFieldNames().get(args.get(0)) + "' with "
                            + call.getAggregation().getName().toLowerCase(java.util.Locale.ROOT)
                            + (call.isDistinct() ? " distinct" : "")
                            + ": Brook aggregates "
                            + (input == ColumnType.ARRAY
                                    ? "arrays only with count(...) yet; aggregate their elements, or their size(...)"
                                    : "structs only with count(...) yet; aggregate their fields"));
        }
        if (retracting) {
            return retracting(call, input);
        }
        if (call.isDistinct()) {
            boolean countOfOne =
                    call.getAggregation().getKind() == org.apache.calcite.sql.SqlKind.COUNT && args.size() == 1;
            if (streaming && countOfOne) {
                // Spark refuses this; Brook keeps each group's distinct values in state, as collect_set does.
                return new StreamingCountDistinct(new Collect(args.get(0), input, true));
            }
            if (streaming) {
                throw new BrookException(
                        ErrorCode.UNSUPPORTED_IN_STREAMING,
                        call + ": of the distinct aggregations, streaming supports count(DISTINCT column); aggregate"
                                + " distinct values with a groupBy on the value first, or use a batch query");
            }
            if (countOfOne) {
                return new CountDistinct(args.get(0), input);
            }
            throw unsupported(call);
        }
        if (call.getAggregation() == BrookAggregates.FIRST || call.getAggregation() == BrookAggregates.LAST) {
            return new FirstLast(args.get(0), input, call.getAggregation() == BrookAggregates.LAST, call.ignoreNulls());
        }
        if (call.getAggregation() == BrookAggregates.COLLECT_LIST
                || call.getAggregation() == BrookAggregates.COLLECT_SET) {
            return new Collect(args.get(0), input, call.getAggregation() == BrookAggregates.COLLECT_SET);
        }
        if (call.getAggregation() instanceof BrookAggregates.ApproxCountDistinctFunction function) {
            return new ApproxCountDistinct(args.get(0), function.precision());
        }
        return switch (call.getAggregation().getKind()) {
            case COUNT -> args.isEmpty() ? new Count(-1) : new Count(args.get(0));
            case SUM, SUM0 -> {
                if (input == ColumnType.DOUBLE) {
                    yield new Sum(
                            args.get(0), true, call.getAggregation().getKind() == org.apache.calcite.sql.SqlKind.SUM0);
                }
                yield new Sum(
                        args.get(0), false, call.getAggregation().getKind() == org.apache.calcite.sql.SqlKind.SUM0);
            }
            case AVG -> new Avg(args.get(0));
            case MIN, MAX -> {
                boolean max = call.getAggregation().getKind() == org.apache.calcite.sql.SqlKind.MAX;
                if (input == ColumnType.VARCHAR || input == ColumnType.VARBINARY) {
                    yield new VarcharExtreme(args.get(0), max);
                }
                if (input == ColumnType.DOUBLE) {
                    yield new DoubleExtreme(args.get(0), max);
                }
                if (input == ColumnType.BOOLEAN) {
                    throw unsupported(call);
                }
                yield new LongExtreme(args.get(0), max);
            }
            default -> throw unsupported(call);
        };
    }

    /** Count, sum, avg, min and max can take rows back: the first three subtract, min and max keep every value. */
    private static Accumulator retracting(AggregateCall call, ColumnType input) {
        List<Integer> args = call.getArgList();
        org.apache.calcite.sql.SqlKind kind = call.getAggregation().getKind();
        boolean known = switch (kind) {
            case COUNT, SUM, SUM0, AVG, MIN, MAX -> true;
            default -> false;
        };
        if (!known || call.isDistinct() || input == ColumnType.BOOLEAN) {
            throw new BrookException(
                    ErrorCode.UNSUPPORTED_IN_STREAMING,
                    call.getAggregation().getName().toLowerCase(java.util.Locale.ROOT)
                            + (call.isDistinct() ? "(DISTINCT ...)" : "(...)")
                            + (input == ColumnType.BOOLEAN ? " of a boolean" : "")
                            + " cannot aggregate an updating result (the rows of another streaming aggregation, which"
                            + " it must take back when they change): over such a result, use count, sum, avg, min or"
                            + " max (not distinct), or write the first aggregation to a topic and aggregate that in a"
                            + " second query; got " + call);
        }
        return switch (kind) {
            case COUNT -> args.isEmpty() ? new Count(-1) : new Count(args.get(0));
            case SUM, SUM0 ->
                new RetractableSum(
                        args.get(0), input == ColumnType.DOUBLE, kind == org.apache.calcite.sql.SqlKind.SUM0);
            case AVG -> new Avg(args.get(0));
            case MIN, MAX -> new RetractableExtreme(args.get(0), input, kind == org.apache.calcite.sql.SqlKind.MAX);
            default -> throw new IllegalStateException("no retracting accumulator for " + call);
        };
    }

    private static BrookException unsupported(AggregateCall call) {
        return new BrookException(
                ErrorCode.UNSUPPORTED_OPERATION,
                "aggregate " + call + " is not supported yet; supported: count, count distinct (batch), sum, avg, min,"
                        + " max, first, last, approx_count_distinct, collect_list, collect_set");
    }

    static int capacity(int current, int needed) {
        return Math.max(needed, Math.max(16, current * 2));
    }

    /** COUNT(*) (column -1) or COUNT(column): the rows, or the rows where the column is not null. */
    static final class Count implements Accumulator {
        private final int column;
        private long[] counts = new long[16];

        Count(int column) {
            this.column = column;
        }

        @Override
        public void ensureGroups(int groupCount) {
            if (groupCount > counts.length) {
                counts = Arrays.copyOf(counts, capacity(counts.length, groupCount));
            }
        }

        @Override
        public void add(Batch batch, int[] groupIds, int groupCount) {
            ensureGroups(groupCount);
            if (column < 0) {
                for (int row = 0; row < batch.rowCount(); row++) {
                    counts[groupIds[row]]++;
                }
                return;
            }
            Column values = batch.column(column);
            for (int row = 0; row < batch.rowCount(); row++) {
                if (!values.isNull(batch.position(row))) {
                    counts[groupIds[row]]++;
                }
            }
        }

        @Override
        public void retract(Batch batch, int[] groupIds, int groupCount) {
            ensureGroups(groupCount);
            Column values = column < 0 ? null : batch.column(column);
            for (int row = 0; row < batch.rowCount(); row++) {
                if (values == null || !values.isNull(batch.position(row))) {
                    counts[groupIds[row]]--;
                }
            }
        }

        /** The count of a group, which an aggregation over an updating result reads to know when it is empty. */
        long count(int group) {
            return counts[group];
        }

        @Override
        public int mergeState(int group, byte[] state, int offset) {
            counts[group] += KeyCodec.getLong(state, offset);
            return offset + 8;
        }

        @Override
        public void writeState(int group, StateWriter out) {
            out.writeLong(counts[group]);
        }

        @Override
        public void appendResult(int group, ColumnBuilder out) {
            out.appendLong(counts[group]);
        }
    }

    /** COUNT(DISTINCT column) in a streaming query: each group's distinct values kept in state, then counted. */
    static final class StreamingCountDistinct implements Accumulator {
        private final Collect values;

        StreamingCountDistinct(Collect values) {
            this.values = values;
        }

        @Override
        public void add(Batch batch, int[] groupIds, int groupCount) {
            values.add(batch, groupIds, groupCount);
        }

        @Override
        public void ensureGroups(int groupCount) {
            values.ensureGroups(groupCount);
        }

        @Override
        public int mergeState(int group, byte[] state, int offset) {
            return values.mergeState(group, state, offset);
        }

        @Override
        public void writeState(int group, StateWriter out) {
            values.writeState(group, out);
        }

        @Override
        public void appendResult(int group, ColumnBuilder out) {
            out.appendLong(values.size(group));
        }
    }

    /** COUNT(DISTINCT column), for bounded queries: each distinct (group, value) pair is counted once. */
    static final class CountDistinct implements Accumulator {
        private final int column;
        private final KeyCodec pairCodec;
        private final GroupHash pairs;
        private final Count counts = new Count(-1);
        private byte[] scratch = new byte[64];

        CountDistinct(int column, ColumnType type) {
            this.column = column;
            this.pairCodec = new KeyCodec(List.of(type));
            this.pairs = new GroupHash(new KeyCodec(List.of()));
        }

        @Override
        public void ensureGroups(int groupCount) {
            counts.ensureGroups(groupCount);
        }

        @Override
        public void add(Batch batch, int[] groupIds, int groupCount) {
            ensureGroups(groupCount);
            Column[] values = {batch.column(column)};
            for (int row = 0; row < batch.rowCount(); row++) {
                int position = batch.position(row);
                if (values[0].isNull(position)) {
                    continue;
                }
                pairCodec.encode(values, position);
                int length = 4 + pairCodec.length();
                if (scratch.length < length) {
                    scratch = new byte[length * 2];
                }
                int group = groupIds[row];
                scratch[0] = (byte) (group >>> 24);
                scratch[1] = (byte) (group >>> 16);
                scratch[2] = (byte) (group >>> 8);
                scratch[3] = (byte) group;
                System.arraycopy(pairCodec.bytes(), 0, scratch, 4, pairCodec.length());
                int before = pairs.groupCount();
                pairs.findOrAdd(scratch, 0, length);
                if (pairs.groupCount() > before) {
                    counts.counts[group]++;
                }
            }
        }

        @Override
        public int mergeState(int group, byte[] state, int offset) {
            throw new IllegalStateException("COUNT(DISTINCT) keeps no streaming state");
        }

        @Override
        public void writeState(int group, StateWriter out) {
            throw new IllegalStateException("COUNT(DISTINCT) keeps no streaming state");
        }

        @Override
        public void appendResult(int group, ColumnBuilder out) {
            counts.appendResult(group, out);
        }
    }

    /** SUM over integers (a BIGINT) or doubles; null for a group with no non-null value, unless SUM0. */
    static final class Sum implements Accumulator {
        private final int column;
        private final boolean floating;
        private final boolean zeroWhenEmpty;
        private long[] longs = new long[16];
        private double[] doubles = new double[16];
        private boolean[] seen = new boolean[16];

        Sum(int column, boolean floating, boolean zeroWhenEmpty) {
            this.column = column;
            this.floating = floating;
            this.zeroWhenEmpty = zeroWhenEmpty;
        }

        @Override
        public void ensureGroups(int groupCount) {
            if (groupCount > seen.length) {
                int capacity = capacity(seen.length, groupCount);
                longs = Arrays.copyOf(longs, capacity);
                doubles = Arrays.copyOf(doubles, capacity);
                seen = Arrays.copyOf(seen, capacity);
            }
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
                int group = groupIds[row];
                if (floating) {
                    doubles[group] += ColumnTypes.doubleAt(values, position);
                } else {
                    longs[group] += ColumnTypes.longAt(values, position);
                }
                seen[group] = true;
            }
        }

        @Override
        public int mergeState(int group, byte[] state, int offset) {
            if (state[offset] == 1) {
                if (floating) {
                    doubles[group] += Double.longBitsToDouble(KeyCodec.getLong(state, offset + 1));
                } else {
                    longs[group] += KeyCodec.getLong(state, offset + 1);
                }
                seen[group] = true;
            }
            return offset + 9;
        }

        @Override
        public void writeState(int group, StateWriter out) {
            out.writeByte(seen[group] ? 1 : 0);
            out.writeLong(floating ? Double.doubleToRawLongBits(doubles[group]) : longs[group]);
        }

        @Override
        public void appendResult(int group, ColumnBuilder out) {
            if (!seen[group] && !zeroWhenEmpty) {
                out.appendNull();
            } else if (out.type() == ColumnType.DOUBLE) {
                out.appendDouble(floating ? doubles[group] : longs[group]);
            } else {
                out.appendLong(floating ? (long) doubles[group] : longs[group]);
            }
        }
    }

    /** AVG as a DOUBLE: a sum and a count per group. */
    static final class Avg implements Accumulator {
        private final int column;
        private double[] sums = new double[16];
        private long[] counts = new long[16];

        Avg(int column) {
            this.column = column;
        }

        @Override
        public void ensureGroups(int groupCount) {
            if (groupCount > counts.length) {
                int capacity = capacity(counts.length, groupCount);
                sums = Arrays.copyOf(sums, capacity);
                counts = Arrays.copyOf(counts, capacity);
            }
        }

        @Override
        public void add(Batch batch, int[] groupIds, int groupCount) {
            ensureGroups(groupCount);
            Column values = batch.column(column);
            for (int row = 0; row < batch.rowCount(); row++) {
                int position = batch.position(row);
                if (!values.isNull(position)) {
                    sums[groupIds[row]] += ColumnTypes.doubleAt(values, position);
                    counts[groupIds[row]]++;
                }
            }
        }

        @Override
        public void retract(Batch batch, int[] groupIds, int groupCount) {
            ensureGroups(groupCount);
            Column values = batch.column(column);
            for (int row = 0; row < batch.rowCount(); row++) {
                int position = batch.position(row);
                if (!values.isNull(position)) {
                    sums[groupIds[row]] -= ColumnTypes.doubleAt(values, position);
                    counts[groupIds[row]]--;
                }
            }
        }

        @Override
        public int mergeState(int group, byte[] state, int offset) {
            sums[group] += Double.longBitsToDouble(KeyCodec.getLong(state, offset));
            counts[group] += KeyCodec.getLong(state, offset + 8);
            return offset + 16;
        }

        @Override
        public void writeState(int group, StateWriter out) {
            out.writeDouble(sums[group]);
            out.writeLong(counts[group]);
        }

        @Override
        public void appendResult(int group, ColumnBuilder out) {
            if (counts[group] <= 0) {
                out.appendNull();
            } else {
                out.appendDouble(sums[group] / counts[group]);
            }
        }
    }

    /** MIN or MAX of INT, BIGINT, DATE or TIMESTAMP values. */
    static final class LongExtreme implements Accumulator {
        private final int column;
        private final boolean max;
        private long[] values = new long[16];
        private boolean[] seen = new boolean[16];

        LongExtreme(int column, boolean max) {
            this.column = column;
            this.max = max;
        }

        @Override
        public void ensureGroups(int groupCount) {
            if (groupCount > seen.length) {
                int capacity = capacity(seen.length, groupCount);
                values = Arrays.copyOf(values, capacity);
                seen = Arrays.copyOf(seen, capacity);
            }
        }

        private void offer(int group, long value) {
            if (!seen[group] || (max ? value > values[group] : value < values[group])) {
                values[group] = value;
                seen[group] = true;
            }
        }

        @Override
        public void add(Batch batch, int[] groupIds, int groupCount) {
            ensureGroups(groupCount);
            Column input = batch.column(column);
            for (int row = 0; row < batch.rowCount(); row++) {
                int position = batch.position(row);
                if (!input.isNull(position)) {
                    offer(groupIds[row], ColumnTypes.longAt(input, position));
                }
            }
        }

        @Override
        public int mergeState(int group, byte[] state, int offset) {
            if (state[offset] == 1) {
                offer(group, KeyCodec.getLong(state, offset + 1));
            }
            return offset + 9;
        }

        @Override
        public void writeState(int group, StateWriter out) {
            out.writeByte(seen[group] ? 1 : 0);
            out.writeLong(values[group]);
        }

        @Override
        public void appendResult(int group, ColumnBuilder out) {
            if (seen[group]) {
                out.appendLong(values[group]);
            } else {
                out.appendNull();
            }
        }
    }

    /** MIN or MAX of DOUBLE values. */
    static final class DoubleExtreme implements Accumulator {
        private final int column;
        private final boolean max;
        private double[] values = new double[16];
        private boolean[] seen = new boolean[16];

        DoubleExtreme(int column, boolean max) {
            this.column = column;
            this.max = max;
        }

        @Override
        public void ensureGroups(int groupCount) {
            if (groupCount > seen.length) {
                int capacity = capacity(seen.length, groupCount);
                values = Arrays.copyOf(values, capacity);
                seen = Arrays.copyOf(seen, capacity);
            }
        }

        private void offer(int group, double value) {
            if (!seen[group] || (max ? value > values[group] : value < values[group])) {
                values[group] = value;
                seen[group] = true;
            }
        }

        @Override
        public void add(Batch batch, int[] groupIds, int groupCount) {
            ensureGroups(groupCount);
            Column input = batch.column(column);
            for (int row = 0; row < batch.rowCount(); row++) {
                int position = batch.position(row);
                if (!input.isNull(position)) {
                    offer(groupIds[row], ColumnTypes.doubleAt(input, position));
                }
            }
        }

        @Override
        public int mergeState(int group, byte[] state, int offset) {
            if (state[offset] == 1) {
                offer(group, Double.longBitsToDouble(KeyCodec.getLong(state, offset + 1)));
            }
            return offset + 9;
        }

        @Override
        public void writeState(int group, StateWriter out) {
            out.writeByte(seen[group] ? 1 : 0);
            out.writeDouble(values[group]);
        }

        @Override
        public void appendResult(int group, ColumnBuilder out) {
            if (seen[group]) {
                out.appendDouble(values[group]);
            } else {
                out.appendNull();
            }
        }
    }

    /** MIN or MAX of VARCHAR values compared as UTF-8 bytes, or of VARBINARY values compared as unsigned bytes. */
    static final class VarcharExtreme implements Accumulator {
        private final int column;
        private final boolean max;
        private byte[][] values = new byte[16][];

        VarcharExtreme(int column, boolean max) {
            this.column = column;
            this.max = max;
        }

        @Override
        public void ensureGroups(int groupCount) {
            if (groupCount > values.length) {
                values = Arrays.copyOf(values, capacity(values.length, groupCount));
            }
        }

        private void offer(int group, byte[] source, int offset, int length) {
            byte[] current = values[group];
            if (current == null) {
                values[group] = Arrays.copyOfRange(source, offset, offset + length);
                return;
            }
            int comparison = Arrays.compareUnsigned(source, offset, offset + length, current, 0, current.length);
            if (max ? comparison > 0 : comparison < 0) {
                values[group] = Arrays.copyOfRange(source, offset, offset + length);
            }
        }

        @Override
        public void add(Batch batch, int[] groupIds, int groupCount) {
            ensureGroups(groupCount);
            VarcharColumn input = (VarcharColumn) batch.column(column);
            byte[] scratch = new byte[64];
            for (int row = 0; row < batch.rowCount(); row++) {
                int position = batch.position(row);
                if (input.isNull(position)) {
                    continue;
                }
                int length = input.byteLength(position);
                if (scratch.length < length) {
                    scratch = new byte[length * 2];
                }
                input.copyBytes(position, scratch, 0);
                offer(groupIds[row], scratch, 0, length);
            }
        }

        @Override
        public int mergeState(int group, byte[] state, int offset) {
            if (state[offset] == 0) {
                return offset + 1;
            }
            int length = KeyCodec.getInt(state, offset + 1);
            offer(group, state, offset + 5, length);
            return offset + 5 + length;
        }

        @Override
        public void writeState(int group, StateWriter out) {
            byte[] value = values[group];
            if (value == null) {
                out.writeByte(0);
            } else {
                out.writeByte(1);
                out.writeBytes(value, 0, value.length);
            }
        }

        @Override
        public void appendResult(int group, ColumnBuilder out) {
            byte[] value = values[group];
            if (value == null) {
                out.appendNull();
            } else {
                out.appendUtf8(value, 0, value.length);
            }
        }
    }
}
