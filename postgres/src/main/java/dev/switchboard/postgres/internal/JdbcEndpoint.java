package dev.switchboard.postgres.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;
import java.util.Properties;
import org.postgresql.Driver;

/**
 * Where to connect: a pgjdbc URL and, optionally, credentials kept out of the URL so they never reach
 * a log line. Opens connections with the driver directly (no {@code DriverManager} lookup, which can
 * miss a driver in another class loader).
 *
 * @param url a {@code jdbc:postgresql:} URL
 * @param user the user, or null (from the URL, or the driver's default)
 * @param password the password, or null
 */
public record JdbcEndpoint(String url, String user, String password) {
    private static final Driver DRIVER = new Driver();

    /** Validates. */
    public JdbcEndpoint {
        Objects.requireNonNull(url, "url");
        if (!url.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("not a jdbc:postgresql: URL: " + PostgresUri.redact(url));
        }
    }

    /**
     * Opens a connection. Blocks for at most the URL's {@code connectTimeout} (10 s by default here).
     *
     * @param extra driver properties to add, e.g. {@code socketTimeout}; may be empty
     * @return a new connection in auto-commit mode
     * @throws SQLException when the server cannot be reached or refuses
     */
    public Connection open(Properties extra) throws SQLException {
        Properties props = new Properties();
        props.putAll(extra);
        if (user != null) {
            props.setProperty("user", user);
        }
        if (password != null) {
            props.setProperty("password", password);
        }
        Connection c = DRIVER.connect(url, props);
        if (c == null) {
            throw new SQLException("the driver does not accept " + PostgresUri.redact(url));
        }
        return c;
    }

    /** @return the URL without its password, for messages */
    public String describe() {
        return PostgresUri.redact(url) + (user == null ? "" : " as " + user);
    }

    @Override
    public String toString() {
        return "JdbcEndpoint[" + describe() + "]";
    }
}
