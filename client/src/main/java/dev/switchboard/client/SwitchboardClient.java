package dev.switchboard.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.ConnectionClosedException;
import dev.switchboard.RequestTimeoutException;
import dev.switchboard.StreamPosition;
import dev.switchboard.SwitchboardException;
import dev.switchboard.client.internal.DefaultSwitchboardClient;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * A connection to a Switchboard server speaking wire protocol v1 over the JDK's
 * {@link java.net.http.WebSocket}.
 *
 * <pre>{@code
 * try (SwitchboardClient client = SwitchboardClient.create(
 *         ClientOptions.builder(URI.create("ws://localhost:8080/ws")).token(jwt).build())) {
 *     // listeners added before connect() also get what the server sends right after its welcome
 *     client.on("chat.message", String.class, (text, topic) -> System.out.println(text));
 *     client.connect().join();
 *     client.subscribe("lobby").join();
 *     client.emit("chat.send", "hello");
 *     JsonNode echoed = client.request("echo", Map.of("x", 1)).join();
 * }
 * }</pre>
 *
 * <p>{@link #connect(ClientOptions)} creates and connects in one call; listeners added after its future
 * completed may miss events the server sent at once (a greeting from the server's {@code onConnect}).
 *
 * <h2>Threading</h2>
 * Every method is thread-safe and non-blocking. Listeners, handlers and the completions of the futures
 * this client returns run on the {@linkplain ClientOptions#callbackExecutor() callback executor}, never on
 * the WebSocket I/O thread; with the default single-threaded executor they run one at a time in the order
 * the frames arrived (a subscribe's reply completes before the topic's first event is delivered). Do not
 * block that thread waiting for one of this client's futures: the completion would queue behind the
 * blocked callback. {@code ping} frames are answered with {@code pong} on the I/O thread, so a slow
 * listener never causes a heartbeat timeout.
 *
 * <h2>Errors</h2>
 * Futures fail with a {@link SwitchboardException} carrying the wire {@link dev.switchboard.ErrorCode}:
 * the server's error reply, {@link RequestTimeoutException} ({@code timeout}) when no reply came in time,
 * or {@link ConnectionClosedException} ({@code unavailable}) when the connection closed first.
 *
 * <h2>Durable topics</h2>
 * Every event of a durable topic carries an increasing {@code offset} within the topic's {@code epoch}.
 * Each subscription remembers its {@link #position(String) position} — from the subscribe reply, then from
 * every event — and drops an event whose offset is not above the highest one it delivered in that epoch
 * (a duplicate). After a reconnect it re-subscribes with {@code since} = that position, so it resumes, on
 * any node, right after the last event it delivered; {@link #onResubscribe(ResubscribeListener)} tells the
 * application whether the gap was recovered. A reply with another epoch restarts the offsets (the history
 * was lost: nothing is recovered).
 *
 * <h2>Reconnect</h2>
 * When an open connection is lost and {@link ClientOptions#reconnect()} is on, the client moves to
 * {@link ClientState#RECONNECTING}, waits a backoff delay drawn uniformly from
 * {@code [0, min(max, initial × multiplier^attempt)]}, and connects again; after the new {@code welcome}
 * it re-subscribes every topic subscribed through {@link #subscribe(String)} (with {@code since} on
 * durable topics, so missed events are recovered where the server still has them, and tells the
 * {@link #onResubscribe(ResubscribeListener) re-subscribe listeners} whether they were), then becomes
 * {@link ClientState#OPEN} and sends what was queued meanwhile. Requests already sent on the lost
 * connection fail with {@link ConnectionClosedException} (the server cannot answer them on another
 * connection); requests and emits made while reconnecting wait in a bounded queue, each up to its own
 * timeout. The client does <em>not</em> reconnect, and closes, when:
 * <ul>
 *   <li>the user called {@link #close()};</li>
 *   <li>the server closed with 1000 (normal: the server ended the session on purpose) or 1008 (policy
 *       violation, e.g. rate limit exceeded: reconnecting would be refused again);</li>
 *   <li>a reconnect handshake was refused with HTTP 401 or 403 (the credentials are no longer
 *       accepted);</li>
 *   <li>{@link ClientOptions#maxReconnectAttempts()} attempts in a row failed.</li>
 * </ul>
 * Every other loss (1001 server shutdown, 1006 broken connection, 1011, 1013, 4000, no frame from the
 * server for two and a half of its announced heartbeat periods, other handshake failures) is retried. The first connection is not retried: when
 * {@link #connect(ClientOptions)} fails, it fails.
 */
public interface SwitchboardClient extends AutoCloseable {

    /**
     * Creates a client without connecting it ({@link ClientState#NEW}): add listeners, request handlers
     * and state listeners, then call {@link #connect()}. Nothing the server sends on the first connection
     * can reach the client before those listeners. Emits, requests and subscribes made before
     * {@code connect()} wait in the reconnect queue (at most {@link ClientOptions#maxQueuedFrames()}, each
     * up to its timeout) and are sent after the first {@code welcome}. Opens no socket and starts no
     * thread; {@link #close()} a client that is never connected to fail what was queued.
     *
     * @param options the settings
     * @return the new client
     */
    static SwitchboardClient create(ClientOptions options) {
        return DefaultSwitchboardClient.create(options);
    }

    /**
     * Opens the first connection of a client made by {@link #create} and waits, asynchronously, for the
     * server's {@code welcome} frame. Calling it again returns the same future.
     *
     * @return completes with this client once {@link ClientState#OPEN}; fails as
     *     {@link #connect(ClientOptions)}, or with {@link ConnectionClosedException} when the client was
     *     closed before
     */
    CompletableFuture<SwitchboardClient> connect();

    /**
     * Creates a client and connects it: {@code create(options).connect()}. Listeners added once the
     * future completed may miss events the server sends right after its {@code welcome}; add them to a
     * client from {@link #create} before {@link #connect()} instead.
     *
     * @param options the settings
     * @return the connected client; fails with a {@link SwitchboardException}: {@code unauthorized} or
     *     {@code forbidden} when the handshake was refused with 401 or 403, {@code unavailable} when the
     *     server could not be reached, refused the upgrade otherwise, closed before welcoming, or sent
     *     no {@code welcome} within {@link ClientOptions#connectTimeout()}
     */
    static CompletableFuture<SwitchboardClient> connect(ClientOptions options) {
        return DefaultSwitchboardClient.connect(options);
    }

    /**
     * Connects with the default options.
     *
     * @param uri the endpoint, e.g. {@code ws://localhost:8080/ws}
     * @return the connected client, as {@link #connect(ClientOptions)}
     */
    static CompletableFuture<SwitchboardClient> connect(URI uri) {
        return connect(ClientOptions.of(uri));
    }

    /** @return the id the server gave the current (or, while reconnecting, the last) connection */
    String connectionId();

    /** @return the id of the server node of the current (or last) connection */
    String nodeId();

    /** @return the current state */
    ClientState state();

    /** @return the options this client was created with */
    ClientOptions options();

    /** @return the mapper used to convert data */
    ObjectMapper mapper();

    /**
     * Sends an {@code emit} frame: fire-and-forget, handled by the server's {@code on(event, ...)}.
     *
     * @param event the event name
     * @param data any value the mapper can serialise, or {@code null}
     * @return completes when the frame was handed to the socket; fails with
     *     {@link ConnectionClosedException} when the client is closed, the reconnect queue is full, the
     *     client did not reconnect within {@link ClientOptions#requestTimeout()}, or the write failed
     * @throws IllegalArgumentException when {@code data} cannot be serialised
     */
    CompletableFuture<Void> emit(String event, Object data);

    /**
     * Sends a request with the {@linkplain ClientOptions#requestTimeout() default timeout}.
     *
     * @param event the event name of the server's request handler
     * @param data any value the mapper can serialise, or {@code null}
     * @return the reply's data (JSON {@code null} as {@link com.fasterxml.jackson.databind.node.NullNode})
     * @throws IllegalArgumentException when {@code data} cannot be serialised
     * @see #request(String, Object, Duration)
     */
    CompletableFuture<JsonNode> request(String event, Object data);

    /**
     * Sends a request and waits, asynchronously, for the reply with the same id.
     *
     * @param event the event name of the server's request handler
     * @param data any value the mapper can serialise, or {@code null}
     * @param timeout how long to wait for the reply, including time spent queued while reconnecting
     * @return the reply's data; fails with {@link SwitchboardException} carrying the server's error code
     *     and message, {@link RequestTimeoutException} after {@code timeout}, or
     *     {@link ConnectionClosedException} when the connection closed first
     * @throws IllegalArgumentException when {@code data} cannot be serialised or {@code timeout} is not
     *     positive
     */
    CompletableFuture<JsonNode> request(String event, Object data, Duration timeout);

    /**
     * Sends a request with the default timeout and converts the reply.
     *
     * @param event the event name
     * @param data the request data
     * @param type the reply's type, converted with {@link #mapper()}
     * @param <T> the reply type
     * @return the converted reply; fails as {@link #request(String, Object, Duration)}, or with
     *     {@code bad_request} when the reply cannot be converted to {@code type}
     */
    <T> CompletableFuture<T> request(String event, Object data, Class<T> type);

    /**
     * Sends a request and converts the reply.
     *
     * @param event the event name
     * @param data the request data
     * @param type the reply's type, converted with {@link #mapper()}
     * @param timeout how long to wait for the reply
     * @param <T> the reply type
     * @return the converted reply; fails as {@link #request(String, Object, Duration)}, or with
     *     {@code bad_request} when the reply cannot be converted to {@code type}
     */
    <T> CompletableFuture<T> request(String event, Object data, Class<T> type, Duration timeout);

    /**
     * Adds a listener for {@code event} frames with this event name, from any topic or none. Several
     * listeners per event are called in registration order.
     *
     * @param event the event name
     * @param listener receives the data and the topic (or {@code null})
     * @return a handle to remove the listener
     */
    Registration on(String event, ServerEventListener<JsonNode> listener);

    /**
     * Adds a listener for {@code event} frames with this event name, converting the data. Data that cannot
     * be converted is logged and skipped for this listener.
     *
     * @param event the event name
     * @param type the type the data is converted to with {@link #mapper()}
     * @param listener receives the converted data and the topic (or {@code null})
     * @param <T> the data type
     * @return a handle to remove the listener
     */
    <T> Registration on(String event, Class<T> type, ServerEventListener<T> listener);

    /**
     * Sets the handler that answers the server's {@code request} frames of an event, replacing any
     * earlier one. Requests for events with no handler are answered with {@code unknown_event}.
     *
     * @param event the event name
     * @param handler returns the reply data or throws a {@link SwitchboardException}
     * @return a handle to remove the handler
     */
    Registration onRequest(String event, ServerRequestHandler<JsonNode> handler);

    /**
     * Sets the handler that answers the server's {@code request} frames of an event, converting the
     * data; data that cannot be converted is answered with {@code bad_request}.
     *
     * @param event the event name
     * @param type the type the data is converted to
     * @param handler returns the reply data or throws a {@link SwitchboardException}
     * @param <T> the data type
     * @return a handle to remove the handler
     */
    <T> Registration onRequest(String event, Class<T> type, ServerRequestHandler<T> handler);

    /**
     * Asks the server to add this connection to a topic. Once the server accepted, the topic is
     * re-subscribed after every reconnect until {@link #unsubscribe(String)}.
     *
     * @param topic the topic name
     * @return the subscribe reply ({@code {"topic","epoch","offset","recovered"}}); fails with
     *     {@code forbidden} when the server's {@code SubscriptionPolicy} denies it, or as a request
     */
    CompletableFuture<JsonNode> subscribe(String topic);

    /**
     * Subscribes, and adds a listener for every event routed through the topic. A denied subscription
     * removes the listener again.
     *
     * @param topic the topic name
     * @param listener receives the topic's events
     * @return the subscribe reply, as {@link #subscribe(String)}
     */
    CompletableFuture<JsonNode> subscribe(String topic, TopicListener listener);

    /**
     * Subscribes with options: typically a {@code since} position to resume a durable topic from (one the
     * application persisted, e.g. from {@link #position(String)} before a restart) and a listener told the
     * outcome of each automatic re-subscription.
     *
     * <pre>{@code
     * SubscribeResult r = client.subscribe("orders", SubscribeOptions.builder().since(saved).build()).join();
     * if (!r.recovered()) {
     *     reloadOrders();                              // the missed events could not be replayed
     * }
     * }</pre>
     *
     * <p>Sends {@code {"type":"subscribe","id":..,"topic":..,"since":{"offset":..,"epoch":..}}} ({@code since}
     * only when given and this subscribe starts the subscription). When the server recovered, the missed
     * events follow the reply in order, before any live event, and reach the topic's listeners after this
     * future completed (with the default callback executor).
     *
     * @param topic the topic name
     * @param options the {@code since} position and re-subscribe listener; {@link SubscribeOptions#defaults()}
     *     for none
     * @return the decoded reply: the topic's position (epoch and latest offset, {@code null} when it is not
     *     durable) and whether the missed events were recovered; fails as {@link #subscribe(String)}
     */
    CompletableFuture<SubscribeResult> subscribe(String topic, SubscribeOptions options);

    /**
     * Subscribes with options, and adds a listener for every event routed through the topic (removed again
     * when the subscription is denied).
     *
     * @param topic the topic name
     * @param listener receives the topic's events, the recovered ones first
     * @param options as {@link #subscribe(String, SubscribeOptions)}
     * @return as {@link #subscribe(String, SubscribeOptions)}
     */
    CompletableFuture<SubscribeResult> subscribe(String topic, TopicListener listener, SubscribeOptions options);

    /**
     * The position of a subscription to a durable topic: the epoch and the offset of the last event this
     * client took in (or the subscribe reply's latest offset when no event came since). A re-subscribe after
     * a reconnect resumes from it with {@code since}; an application may persist it and pass it to
     * {@link SubscribeOptions.Builder#since} later, on any node. Still readable after {@link #close()}.
     * Thread-safe, non-blocking.
     *
     * @param topic the topic name
     * @return the position; empty when the topic is not subscribed (or was unsubscribed), is not durable, or
     *     its subscribe reply has not arrived and no {@code since} was given
     */
    Optional<StreamPosition> position(String topic);

    /**
     * Adds a listener told the outcome of every automatic re-subscription after a reconnect, for every
     * topic: whether the events missed while disconnected were recovered (replayed, nothing lost) or not
     * (reload the state derived from the topic). Per-topic listeners are set with
     * {@link SubscribeOptions.Builder#onResubscribe(ResubscribeListener)} and run before these.
     *
     * @param listener the listener; runs on the callback executor before the topic's replayed events
     * @return a handle to remove the listener
     */
    Registration onResubscribe(ResubscribeListener listener);

    /**
     * Leaves a topic: removes its listeners, stops re-subscribing it, and tells the server (while
     * reconnecting, the unsubscribe is queued like a request).
     *
     * @param topic the topic name
     * @return the server's unsubscribe reply ({@code {"topic","unsubscribed"}}); fails as a request
     */
    CompletableFuture<JsonNode> unsubscribe(String topic);

    /**
     * @return the topics subscribed to (accepted, or awaiting the server's answer); the accepted ones are
     *     re-subscribed after a reconnect. A snapshot.
     */
    Set<String> subscriptions();

    /**
     * Typed CRUD calls on a server collection ({@code board.crud(name, repository, options)} on the
     * server): {@code get}, {@code list}, {@code create}, {@code replace}, {@code patch}, {@code delete} as
     * the protocol's {@code GET LIST POST PUT PATCH DELETE} requests, and its live changes from topic
     * {@code collection:<name>}. Does not contact the server; an unknown collection shows as
     * {@code not_found} on the first call.
     *
     * <pre>{@code
     * RemoteCollection<Task> tasks = client.collection("tasks", Task.class);
     * Task created = tasks.create(new Task(null, "Write docs", "todo", null)).join();
     * }</pre>
     *
     * @param name the collection's name
     * @param type the item type, converted with {@link #mapper()}
     * @param <T> the item type
     * @return a view of the collection using this client's connection and default request timeout
     * @throws IllegalArgumentException when {@code name} is blank or contains {@code ':'} (no collection
     *     can have such a name)
     */
    <T> RemoteCollection<T> collection(String name, Class<T> type);

    /**
     * Untyped CRUD calls on a server collection: items are the JSON objects as stored.
     *
     * @param name the collection's name
     * @return as {@link #collection(String, Class)} with {@link ObjectNode} items
     * @throws IllegalArgumentException when {@code name} is blank or contains {@code ':'}
     */
    RemoteCollection<ObjectNode> collection(String name);

    /**
     * @param listener receives the server's {@code error} frames and other errors tied to no request
     * @return a handle to remove the listener
     */
    Registration onError(ErrorListener listener);

    /**
     * @param listener observes state transitions from now on
     * @return a handle to remove the listener
     */
    Registration onStateChange(StateListener listener);

    /**
     * @return completes, never exceptionally, once the client is {@link ClientState#CLOSED}, with the
     *     close code and reason
     */
    CompletableFuture<CloseStatus> closeFuture();

    /**
     * Closes with 1000 (normal). Equivalent to {@code close(1000, "")}.
     *
     * @see #close(int, String)
     */
    @Override
    void close();

    /**
     * Closes for good: the state becomes {@link ClientState#CLOSED} at once, pending and queued requests
     * fail with {@link ConnectionClosedException}, frames already handed to the socket are written, then
     * the close frame. Does not block; {@link #closeFuture()} completes when the server answered the
     * close or after {@link ClientOptions#closeTimeout()}. Idempotent.
     *
     * @param code a WebSocket close code: 1000, or 3000–4999
     * @param reason a short reason (at most 123 UTF-8 bytes)
     */
    void close(int code, String reason);
}
