package io.brook.sql;

import io.brook.engine.batch.ColumnType;
import io.brook.engine.batch.Field;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads one statement's tokens into a {@link Command}. Brook's DDL ({@code CREATE SOURCE|SINK|TABLE|VIEW}, with
 * {@code WITH (key = 'value', ...)}) and Flink's ({@code CREATE TABLE t (...) WITH ('connector' = '...')}, {@code ROW<...>}
 * types, computed columns, {@code WATERMARK FOR}, {@code METADATA}, {@code PRIMARY KEY ... NOT ENFORCED},
 * {@code PARTITIONED BY (...)}) are read here;
 * the queries inside statements are left as spans for Calcite, and expressions (computed columns, watermarks) for the
 * engine's expression parser.
 */
final class CommandParser {
    private final List<SqlLexer.Token> tokens;
    private int next;

    private CommandParser(List<SqlLexer.Token> tokens) {
        this.tokens = tokens;
    }

    static Command parse(SqlScript.Statement statement) {
        return new CommandParser(statement.tokens()).command();
    }

    private Command command() {
        SqlLexer.Token first = peek();
        if (first.isWord("CREATE")) {
            return create();
        }
        if (first.isWord("DROP")) {
            return drop();
        }
        if (first.isWord("INSERT")) {
            return insert();
        }
        if (first.isWord("SHOW")) {
            advance();
            SqlLexer.Token what = expectWord("SOURCES, SINKS, TABLES, VIEWS, QUERIES or FUNCTIONS");
            String upper = what.upper();
            if (upper.equals("USER")) {
                expectKeyword("FUNCTIONS");
                upper = "USER FUNCTIONS";
            } else if (!List.of("SOURCES", "SINKS", "TABLES", "VIEWS", "QUERIES", "FUNCTIONS")
                    .contains(upper)) {
                throw error(
                        what,
                        "SHOW lists SOURCES, SINKS, TABLES, VIEWS, QUERIES or [USER] FUNCTIONS; got " + what.text());
            }
            expectEnd();
            return new Command.Show(upper);
        }
        if (first.isWord("DESCRIBE") || first.isWord("DESC")) {
            advance();
            SqlLexer.Token name = expectName("a name to describe");
            expectEnd();
            return new Command.Describe(name.value(), name);
        }
        if (first.isWord("EXPLAIN")) {
            advance();
            if (peek().isWord("PLAN")) {
                advance();
                expectKeyword("FOR");
            }
            return new Command.Explain(peek().isWord("INSERT") ? insert() : query());
        }
        if (first.isWord("STOP")) {
            advance();
            expectKeyword("QUERY");
            SqlLexer.Token id = advance();
            if (id.kind() == SqlLexer.Kind.END) {
                throw error(id, "STOP QUERY needs a query id or name (SHOW QUERIES lists them)");
            }
            expectEnd();
            return new Command.StopQuery(id.value(), id);
        }
        if (first.isWord("SET")) {
            return set();
        }
        if (first.isWord("RESET")) {
            advance();
            if (peek().kind() == SqlLexer.Kind.END) {
                return new Command.Reset(null);
            }
            String key = optionText(advance());
            expectEnd();
            return new Command.Reset(key);
        }
        return query();
    }

    private Command query() {
        SqlLexer.Token start = peek();
        if (!(start.isWord("SELECT")
                || start.isWord("WITH")
                || start.isWord("VALUES")
                || start.isWord("TABLE")
                || start.isSymbol("("))) {
            throw error(
                    start,
                    "unknown statement '" + start.text() + "'; expected SELECT, INSERT INTO, CREATE SOURCE|SINK|TABLE"
                            + "|VIEW|FUNCTION, DROP, SHOW, DESCRIBE, EXPLAIN, STOP QUERY, SET or RESET");
        }
        return new Command.Query(new Command.Span(start.start(), endOffset()));
    }

    private Command create() {
        SqlLexer.Token create = advance();
        boolean orReplace = false;
        if (peek().isWord("OR")) {
            advance();
            expectKeyword("REPLACE");
            orReplace = true;
        }
        if (peek().isWord("TEMPORARY") || peek().isWord("TEMP")) {
            advance();
        }
        boolean system = peek().isWord("SYSTEM");
        if (system) {
            advance();
        }
        if (peek().isWord("FUNCTION")) {
            advance();
            return createFunction(orReplace);
        }
        if (system) {
            throw error(peek(), "expected FUNCTION after CREATE TEMPORARY SYSTEM; got " + describe(peek()));
        }
        SqlLexer.Token what = expectWord("SOURCE, SINK, TABLE, VIEW or FUNCTION");
        boolean ifNotExists = ifExists("NOT");
        SqlLexer.Token name = expectName("a name");
        switch (what.upper()) {
            case "VIEW" -> {
                List<String> columnNames = new ArrayList<>();
                if (peek().isSymbol("(")) {
                    advance();
                    do {
                        columnNames.add(expectName("a column name").value());
                    } while (acceptSymbol(","));
                    expectSymbol(")");
                }
                expectKeyword("AS");
                Command.Query query = (Command.Query) query();
                return new Command.CreateView(name.value(), orReplace, ifNotExists, columnNames, query.query());
            }
            case "SOURCE", "SINK", "TABLE" -> {
                return relation(Command.Role.valueOf(what.upper()), name, orReplace, ifNotExists, create);
            }
            default -> throw error(what, "CREATE makes a SOURCE, SINK, TABLE, VIEW or FUNCTION; got " + what.text());
        }
    }

    private Command createFunction(boolean orReplace) {
        boolean ifNotExists = ifExists("NOT");
        SqlLexer.Token name = expectName("the function's name");
        if (peek().isSymbol(".")) {
            throw error(
                    peek(),
                    "a function's name has no catalog or database in Brook: CREATE FUNCTION " + name.text()
                            + " AS '...'");
        }
        expectKeyword("AS");
        SqlLexer.Token className = peek();
        if (className.kind() != SqlLexer.Kind.STRING) {
            throw error(
                    className,
                    "expected the function's class name as a string, such as 'com.example.MyFunction'; got "
                            + describe(className));
        }
        advance();
        if (peek().isWord("LANGUAGE")) {
            advance();
            SqlLexer.Token language = expectWord("JAVA");
            if (!language.isWord("JAVA") && !language.isWord("SCALA")) {
                throw error(
                        language, "Brook runs functions written for the JVM (LANGUAGE JAVA); got " + language.text());
            }
        }
        List<String> jars = new ArrayList<>();
        List<SqlLexer.Token> jarsAt = new ArrayList<>();
        if (peek().isWord("USING")) {
            advance();
            do {
                expectKeyword("JAR");
                SqlLexer.Token jar = expect(SqlLexer.Kind.STRING, "a jar's path, such as 'lib/functions.jar'");
                jars.add(jar.value());
                jarsAt.add(jar);
            } while (acceptSymbol(","));
        }
        expectEnd();
        return new Command.CreateFunction(
                name.value(), orReplace, ifNotExists, className.value(), jars, name, className, jarsAt);
    }

    private Command relation(
            Command.Role role, SqlLexer.Token name, boolean orReplace, boolean ifNotExists, SqlLexer.Token at) {
        List<Command.ColumnDefinition> columns = new ArrayList<>();
        Command.Watermark watermark = null;
        List<String> primaryKey = new ArrayList<>();
        if (acceptSymbol("(")) {
            do {
                if (peek().isWord("WATERMARK")) {
                    SqlLexer.Token token = advance();
                    if (watermark != null) {
                        throw error(token, "a source has one WATERMARK");
                    }
                    expectKeyword("FOR");
                    String column = expectName("the event-time column").value();
                    expectKeyword("AS");
                    watermark = new Command.Watermark(column, expression(), token);
                } else if (peek().isWord("PRIMARY")) {
                    advance();
                    expectKeyword("KEY");
                    expectSymbol("(");
                    do {
                        primaryKey.add(expectName("a key column").value());
                    } while (acceptSymbol(","));
                    expectSymbol(")");
                    if (peek().isWord("NOT")) {
                        advance();
                        expectKeyword("ENFORCED");
                    }
                } else {
                    columns.add(column());
                }
            } while (acceptSymbol(","));
            expectSymbol(")");
        }
        if (peek().isWord("COMMENT")) {
            advance();
            expect(SqlLexer.Kind.STRING, "a comment string");
        }
        List<String> partitionKeys = partitionedBy(name, columns);
        Map<String, String> options = new LinkedHashMap<>();
        boolean flinkForm = false;
        if (peek().isWord("WITH")) {
            advance();
            expectSymbol("(");
            if (!peek().isSymbol(")")) {
                do {
                    SqlLexer.Token key = advance();
                    flinkForm |= key.kind() == SqlLexer.Kind.STRING;
                    String keyText = optionKey(key);
                    expectSymbol("=");
                    SqlLexer.Token value = advance();
                    if (value.kind() == SqlLexer.Kind.END || value.kind() == SqlLexer.Kind.SYMBOL) {
                        throw error(value, "option '" + keyText + "' needs a value, such as '...'");
                    }
                    if (options.put(keyText, value.value()) != null) {
                        throw error(key, "option '" + keyText + "' is given twice");
                    }
                } while (acceptSymbol(","));
            }
            expectSymbol(")");
        }
        expectEnd();
        return new Command.CreateRelation(
                role,
                name.value(),
                orReplace,
                ifNotExists,
                columns,
                watermark,
                primaryKey,
                partitionKeys,
                options,
                flinkForm,
                at);
    }

    /**
     * Flink's {@code PARTITIONED BY (column, ...)}, if there; each a declared plain column when columns are declared
     * (a sink without columns takes its query's).
     */
    private List<String> partitionedBy(SqlLexer.Token relation, List<Command.ColumnDefinition> columns) {
        List<String> keys = new ArrayList<>();
        if (!peek().isWord("PARTITIONED")) {
            return keys;
        }
        advance();
        expectKeyword("BY");
        expectSymbol("(");
        List<String> physical = columns.stream()
                .filter(Command.ColumnDefinition::physical)
                .map(Command.ColumnDefinition::name)
                .toList();
        do {
            SqlLexer.Token key = expectName("a partition column");
            if (!columns.isEmpty() && !physical.contains(key.value())) {
                boolean declared = columns.stream().anyMatch(c -> c.name().equals(key.value()));
                throw error(
                        key,
                        declared
                                ? "partition column '" + key.value() + "' of " + relation.value()
                                        + " is a computed or metadata column; partition by a plain column"
                                : "partition column '" + key.value() + "' is not a column of " + relation.value()
                                        + io.brook.engine.plan.Names.didYouMean(key.value(), physical)
                                        + " (its columns: "
                                        + String.join(", ", physical) + ")");
            }
            if (keys.contains(key.value())) {
                throw error(key, "partition column '" + key.value() + "' is given twice");
            }
            keys.add(key.value());
        } while (acceptSymbol(","));
        expectSymbol(")");
        return keys;
    }

    /** An option key: a string ('connector'), or a dotted name (bootstrap.servers). */
    private String optionKey(SqlLexer.Token first) {
        if (first.kind() == SqlLexer.Kind.STRING) {
            return first.value();
        }
        if (!first.isName()) {
            throw error(first, "expected an option name, such as connector; got '" + first.text() + "'");
        }
        StringBuilder key = new StringBuilder(first.value());
        while (peek().isSymbol(".") || peek().isSymbol("-")) {
            key.append(advance().text());
            key.append(expectName("the rest of the option name").value());
        }
        return key.toString();
    }

    private Command.ColumnDefinition column() {
        SqlLexer.Token name = expectName("a column name, WATERMARK FOR or PRIMARY KEY");
        if (peek().isWord("AS")) {
            advance();
            return new Command.ColumnDefinition(name.value(), null, expression(), null, name);
        }
        Field field = type(name.value());
        String metadata = null;
        while (true) {
            if (peek().isWord("METADATA")) {
                advance();
                metadata = name.value();
                if (peek().isWord("FROM")) {
                    advance();
                    metadata = expect(SqlLexer.Kind.STRING, "a metadata key such as 'timestamp'")
                            .value();
                }
                if (peek().isWord("VIRTUAL")) {
                    advance();
                }
            } else if (peek().isWord("COMMENT")) {
                advance();
                expect(SqlLexer.Kind.STRING, "a comment string");
            } else if (peek().isWord("PRIMARY")) {
                throw error(
                        peek(), "declare the key after the columns: PRIMARY KEY (" + name.value() + ") NOT ENFORCED");
            } else {
                break;
            }
        }
        return new Command.ColumnDefinition(name.value(), field, null, metadata, name);
    }

    /** An expression up to the next comma or closing parenthesis at its own depth. */
    private Command.Span expression() {
        SqlLexer.Token start = peek();
        int depth = 0;
        SqlLexer.Token last = null;
        while (true) {
            SqlLexer.Token token = peek();
            if (token.kind() == SqlLexer.Kind.END) {
                throw error(token, "the expression starting here is not closed; expected ')' at its end");
            }
            if (depth == 0 && (token.isSymbol(",") || token.isSymbol(")"))) {
                break;
            }
            if (token.isSymbol("(")) {
                depth++;
            } else if (token.isSymbol(")")) {
                depth--;
            }
            last = advance();
        }
        if (last == null) {
            throw error(start, "expected an expression");
        }
        return new Command.Span(start.start(), last.end());
    }

    /** A column type, Flink's spellings included: ROW&lt;...&gt;, ARRAY&lt;...&gt;, STRING, TIMESTAMP(3), NOT NULL. */
    private Field type(String name) {
        SqlLexer.Token token = expectWord("a type such as BIGINT, STRING, TIMESTAMP(3) or ROW<...>");
        String type = token.upper();
        Field field;
        switch (type) {
            case "ROW" -> field = Field.struct(name, rowFields(token), true);
            case "ARRAY" -> {
                String close = acceptSymbol("<") ? ">" : null;
                if (close == null) {
                    expectSymbol("(");
                    close = ")";
                }
                Field element = type("element");
                expectSymbol(close);
                field = Field.arrayOf(name, element, true);
            }
            case "MAP", "MULTISET", "RAW", "INTERVAL" -> throw error(token, type + " columns are not supported yet");
            default -> field = new Field(name, scalar(token), true);
        }
        while (peek().isWord("ARRAY")) {
            advance();
            field = Field.arrayOf(name, field.withName("element"), true);
        }
        if (peek().isWord("NOT")) {
            advance();
            expectKeyword("NULL");
            field = field.withNullable(false);
        } else if (peek().isWord("NULL")) {
            advance();
        }
        return field;
    }

    private List<Field> rowFields(SqlLexer.Token row) {
        String close = acceptSymbol("<") ? ">" : null;
        if (close == null) {
            if (!acceptSymbol("(")) {
                throw error(peek(), "ROW needs its fields: ROW<name TYPE, ...>");
            }
            close = ")";
        }
        List<Field> fields = new ArrayList<>();
        do {
            SqlLexer.Token fieldName = expectName("a field name");
            Field field = type(fieldName.value());
            if (!field.type().isScalar()) {
                throw error(
                        fieldName,
                        "field '" + fieldName.value() + "' of a ROW is " + field.typeName()
                                + "; ROW fields hold scalar types in Brook yet");
            }
            if (peek().kind() == SqlLexer.Kind.STRING) {
                advance(); // a field's description
            }
            fields.add(field);
        } while (acceptSymbol(","));
        if (fields.isEmpty()) {
            throw error(row, "a ROW needs at least one field");
        }
        expectSymbol(close);
        return fields;
    }

    private ColumnType scalar(SqlLexer.Token token) {
        String type = token.upper();
        ColumnType result = switch (type) {
            case "BOOLEAN", "BOOL" -> ColumnType.BOOLEAN;
            case "TINYINT", "SMALLINT", "INT", "INTEGER" -> ColumnType.INT;
            case "BIGINT", "LONG" -> ColumnType.BIGINT;
            // DECIMAL is computed as DOUBLE until batches hold exact decimals.
            case "DOUBLE", "FLOAT", "REAL", "DECIMAL", "DEC", "NUMERIC" -> ColumnType.DOUBLE;
            case "VARCHAR", "CHAR", "CHARACTER", "STRING", "TEXT" -> ColumnType.VARCHAR;
            case "VARBINARY", "BINARY", "BYTES" -> ColumnType.VARBINARY;
            case "DATE" -> ColumnType.DATE;
            case "TIMESTAMP", "TIMESTAMP_LTZ" -> ColumnType.TIMESTAMP;
            default ->
                throw error(
                        token,
                        "unknown type '" + token.text() + "'; Brook knows BOOLEAN, INT, BIGINT, DOUBLE, DECIMAL,"
                                + " STRING (VARCHAR), BYTES (VARBINARY), DATE, TIMESTAMP, ROW<...> and ARRAY<...>");
        };
        if (type.equals("DOUBLE") && peek().isWord("PRECISION")) {
            advance();
        }
        if ((type.equals("CHARACTER") || type.equals("CHAR")) && peek().isWord("VARYING")) {
            advance();
        }
        if (acceptSymbol("(")) {
            expect(SqlLexer.Kind.NUMBER, "a length or precision");
            if (acceptSymbol(",")) {
                expect(SqlLexer.Kind.NUMBER, "a scale");
            }
            expectSymbol(")");
        }
        if (result == ColumnType.TIMESTAMP && (peek().isWord("WITH") || peek().isWord("WITHOUT"))) {
            advance();
            if (peek().isWord("LOCAL")) {
                advance();
            }
            expectKeyword("TIME");
            expectKeyword("ZONE");
        }
        return result;
    }

    private Command drop() {
        SqlLexer.Token at = advance();
        if (peek().isWord("TEMPORARY") || peek().isWord("TEMP")) {
            advance();
            if (peek().isWord("SYSTEM")) {
                advance();
            }
        }
        if (peek().isWord("FUNCTION")) {
            advance();
            boolean ifExists = ifExists(null);
            SqlLexer.Token name = expectName("the function's name");
            expectEnd();
            return new Command.DropFunction(name.value(), ifExists, name);
        }
        SqlLexer.Token what = expectWord("SOURCE, SINK, TABLE, VIEW or FUNCTION");
        if (!List.of("SOURCE", "SINK", "TABLE", "VIEW").contains(what.upper())) {
            throw error(what, "DROP removes a SOURCE, SINK, TABLE, VIEW or FUNCTION; got " + what.text());
        }
        boolean ifExists = ifExists(null);
        SqlLexer.Token name = expectName("a name");
        expectEnd();
        return new Command.Drop(what.upper(), name.value(), ifExists, at);
    }

    private Command.Insert insert() {
        advance();
        if (peek().isWord("OVERWRITE")) {
            throw error(peek(), "INSERT OVERWRITE is not supported; streams append: use INSERT INTO");
        }
        expectKeyword("INTO");
        SqlLexer.Token target = expectName("the sink to insert into");
        List<String> columns = new ArrayList<>();
        if (peek().isSymbol("(")) {
            advance();
            do {
                columns.add(expectName("a column of the sink").value());
            } while (acceptSymbol(","));
            expectSymbol(")");
        }
        Command.Query query = (Command.Query) query();
        return new Command.Insert(target.value(), columns, query.query(), target);
    }

    private Command set() {
        advance();
        if (peek().kind() == SqlLexer.Kind.END) {
            return new Command.Set(null, null);
        }
        SqlLexer.Token keyToken = advance();
        String key = keyToken.kind() == SqlLexer.Kind.STRING ? keyToken.value() : optionKey(keyToken);
        expectSymbol("=");
        SqlLexer.Token value = advance();
        if (value.kind() == SqlLexer.Kind.END) {
            throw error(value, "SET " + key + " = needs a value, such as '1 second'");
        }
        StringBuilder text = new StringBuilder(optionText(value));
        while (peek().kind() != SqlLexer.Kind.END) {
            text.append(' ').append(optionText(advance()));
        }
        return new Command.Set(key, text.toString());
    }

    private static String optionText(SqlLexer.Token token) {
        return token.kind() == SqlLexer.Kind.STRING || token.kind() == SqlLexer.Kind.QUOTED_NAME
                ? token.value()
                : token.text();
    }

    /** {@code IF EXISTS} (word null) or {@code IF NOT EXISTS} (word "NOT"). */
    private boolean ifExists(String word) {
        if (!peek().isWord("IF")) {
            return false;
        }
        advance();
        if (word != null) {
            expectKeyword(word);
        }
        expectKeyword("EXISTS");
        return true;
    }

    private int endOffset() {
        return tokens.get(tokens.size() - 1).start();
    }

    private SqlLexer.Token peek() {
        return tokens.get(next);
    }

    private SqlLexer.Token advance() {
        SqlLexer.Token token = tokens.get(next);
        if (token.kind() != SqlLexer.Kind.END) {
            next++;
        }
        return token;
    }

    private boolean acceptSymbol(String symbol) {
        if (peek().isSymbol(symbol)) {
            advance();
            return true;
        }
        return false;
    }

    private void expectSymbol(String symbol) {
        SqlLexer.Token token = peek();
        if (!token.isSymbol(symbol)) {
            throw error(token, "expected '" + symbol + "'; got " + describe(token));
        }
        advance();
    }

    /** Any word (a type, the kind of a statement), described as {@code what} in the error. */
    private SqlLexer.Token expectWord(String what) {
        SqlLexer.Token token = peek();
        if (token.kind() != SqlLexer.Kind.WORD) {
            throw error(token, "expected " + what + "; got " + describe(token));
        }
        return advance();
    }

    /** This keyword, in any case. */
    private SqlLexer.Token expectKeyword(String keyword) {
        SqlLexer.Token token = peek();
        if (!token.isWord(keyword)) {
            throw error(token, "expected " + keyword + "; got " + describe(token));
        }
        return advance();
    }

    private SqlLexer.Token expectName(String what) {
        SqlLexer.Token token = peek();
        if (!token.isName()) {
            throw error(token, "expected " + what + "; got " + describe(token));
        }
        return advance();
    }

    private SqlLexer.Token expect(SqlLexer.Kind kind, String what) {
        SqlLexer.Token token = peek();
        if (token.kind() != kind) {
            throw error(token, "expected " + what + "; got " + describe(token));
        }
        return advance();
    }

    private void expectEnd() {
        SqlLexer.Token token = peek();
        if (token.kind() != SqlLexer.Kind.END) {
            throw error(token, "unexpected " + describe(token) + "; expected the end of the statement");
        }
    }

    private static String describe(SqlLexer.Token token) {
        return token.kind() == SqlLexer.Kind.END ? "the end of the statement" : "'" + token.text() + "'";
    }

    private static SqlScriptException error(SqlLexer.Token token, String message) {
        return new SqlScriptException(token.line(), token.column(), message);
    }
}
