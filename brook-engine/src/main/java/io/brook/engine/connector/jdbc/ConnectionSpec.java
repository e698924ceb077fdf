package io.brook.engine.connector.jdbc;

import static java.util.Objects.requireNonNull;

import io.brook.engine.BrookException;
import io.brook.engine.ErrorCode;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Where and as whom to connect, from the {@code url}, {@code user}, {@code password} and {@code driver} options that the
 * JDBC sink and source share. Opening loads the driver class first when one is named, for drivers that do not register
 * themselves.
 */
record ConnectionSpec(String url, Optional<String> user, Optional<String> password, Optional<String> driver) {
    ConnectionSpec {
        requireNonNull(url, "url is null");
        requireNonNull(user, "user is null");
        requireNonNull(password, "password is null");
        requireNonNull(driver, "driver is null");
    }

    /** The connection options of a sink or source ({@code role} is "sink" or "source", for messages). */
    static ConnectionSpec parse(Map<String, String> options, String role) {
        String url = options.get("url");
        if (url == null || url.isBlank()) {
            throw new BrookException(
                    ErrorCode.INVALID_OPTION,
                    "the jdbc " + role + " needs option url, e.g. \"jdbc:postgresql://localhost:5432/mydb\"");
        }
        if (!url.strip().startsWith("jdbc:")) {
            throw new BrookException(
                    ErrorCode.INVALID_OPTION,
                    "option url of the jdbc " + role + " must start with 'jdbc:'; got '" + url + "'");
        }
        return new ConnectionSpec(
                url.strip(),
                Optional.ofNullable(options.get("user")),
                Optional.ofNullable(options.get("password")),
                Optional.ofNullable(options.get("driver")).map(String::strip));
    }

    /**
     * A new connection; the caller closes it.
     *
     * @throws BrookException with {@code failure} when the driver is missing or the database refuses
     */
    Connection open(ErrorCode failure) {
        if (driver.isPresent()) {
            try {
                Class.forName(driver.get());
            } catch (ClassNotFoundException e) {
                throw new BrookException(
                        ErrorCode.INVALID_OPTION,
                        "JDBC driver class '" + driver.get() + "' (option driver) is not on the class path; add the"
                                + " driver's jar",
                        e);
            }
        }
        Properties properties = new Properties();
        user.ifPresent(value -> properties.setProperty("user", value));
        password.ifPresent(value -> properties.setProperty("password", value));
        try {
            return DriverManager.getConnection(url, properties);
        } catch (SQLException e) {
            throw new BrookException(failure, "cannot connect to " + url + ": " + JdbcErrors.describe(e), e);
        }
    }
}
