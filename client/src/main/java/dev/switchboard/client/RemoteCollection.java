package dev.switchboard.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.ConnectionClosedException;
import dev.switchboard.RequestTimeoutException;
import dev.switchboard.StreamPosition;
import dev.switchboard.SwitchboardException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Typed CRUD calls on one server collection — a {@code Repository} the server exposes with
 * {@code board.crud(name, ...)} — over this client's connection. Obtain one with
 * {@link SwitchboardClient#collection(String, Class)}:
 *
 * <pre>{@code
 * RemoteCollection<Task> tasks = client.collection("tasks", Task.class);
 * tasks.subscribe(change -> render(change.type(), change.id(), change.item()));
 * tasks.create(new Task(null, "Write docs", "todo", null))
 *      .thenCompose(t -> tasks.patch(t.id(), Map.of("status", "done"), t.version()))
 *      .thenAccept(t -> log.info("{} is now at version {}", t.id(), t.version()));
 * PageResult<Task> page = tasks.list(ListQuery.builder().size(20).sort("-title").filter("status", "todo").build()).join();
 * }</pre>
 *
 * <p>Every call is one request of wire protocol v1 with a reserved event and {@code data} shape
 * ({@code GET}, {@code LIST}, {@code POST}, {@code PUT}, {@code PATCH}, {@code DELETE}; see
 * {@code docs/crud.md}), sent with this collection's {@linkplain #timeout() timeout}. Items are
 * converted to and from {@code T} with the client's {@linkplain SwitchboardClient#mapper() mapper}; the
 * server stores JSON objects with a string {@code id} and a numeric {@code version}, so {@code T} should
 * map to an object with those two properties (they may be {@code null} on items you create).
 *
 * <h2>Threading</h2>
 * Instances are immutable and thread-safe, cheap to create, and hold no state of their own: the
 * connection, its reconnects and its subscriptions are the client's. Calls never block. The futures
 * complete, and listeners run, on the client's callback executor, under the same rules as
 * {@link SwitchboardClient}: do not {@code join()} one of these futures inside a listener or another
 * future's callback — compose instead.
 *
 * <h2>Errors</h2>
 * Futures fail with a {@link SwitchboardException} whose {@link SwitchboardException#code() code} is the
 * server's: {@code not_found} (no such item, or no such collection), {@code conflict} (a stale
 * {@code version}, or a failed JSON Patch {@code test}), {@code bad_request} (invalid patch, validation
 * failure, unknown sort or filter field, page size above the maximum), {@code forbidden} (the
 * collection's authorizer denied the operation; nothing was changed); or, as for any request, with
 * {@link RequestTimeoutException} ({@code timeout}) or {@link ConnectionClosedException}
 * ({@code unavailable}). A reply that does not convert to {@code T} fails with {@code bad_request}.
 *
 * @param <T> the item type: a record or bean the mapper converts, or {@link ObjectNode} for raw items
 */
public interface RemoteCollection<T> {

    /** @return the collection's name, as registered on the server */
    String name();

    /** @return the topic its changes are published to, {@code collection:<name>} */
    String topic();

    /** @return the type items are converted to */
    Class<T> type();

    /** @return the reply timeout of this view's calls (default: the client's {@link ClientOptions#requestTimeout()}) */
    Duration timeout();

    /**
     * @param timeout the reply timeout for every call made through the returned view
     * @return a view of the same collection with another timeout; this one is unchanged
     * @throws IllegalArgumentException when {@code timeout} is not positive
     */
    RemoteCollection<T> withTimeout(Duration timeout);

    /**
     * Reads one item ({@code GET {"collection","id"}}).
     *
     * @param id the item's id
     * @return the item; fails with {@code not_found} when there is none
     */
    CompletableFuture<T> get(String id);

    /**
     * Reads the first page with the collection's default size, unsorted and unfiltered.
     *
     * @return the page, as {@link #list(ListQuery)}
     */
    CompletableFuture<PageResult<T>> list();

    /**
     * Reads one page ({@code LIST {"collection","page","size","sort","filters"}}, unset components left
     * out so the server's defaults apply).
     *
     * @param query which page, its size, order and filters
     * @return the page with the total number of matching items; fails with {@code bad_request} when the
     *     size exceeds the collection's maximum or a sort or filter field is not allowed
     */
    CompletableFuture<PageResult<T>> list(ListQuery query);

    /**
     * Creates an item ({@code POST {"collection","item"}}). The server ignores the item's {@code id} and
     * {@code version}, assigns an id and sets the version to 1, then publishes {@code ADDED}.
     *
     * @param item the item
     * @return the created item with its id and version; fails with {@code bad_request} when validation
     *     refuses it
     * @throws IllegalArgumentException when the item does not serialise to a JSON object
     */
    CompletableFuture<T> create(T item);

    /**
     * Replaces whatever version of an item is stored ({@code PUT {"collection","id","item"}}); the
     * server then publishes {@code MODIFIED}.
     *
     * @param id the item's id (the item's own {@code id} and {@code version} are ignored)
     * @param item the new content
     * @return the stored item, its version one higher; fails with {@code not_found} or {@code bad_request}
     * @throws IllegalArgumentException when the item does not serialise to a JSON object
     */
    CompletableFuture<T> replace(String id, T item);

    /**
     * Replaces an item if it is still at {@code version} ({@code PUT {"collection","id","item","version"}}):
     * optimistic concurrency.
     *
     * @param id the item's id
     * @param item the new content
     * @param version the version the caller last saw
     * @return the stored item, at {@code version + 1}; fails with {@code conflict} when the stored version
     *     differs, and as {@link #replace(String, Object)}
     * @throws IllegalArgumentException when the item does not serialise to a JSON object
     */
    CompletableFuture<T> replace(String id, T item, long version);

    /**
     * Patches the latest version of an item ({@code PATCH {"collection","id","patch"}}); the server
     * applies it atomically, retrying internally if another write races it, then publishes
     * {@code MODIFIED}. The patch's kind follows from its JSON shape:
     * <ul>
     *   <li>an <b>array</b> is an RFC 6902 JSON Patch ({@code [{"op":"replace","path":"/title","value":"x"}]});
     *       the operations apply in order and nothing is stored unless all succeed;</li>
     *   <li>an <b>object</b> is an RFC 7396 merge patch ({@code {"status":"done"}}), where a {@code null}
     *       value removes the field — so patching with a partially filled {@code T} removes the fields
     *       left {@code null} unless the mapper omits nulls; prefer a {@code Map} or an {@link ObjectNode}.</li>
     * </ul>
     * {@code id} and {@code version} cannot be patched.
     *
     * @param id the item's id
     * @param patch a {@link JsonNode}, or any value the mapper serialises to a JSON array or object
     * @return the stored item, its version one higher; fails with {@code not_found}, {@code bad_request}
     *     (an operation failed — the message names it — or validation refused the result) or
     *     {@code conflict} (a {@code test} operation failed)
     * @throws IllegalArgumentException when {@code patch} is neither a JSON array nor a JSON object
     */
    CompletableFuture<T> patch(String id, Object patch);

    /**
     * Patches an item if it is still at {@code version} ({@code PATCH {"collection","id","patch","version"}}),
     * as {@link #patch(String, Object)}.
     *
     * @param id the item's id
     * @param patch a JSON array (RFC 6902) or object (RFC 7396), as a {@link JsonNode} or any value the
     *     mapper serialises, e.g. {@code Map.of("status", "done")}
     * @param version the version the caller last saw
     * @return the stored item, at {@code version + 1}; fails with {@code conflict} when the stored version
     *     differs, and as {@link #patch(String, Object)}
     * @throws IllegalArgumentException when {@code patch} is neither a JSON array nor a JSON object
     */
    CompletableFuture<T> patch(String id, Object patch, long version);

    /**
     * Deletes whatever version of an item is stored ({@code DELETE {"collection","id"}}); the server then
     * publishes {@code DELETED}.
     *
     * @param id the item's id
     * @return completes when the server replied {@code {"id","deleted":true}}; fails with
     *     {@code not_found} when there is no such item
     */
    CompletableFuture<Void> delete(String id);

    /**
     * Deletes an item if it is still at {@code version} ({@code DELETE {"collection","id","version"}}).
     *
     * @param id the item's id
     * @param version the version the caller last saw
     * @return as {@link #delete(String)}; fails with {@code conflict} when the stored version differs
     */
    CompletableFuture<Void> delete(String id, long version);

    /**
     * Subscribes to the collection's topic {@code collection:<name>} with
     * {@link SwitchboardClient#subscribe(String, TopicListener)} and delivers its {@code ADDED},
     * {@code MODIFIED} and {@code DELETED} events, converted, to {@code listener} — including the changes
     * this client makes itself (the server sends each before the reply to the write that caused it). Like every
     * subscription it is renewed after a reconnect. Events whose data does not convert to {@code T},
     * and other events routed through the topic, are logged and skipped.
     *
     * @param listener receives the changes on the callback executor
     * @return the subscribe reply ({@code {"topic","epoch","offset","recovered"}}); fails with
     *     {@code forbidden} when the collection's authorizer does not permit this connection {@code LIST}
     *     (the listener is then removed), and as a request
     */
    CompletableFuture<JsonNode> subscribe(ChangeListener<T> listener);

    /**
     * Subscribes to the collection's changes as {@link #subscribe(ChangeListener)}, with options: resume
     * from a {@code since} position when the server keeps the collection's topic durable, and be told
     * whether each re-subscription after a reconnect recovered the missed changes (if not, reload with
     * {@link #list(ListQuery)}). See {@link SwitchboardClient#subscribe(String, TopicListener, SubscribeOptions)}.
     *
     * @param listener receives the changes on the callback executor, the recovered ones first
     * @param options the {@code since} position and re-subscribe listener
     * @return the decoded subscribe reply; fails as {@link #subscribe(ChangeListener)}
     */
    CompletableFuture<SubscribeResult> subscribe(ChangeListener<T> listener, SubscribeOptions options);

    /**
     * @return the position of this client's subscription to the collection's topic, as
     *     {@link SwitchboardClient#position(String)} of {@link #topic()}
     */
    Optional<StreamPosition> position();

    /**
     * Leaves the collection's topic, removing every listener added with {@link #subscribe(ChangeListener)}
     * (on any view of this collection) or on the topic directly; equivalent to
     * {@code client.unsubscribe(topic())}.
     *
     * @return the server's unsubscribe reply; fails as a request
     */
    CompletableFuture<JsonNode> unsubscribe();
}
