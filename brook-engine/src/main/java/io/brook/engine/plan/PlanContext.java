package io.brook.engine.plan;

import io.brook.engine.batch.Schema;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.calcite.adapter.java.JavaTypeFactory;
import org.apache.calcite.config.CalciteConnectionConfig;
import org.apache.calcite.config.CalciteConnectionConfigImpl;
import org.apache.calcite.config.CalciteConnectionProperty;
import org.apache.calcite.jdbc.CalciteSchema;
import org.apache.calcite.jdbc.JavaTypeFactoryImpl;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.plan.hep.HepPlanner;
import org.apache.calcite.plan.hep.HepProgram;
import org.apache.calcite.prepare.CalciteCatalogReader;
import org.apache.calcite.prepare.RelOptTableImpl;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.logical.LogicalTableScan;
import org.apache.calcite.rel.metadata.JaninoRelMetadataProvider;
import org.apache.calcite.rel.metadata.RelMetadataQuery;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.tools.RelBuilder;

/**
 * The Calcite objects one session shares: a type factory, a cluster, and a catalog of the tables its Datasets scan.
 * Every plan of a session is built in this cluster, so expressions from parsed SQL and from the Dataset API mix freely.
 * Thread-safe for reads; tables are registered under a lock.
 */
public final class PlanContext {
    private final JavaTypeFactory typeFactory = new JavaTypeFactoryImpl(BrookTypeSystem.INSTANCE);
    private final CalciteSchema rootSchema = CalciteSchema.createRootSchema(false, false);
    private final RelOptCluster cluster;
    private final CalciteCatalogReader catalogReader;
    private final AtomicInteger nextTableId = new AtomicInteger();
    private final UserFunctions functions = new UserFunctions();

    public PlanContext() {
        this.cluster = RelOptCluster.create(new HepPlanner(HepProgram.builder().build()), new RexBuilder(typeFactory));
        // Metadata (the field trimmer asks for collations) from Calcite's default handlers on any thread: by default
        // a query finds them in a thread-local that threads of an HTTP server never had set.
        this.cluster.setMetadataQuerySupplier(() -> new RelMetadataQuery(JaninoRelMetadataProvider.DEFAULT));
        this.catalogReader = new CalciteCatalogReader(rootSchema, List.of(), typeFactory, connectionConfig());
    }

    /** Case-sensitive names, as in Flink SQL and in Brook's Dataset API. */
    static CalciteConnectionConfig connectionConfig() {
        Properties properties = new Properties();
        properties.setProperty(CalciteConnectionProperty.CASE_SENSITIVE.camelName(), "true");
        return new CalciteConnectionConfigImpl(properties);
    }

    /** The session's user-defined functions. */
    public UserFunctions functions() {
        return functions;
    }

    public JavaTypeFactory typeFactory() {
        return typeFactory;
    }

    public RelOptCluster cluster() {
        return cluster;
    }

    public CalciteCatalogReader catalogReader() {
        return catalogReader;
    }

    /** A new builder over this context's tables; builders are cheap and not thread-safe. */
    public RelBuilder builder() {
        return RelBuilder.proto(cluster.getPlanner().getContext()).create(cluster, catalogReader);
    }

    /**
     * A scan of a table that lives only in the plan (not in the catalog), under a fresh name made of a prefix and a
     * number, so that Datasets made and dropped by the thousand (one per micro-batch for foreachBatch) leave nothing
     * behind.
     */
    public RelNode scan(String prefix, SourceTable table) {
        String name = prefix + "_" + nextTableId.getAndIncrement();
        RelOptTable relTable = RelOptTableImpl.create(
                catalogReader, table.getRowType(typeFactory), table, com.google.common.collect.ImmutableList.of(name));
        return LogicalTableScan.create(cluster, relTable, List.of());
    }

    /** A table's row type in this context's type factory. */
    public org.apache.calcite.rel.type.RelDataType rowType(Schema schema) {
        return RelTypes.toRowType(typeFactory, schema);
    }
}
