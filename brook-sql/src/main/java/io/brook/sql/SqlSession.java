package io.brook.sql;

import static io.brook.engine.api.functions.col;

import io.brook.engine.BrookException;
import io.brook.engine.ErrorCode;
import io.brook.engine.api.Brook;
import io.brook.engine.api.Column;
import io.brook.engine.api.DataStreamWriter;
import io.brook.engine.api.Dataset;
import io.brook.engine.api.Row;
import io.brook.engine.api.StreamingQuery;
import io.brook.engine.api.functions;
import io.brook.engine.batch.Field;
import io.brook.engine.batch.Schema;
import io.brook.engine.exec.OutputMode;
import io.brook.engine.exec.PhysicalPlanner;
import io.brook.engine.exec.UserFunction;
import io.brook.engine.plan.Names;
import io.brook.engine.plan.SqlPlanner;
import io.brook.engine.plan.UserFunctions;
import io.brook.engine.stream.Trigger;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlIntervalLiteral;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParserUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs SQL scripts against an engine session: CREATE SOURCE, SINK, TABLE and VIEW fill a catalog, CREATE FUNCTION
 * registers a user-defined function (a class on the classpath or in a jar: USING JAR); INSERT INTO starts a
 * continuous query with its own checkpoint; SELECT returns rows (a table) or starts a live query (a stream); SHOW,
 * DESCRIBE, EXPLAIN, STOP QUERY, SET and RESET do what they say. Every error names the script's line and column.
 *
 * <p>Settings ({@code SET 'key' = 'value'}): {@code execution.runtime-mode} ({@code streaming}, or {@code batch} to read
 * every source bounded, as Flink does), {@code checkpoint.dir} (the directory under which each INSERT keeps its
 * checkpoint, in a folder named after its sink), {@code trigger} ({@code available-now}, {@code once}, or an interval
 * such as {@code 1 second}) and {@code output-mode} ({@code append}, {@code update} or {@code complete}; by default
 * append when every row is final, else update).
 */
public final class SqlSession implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(SqlSession.class);
    public static final String RUNTIME_MODE = "execution.runtime-mode";
    public static final String CHECKPOINT_DIR = "checkpoint.dir";
    public static final String TRIGGER = "trigger";
    public static final String OUTPUT_MODE = "output-mode";
    private static final List<String> SETTINGS = List.of(RUNTIME_MODE, CHECKPOINT_DIR, TRIGGER, OUTPUT_MODE);

    private final Brook brook;
    private final Map<String, Entry> catalog = new LinkedHashMap<>();
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(:-([^}]*))?}");

    private final Map<String, String> settings = new TreeMap<>();
    private final Map<String, String> variables = new TreeMap<>();
    /**
     * Written by the session's thread only; {@link #queries()} copies it on other threads (a server's dashboard), so
     * the writes and those copies synchronize on it.
     */
    private final Map<String, RunningQuery> queries = Collections.synchronizedMap(new LinkedHashMap<>());

    private final Map<UUID, LiveResult> liveResults = new ConcurrentHashMap<>();
    private final List<URLClassLoader> functionLoaders = new ArrayList<>();
    private Path temporaryCheckpoints;
    private int liveRows;

    /** What CREATE made: a readable relation (its Dataset), a sink (its definition), or both (a Flink Kafka table). */
    private record Entry(
            String name,
            String kind,
            Command.CreateRelation definition,
            Command.CreateView view,
            SqlScript.Statement statement,
            Dataset<Row> dataset,
            boolean writable) {}

    /** A continuous query this session started. */
    public record RunningQuery(String name, String sink, String sql, StreamingQuery query) {}

    public SqlSession(Brook brook) {
        this.brook = brook;
    }

    public Brook brook() {
        return brook;
    }

    /**
     * Defines a variable for {@code ${NAME}} in option values and SET values ({@code ${NAME:-default}} gives a
     * default); variables not defined here are read from the environment.
     */
    public void define(String name, String value) {
        variables.put(name, value);
    }

    /** Replaces {@code ${NAME}} and {@code ${NAME:-default}} in an option or setting value. */
    String substitute(String value) {
        Matcher matcher = VARIABLE.matcher(value);
        StringBuilder result = new StringBuilder();
        while (matcher.find()) {
            String name = matcher.group(1);
            String replacement = variables.containsKey(name) ? variables.get(name) : System.getenv(name);
            if (replacement == null) {
                replacement = matcher.group(3);
            }
            if (replacement == null) {
                throw invalid("variable ${" + name + "} is not defined; define it (brook run --var " + name
                        + "=..., or the environment), or give a default: ${" + name + ":-value}");
            }
            matcher.appendReplacement(result, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(result);
        return result.toString();
    }

    /**
     * Sends the rows of each later SELECT over a stream to a {@link LiveResult} of at most {@code maxRows} rows, found
     * with {@link #liveResult}, instead of printing every micro-batch on the console: for a shell that redraws the
     * result in place.
     */
    public void liveSelectToMemory(int maxRows) {
        if (maxRows < 1) {
            throw new IllegalArgumentException("maxRows must be >= 1, was " + maxRows);
        }
        this.liveRows = maxRows;
    }

    /** The live result of a SELECT over a stream that this session started after {@link #liveSelectToMemory}. */
    public Optional<LiveResult> liveResult(StreamingQuery query) {
        return Optional.ofNullable(liveResults.get(query.runId()));
    }

    /** Runs every statement of a script in order; the first error stops it. */
    public List<SqlResult> execute(String text) {
        SqlScript script = SqlScript.of(text);
        List<SqlResult> results = new ArrayList<>();
        for (SqlScript.Statement statement : script.statements()) {
            results.add(execute(statement));
        }
        return results;
    }

    /** Runs one statement of a script. */
    public SqlResult execute(SqlScript.Statement statement) {
        SqlScript script = statement.script();
        try {
            return run(statement, CommandParser.parse(statement));
        } catch (SqlScriptException e) {
            throw script.error(e);
        } catch (BrookException e) {
            throw script.relocate(e, statement);
        }
    }

    /** Every continuous query this session started, running or not, in the order they started. */
    public List<RunningQuery> queries() {
        synchronized (queries) {
            return List.copyOf(queries.values());
        }
    }

    /** The continuous queries this session started that are still running. */
    public List<RunningQuery> activeQueries() {
        return queries().stream().filter(q -> q.query().isActive()).toList();
    }

    /** Waits until every active query has processed all the data available now (tests and scripts with bounds). */
    public void processAllAvailable() throws InterruptedException {
        for (RunningQuery query : activeQueries()) {
            query.query().processAllAvailable();
        }
    }

    private SqlResult run(SqlScript.Statement statement, Command command) {
        if (command instanceof Command.CreateRelation create) {
            return createRelation(statement, create);
        } else if (command instanceof Command.CreateView view) {
            return createView(statement, view);
        } else if (command instanceof Command.CreateFunction function) {
            return createFunction(function);
        } else if (command instanceof Command.DropFunction drop) {
            return dropFunction(drop);
        } else if (command instanceof Command.Drop drop) {
            return drop(drop);
        } else if (command instanceof Command.Insert insert) {
            return insert(statement, insert);
        } else if (command instanceof Command.Query query) {
            return select(statement, query);
        } else if (command instanceof Command.Show show) {
            return show(show.what());
        } else if (command instanceof Command.Describe describe) {
            return describe(describe);
        } else if (command instanceof Command.Explain explain) {
            return explain(statement, explain.explained());
        } else if (command instanceof Command.StopQuery stop) {
            return stop(stop);
        } else if (command instanceof Command.Set set) {
            return set(set);
        } else if (command instanceof Command.Reset reset) {
            return reset(reset);
        }
        throw new IllegalStateException("unknown command " + command);
    }

    // CREATE

    private SqlResult createRelation(SqlScript.Statement statement, Command.CreateRelation written) {
        Map<String, String> options = new LinkedHashMap<>();
        written.options().forEach((key, value) -> options.put(key, substitute(value)));
        Command.CreateRelation create = new Command.CreateRelation(
                written.role(),
                written.name(),
                written.orReplace(),
                written.ifNotExists(),
                written.columns(),
                written.watermark(),
                written.primaryKey(),
                written.partitionKeys(),
                options,
                written.flinkForm(),
                written.at());
        if (catalog.containsKey(create.name()) && !create.orReplace()) {
            if (create.ifNotExists()) {
                return SqlResult.message(create.name() + " exists; not created again");
            }
            throw new SqlScriptException(
                    create.at().line(),
                    create.at().column(),
                    "'" + create.name() + "' already exists (a "
                            + catalog.get(create.name()).kind() + "); use CREATE OR REPLACE, or DROP it first");
        }
        String connector = Connectors.connector(create);
        if (!Connectors.READABLE.contains(connector) && !Connectors.WRITABLE.contains(connector)) {
            List<String> known = new ArrayList<>(Connectors.READABLE);
            Connectors.WRITABLE.stream().filter(c -> !known.contains(c)).forEach(known::add);
            throw invalid(create.name() + ": unknown connector '" + connector + "'" + Names.didYouMean(connector, known)
                    + "; Brook knows " + String.join(", ", known));
        }
        if (!create.partitionKeys().isEmpty() && !connector.equals("files") && !connector.equals("filesystem")) {
            throw invalid(create.name() + ": PARTITIONED BY (" + String.join(", ", create.partitionKeys())
                    + ") names the directories of the files connector; the " + connector
                    + " connector has no partitions");
        }
        boolean readable = Connectors.READABLE.contains(connector);
        boolean writable = Connectors.WRITABLE.contains(connector);
        String kind;
        switch (create.role()) {
            case SOURCE -> {
                if (!readable || Connectors.BOUNDED.contains(connector) && !connector.startsWith("file")) {
                    throw invalid(create.name() + ": a SOURCE reads a stream from "
                            + "kafka, files, nexmark or rate; '" + connector + "' "
                            + (readable ? "is read as a bounded TABLE" : "cannot be read"));
                }
                kind = "source";
                writable = false;
            }
            case SINK -> {
                if (!writable) {
                    throw invalid(create.name() + ": a SINK writes to " + String.join(", ", Connectors.WRITABLE) + "; '"
                            + connector + "' cannot be written");
                }
                if (create.watermark() != null || create.columns().stream().anyMatch(c -> !c.physical())) {
                    throw invalid(create.name() + ": a SINK has plain columns only (no WATERMARK, computed or"
                            + " METADATA columns)");
                }
                readable = false;
                kind = "sink";
            }
            case TABLE -> {
                // Brook's bounded lookup tables, or Flink's tables: a source, a sink, or both, by connector.
                kind = Connectors.BOUNDED.contains(connector) ? "table" : readable ? "source" : "sink";
            }
            default -> throw new IllegalStateException("unknown role " + create.role());
        }
        Dataset<Row> dataset = readable ? readRelation(statement, create, kind.equals("source")) : null;
        Entry entry = new Entry(create.name(), kind, create, null, statement, dataset, writable);
        catalog.remove(create.name());
        catalog.put(create.name(), entry);
        if (dataset != null) {
            dataset.createOrReplaceTempView(create.name());
        } else {
            brook.dropTempView(create.name());
        }
        return SqlResult.message("Created " + kind + " " + create.name());
    }

    // CREATE FUNCTION, DROP FUNCTION

    private SqlResult createFunction(Command.CreateFunction create) {
        UserFunction existing = brook.udf().get(create.name());
        if (existing != null && !create.orReplace()) {
            if (create.ifNotExists()) {
                return SqlResult.message("Function " + existing.getName() + " exists; not created again");
            }
            throw new SqlScriptException(
                    create.at().line(),
                    create.at().column(),
                    "function '" + existing.getName() + "' already exists (" + existing.origin() + "); DROP FUNCTION "
                            + existing.getName() + " first, or use CREATE FUNCTION IF NOT EXISTS");
        }
        ClassLoader loader = functionClassLoader(create);
        Class<?> type;
        try {
            type = Class.forName(create.className(), true, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            String where = create.jars().isEmpty()
                    ? "on Brook's classpath; put its jar there, or name it: USING JAR 'path/to/functions.jar'"
                    : "on Brook's classpath or in " + String.join(", ", create.jars());
            throw new SqlScriptException(
                    create.classAt().line(),
                    create.classAt().column(),
                    (e instanceof ClassNotFoundException
                                    ? "class '" + create.className() + "' not found "
                                    : "class '" + create.className() + "' cannot be loaded (" + e + ") ")
                            + where);
        }
        UserFunction function;
        try {
            function = UserFunction.ofClass(create.name(), type);
        } catch (BrookException e) {
            throw new SqlScriptException(
                    create.classAt().line(), create.classAt().column(), e.getMessage());
        }
        try {
            brook.udf().register(function, create.orReplace());
        } catch (BrookException e) {
            throw new SqlScriptException(create.at().line(), create.at().column(), e.getMessage());
        }
        return SqlResult.message("Created function " + create.name() + " (" + create.className() + ")");
    }

    /** Brook's class loader, or one that also reads the statement's jars (kept open while the session is). */
    private ClassLoader functionClassLoader(Command.CreateFunction create) {
        ClassLoader parent = SqlSession.class.getClassLoader();
        if (create.jars().isEmpty()) {
            return parent;
        }
        List<URL> urls = new ArrayList<>();
        for (int i = 0; i < create.jars().size(); i++) {
            Path jar = Path.of(substitute(create.jars().get(i)));
            if (!Files.isRegularFile(jar)) {
                SqlLexer.Token at = create.jarsAt().get(i);
                throw new SqlScriptException(
                        at.line(),
                        at.column(),
                        "jar '" + jar + "' not found (" + jar.toAbsolutePath().normalize() + " is not a file)");
            }
            try {
                urls.add(jar.toUri().toURL());
            } catch (MalformedURLException e) {
                throw new IllegalStateException("a file path gave no URL: " + jar, e);
            }
        }
        URLClassLoader loader =
                new URLClassLoader("brook-functions-" + create.name(), urls.toArray(new URL[0]), parent);
        functionLoaders.add(loader);
        return loader;
    }

    private SqlResult dropFunction(Command.DropFunction drop) {
        UserFunction existing = brook.udf().get(drop.name());
        if (existing == null) {
            if (drop.ifExists()) {
                return SqlResult.message("No function " + drop.name());
            }
            List<String> names =
                    brook.udf().list().stream().map(UserFunction::getName).toList();
            throw new SqlScriptException(
                    drop.at().line(),
                    drop.at().column(),
                    "no function named '" + drop.name() + "'" + Names.didYouMean(drop.name(), names)
                            + (names.isEmpty() ? "" : "; SHOW USER FUNCTIONS lists them"));
        }
        brook.udf().drop(drop.name());
        return SqlResult.message("Dropped function " + existing.getName());
    }

    private boolean batchMode() {
        return settings.getOrDefault(RUNTIME_MODE, "streaming").equals("batch");
    }

    /** A source's or table's rows: the connector's columns, then computed columns, in declared order, then the watermark. */
    private Dataset<Row> readRelation(SqlScript.Statement statement, Command.CreateRelation create, boolean stream) {
        Dataset<Row> rows = Connectors.read(brook, create, stream && !batchMode());
        List<Column> ordered = new ArrayList<>();
        for (Command.ColumnDefinition column : create.columns()) {
            if (column.computed() != null) {
                String text = statement.positioned(
                        column.computed().start(), column.computed().end());
                rows = rows.withColumn(column.name(), functions.expr(text));
            }
            ordered.add(col(column.name()));
        }
        if (!ordered.isEmpty()) {
            rows = rows.select(ordered.toArray(new Column[0]));
        }
        Command.Watermark watermark = create.watermark();
        if (watermark != null) {
            if (!rows.schema().names().contains(watermark.column())) {
                throw new SqlScriptException(
                        watermark.at().line(),
                        watermark.at().column(),
                        "WATERMARK FOR names '" + watermark.column() + "', which is not a column of " + create.name()
                                + Names.didYouMean(
                                        watermark.column(), rows.schema().names()));
            }
            long delayMillis = watermarkDelayMillis(statement, watermark);
            rows = rows.withWatermark(watermark.column(), delayMillis + " milliseconds");
        }
        return rows;
    }

    /** {@code ts} or {@code ts - INTERVAL 'n' UNIT}: how far behind the latest event time the watermark stays. */
    private static long watermarkDelayMillis(SqlScript.Statement statement, Command.Watermark watermark) {
        String text = statement.positioned(
                watermark.expression().start(), watermark.expression().end());
        SqlNode expression;
        try {
            expression = SqlPlanner.parseExpression(text);
        } catch (SqlParseException e) {
            throw new SqlScriptException(
                    e.getPos().getLineNum(), e.getPos().getColumnNum(), io.brook.engine.plan.SqlErrors.parseMessage(e));
        }
        if (expression instanceof SqlIdentifier identifier
                && identifier.getSimple().equals(watermark.column())) {
            return 0;
        }
        if (expression.getKind() == SqlKind.MINUS
                && expression instanceof SqlBasicCall minus
                && minus.operand(0) instanceof SqlIdentifier identifier
                && identifier.isSimple()
                && identifier.getSimple().equals(watermark.column())
                && minus.operand(1) instanceof SqlIntervalLiteral interval) {
            SqlIntervalLiteral.IntervalValue value =
                    ((SqlLiteral) interval).getValueAs(SqlIntervalLiteral.IntervalValue.class);
            long millis = SqlParserUtil.intervalToMillis(value);
            if (millis < 0) {
                throw new SqlScriptException(
                        watermark.at().line(), watermark.at().column(), "a watermark's delay cannot be negative");
            }
            return millis;
        }
        throw new SqlScriptException(
                watermark.at().line(),
                watermark.at().column(),
                "WATERMARK FOR " + watermark.column() + " AS takes " + watermark.column() + " or " + watermark.column()
                        + " - INTERVAL 'n' SECOND (a fixed delay)");
    }

    private SqlResult createView(SqlScript.Statement statement, Command.CreateView view) {
        if (catalog.containsKey(view.name()) && !view.orReplace()) {
            if (view.ifNotExists()) {
                return SqlResult.message(view.name() + " exists; not created again");
            }
            throw invalid("'" + view.name() + "' already exists (a "
                    + catalog.get(view.name()).kind() + "); use CREATE OR REPLACE VIEW, or DROP it first");
        }
        Dataset<Row> rows = viewRows(statement, view);
        catalog.remove(view.name());
        catalog.put(view.name(), new Entry(view.name(), "view", null, view, statement, rows, false));
        rows.createOrReplaceTempView(view.name());
        return SqlResult.message("Created view " + view.name());
    }

    private Dataset<Row> viewRows(SqlScript.Statement statement, Command.CreateView view) {
        Dataset<Row> rows = brook.sql(
                statement.positioned(view.query().start(), view.query().end()));
        if (view.columnNames().isEmpty()) {
            return rows;
        }
        String[] columns = rows.columns();
        if (columns.length != view.columnNames().size()) {
            throw invalid("view " + view.name() + " names " + view.columnNames().size() + " columns; its query has "
                    + columns.length);
        }
        List<Column> renamed = new ArrayList<>();
        for (int i = 0; i < columns.length; i++) {
            renamed.add(col(columns[i]).as(view.columnNames().get(i)));
        }
        return rows.select(renamed.toArray(new Column[0]));
    }

    /** Builds every source, table and view again, in creation order (the runtime mode changed). */
    private void rebuildRelations() {
        for (Map.Entry<String, Entry> item : catalog.entrySet()) {
            Entry entry = item.getValue();
            Dataset<Row> rows;
            if (entry.view() != null) {
                rows = viewRows(entry.statement(), entry.view());
            } else if (entry.dataset() != null) {
                rows = readRelation(
                        entry.statement(), entry.definition(), entry.kind().equals("source"));
            } else {
                continue;
            }
            item.setValue(new Entry(
                    entry.name(),
                    entry.kind(),
                    entry.definition(),
                    entry.view(),
                    entry.statement(),
                    rows,
                    entry.writable()));
            rows.createOrReplaceTempView(entry.name());
        }
    }

    private SqlResult drop(Command.Drop drop) {
        Entry entry = catalog.get(drop.name());
        if (entry == null) {
            if (drop.ifExists()) {
                return SqlResult.message("No " + drop.what().toLowerCase(Locale.ROOT) + " " + drop.name());
            }
            throw new SqlScriptException(
                    drop.at().line(),
                    drop.at().column(),
                    "no " + drop.what().toLowerCase(Locale.ROOT) + " named '" + drop.name() + "'"
                            + Names.didYouMean(drop.name(), catalog.keySet()));
        }
        catalog.remove(drop.name());
        brook.dropTempView(drop.name());
        return SqlResult.message("Dropped " + entry.kind() + " " + drop.name());
    }

    // INSERT and SELECT

    private SqlResult insert(SqlScript.Statement statement, Command.Insert insert) {
        Entry sink = sinkEntry(insert);
        Dataset<Row> rows = conform(
                brook.sql(statement.positioned(
                        insert.query().start(), insert.query().end())),
                sink,
                insert);
        if (!rows.isStreaming()) {
            return insertBounded(rows, sink);
        }
        OutputMode mode = outputMode(rows);
        String name = queryName(sink.name());
        ConnectorOptions options = new ConnectorOptions(
                sink.name(),
                Connectors.connector(sink.definition()),
                sink.definition().options());
        Path checkpoint = checkpoint(sink, options);
        Dataset<Row> written = options.connector().equals("kafka") ? Connectors.asKafkaValue(rows) : rows;
        DataStreamWriter writer = Connectors.writer(written, sink.definition(), options, name);
        options.checkAllUsed();
        StreamingQuery query = writer.outputMode(mode)
                .trigger(trigger())
                .option("checkpointLocation", checkpoint.toString())
                .start();
        queries.put(name, new RunningQuery(name, sink.name(), statement.text(), query));
        return SqlResult.started(
                "Started query " + name + " (id " + query.id() + ") writing to " + sink.name() + " in "
                        + mode.name().toLowerCase(Locale.ROOT) + " mode; checkpoint " + checkpoint,
                query);
    }

    private Entry sinkEntry(Command.Insert insert) {
        Entry sink = catalog.get(insert.target());
        if (sink == null) {
            throw new SqlScriptException(
                    insert.at().line(),
                    insert.at().column(),
                    "no sink named '" + insert.target() + "'" + Names.didYouMean(insert.target(), writableNames())
                            + "; create it with CREATE SINK " + insert.target() + " WITH (connector = '...')");
        }
        if (!sink.writable()) {
            throw new SqlScriptException(
                    insert.at().line(),
                    insert.at().column(),
                    "'" + insert.target() + "' is a " + sink.kind() + " that cannot be written; INSERT INTO a sink");
        }
        return sink;
    }

    private List<String> writableNames() {
        return catalog.values().stream()
                .filter(Entry::writable)
                .map(Entry::name)
                .toList();
    }

    /** The query's columns as the sink declares them: matched by position (or by the INSERT's column list), cast. */
    private static Dataset<Row> conform(Dataset<Row> rows, Entry sink, Command.Insert insert) {
        List<Field> declared = sink.definition().columns().stream()
                .filter(Command.ColumnDefinition::physical)
                .map(Command.ColumnDefinition::field)
                .toList();
        if (declared.isEmpty()) {
            return rows;
        }
        List<String> targets =
                insert.columns().isEmpty() ? declared.stream().map(Field::name).toList() : insert.columns();
        String[] columns = rows.columns();
        if (columns.length != targets.size()) {
            throw new SqlScriptException(
                    insert.at().line(),
                    insert.at().column(),
                    "the query gives " + columns.length + " columns (" + String.join(", ", columns) + "); "
                            + sink.name() + " takes " + targets.size() + " (" + String.join(", ", targets) + ")");
        }
        Schema schema = rows.schema();
        List<Column> out = new ArrayList<>();
        for (Field field : declared) {
            int position = targets.indexOf(field.name());
            if (position < 0) {
                throw new SqlScriptException(
                        insert.at().line(),
                        insert.at().column(),
                        "INSERT INTO " + sink.name() + " does not give column '" + field.name() + "'");
            }
            Field given = schema.field(position);
            Column value = col(columns[position]);
            if (given.type() != field.type()
                    && field.type().isScalar()
                    && given.type().isScalar()) {
                value = value.cast(field.sparkTypeName());
            }
            out.add(value.as(field.name()));
        }
        return rows.select(out.toArray(new Column[0]));
    }

    private SqlResult insertBounded(Dataset<Row> rows, Entry sink) {
        ConnectorOptions options = new ConnectorOptions(
                sink.name(),
                Connectors.connector(sink.definition()),
                sink.definition().options());
        switch (options.connector()) {
            case "files", "filesystem" -> {
                String format = options.require("json, csv, parquet or text", "format");
                String path = Connectors.filesPath(options, "the output directory");
                Map<String, String> engine = Connectors.fileWriteOptions(options);
                options.checkAllUsed();
                rows.write()
                        .format(format)
                        .options(engine)
                        .partitionBy(sink.definition().partitionKeys().toArray(new String[0]))
                        .mode("append")
                        .save(path);
            }
            case "console", "print", "memory" -> {
                List<Row> all = rows.collectAsList();
                return SqlResult.rows(List.of(rows.columns()), all);
            }
            case "blackhole" -> {
                return SqlResult.message("Wrote " + rows.count() + " rows to " + sink.name() + " (discarded)");
            }
            default ->
                throw invalid(sink.name() + ": a bounded query writes to files, console or blackhole sinks;" + " "
                        + options.connector() + " takes streams");
        }
        return SqlResult.message("Wrote to " + sink.name());
    }

    private SqlResult select(SqlScript.Statement statement, Command.Query query) {
        Dataset<Row> rows = brook.sql(
                statement.positioned(query.query().start(), query.query().end()));
        if (!rows.isStreaming()) {
            return SqlResult.rows(List.of(rows.columns()), rows.collectAsList());
        }
        OutputMode mode = outputModeSetting() == null ? liveMode(rows) : outputMode(rows);
        String name = queryName("select");
        if (liveRows > 0) {
            LiveResult live = new LiveResult(List.of(rows.columns()), mode == OutputMode.COMPLETE, liveRows);
            StreamingQuery started = rows.writeStream()
                    .foreachBatch((batch, batchId) -> live.add(batchId, batch.collectAsList()))
                    .queryName(name)
                    .outputMode(mode)
                    .trigger(trigger())
                    .start();
            liveResults.put(started.runId(), live);
            queries.put(name, new RunningQuery(name, "live result", statement.text(), started));
            return SqlResult.started(
                    "Started query " + name + " (id " + started.id() + ") in "
                            + mode.name().toLowerCase(Locale.ROOT) + " mode",
                    started);
        }
        StreamingQuery started = rows.writeStream()
                .format("console")
                .queryName(name)
                .outputMode(mode)
                .trigger(trigger())
                .start();
        queries.put(name, new RunningQuery(name, "console", statement.text(), started));
        return SqlResult.started(
                "Started query " + name + " (id " + started.id() + "), printing each micro-batch; STOP QUERY " + name
                        + " ends it",
                started);
    }

    /** A live SELECT shows the whole current result of an aggregation, rows as they come otherwise. */
    private static OutputMode liveMode(Dataset<Row> rows) {
        try {
            PhysicalPlanner.checkStreaming(rows.logicalPlan(), OutputMode.APPEND);
            return OutputMode.APPEND;
        } catch (BrookException e) {
            return OutputMode.COMPLETE;
        }
    }

    /** The output mode: the setting, else append when every row is final when written, else update. */
    private OutputMode outputMode(Dataset<Row> rows) {
        String setting = outputModeSetting();
        if (setting != null) {
            return OutputMode.parse(setting);
        }
        try {
            PhysicalPlanner.checkStreaming(rows.logicalPlan(), OutputMode.APPEND);
            return OutputMode.APPEND;
        } catch (BrookException append) {
            try {
                PhysicalPlanner.checkStreaming(rows.logicalPlan(), OutputMode.UPDATE);
                return OutputMode.UPDATE;
            } catch (BrookException update) {
                throw new BrookException(
                        append.errorCode(),
                        "this query cannot run as a stream in either output mode: in append mode, "
                                + append.getMessage() + "; in update mode, " + update.getMessage()
                                + " (SET 'execution.runtime-mode' = 'batch' runs it over bounded sources)",
                        append);
            }
        }
    }

    private String outputModeSetting() {
        return settings.get(OUTPUT_MODE);
    }

    private Trigger trigger() {
        String setting = settings.get(TRIGGER);
        if (setting == null) {
            return Trigger.defaultTrigger();
        }
        return switch (setting.strip().toLowerCase(Locale.ROOT)) {
            case "available-now", "availablenow" -> Trigger.AvailableNow();
            case "once" -> Trigger.Once();
            default -> Trigger.ProcessingTime(setting);
        };
    }

    private String queryName(String base) {
        String name = base;
        for (int n = 2; queries.containsKey(name) && queries.get(name).query().isActive(); n++) {
            name = base + "_" + n;
        }
        return name;
    }

    private Path checkpoint(Entry sink, ConnectorOptions options) {
        var given = options.get("checkpoint", "checkpointLocation");
        if (given.isPresent()) {
            return Path.of(given.get());
        }
        String root = settings.get(CHECKPOINT_DIR);
        if (root != null) {
            return Path.of(root, sink.name());
        }
        try {
            if (temporaryCheckpoints == null) {
                temporaryCheckpoints = Files.createTempDirectory("brook-sql-checkpoints-");
            }
            return temporaryCheckpoints.resolve(sink.name());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary checkpoint directory", e);
        }
    }

    // SHOW, DESCRIBE, EXPLAIN, STOP, SET

    private SqlResult show(String what) {
        if (what.endsWith("FUNCTIONS")) {
            return showFunctions(what.startsWith("USER"));
        }
        if (what.equals("QUERIES")) {
            List<Row> rows = new ArrayList<>();
            for (RunningQuery query : queries.values()) {
                var progress = query.query().lastProgress();
                rows.add(Row.of(
                        query.name(),
                        query.query().id().toString(),
                        query.query().isActive() ? "RUNNING" : query.query().exception() == null ? "STOPPED" : "FAILED",
                        query.sink(),
                        progress == null ? 0L : progress.batchId(),
                        progress == null ? 0.0 : progress.processedRowsPerSecond()));
            }
            return SqlResult.rows(List.of("name", "id", "status", "sink", "batch", "rows/s"), rows);
        }
        String kind = switch (what) {
            case "SOURCES" -> "source";
            case "SINKS" -> "sink";
            case "TABLES" -> "table";
            default -> "view";
        };
        List<Row> rows = new ArrayList<>();
        for (Entry entry : catalog.values()) {
            boolean listed = entry.kind().equals(kind) || kind.equals("sink") && entry.writable();
            if (listed) {
                String connector = entry.definition() == null ? "" : Connectors.connector(entry.definition());
                String columns = entry.dataset() == null
                        ? String.join(
                                ", ",
                                entry.definition().columns().stream()
                                        .map(Command.ColumnDefinition::name)
                                        .toList())
                        : String.join(", ", entry.dataset().columns());
                rows.add(Row.of(entry.name(), connector, columns));
            }
        }
        return SqlResult.rows(List.of("name", "connector", "columns"), rows);
    }

    /** The user's functions (name, class, forms); then, for SHOW FUNCTIONS, the built-in ones by name. */
    private SqlResult showFunctions(boolean userOnly) {
        List<Row> rows = new ArrayList<>();
        for (UserFunction function : brook.udf().list()) {
            rows.add(Row.of(
                    function.getName(), "user", function.origin(), String.join(", ", function.describeSignatures())));
        }
        if (!userOnly) {
            for (String name : UserFunctions.builtInNames()) {
                rows.add(Row.of(name, "built-in", "", ""));
            }
        }
        return SqlResult.rows(List.of("name", "kind", "class", "signatures"), rows);
    }

    private SqlResult describe(Command.Describe describe) {
        Entry entry = catalog.get(describe.name());
        if (entry == null) {
            throw new SqlScriptException(
                    describe.at().line(),
                    describe.at().column(),
                    "no source, sink, table or view named '" + describe.name() + "'"
                            + Names.didYouMean(describe.name(), catalog.keySet()));
        }
        List<Row> rows = new ArrayList<>();
        if (entry.dataset() != null) {
            Command.Watermark watermark =
                    entry.definition() == null ? null : entry.definition().watermark();
            for (Field field : entry.dataset().schema().fields()) {
                String extra = "";
                if (entry.definition() != null) {
                    for (Command.ColumnDefinition column : entry.definition().columns()) {
                        if (column.name().equals(field.name()) && column.computed() != null) {
                            extra = "computed";
                        } else if (column.name().equals(field.name()) && column.metadataKey() != null) {
                            extra = "metadata from '" + column.metadataKey() + "'";
                        }
                    }
                }
                if (watermark != null && watermark.column().equals(field.name())) {
                    extra = (extra.isEmpty() ? "" : extra + ", ") + "event time (watermark)";
                }
                rows.add(Row.of(field.name(), field.typeName(), field.nullable(), extra));
            }
        } else {
            for (Command.ColumnDefinition column : entry.definition().columns()) {
                rows.add(Row.of(
                        column.name(), column.field().typeName(), column.field().nullable(), ""));
            }
        }
        return SqlResult.rows(List.of("column", "type", "nullable", "extra"), rows);
    }

    private SqlResult explain(SqlScript.Statement statement, Command explained) {
        Dataset<Row> rows;
        String target;
        if (explained instanceof Command.Insert insert) {
            Entry sink = sinkEntry(insert);
            rows = conform(
                    brook.sql(statement.positioned(
                            insert.query().start(), insert.query().end())),
                    sink,
                    insert);
            target = "sink " + sink.name() + " (" + Connectors.connector(sink.definition()) + ")";
        } else {
            Command.Query query = (Command.Query) explained;
            rows = brook.sql(
                    statement.positioned(query.query().start(), query.query().end()));
            target = rows.isStreaming() ? "the console" : "the caller (a bounded query)";
        }
        StringBuilder text = new StringBuilder();
        text.append("== Logical plan ==\n").append(RelOptUtil.toString(rows.logicalPlan()));
        text.append("== Incremental plan ==\n");
        if (rows.isStreaming()) {
            OutputMode mode = explained instanceof Command.Query && outputModeSetting() == null
                    ? liveMode(rows)
                    : outputMode(rows);
            text.append("streaming, ")
                    .append(mode.name().toLowerCase(Locale.ROOT))
                    .append(" output mode, into ")
                    .append(target)
                    .append('\n');
            List<String> state = PhysicalPlanner.stateSignature(rows.logicalPlan(), mode);
            if (state.isEmpty()) {
                text.append("no state: every micro-batch is processed on its own\n");
            }
            for (int i = 0; i < state.size(); i++) {
                text.append("state operator ")
                        .append(i)
                        .append(": ")
                        .append(state.get(i))
                        .append('\n');
            }
        } else {
            text.append("bounded: runs once, into ").append(target).append('\n');
        }
        return SqlResult.message(text.toString().strip());
    }

    private SqlResult stop(Command.StopQuery stop) {
        RunningQuery found = null;
        for (RunningQuery query : queries.values()) {
            if (query.name().equals(stop.id()) || query.query().id().toString().startsWith(stop.id())) {
                found = query;
            }
        }
        if (found == null) {
            throw new SqlScriptException(
                    stop.at().line(),
                    stop.at().column(),
                    "no query '" + stop.id() + "'" + Names.didYouMean(stop.id(), queries.keySet())
                            + "; SHOW QUERIES lists them");
        }
        try {
            found.query().stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BrookException(ErrorCode.QUERY_FAILED, "interrupted while stopping " + found.name(), e);
        }
        return SqlResult.message("Stopped query " + found.name());
    }

    private SqlResult set(Command.Set set) {
        if (set.key() == null) {
            List<Row> rows = new ArrayList<>();
            settings.forEach((key, value) -> rows.add(Row.of(key, value)));
            return SqlResult.rows(List.of("key", "value"), rows);
        }
        String key = set.key();
        String value = substitute(set.value().strip());
        switch (key) {
            case RUNTIME_MODE -> {
                String mode = value.toLowerCase(Locale.ROOT);
                if (!mode.equals("streaming") && !mode.equals("batch")) {
                    throw invalid(RUNTIME_MODE + " is streaming or batch; got '" + value + "'");
                }
                boolean changed =
                        !settings.getOrDefault(RUNTIME_MODE, "streaming").equals(mode);
                settings.put(key, mode);
                if (changed) {
                    rebuildRelations();
                }
            }
            case OUTPUT_MODE -> {
                OutputMode.parse(value);
                settings.put(key, value);
            }
            case TRIGGER, CHECKPOINT_DIR -> settings.put(key, value);
            default ->
                throw invalid("unknown setting '" + key + "'" + Names.didYouMean(key, SETTINGS) + "; known: "
                        + String.join(", ", SETTINGS));
        }
        return SqlResult.message("Set " + key + " = " + value);
    }

    private SqlResult reset(Command.Reset reset) {
        boolean wasBatch = batchMode();
        if (reset.key() == null) {
            settings.clear();
        } else {
            settings.remove(reset.key());
        }
        if (wasBatch != batchMode()) {
            rebuildRelations();
        }
        return SqlResult.message(reset.key() == null ? "Reset all settings" : "Reset " + reset.key());
    }

    private static BrookException invalid(String message) {
        return new BrookException(ErrorCode.INVALID_OPTION, message);
    }

    /** Stops the queries this session started, then closes the class loaders of its functions' jars. */
    @Override
    public void close() {
        for (RunningQuery query : queries.values()) {
            try {
                query.query().stop();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        for (URLClassLoader loader : functionLoaders) {
            try {
                loader.close();
            } catch (IOException e) {
                LOGGER.warn("cannot close the class loader of {}; its jars stay open", loader.getName(), e);
            }
        }
        functionLoaders.clear();
    }
}
