package io.brook.engine.exec;

import io.brook.engine.batch.Batch;
import io.brook.engine.plan.BatchTable;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.calcite.plan.Contexts;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.tools.Frameworks;
import org.apache.calcite.tools.RelBuilder;

/** One batch as table {@code t}, and expressions RelBuilder builds over it evaluated row by row, for function tests. */
final class ExpressionHarness {
    private final Batch batch;

    ExpressionHarness(Batch batch) {
        this.batch = batch;
    }

    RelBuilder builder() {
        SchemaPlus root = Frameworks.createRootSchema(true);
        root.add("t", new BatchTable(batch.schema()));
        // Without simplification, so each test's expression reaches the compiler as written.
        return RelBuilder.create(Frameworks.newConfigBuilder()
                        .defaultSchema(root)
                        .context(Contexts.of(RelBuilder.Config.DEFAULT.withSimplify(false)))
                        .build())
                .scan("t");
    }

    /** The values of an expression over the table's rows, in order (nulls as null). */
    List<Object> values(Function<RelBuilder, RexNode> expression) {
        RelBuilder b = builder();
        return column(run(b.project(expression.apply(b)).build()));
    }

    /** The rows a plan produces over the table. */
    List<List<Object>> run(RelNode plan) {
        List<List<Object>> rows = new ArrayList<>();
        new LocalExecutor(Map.of("t", List.of(batch))).execute(plan).forEach(out -> rows.addAll(out.rows()));
        return rows;
    }

    static List<Object> column(List<List<Object>> rows) {
        List<Object> values = new ArrayList<>();
        rows.forEach(row -> values.add(row.get(0)));
        return values;
    }

    static RelDataType nullable(RelBuilder b, SqlTypeName name) {
        return b.getTypeFactory().createTypeWithNullability(b.getTypeFactory().createSqlType(name), true);
    }

    static RelDataType nullable(RelBuilder b, SqlTypeName name, int precision, int scale) {
        return b.getTypeFactory()
                .createTypeWithNullability(b.getTypeFactory().createSqlType(name, precision, scale), true);
    }

    /** Microseconds since the epoch of an ISO instant such as {@code 2024-03-15T13:45:30.123456Z}. */
    static long micros(String instant) {
        Instant at = Instant.parse(instant);
        return at.getEpochSecond() * 1_000_000L + at.getNano() / 1000;
    }

    static int days(String date) {
        return (int) LocalDate.parse(date).toEpochDay();
    }
}
