package dev.switchboard.spring.boot;

import dev.switchboard.ClusterTrust;
import dev.switchboard.Retention;
import dev.switchboard.SwitchboardOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * The {@code switchboard.*} properties of a Boot application. Every default equals the core's default
 * ({@link SwitchboardOptions#defaults()}); IDEs complete and document them from the configuration metadata
 * this module ships. Bound once at startup; later changes have no effect.
 *
 * <pre>
 * switchboard.path=/ws
 * switchboard.backplane=redis://127.0.0.1:6379
 * switchboard.cluster-trust.key=${SWITCHBOARD_CLUSTER_KEY}
 * switchboard.allowed-origins=https://app.example.com,https://*.example.com
 * switchboard.durable-topics[0].topic=orders:*
 * switchboard.durable-topics[0].max-messages=1000
 * switchboard.durable-topics[0].max-age=1h
 * </pre>
 */
@ConfigurationProperties(prefix = "switchboard")
public class SwitchboardProperties {

    /** Whether to auto-configure a Switchboard node and its WebSocket endpoint. */
    private boolean enabled = true;

    /**
     * Path of the WebSocket endpoint within the application's servlet context; may be a template such as
     * /chat/{room} (the authenticator sees the concrete path).
     */
    private String path = "/ws";

    /** This node's id in the cluster: letters, digits, '.', '_' or '-'. Random ("n-" and 8 hex digits) if unset. */
    private String nodeId;

    /** Backplane URI: none (one node), redis://..., postgres://..., mongodb://... (the module must be on the class path). */
    private String backplane = "none";

    /**
     * Origins allowed to open the WebSocket from a browser: exact origins or patterns such as
     * https://*.example.com, or * for any. Empty: only pages served by this application (same origin);
     * clients that send no Origin header (servers, mobile apps) are always allowed.
     */
    private List<String> allowedOrigins = new ArrayList<>();

    /** How often the server pings; a client silent for two periods is closed with 4000. */
    private Duration heartbeat = Duration.ofSeconds(25);

    /** Largest inbound text frame in bytes; larger ones close the connection with 1009. */
    private int maxFrameBytes = 65_536;

    /** Outbound queue bound per connection in bytes; a connection whose backlog exceeds it is closed with 1013. */
    private long maxQueuedBytes = 1_048_576L;

    /** Timeout of server-to-client requests when none is given. */
    private Duration requestTimeout = Duration.ofSeconds(30);

    /** Inbound frames per second per connection (burst twice that); past it rate_limited then 1008. 0 disables. */
    private int rateLimit = 100;

    /** On Java 17-20, the size of the handler pool (default 4 x CPUs, at least 8); ignored on Java 21+ (virtual threads). */
    private Integer handlerThreads;

    /** On Java 17-20, how many handler tasks may wait; past it a request gets "unavailable". */
    private int handlerQueue = 10_000;

    /** How often this node announces itself to the cluster through the backplane. */
    private Duration clusterHeartbeat = Duration.ofSeconds(5);

    /** How long a cluster-wide query waits for the other nodes before answering with what it has. */
    private Duration clusterQueryTimeout = Duration.ofSeconds(3);

    /** How long an emit to a durable topic waits for the history store before it fails. */
    private Duration historyTimeout = Duration.ofSeconds(5);

    /**
     * How long a durable topic with subscribers on this node may hear nothing before the node compares what it
     * delivered with the history and delivers what it missed; 0 turns it off.
     */
    private Duration historyCheckInterval = Duration.ofSeconds(30);

    /**
     * On shutdown, how long the node's drain lets requests in flight finish before it closes the clients with
     * 1012 (then at most 2 s more for their close handshakes), before the web server stops.
     */
    private Duration shutdownTimeout = Duration.ofSeconds(5);

    /** Durable topics: events keep offsets and a history, so a client that resubscribes with "since" misses nothing. */
    private List<DurableTopic> durableTopics = new ArrayList<>();

    /**
     * The CloudEvents "source" of events routed without one, as cloudevents.json clients see them; give every
     * node of a cluster the same.
     */
    private String cloudEventSource = "/switchboard";

    /** The HTTP endpoints: the emit API (POST /api/emit) and CloudEvents (POST /events), both off by default. */
    private final Http http = new Http();

    /** The shared keys with which the nodes sign and verify every backplane message (off by default). */
    private final ClusterTrustProperties clusterTrust = new ClusterTrustProperties();

    /**
     * @return the core options these properties describe
     * @throws IllegalArgumentException when a value is out of range (the message names it)
     */
    public SwitchboardOptions toOptions() {
        SwitchboardOptions.Builder b = SwitchboardOptions.builder()
                .heartbeat(heartbeat)
                .maxFrameBytes(maxFrameBytes)
                .maxQueuedBytes(maxQueuedBytes)
                .requestTimeout(requestTimeout)
                .rateLimit(rateLimit)
                .handlerQueue(handlerQueue)
                .clusterHeartbeat(clusterHeartbeat)
                .clusterQueryTimeout(clusterQueryTimeout)
                .historyTimeout(historyTimeout)
                .historyCheckInterval(historyCheckInterval);
        if (nodeId != null && !nodeId.isBlank()) {
            b.nodeId(nodeId.trim());
        }
        if (handlerThreads != null) {
            b.handlerThreads(handlerThreads);
        }
        return b.build();
    }

    /** The node's HTTP endpoints, mounted in the application's servlet container. */
    public static class Http {
        /** The largest request body either endpoint accepts; larger ones get 413. */
        private DataSize maxBodySize = DataSize.ofKilobytes(256);

        /** The emit API: other services route events to users, roles, organisations, topics or connections. */
        private final Emit emit = new Emit();

        /** CloudEvents in: brokers and triggers hand events to the application's onCloudEvent handlers. */
        private final Events events = new Events();

        /** @return the body limit */
        public DataSize getMaxBodySize() {
            return maxBodySize;
        }

        /** @param maxBodySize the body limit */
        public void setMaxBodySize(DataSize maxBodySize) {
            this.maxBodySize = maxBodySize;
        }

        /** @return the emit API's settings */
        public Emit getEmit() {
            return emit;
        }

        /** @return the CloudEvents endpoint's settings */
        public Events getEvents() {
            return events;
        }
    }

    /** The emit API ({@code POST /api/emit}). */
    public static class Emit {
        /**
         * Whether to serve the emit API. It needs callers' credentials: api-keys, or an HttpAuthorizer bean
         * named switchboardEmitAuthorizer (either is enough when both are given).
         */
        private boolean enabled;

        /** The emit API's path within the servlet context. */
        private String path = "/api/emit";

        /**
         * API keys by caller name (at least 16 characters each), sent as "Authorization: Bearer KEY" or "X-API-Key:
         * KEY". Several may be valid at once, which is how a key is rotated.
         */
        private Map<String, String> apiKeys = new LinkedHashMap<>();

        /** How long a message id is remembered: a message sent again with the same id within it is not delivered again. 0 turns it off. */
        private Duration dedupWindow = Duration.ofMinutes(10);

        /** How many message ids the de-duplication remembers at most. */
        private int dedupCapacity = 100_000;

        /** @return whether the emit API is served */
        public boolean isEnabled() {
            return enabled;
        }

        /** @param enabled whether the emit API is served */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        /** @return the path */
        public String getPath() {
            return path;
        }

        /** @param path the path */
        public void setPath(String path) {
            this.path = path;
        }

        /** @return the API keys by caller name */
        public Map<String, String> getApiKeys() {
            return apiKeys;
        }

        /** @param apiKeys the API keys by caller name */
        public void setApiKeys(Map<String, String> apiKeys) {
            this.apiKeys = apiKeys;
        }

        /** @return the de-duplication window */
        public Duration getDedupWindow() {
            return dedupWindow;
        }

        /** @param dedupWindow the de-duplication window */
        public void setDedupWindow(Duration dedupWindow) {
            this.dedupWindow = dedupWindow;
        }

        /** @return how many ids are remembered */
        public int getDedupCapacity() {
            return dedupCapacity;
        }

        /** @param dedupCapacity how many ids are remembered */
        public void setDedupCapacity(int dedupCapacity) {
            this.dedupCapacity = dedupCapacity;
        }
    }

    /** The CloudEvents endpoint ({@code POST /events}). */
    public static class Events {
        /** Whether to serve the CloudEvents endpoint (binary, structured and batch mode). */
        private boolean enabled;

        /** The CloudEvents endpoint's path within the servlet context. */
        private String path = "/events";

        /**
         * API keys by caller name that may post events; empty: anyone may (events only reach the handlers the
         * application registered). An HttpAuthorizer bean named switchboardEventsAuthorizer applies too.
         */
        private Map<String, String> apiKeys = new LinkedHashMap<>();

        /** @return whether the endpoint is served */
        public boolean isEnabled() {
            return enabled;
        }

        /** @param enabled whether the endpoint is served */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        /** @return the path */
        public String getPath() {
            return path;
        }

        /** @param path the path */
        public void setPath(String path) {
            this.path = path;
        }

        /** @return the API keys by caller name */
        public Map<String, String> getApiKeys() {
            return apiKeys;
        }

        /** @param apiKeys the API keys by caller name */
        public void setApiKeys(Map<String, String> apiKeys) {
            this.apiKeys = apiKeys;
        }
    }

    /**
     * {@code switchboard.cluster-trust.*}: HMAC-SHA256 signatures on every backplane message. Take the secrets
     * from the environment ({@code SWITCHBOARD_CLUSTER_TRUST_KEY}), never from a committed file.
     */
    public static class ClusterTrustProperties {
        /** The shared secret this node signs with (at least 32 bytes, e.g. openssl rand -base64 32); unset: unsigned. */
        private String key;

        /** Earlier secrets still accepted when verifying, during a rotation. */
        private List<String> previousKeys = new ArrayList<>();

        /** Admit unsigned routed messages while a cluster moves to signing; membership and queries still need a signature. */
        private boolean acceptUnsigned;

        /** How far a message's time stamp may be from this node's clock, either way, before it is dropped as a replay. */
        private Duration maxAge = Duration.ofMinutes(2);

        /**
         * @return the core's trust these properties describe
         * @throws IllegalArgumentException when a secret is too short
         */
        public ClusterTrust toClusterTrust() {
            return ClusterTrust.builder().key(key).previousKeys(previousKeys.toArray(String[]::new))
                    .acceptUnsigned(acceptUnsigned).maxAge(maxAge).build();
        }

        /** @return the current secret, or {@code null} */
        public String getKey() {
            return key;
        }

        /** @param key the current secret */
        public void setKey(String key) {
            this.key = key;
        }

        /** @return the earlier secrets still accepted */
        public List<String> getPreviousKeys() {
            return previousKeys;
        }

        /** @param previousKeys the earlier secrets still accepted */
        public void setPreviousKeys(List<String> previousKeys) {
            this.previousKeys = previousKeys;
        }

        /** @return whether unsigned routed messages are admitted */
        public boolean isAcceptUnsigned() {
            return acceptUnsigned;
        }

        /** @param acceptUnsigned whether unsigned routed messages are admitted */
        public void setAcceptUnsigned(boolean acceptUnsigned) {
            this.acceptUnsigned = acceptUnsigned;
        }

        /** @return the replay window */
        public Duration getMaxAge() {
            return maxAge;
        }

        /** @param maxAge the replay window */
        public void setMaxAge(Duration maxAge) {
            this.maxAge = maxAge;
        }
    }

    /** One durable topic or topic pattern and its retention. */
    public static class DurableTopic {
        /** A topic name, or a prefix ending with * (orders:*); the longest matching prefix wins. */
        private String topic;

        /** How many messages are kept; 1 makes a last-value topic (new subscribers get the latest at once). */
        private int maxMessages = 1000;

        /** How long a message is kept; no age limit if unset. */
        private Duration maxAge;

        /**
         * @return the core's retention for this entry
         * @throws IllegalArgumentException when the topic is missing or a value is out of range
         */
        public Retention toRetention() {
            if (topic == null || topic.isBlank()) {
                throw new IllegalArgumentException("switchboard.durable-topics[].topic is required");
            }
            Retention r = Retention.lastMessages(maxMessages);
            return maxAge == null ? r : r.maxAge(maxAge);
        }

        /** @return the topic or pattern */
        public String getTopic() {
            return topic;
        }

        /** @param topic the topic or pattern */
        public void setTopic(String topic) {
            this.topic = topic;
        }

        /** @return how many messages are kept */
        public int getMaxMessages() {
            return maxMessages;
        }

        /** @param maxMessages how many messages are kept */
        public void setMaxMessages(int maxMessages) {
            this.maxMessages = maxMessages;
        }

        /** @return the age limit, or {@code null} */
        public Duration getMaxAge() {
            return maxAge;
        }

        /** @param maxAge the age limit */
        public void setMaxAge(Duration maxAge) {
            this.maxAge = maxAge;
        }
    }

    /** @return whether auto-configuration is on */
    public boolean isEnabled() {
        return enabled;
    }

    /** @param enabled whether auto-configuration is on */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /** @return the endpoint path */
    public String getPath() {
        return path;
    }

    /** @param path the endpoint path */
    public void setPath(String path) {
        this.path = path;
    }

    /** @return the node id, or {@code null} for a random one */
    public String getNodeId() {
        return nodeId;
    }

    /** @param nodeId the node id */
    public void setNodeId(String nodeId) {
        this.nodeId = nodeId;
    }

    /** @return the backplane URI */
    public String getBackplane() {
        return backplane;
    }

    /** @param backplane the backplane URI */
    public void setBackplane(String backplane) {
        this.backplane = backplane;
    }

    /** @return the allowed origins and origin patterns */
    public List<String> getAllowedOrigins() {
        return allowedOrigins;
    }

    /** @param allowedOrigins the allowed origins and origin patterns */
    public void setAllowedOrigins(List<String> allowedOrigins) {
        this.allowedOrigins = allowedOrigins;
    }

    /** @return the ping period */
    public Duration getHeartbeat() {
        return heartbeat;
    }

    /** @param heartbeat the ping period */
    public void setHeartbeat(Duration heartbeat) {
        this.heartbeat = heartbeat;
    }

    /** @return the largest inbound frame */
    public int getMaxFrameBytes() {
        return maxFrameBytes;
    }

    /** @param maxFrameBytes the largest inbound frame */
    public void setMaxFrameBytes(int maxFrameBytes) {
        this.maxFrameBytes = maxFrameBytes;
    }

    /** @return the outbound queue bound */
    public long getMaxQueuedBytes() {
        return maxQueuedBytes;
    }

    /** @param maxQueuedBytes the outbound queue bound */
    public void setMaxQueuedBytes(long maxQueuedBytes) {
        this.maxQueuedBytes = maxQueuedBytes;
    }

    /** @return the default server-to-client request timeout */
    public Duration getRequestTimeout() {
        return requestTimeout;
    }

    /** @param requestTimeout the default server-to-client request timeout */
    public void setRequestTimeout(Duration requestTimeout) {
        this.requestTimeout = requestTimeout;
    }

    /** @return inbound frames per second per connection */
    public int getRateLimit() {
        return rateLimit;
    }

    /** @param rateLimit inbound frames per second per connection, 0 = unlimited */
    public void setRateLimit(int rateLimit) {
        this.rateLimit = rateLimit;
    }

    /** @return the handler pool size, or {@code null} for the core's default */
    public Integer getHandlerThreads() {
        return handlerThreads;
    }

    /** @param handlerThreads the handler pool size on Java 17-20 */
    public void setHandlerThreads(Integer handlerThreads) {
        this.handlerThreads = handlerThreads;
    }

    /** @return the handler queue length */
    public int getHandlerQueue() {
        return handlerQueue;
    }

    /** @param handlerQueue the handler queue length on Java 17-20 */
    public void setHandlerQueue(int handlerQueue) {
        this.handlerQueue = handlerQueue;
    }

    /** @return the cluster heartbeat period */
    public Duration getClusterHeartbeat() {
        return clusterHeartbeat;
    }

    /** @param clusterHeartbeat the cluster heartbeat period */
    public void setClusterHeartbeat(Duration clusterHeartbeat) {
        this.clusterHeartbeat = clusterHeartbeat;
    }

    /** @return the cluster query timeout */
    public Duration getClusterQueryTimeout() {
        return clusterQueryTimeout;
    }

    /** @param clusterQueryTimeout the cluster query timeout */
    public void setClusterQueryTimeout(Duration clusterQueryTimeout) {
        this.clusterQueryTimeout = clusterQueryTimeout;
    }

    /** @return the durable emit timeout */
    public Duration getHistoryTimeout() {
        return historyTimeout;
    }

    /** @param historyTimeout the durable emit timeout */
    public void setHistoryTimeout(Duration historyTimeout) {
        this.historyTimeout = historyTimeout;
    }

    /** @return how long an idle durable topic waits before its history is checked */
    public Duration getHistoryCheckInterval() {
        return historyCheckInterval;
    }

    /** @param historyCheckInterval how long an idle durable topic waits before its history is checked */
    public void setHistoryCheckInterval(Duration historyCheckInterval) {
        this.historyCheckInterval = historyCheckInterval;
    }

    /** @return the close-handshake wait on shutdown */
    public Duration getShutdownTimeout() {
        return shutdownTimeout;
    }

    /** @param shutdownTimeout the close-handshake wait on shutdown */
    public void setShutdownTimeout(Duration shutdownTimeout) {
        this.shutdownTimeout = shutdownTimeout;
    }

    /** @return the default CloudEvents source */
    public String getCloudEventSource() {
        return cloudEventSource;
    }

    /** @param cloudEventSource the default CloudEvents source */
    public void setCloudEventSource(String cloudEventSource) {
        this.cloudEventSource = cloudEventSource;
    }

    /** @return the HTTP endpoints' settings */
    public Http getHttp() {
        return http;
    }

    /** @return the cluster trust settings */
    public ClusterTrustProperties getClusterTrust() {
        return clusterTrust;
    }

    /** @return the durable topics */
    public List<DurableTopic> getDurableTopics() {
        return durableTopics;
    }

    /** @param durableTopics the durable topics */
    public void setDurableTopics(List<DurableTopic> durableTopics) {
        this.durableTopics = durableTopics;
    }
}
