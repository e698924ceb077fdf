package io.brook.engine.exec;

import io.brook.engine.BrookException;
import io.brook.engine.ErrorCode;
import io.brook.engine.batch.ColumnType;
import io.brook.engine.batch.Field;
import io.brook.engine.batch.Schema;
import io.brook.engine.plan.Deduplicate;
import io.brook.engine.plan.EventTimeWatermark;
import io.brook.engine.plan.RelTypes;
import io.brook.engine.plan.SessionAggregate;
import io.brook.engine.plan.WindowAssign;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.AggregateCall;
import org.apache.calcite.rel.core.Filter;
import org.apache.calcite.rel.core.Join;
import org.apache.calcite.rel.core.JoinInfo;
import org.apache.calcite.rel.core.JoinRelType;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rel.core.Sort;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rel.core.Union;
import org.apache.calcite.rel.core.Window;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;

/**
 * Turns a logical plan into a push {@link Pipeline} of physical operators. For a streaming query it first checks what
 * Spark also refuses, with the reason and what to change: sorting or limiting a stream outside complete mode, chains of
 * stateful operators outside append mode, and aggregating in append mode without an event-time key (see
 * StreamingChecks). Each stateful operator gets the watermarks propagated to its input (see {@link EventTime}).
 */
public final class PhysicalPlanner {
    private final boolean streaming;
    private final OutputMode outputMode;
    private final int partitions;
    /** The operator of each stateless subplan created so far, by its text (see create). */
    private final Map<String, Operators.Tee> shared = new HashMap<>();

    private final Map<String, List<Operator>> entries = new java.util.LinkedHashMap<>();
    private final Pipeline.CurrentBatch currentBatch = new Pipeline.CurrentBatch();
    /** The processing time of the micro-batch being pushed (PROCTIME()), in microseconds. */
    private final java.util.function.LongSupplier batchTimeMicros =
            () -> currentBatch.context().batchTimestampMillis() * 1000;
    /** The greatest common divisor of the slides of processing-time windows, 0 without any (see Pipeline). */
    private long processingTimeStepMicros;
    /** Whether a projection computes PROCTIME(). */
    private boolean readsProcessingTime;

    private int statefulOperators;
    private int watermarkOperators;
    /** How many aggregations stand between the operator being created and the sink. */
    private int aggregationsAbove;
    /** In a stream, the Windows that run as a Top-N, and their N. */
    private Map<Window, Long> topN = Map.of();

    private PhysicalPlanner(boolean streaming, OutputMode outputMode, int partitions) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be >= 1, was " + partitions);
        }
        this.streaming = streaming;
        this.outputMode = outputMode;
        this.partitions = partitions;
    }

    /** The default number of state partitions: one per core, as Brook runs on one machine. */
    public static int defaultPartitions() {
        return Runtime.getRuntime().availableProcessors();
    }

    /** The pipeline of a bounded query. */
    public static Pipeline bounded(RelNode plan) {
        return bounded(plan, defaultPartitions());
    }

    /** The pipeline of a bounded query, its aggregations spread over this many partitions. */
    public static Pipeline bounded(RelNode plan, int partitions) {
        return new PhysicalPlanner(false, OutputMode.COMPLETE, partitions).build(plan);
    }

    /** The pipeline of a streaming query in an output mode; refuses what streaming cannot do. */
    public static Pipeline streaming(RelNode plan, OutputMode outputMode) {
        return streaming(plan, outputMode, defaultPartitions());
    }

    /** As {@link #streaming(RelNode, OutputMode)}, with each stateful operator's state in this many partitions. */
    public static Pipeline streaming(RelNode plan, OutputMode outputMode, int partitions) {
        StreamingChecks.check(plan, outputMode);
        return new PhysicalPlanner(true, outputMode, partitions).build(plan);
    }

    /**
     * The columns that identify a row of the result, when it is an aggregation's (its group keys, through projections
     * that keep them), or of a Top-N (its partition keys and row number): an update-mode sink keeps the latest row per
     * such key. Null when rows have no key; empty for a global aggregation, whose result is one row.
     */
    public static int[] resultKeys(RelNode plan) {
        Map<Window, Long> topN = TopN.find(plan);
        int[] keys = resultKeys(plan, topN);
        if (keys == null && !topN.isEmpty()) {
            // A Top-N whose row number is not in the result: its rows are told apart by all their values.
            return java.util.stream.IntStream.range(0, plan.getRowType().getFieldCount())
                    .toArray();
        }
        return keys;
    }

    private static int[] resultKeys(RelNode plan, Map<Window, Long> topN) {
        if (plan instanceof Window window && topN.containsKey(window)) {
            return TopN.keys(window, topN.get(window));
        }
        if (plan instanceof Aggregate aggregate) {
            return java.util.stream.IntStream.range(0, aggregate.getGroupCount())
                    .toArray();
        }
        if (plan instanceof Filter || plan instanceof Sort) {
            return resultKeys(plan.getInput(0), topN);
        }
        if (plan instanceof Project project) {
            int[] inputKeys = resultKeys(project.getInput(), topN);
            if (inputKeys == null) {
                return null;
            }
            int[] keys = new int[inputKeys.length];
            for (int i = 0; i < inputKeys.length; i++) {
                keys[i] = -1;
                for (int j = 0; j < project.getProjects().size() && keys[i] < 0; j++) {
                    if (project.getProjects().get(j) instanceof org.apache.calcite.rex.RexInputRef ref
                            && ref.getIndex() == inputKeys[i]) {
                        keys[i] = j;
                    }
                }
                if (keys[i] < 0) {
                    return null;
                }
            }
            return keys;
        }
        return null;
    }

    /** Refuses what a streaming query cannot do, before anything is started for it. */
    public static void checkStreaming(RelNode plan, OutputMode outputMode) {
        StreamingChecks.check(plan, outputMode);
    }

    /** Spreads a keyed stateful operator over the partitions (one partition when it has no key). */
    private Operator partitioned(
            int[] keys,
            List<ColumnType> keyTypes,
            java.util.function.BiFunction<Integer, Operator, Operator> factory,
            Operator downstream) {
        // Even one partition sits behind an exchange: its PushOrder gates let the stateless operators before it run
        // on every core.
        return new ExchangeOperator(
                keys, keys.length == 0 ? 1 : partitions, factory, currentBatch.progress(), downstream);
    }

    /** Whether a subplan is only filters and projections over table scans: one may stand for all its copies. */
    private static boolean statelessOverScans(RelNode rel) {
        if (rel instanceof TableScan) {
            return true;
        }
        if (!(rel instanceof Filter) && !(rel instanceof Project)) {
            return false;
        }
        return rel.getInputs().stream().allMatch(PhysicalPlanner::statelessOverScans);
    }

    private Pipeline build(RelNode plan) {
        if (streaming) {
            topN = TopN.find(plan);
        }
        Operators.Collector collector = new Operators.Collector();
        create(plan, new PushOrder.Ordered(currentBatch.progress(), collector));
        return new Pipeline(
                entries, collector, statefulOperators, currentBatch, processingTimeStepMicros, readsProcessingTime);
    }

    private void create(RelNode rel, Operator downstream) {
        if ((rel instanceof Filter || rel instanceof Project) && statelessOverScans(rel)) {
            // A self-join reads its table twice (Nexmark q7's bids): the second use of the same filters and
            // projections shares the first one's output rather than parsing and filtering every row again.
            String text = RelOptUtil.toString(rel);
            Operators.Tee tee = shared.get(text);
            if (tee != null) {
                tee.add(downstream);
                return;
            }
            tee = new Operators.Tee(downstream);
            shared.put(text, tee);
            downstream = tee;
        }
        if (rel instanceof TableScan scan) {
            List<String> name = scan.getTable().getQualifiedName();
            entries.computeIfAbsent(name.get(name.size() - 1), k -> new ArrayList<>())
                    .add(downstream);
        } else if (rel instanceof Filter filter) {
            create(
                    filter.getInput(),
                    new Operators.FilterOperator(
                            ExpressionCompiler.compile(filter.getCondition(), batchTimeMicros), downstream));
        } else if (rel instanceof Project project) {
            readsProcessingTime |= project.getProjects().stream().anyMatch(EventTime::isProcessingTime);
            List<Evaluator> expressions = ExpressionCompiler.compileAll(project.getProjects(), batchTimeMicros);
            create(
                    project.getInput(),
                    new Operators.ProjectOperator(
                            expressions,
                            ExpressionCompiler.picks(project.getProjects()),
                            RelTypes.toSchema(project.getRowType()),
                            downstream));
        } else if (rel instanceof Aggregate aggregate) {
            Operator operator = aggregate(aggregate, downstream);
            aggregationsAbove++;
            create(aggregate.getInput(), operator);
            aggregationsAbove--;
        } else if (rel instanceof EventTimeWatermark watermark) {
            if (watermark
                            .getRowType()
                            .getFieldList()
                            .get(watermark.column())
                            .getType()
                            .getSqlTypeName()
                    != org.apache.calcite.sql.type.SqlTypeName.TIMESTAMP) {
                throw new BrookException(
                        ErrorCode.TYPE_MISMATCH,
                        "withWatermark needs a TIMESTAMP column; '"
                                + watermark.getRowType().getFieldNames().get(watermark.column()) + "' is "
                                + watermark
                                        .getRowType()
                                        .getFieldList()
                                        .get(watermark.column())
                                        .getType()
                                + "; convert it with to_timestamp(...) or cast(\"timestamp\")");
            }
            create(
                    watermark.getInput(),
                    new EventTimeOperators.WatermarkOperator(
                            watermarkOperators++, watermark.column(), watermark.delayMicros(), downstream));
        } else if (rel instanceof WindowAssign window) {
            EventTime.TimeColumn time = EventTime.columns(window.getInput()).get(window.timeColumn());
            if (streaming && time != null && EventTime.processingTime(time)) {
                long step = processingTimeStepMicros;
                processingTimeStepMicros = step == 0
                        ? window.slideMicros()
                        : java.math.BigInteger.valueOf(step)
                                .gcd(java.math.BigInteger.valueOf(window.slideMicros()))
                                .longValueExact();
            }
            create(
                    window.getInput(),
                    new EventTimeOperators.WindowAssignOperator(
                            window.timeColumn(),
                            window.sizeMicros(),
                            window.slideMicros(),
                            RelTypes.toSchema(window.getRowType()),
                            downstream));
        } else if (rel instanceof Join join) {
            join(join, downstream);
        } else if (rel instanceof SessionAggregate session) {
            create(session.getInput(), sessionAggregate(session, downstream));
        } else if (rel instanceof Deduplicate deduplicate) {
            create(deduplicate.getInput(), deduplicate(deduplicate, downstream));
        } else if (rel instanceof Window window && topN.containsKey(window)) {
            create(window.getInput(), topN(window, topN.get(window), downstream));
        } else if (rel instanceof Window window) {
            create(window.getInput(), over(window, downstream));
        } else if (rel instanceof Union union) {
            if (!union.all) {
                throw new BrookException(
                        ErrorCode.UNSUPPORTED_OPERATION,
                        "UNION without ALL is not supported; use union(...).distinct()");
            }
            Operator merge = new Operators.UnionOperator(
                    union.getInputs().size(), RelTypes.toSchema(union.getRowType()), downstream);
            for (RelNode input : union.getInputs()) {
                create(input, merge);
            }
        } else if (rel instanceof Sort sort) {
            throwIfArrayKey(
                    RelTypes.toSchema(sort.getRowType()),
                    sort.getCollation().getFieldCollations().stream()
                            .mapToInt(collation -> collation.getFieldIndex())
                            .toArray(),
                    "sort by");
            long offset = sort.offset == null ? 0 : RexLiteral.intValue(sort.offset);
            long fetch = sort.fetch == null ? -1 : RexLiteral.intValue(sort.fetch);
            create(
                    sort.getInput(),
                    new SortOperator(
                            sort.getCollation().getFieldCollations(),
                            offset,
                            fetch,
                            RelTypes.toSchema(sort.getRowType()),
                            downstream));
        } else {
            throw new BrookException(
                    ErrorCode.UNSUPPORTED_OPERATION, "Brook cannot run " + rel.getRelTypeName() + " yet: " + rel);
        }
    }

    private Operator aggregate(Aggregate aggregate, Operator downstream) {
        if (aggregate.getGroupSets().size() != 1) {
            throw new BrookException(
                    ErrorCode.UNSUPPORTED_OPERATION, "grouping sets, CUBE and ROLLUP are not supported yet");
        }
        int[] keys = aggregate.getGroupSet().toArray();
        Schema input = RelTypes.toSchema(aggregate.getInput().getRowType());
        throwIfArrayKey(input, keys, "group by");
        List<ColumnType> keyTypes = new ArrayList<>();
        for (int key : keys) {
            keyTypes.add(input.field(key).type());
        }
        List<AggregateCall> calls = aggregate.getAggCallList();
        boolean retractingInput = retractingInput(aggregate, streaming, outputMode);
        // Rows that feed another aggregation change (StreamingChecks refuses other stateful operators over them).
        boolean emitsRetractions = streaming && outputMode != OutputMode.APPEND && aggregationsAbove > 0;
        // Create once now so that an unsupported call fails at planning time, not in the first batch.
        for (AggregateCall call : calls) {
            Accumulators.create(call, aggregate.getInput().getRowType(), streaming, retractingInput);
        }
        int operatorId = statefulOperators++;
        Map<Integer, EventTime.TimeColumn> times = EventTime.columns(aggregate.getInput());
        int finalityKey = EventTime.finalityKey(times, keys);
        EventTime.TimeColumn finalityColumn = finalityKey < 0 ? null : times.get(keys[finalityKey]);
        Schema schema = RelTypes.toSchema(aggregate.getRowType());
        java.util.function.Supplier<Accumulator[]> accumulators = () -> {
            // Over an updating result, a hidden count of each group's rows tells when all were taken back.
            Accumulator[] created = new Accumulator[calls.size() + (retractingInput ? 1 : 0)];
            for (int i = 0; i < calls.size(); i++) {
                created[i] = Accumulators.create(
                        calls.get(i), aggregate.getInput().getRowType(), streaming, retractingInput);
            }
            if (retractingInput) {
                created[calls.size()] = new Accumulators.Count(-1);
            }
            return created;
        };
        return partitioned(
                keys,
                keyTypes,
                (partition, output) -> new AggregateOperator(
                        operatorId,
                        partition,
                        keys,
                        keyTypes,
                        finalityKey,
                        finalityColumn,
                        accumulators,
                        schema,
                        output,
                        currentBatch,
                        retractingInput,
                        emitsRetractions),
                downstream);
    }

    /**
     * Whether an aggregation reads an updating result: in a stream outside append mode, another aggregation's rows,
     * which change from micro-batch to micro-batch (its changelog of retractions and new rows).
     */
    private static boolean retractingInput(Aggregate aggregate, boolean streaming, OutputMode outputMode) {
        return streaming
                && outputMode != OutputMode.APPEND
                && BoundedRunner.streaming(aggregate.getInput())
                && StreamingChecks.countAggregations(aggregate.getInput()) > 0;
    }

    /**
     * A hash join: the side that is pushed through the pipeline probes; the other side, which must be bounded, is read
     * whole and hashed. A stream joins a static Dataset (inner, or outer on the stream's side, as Spark allows);
     * two streams cannot be joined yet.
     */
    private void join(Join join, Operator downstream) {
        RelNode left = join.getLeft();
        RelNode right = join.getRight();
        boolean leftStreaming = BoundedRunner.streaming(left);
        boolean rightStreaming = BoundedRunner.streaming(right);
        if (leftStreaming && rightStreaming) {
            streamJoin(join, downstream);
            return;
        }
        JoinRelType type = join.getJoinType();
        boolean buildIsLeft = rightStreaming || (!leftStreaming && type == JoinRelType.RIGHT);
        boolean outer;
        if (type == JoinRelType.INNER) {
            outer = false;
        } else if ((type == JoinRelType.LEFT && !buildIsLeft) || (type == JoinRelType.RIGHT && buildIsLeft)) {
            outer = true;
        } else {
            String side = leftStreaming ? "left" : "right";
            throw new BrookException(
                    streaming ? ErrorCode.UNSUPPORTED_IN_STREAMING : ErrorCode.UNSUPPORTED_OPERATION,
                    type.lowerName + " join is not supported "
                            + (streaming
                                    ? "between a stream and a static Dataset (as in Spark); with the stream on the "
                                            + side + ", use inner or " + side + " outer"
                                    : "yet; use inner, left or right"));
        }
        JoinInfo info = join.analyzeCondition();
        if (info.leftKeys.isEmpty()) {
            throw new BrookException(
                    ErrorCode.UNSUPPORTED_OPERATION,
                    "a join needs at least one equality between a column of each side; got " + join.getCondition());
        }
        Schema leftSchema = RelTypes.toSchema(left.getRowType());
        Schema rightSchema = RelTypes.toSchema(right.getRowType());
        List<ColumnType> keyTypes = joinKeyTypes(info, leftSchema, rightSchema);
        RexNode remaining = info.getRemaining(join.getCluster().getRexBuilder());
        Evaluator condition = remaining.isAlwaysTrue() ? null : ExpressionCompiler.compile(remaining, batchTimeMicros);
        RelNode probe = buildIsLeft ? right : left;
        RelNode build = buildIsLeft ? left : right;
        int[] probeKeys = (buildIsLeft ? info.rightKeys : info.leftKeys).toIntArray();
        int[] buildKeys = (buildIsLeft ? info.leftKeys : info.rightKeys).toIntArray();
        Operator operator = new HashJoinOperator(
                probeKeys,
                buildKeys,
                new KeyCodec(keyTypes),
                outer,
                buildIsLeft,
                condition,
                buildIsLeft ? leftSchema : rightSchema,
                RelTypes.toSchema(join.getRowType()),
                () -> BoundedRunner.run(build),
                downstream);
        create(probe, operator);
    }

    /** An inner join of two streams, both sides buffered in state (see StreamJoinOperator). */
    private void streamJoin(Join join, Operator downstream) {
        if (join.getJoinType() != JoinRelType.INNER) {
            throw new BrookException(
                    ErrorCode.UNSUPPORTED_IN_STREAMING,
                    join.getJoinType().lowerName + " join of two streams is not supported yet; use an inner join");
        }
        JoinInfo info = join.analyzeCondition();
        if (info.leftKeys.isEmpty()) {
            throw new BrookException(
                    ErrorCode.UNSUPPORTED_IN_STREAMING,
                    "a join of two streams needs at least one equality between a column of each side; got "
                            + join.getCondition());
        }
        Schema leftSchema = RelTypes.toSchema(join.getLeft().getRowType());
        Schema rightSchema = RelTypes.toSchema(join.getRight().getRowType());
        List<ColumnType> keyTypes = joinKeyTypes(info, leftSchema, rightSchema);
        EventTime.JoinTime time = EventTime.joinTime(join);
        RexNode remaining = info.getRemaining(join.getCluster().getRexBuilder());
        int leftStateId = statefulOperators++;
        int rightStateId = statefulOperators++;
        Evaluator condition = remaining.isAlwaysTrue() ? null : ExpressionCompiler.compile(remaining, batchTimeMicros);
        JoinExchange exchange = new JoinExchange(
                info.leftKeys.toIntArray(),
                info.rightKeys.toIntArray(),
                partitions,
                (partition, output) -> new StreamJoinOperator(
                        leftStateId,
                        rightStateId,
                        partition,
                        info.leftKeys.toIntArray(),
                        info.rightKeys.toIntArray(),
                        new KeyCodec(keyTypes),
                        leftSchema,
                        rightSchema,
                        RelTypes.toSchema(join.getRowType()),
                        condition,
                        time.leftBase(),
                        time.rightBase(),
                        time.bounds(),
                        time.left(),
                        time.right(),
                        output,
                        currentBatch),
                currentBatch.progress(),
                downstream);
        create(join.getLeft(), exchange.side(true));
        create(join.getRight(), exchange.side(false));
    }

    /** The types of a join's key pairs, which must match: the build side is hashed with the probe side's encoding. */
    private static List<ColumnType> joinKeyTypes(JoinInfo info, Schema leftSchema, Schema rightSchema) {
        throwIfArrayKey(leftSchema, info.leftKeys.toIntArray(), "join on");
        throwIfArrayKey(rightSchema, info.rightKeys.toIntArray(), "join on");
        List<ColumnType> keyTypes = new ArrayList<>();
        for (int i = 0; i < info.leftKeys.size(); i++) {
            ColumnType leftType = leftSchema.field(info.leftKeys.get(i)).type();
            ColumnType rightType = rightSchema.field(info.rightKeys.get(i)).type();
            if (leftType != rightType) {
                throw new BrookException(
                        ErrorCode.TYPE_MISMATCH,
                        "join keys '" + leftSchema.field(info.leftKeys.get(i)).name() + "' (" + leftType + ") and '"
                                + rightSchema.field(info.rightKeys.get(i)).name() + "' (" + rightType
                                + ") differ in type; cast one to the other's");
            }
            keyTypes.add(leftType);
        }
        return keyTypes;
    }

    /**
     * Arrays have no equality or order in Brook yet, so no array column can be a key: refused here, before anything
     * runs, naming the column.
     */
    private static void throwIfArrayKey(Schema input, int[] keys, String use) {
        for (int key : keys) {
            Field field = input.field(key);
            if (field.type() == ColumnType.STRUCT) {
                throw new BrookException(
                        ErrorCode.UNSUPPORTED_OPERATION,
                        "cannot " + use + " struct column '" + field.name() + "' (" + field.typeName()
                                + "): Brook cannot compare structs yet; use its fields instead, such as"
                                + " col(\"" + field.name() + "\").getField(\""
                                + field.children().get(0).name()
                                + "\")");
            }
            if (field.type() == ColumnType.ARRAY) {
                throw new BrookException(
                        ErrorCode.UNSUPPORTED_OPERATION,
                        "cannot " + use + " array column '" + field.name() + "' (" + field.typeName()
                                + "): Brook cannot compare arrays yet; use a scalar made from it instead, such as"
                                + " to_json(struct(col(\"" + field.name() + "\"))), size(...) or element_at(...)");
            }
        }
    }

    private Operator sessionAggregate(SessionAggregate session, Operator downstream) {
        Schema input = RelTypes.toSchema(session.getInput().getRowType());
        int[] keys = session.keys().stream().mapToInt(Integer::intValue).toArray();
        throwIfArrayKey(input, keys, "group by");
        List<ColumnType> keyTypes = new ArrayList<>();
        for (int key : keys) {
            keyTypes.add(input.field(key).type());
        }
        List<AggregateCall> calls = session.calls();
        RelDataType inputType = session.getInput().getRowType();
        for (AggregateCall call : calls) {
            Accumulators.create(call, inputType, streaming);
        }
        int operatorId = statefulOperators++;
        EventTime.TimeColumn timeColumn = EventTime.columns(session.getInput()).get(session.timeColumn());
        Schema output = RelTypes.toSchema(session.getRowType());
        java.util.function.Supplier<Accumulator[]> accumulators = () -> {
            Accumulator[] created = new Accumulator[calls.size()];
            for (int i = 0; i < created.length; i++) {
                created[i] = Accumulators.create(calls.get(i), inputType, streaming);
            }
            return created;
        };
        return partitioned(
                keys,
                keyTypes,
                (partition, out) -> new SessionAggregateOperator(
                        operatorId,
                        partition,
                        keys,
                        keyTypes,
                        session.timeColumn(),
                        session.gapMicros(),
                        timeColumn,
                        accumulators,
                        input,
                        output,
                        out,
                        currentBatch),
                downstream);
    }

    /**
     * OVER aggregations: one operator per window group (its calls share partitioning, order and frame), chained in the
     * Window's order, each partitioned by its PARTITION BY keys. In a stream each orders by the event-time column
     * (StreamingChecks has checked that) and gets its watermarks; a group's output carries that column on with the
     * watermarks of emitted rows, as an event-time aggregation's does.
     */
    private Operator over(Window window, Operator downstream) {
        List<OverSpec> specs = OverSpec.of(window);
        int first = statefulOperators;
        statefulOperators += specs.size();
        boolean stream = streaming && BoundedRunner.streaming(window);
        int timeColumn = stream ? specs.get(0).order().get(0).getFieldIndex() : -1;
        EventTime.TimeColumn[] times = new EventTime.TimeColumn[specs.size()];
        if (stream) {
            EventTime.TimeColumn time = EventTime.columns(window.getInput()).get(timeColumn);
            if (time == null) {
                throw new IllegalStateException("OVER column " + timeColumn + " has no event time: " + window);
            }
            for (int i = 0; i < times.length; i++) {
                times[i] = time;
                time = EventTime.emitted(time);
            }
        }
        Operator next = downstream;
        for (int i = specs.size() - 1; i >= 0; i--) {
            OverSpec spec = specs.get(i);
            int[] keys = spec.partitionKeys();
            throwIfArrayKey(spec.input(), keys, "partition by");
            List<ColumnType> keyTypes = new ArrayList<>();
            for (int key : keys) {
                keyTypes.add(spec.input().field(key).type());
            }
            int operatorId = first + i;
            EventTime.TimeColumn time = times[i];
            next = partitioned(
                    keys,
                    keyTypes,
                    (partition, output) ->
                            new OverAggregateOperator(operatorId, partition, spec, timeColumn, time, output),
                    next);
        }
        return next;
    }

    /** A streaming Top-N (ROW_NUMBER ... WHERE rn <= N), partitioned by its PARTITION BY keys. */
    private Operator topN(Window window, long limit, Operator downstream) {
        OverSpec spec = OverSpec.of(window).get(0);
        int[] keys = spec.partitionKeys();
        throwIfArrayKey(spec.input(), keys, "partition by");
        List<ColumnType> keyTypes = new ArrayList<>();
        for (int key : keys) {
            keyTypes.add(spec.input().field(key).type());
        }
        int operatorId = statefulOperators++;
        return partitioned(
                keys,
                keyTypes,
                (partition, output) -> new TopNOperator(operatorId, partition, spec, limit, output),
                downstream);
    }

    private Operator deduplicate(Deduplicate deduplicate, Operator downstream) {
        Schema input = RelTypes.toSchema(deduplicate.getInput().getRowType());
        int[] keys = deduplicate.keys().stream().mapToInt(Integer::intValue).toArray();
        throwIfArrayKey(input, keys, "drop duplicates by");
        List<ColumnType> keyTypes = new ArrayList<>();
        for (int key : keys) {
            keyTypes.add(input.field(key).type());
        }
        Map<Integer, EventTime.TimeColumn> eventTime = EventTime.columns(deduplicate.getInput());
        int finalityKey = -1;
        for (int i = 0; i < keys.length; i++) {
            EventTime.TimeColumn column = eventTime.get(keys[i]);
            if (column != null && (column.kind() != EventTime.Kind.WINDOW_START || finalityKey < 0)) {
                finalityKey = i;
            }
        }
        int operatorId = statefulOperators++;
        int finality = finalityKey;
        EventTime.TimeColumn finalityColumn = finality < 0 ? null : eventTime.get(keys[finality]);
        return partitioned(
                keys,
                keyTypes,
                (partition, output) -> new DeduplicateOperator(
                        operatorId,
                        partition,
                        keys,
                        new KeyCodec(keyTypes),
                        finality,
                        finalityColumn,
                        output,
                        currentBatch),
                downstream);
    }

    /**
     * What the state of a plan's stateful operators depends on, one line per operator in operator-id order: the kind,
     * the key types, and the aggregate functions with their types. A checkpoint remembers it, so a changed query is
     * refused instead of misreading old state.
     */
    public static List<String> stateSignature(RelNode plan) {
        return stateSignature(plan, OutputMode.APPEND);
    }

    /** As {@link #stateSignature(RelNode)}, for a query in this output mode. */
    public static List<String> stateSignature(RelNode plan, OutputMode outputMode) {
        List<String> lines = new ArrayList<>();
        signature(plan, outputMode, TopN.find(plan), lines);
        return lines;
    }

    private static void signature(RelNode rel, OutputMode outputMode, Map<Window, Long> topN, List<String> lines) {
        // Children first: operator ids are given in the order create() meets stateful nodes, top-down; keep it stable
        // by listing top-down too.
        if (rel instanceof Aggregate aggregate) {
            Schema input = RelTypes.toSchema(aggregate.getInput().getRowType());
            List<String> keys = new ArrayList<>();
            for (int key : aggregate.getGroupSet().toArray()) {
                keys.add(input.field(key).type().name());
            }
            List<String> calls = new ArrayList<>();
            for (AggregateCall call : aggregate.getAggCallList()) {
                calls.add(call.getAggregation().getName() + (call.isDistinct() ? " DISTINCT " : " ") + call.getType());
            }
            // Over an updating result the state layout differs (retractable values, a row count).
            lines.add("aggregate keys=" + keys + " calls=" + calls
                    + (retractingInput(aggregate, true, outputMode) ? " over updating input" : ""));
        } else if (rel instanceof SessionAggregate session) {
            Schema input = RelTypes.toSchema(session.getInput().getRowType());
            List<String> keys = new ArrayList<>();
            for (int key : session.keys()) {
                keys.add(input.field(key).type().name());
            }
            List<String> calls = new ArrayList<>();
            for (AggregateCall call : session.calls()) {
                calls.add(call.getAggregation().getName() + " " + call.getType());
            }
            lines.add("session keys=" + keys + " gapMicros=" + session.gapMicros() + " calls=" + calls);
        } else if (rel instanceof Join join
                && BoundedRunner.streaming(join.getLeft())
                && BoundedRunner.streaming(join.getRight())) {
            JoinInfo info = join.analyzeCondition();
            Schema left = RelTypes.toSchema(join.getLeft().getRowType());
            Schema right = RelTypes.toSchema(join.getRight().getRowType());
            // "by key": the state is split over the partitions by the join key (before, all of it was in partition 0).
            lines.add("join left="
                    + left.fields().stream().map(f -> f.type().name()).toList() + " keys=" + info.leftKeys
                    + " state=by key");
            lines.add("join right="
                    + right.fields().stream().map(f -> f.type().name()).toList() + " keys=" + info.rightKeys);
        } else if (rel instanceof Deduplicate deduplicate) {
            Schema input = RelTypes.toSchema(deduplicate.getInput().getRowType());
            List<String> keys = new ArrayList<>();
            for (int key : deduplicate.keys()) {
                keys.add(input.field(key).type().name());
            }
            lines.add("deduplicate keys=" + keys);
        } else if (rel instanceof Window window && topN.containsKey(window)) {
            OverSpec spec = OverSpec.of(window).get(0);
            List<String> keys = new ArrayList<>();
            for (int key : spec.partitionKeys()) {
                keys.add(spec.input().field(key).type().name());
            }
            lines.add("top-n keys=" + keys + " order=" + spec.order() + " n=" + topN.get(window) + " rows="
                    + spec.input().fields().stream().map(f -> f.type().name()).toList());
        } else if (rel instanceof Window window) {
            for (OverSpec spec : OverSpec.of(window)) {
                List<String> keys = new ArrayList<>();
                for (int key : spec.partitionKeys()) {
                    keys.add(spec.input().field(key).type().name());
                }
                List<String> calls = new ArrayList<>();
                for (int i = 0; i < spec.calls().size(); i++) {
                    calls.add(spec.calls().get(i).name() + " "
                            + spec.output().field(spec.input().size() + i).type());
                }
                lines.add("over keys=" + keys + " order=" + spec.order() + " frame=" + spec.frameText() + " calls="
                        + calls + " rows="
                        + spec.input().fields().stream()
                                .map(f -> f.type().name())
                                .toList());
            }
        }
        for (RelNode input : rel.getInputs()) {
            signature(input, outputMode, topN, lines);
        }
    }
}
