package dev.switchboard.http;

import dev.switchboard.Switchboard;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Which of the node's HTTP services a server mounts, where, and who may call them: the emit API
 * ({@code POST /api/emit}, off until it has an authorizer) and the CloudEvents endpoint
 * ({@code POST /events}, on). Transport-neutral: the Jetty transport takes it, and any other adapter
 * mounts {@link #services(Switchboard)}. Immutable; validated at construction.
 *
 * <pre>{@code
 * HttpApiOptions api = HttpApiOptions.builder()
 *         .emitApi(ApiKeys.parse(System.getenv("SWITCHBOARD_EMIT_KEYS")))   // turns POST /api/emit on
 *         .build();
 * }</pre>
 *
 * @param emitPath the emit API's path (default {@code /api/emit})
 * @param emitAuthorizer who may emit; {@code null} turns the emit API off (default: off)
 * @param cloudEvents whether the CloudEvents endpoint is on (default true)
 * @param cloudEventsPath its path (default {@code /events})
 * @param cloudEventsAuthorizer who may post events (default {@link HttpAuthorizer#allowAll()}: events
 *     only reach the handlers the application registered; restrict it when the endpoint is reachable
 *     from outside a trusted network)
 * @param maxBodyBytes the largest request body either accepts (default 256 KiB); larger ones get 413
 */
public record HttpApiOptions(String emitPath, HttpAuthorizer emitAuthorizer, boolean cloudEvents,
                             String cloudEventsPath, HttpAuthorizer cloudEventsAuthorizer, int maxBodyBytes) {

    /** Validates. */
    public HttpApiOptions {
        requirePath(emitPath, "emitPath");
        requirePath(cloudEventsPath, "cloudEventsPath");
        Objects.requireNonNull(cloudEventsAuthorizer, "cloudEventsAuthorizer");
        if ((emitAuthorizer != null) && cloudEvents && emitPath.equals(cloudEventsPath)) {
            throw new IllegalArgumentException("emitPath and cloudEventsPath must differ: " + emitPath);
        }
        if (maxBodyBytes < 1) {
            throw new IllegalArgumentException("maxBodyBytes must be positive: " + maxBodyBytes);
        }
    }

    /** @return the defaults: emit API off, {@code POST /events} on for everyone, 256 KiB bodies */
    public static HttpApiOptions defaults() {
        return builder().build();
    }

    /** @return a builder starting from the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return true when the emit API is on (it has an authorizer) */
    public boolean emitEnabled() {
        return emitAuthorizer != null;
    }

    /**
     * @param board the node the services act on
     * @return the services that are on, by path, to mount as exact paths
     */
    public Map<String, HttpService> services(Switchboard board) {
        Map<String, HttpService> out = new LinkedHashMap<>();
        if (emitAuthorizer != null) {
            out.put(emitPath, EmitHttpService.create(board.emitService(), emitAuthorizer, board.mapper(), maxBodyBytes));
        }
        if (cloudEvents) {
            out.put(cloudEventsPath, CloudEventsHttpService.create(board, cloudEventsAuthorizer, maxBodyBytes));
        }
        return out;
    }

    private static void requirePath(String path, String name) {
        Objects.requireNonNull(path, name);
        if (!path.startsWith("/") || path.contains("*") || path.contains("{")) {
            throw new IllegalArgumentException(name + " must be an exact path starting with '/': " + path);
        }
    }

    /** Builds {@link HttpApiOptions}; see the record's components for the defaults. Not thread-safe. */
    public static final class Builder {
        private String emitPath = "/api/emit";
        private HttpAuthorizer emitAuthorizer;
        private boolean cloudEvents = true;
        private String cloudEventsPath = "/events";
        private HttpAuthorizer cloudEventsAuthorizer = HttpAuthorizer.allowAll();
        private int maxBodyBytes = HttpService.DEFAULT_MAX_BODY_BYTES;

        private Builder() {
        }

        /** @param authorizer who may emit, e.g. {@link ApiKeys}; {@code null} turns the emit API off @return this */
        public Builder emitApi(HttpAuthorizer authorizer) {
            emitAuthorizer = authorizer;
            return this;
        }

        /** @param v the emit API's path (default {@code /api/emit}) @return this */
        public Builder emitPath(String v) {
            emitPath = v;
            return this;
        }

        /** @param v whether {@code POST /events} is on (default true) @return this */
        public Builder cloudEvents(boolean v) {
            cloudEvents = v;
            return this;
        }

        /** @param v the CloudEvents endpoint's path (default {@code /events}) @return this */
        public Builder cloudEventsPath(String v) {
            cloudEventsPath = v;
            return this;
        }

        /** @param v who may post events (default everyone) @return this */
        public Builder cloudEventsAuthorizer(HttpAuthorizer v) {
            cloudEventsAuthorizer = v;
            return this;
        }

        /** @param v the largest request body, in bytes (default 256 KiB) @return this */
        public Builder maxBodyBytes(int v) {
            maxBodyBytes = v;
            return this;
        }

        /** @return validated options */
        public HttpApiOptions build() {
            return new HttpApiOptions(emitPath, emitAuthorizer, cloudEvents, cloudEventsPath, cloudEventsAuthorizer,
                    maxBodyBytes);
        }
    }
}
