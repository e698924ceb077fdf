package io.brook.engine.api;

import static java.util.Objects.requireNonNull;

import io.brook.engine.BrookException;
import io.brook.engine.ErrorCode;
import io.brook.engine.batch.Batch;
import io.brook.engine.batch.Column;
import io.brook.engine.batch.ColumnBuilder;
import io.brook.engine.batch.Schema;
import io.brook.engine.connector.MemorySink;
import io.brook.engine.connector.Source;
import io.brook.engine.connector.StaticSource;
import io.brook.engine.plan.PlanContext;
import io.brook.engine.plan.SourceTable;
import io.brook.engine.stream.StreamingQueryListener;
import io.brook.engine.stream.Trigger;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;
import org.apache.calcite.rel.RelNode;

/**
 * A Brook session, the entry point of the Dataset API (Spark's {@code SparkSession}): {@link #read()} for bounded
 * Datasets, {@link #readStream()} for streams, {@link #createDataFrame} from rows, {@link #table} for the tables of
 * memory sinks. Thread-safe. {@link #close} stops the session's streaming queries.
 */
public final class Brook implements AutoCloseable {
    /** The session config key of the state TTL (see {@link #stateTtl}). */
    public static final String STATE_TTL = "brook.state.ttl";

    private final PlanContext context = new PlanContext();
    private final Map<String, String> config;
    private final Map<String, MemorySink> memoryTables = new ConcurrentHashMap<>();
    private final Map<String, RelNode> views = new ConcurrentHashMap<>();
    private final List<StreamingQuery> queries = new CopyOnWriteArrayList<>();
    private final List<StreamingQueryListener> listeners = new CopyOnWriteArrayList<>();
    private final LongSupplier clockMillis;

    private Brook(Map<String, String> config, LongSupplier clockMillis) {
        this.config = Map.copyOf(config);
        this.clockMillis = clockMillis;
    }

    /** A session with default settings. */
    public static Brook local() {
        return builder().getOrCreate();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Settings for a new session, as Spark's {@code SparkSession.builder()}. */
    public static final class Builder {
        private final Map<String, String> config = new LinkedHashMap<>();
        private LongSupplier clockMillis = System::currentTimeMillis;

        public Builder appName(String name) {
            return config("brook.app.name", name);
        }

        public Builder master(String master) {
            return config("brook.master", master);
        }

        public Builder config(String key, String value) {
            config.put(key, value);
            return this;
        }

        /**
         * The clock of the session's streaming queries, in epoch milliseconds: the time a micro-batch is triggered at
         * (which state TTL measures), its progress timestamps and durations. For tests and simulations, which advance
         * a clock of their own; the default is the system clock. Trigger intervals still wait in real time.
         */
        public Builder clock(LongSupplier clockMillis) {
            this.clockMillis = requireNonNull(clockMillis, "clockMillis is null");
            return this;
        }

        public Brook getOrCreate() {
            return new Brook(config, clockMillis);
        }
    }

    public String conf(String key, String defaultValue) {
        return config.getOrDefault(key, defaultValue);
    }

    /** The state store for streaming queries: {@code brook.state.store} = memory (default) or rocksdb. */
    io.brook.engine.state.StateStoreConfig stateStoreConfig() {
        String kind = conf("brook.state.store", "memory").strip().toLowerCase(java.util.Locale.ROOT);
        return switch (kind) {
            case "memory" ->
                io.brook.engine.state.StateStoreConfig.of(io.brook.engine.state.StateStoreConfig.Kind.MEMORY);
            case "rocksdb" ->
                io.brook.engine.state.StateStoreConfig.of(io.brook.engine.state.StateStoreConfig.Kind.ROCKSDB);
            default ->
                throw new BrookException(
                        ErrorCode.INVALID_OPTION, "brook.state.store must be memory or rocksdb; got '" + kind + "'");
        };
    }

    /**
     * How many partitions each stateful operator's state is split into: {@code brook.sql.shuffle.partitions} (or
     * Spark's {@code spark.sql.shuffle.partitions}), by default the number of cores.
     */
    int shufflePartitions() {
        String value = config.getOrDefault(
                "brook.sql.shuffle.partitions",
                config.getOrDefault(
                        "spark.sql.shuffle.partitions",
                        Integer.toString(io.brook.engine.exec.PhysicalPlanner.defaultPartitions())));
        try {
            int partitions = Integer.parseInt(value.strip());
            if (partitions >= 1) {
                return partitions;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new BrookException(
                ErrorCode.INVALID_OPTION,
                "brook.sql.shuffle.partitions must be a whole number >= 1; got '" + value + "'");
    }

    /**
     * How long a streaming query keeps a state entry (a group, a session key, a deduplication key) that no micro-batch
     * has updated: {@code brook.state.ttl}, a duration such as {@code "1 hour"}; empty (keep until the watermark
     * evicts it, or for ever) by default.
     */
    Optional<Duration> stateTtl() {
        String text = conf(STATE_TTL, "").strip();
        if (text.isEmpty()) {
            return Optional.empty();
        }
        Duration ttl;
        try {
            ttl = Trigger.parseInterval(text);
        } catch (BrookException e) {
            throw new BrookException(ErrorCode.INVALID_OPTION, STATE_TTL + ": " + e.getMessage(), e);
        }
        if (ttl.isZero() || ttl.isNegative()) {
            throw new BrookException(
                    ErrorCode.INVALID_OPTION,
                    STATE_TTL + " must be a positive duration such as '1 hour'; got '" + text + "'");
        }
        return Optional.of(ttl);
    }

    /** The clock of streaming queries, in epoch milliseconds ({@link Builder#clock}). */
    LongSupplier clock() {
        return clockMillis;
    }

    PlanContext context() {
        return context;
    }

    /** Registers user-defined functions for SQL text and the Dataset API, as Spark's {@code spark.udf()}. */
    public UdfRegistration udf() {
        return new UdfRegistration(context.functions());
    }

    public DataFrameReader read() {
        return new DataFrameReader(this);
    }

    public DataStreamReader readStream() {
        return new DataStreamReader(this);
    }

    /** A bounded Dataset of these rows, with this schema. */
    public Dataset<Row> createDataFrame(List<Row> rows, Schema schema) {
        Batch batch = toBatch(rows, schema);
        return fromSource(new StaticSource(schema, List.of(batch), "LocalRelation"), false, "local");
    }

    static Batch toBatch(List<Row> rows, Schema schema) {
        ColumnBuilder[] builders = new ColumnBuilder[schema.size()];
        for (int c = 0; c < builders.length; c++) {
            builders[c] = new ColumnBuilder(schema.field(c), rows.size());
        }
        for (Row row : rows) {
            if (row.size() != schema.size()) {
                throw new BrookException(
                        ErrorCode.TYPE_MISMATCH,
                        "row " + row + " has " + row.size() + " values; the schema " + schema.names() + " has "
                                + schema.size());
            }
            for (int c = 0; c < builders.length; c++) {
                try {
                    builders[c].appendObject(Row.toBatchValue(row.get(c)));
                } catch (ClassCastException e) {
                    throw new BrookException(
                            ErrorCode.TYPE_MISMATCH,
                            "value " + row.get(c) + " of column '"
                                    + schema.field(c).name() + "' is not a "
                                    + schema.field(c).type(),
                            e);
                }
            }
        }
        Column[] columns = new Column[builders.length];
        for (int c = 0; c < columns.length; c++) {
            columns[c] = builders[c].build();
        }
        return Batch.of(schema, columns);
    }

    /** The current content of a memory sink's table (the sink's {@code queryName}), as a bounded Dataset. */
    public Dataset<Row> table(String name) {
        MemorySink sink = memoryTables.get(name);
        if (sink == null) {
            throw new BrookException(
                    ErrorCode.UNRESOLVED_COLUMN,
                    "no table '" + name + "'" + io.brook.engine.plan.Names.didYouMean(name, memoryTables.keySet())
                            + "; tables come from memory sinks named with queryName(...)");
        }
        Schema schema = sink.schema();
        if (schema == null) {
            throw new BrookException(
                    ErrorCode.QUERY_FAILED, "table '" + name + "' has no batch yet; call processAllAvailable() first");
        }
        return fromSource(new StaticSource(schema, sink.snapshot(), sink.description()), false, "memory");
    }

    /**
     * Runs a SQL query (SELECT, WITH, UNION ...) over the session's temporary views ({@link
     * Dataset#createOrReplaceTempView}) and memory-sink tables, as Spark's {@code spark.sql}: the result is a Dataset,
     * streaming when it reads a stream. Names are case-sensitive; back-quote names that are keywords.
     */
    public Dataset<Row> sql(String query) {
        return new Dataset<>(this, new io.brook.engine.plan.SqlPlanner(context).plan(query, relations()));
    }

    /** The relations a SQL query can name: temporary views, then memory-sink tables not shadowed by a view. */
    private Map<String, RelNode> relations() {
        Map<String, RelNode> relations = new java.util.TreeMap<>(views);
        for (String name : memoryTables.keySet()) {
            if (!relations.containsKey(name) && memoryTables.get(name).schema() != null) {
                relations.put(name, table(name).logicalPlan());
            }
        }
        return relations;
    }

    void registerView(String name, RelNode plan, boolean replace) {
        if (name.isBlank()) {
            throw new BrookException(ErrorCode.INVALID_OPTION, "a view needs a name");
        }
        if (replace) {
            views.put(name, plan);
        } else if (views.putIfAbsent(name, plan) != null) {
            throw new BrookException(
                    ErrorCode.INVALID_OPTION,
                    "a temporary view named '" + name + "' already exists; use createOrReplaceTempView");
        }
    }

    /** Drops a temporary view; whether there was one. */
    public boolean dropTempView(String name) {
        return views.remove(name) != null;
    }

    /** The names of the session's temporary views, sorted. */
    public java.util.SortedSet<String> tempViews() {
        return new java.util.TreeSet<>(views.keySet());
    }

    void registerMemoryTable(MemorySink sink) {
        memoryTables.put(sink.name(), sink);
    }

    Dataset<Row> fromSource(Source source, boolean streaming, String prefix) {
        return new Dataset<>(this, context.scan(prefix, new SourceTable(source, streaming)));
    }

    /** Runs a bounded plan to its result. */
    List<Batch> runBounded(RelNode plan, String action) {
        if (Dataset.isStreaming(plan)) {
            throw new BrookException(
                    ErrorCode.UNSUPPORTED_IN_STREAMING,
                    action + " is not supported on a streaming Dataset; start it with writeStream()...start()");
        }
        return io.brook.engine.exec.BoundedRunner.run(plan, shufflePartitions());
    }

    /** The session's queries still running. */
    public List<StreamingQuery> activeQueries() {
        List<StreamingQuery> active = new ArrayList<>();
        for (StreamingQuery query : queries) {
            if (query.isActive()) {
                active.add(query);
            }
        }
        return active;
    }

    void started(StreamingQuery query) {
        queries.add(query);
    }

    public void addListener(StreamingQueryListener listener) {
        listeners.add(listener);
    }

    public void removeListener(StreamingQueryListener listener) {
        listeners.remove(listener);
    }

    List<StreamingQueryListener> listeners() {
        return List.copyOf(listeners);
    }

    private static final PrintStream STDOUT =
            new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);

    static PrintStream stdout() {
        return STDOUT;
    }

    /** Stops the session's queries. */
    @Override
    public void close() {
        for (StreamingQuery query : queries) {
            try {
                query.stop();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
