// Switchboard JavaScript client: wire protocol v1 (docs/protocol.md) over one WebSocket.
//
// One dependency-free ES module for browsers and Node. It speaks JSON text frames, answers
// the server's pings, correlates requests in both directions, keeps topic subscriptions
// alive across reconnects (resuming durable topics from the last offset delivered, dropping
// duplicates), and turns every failure into a SwitchboardError carrying a protocol error code.

/** The sub-protocol offered by default. */
export const PROTOCOL = "switchboard.v1";

/** Wire error codes (docs/protocol.md, "Error codes"). */
export const ErrorCode = Object.freeze({
  BAD_REQUEST: "bad_request",
  UNAUTHORIZED: "unauthorized",
  FORBIDDEN: "forbidden",
  NOT_FOUND: "not_found",
  CONFLICT: "conflict",
  UNKNOWN_EVENT: "unknown_event",
  TIMEOUT: "timeout",
  TOO_LARGE: "too_large",
  RATE_LIMITED: "rate_limited",
  UNAVAILABLE: "unavailable",
  INTERNAL: "internal",
});

/** Connection states reported by `client.state` and `onState`. */
export const State = Object.freeze({
  CONNECTING: "connecting",
  OPEN: "open",
  RECONNECTING: "reconnecting",
  CLOSED: "closed",
});

/**
 * The one error type of this client: a failed request, an error reply, an `error` frame or a
 * lost connection. `code` is a wire error code; `details` is the error object as received.
 */
export class SwitchboardError extends Error {
  constructor(code, message, details) {
    super(message || code);
    this.name = "SwitchboardError";
    this.code = code;
    if (details !== undefined) this.details = details;
  }
}

/** The sub-protocol prefix that carries a token (`tokenIn: "protocol"`); the server never selects it. */
export const TOKEN_PROTOCOL_PREFIX = "access_token.";
/** The close code of a connection whose token expired without a fresh one in time. */
export const TOKEN_EXPIRED = 4001;
/** The close code of a draining server (service restart): reconnect, soon, to another node. */
export const SERVICE_RESTART = 1012;

/** Default option values; `connect` documents each. */
export const DEFAULTS = Object.freeze({
  protocols: [PROTOCOL],
  reconnect: true,
  backoff: Object.freeze({ initialMs: 500, maxMs: 30000, factor: 2, maxAttempts: Infinity }),
  restartDelayMs: 2000,
  requestTimeoutMs: 10000,
  connectTimeoutMs: 10000,
  maxPendingWhileDisconnected: 100,
  queueTimeoutMs: 10000,
  tokenIn: "query",
});

// Close codes after which reconnecting would only repeat the refusal: a deliberate normal
// closure by the server (1000), a policy violation such as a rate limit (1008), and the
// application's authentication failures 4001-4003 (4000 + HTTP 401..403).
const FINAL_CLOSE_CODES = new Set([1000, 1008, 4001, 4002, 4003]);

/** The default reconnect rule: reconnect after any close except 1000, 1008 and 4001-4003. */
export function shouldReconnect(code) {
  return !FINAL_CLOSE_CODES.has(code);
}

/**
 * Delay before reconnect attempt `attempt` (0-based): exponential backoff with full jitter,
 * a uniformly random value in [0, min(maxMs, initialMs * factor^attempt)).
 */
export function backoffDelay(attempt, backoff = DEFAULTS.backoff, random = Math.random) {
  const { initialMs, maxMs, factor } = { ...DEFAULTS.backoff, ...backoff };
  const ceiling = Math.min(maxMs, initialMs * Math.pow(factor, attempt));
  return Math.floor(random() * ceiling);
}

/**
 * Opens a connection and resolves with a Client once the server's `welcome` frame arrived.
 * Rejects with a SwitchboardError (`unauthorized` for close code 4001, `forbidden` for 4003,
 * `timeout` when no welcome came within connectTimeoutMs, otherwise `unavailable`) when the
 * first attempt fails: automatic reconnect only applies to a connection that was once open.
 */
export function connect(url, options = {}) {
  try {
    return Client.open(url, options);
  } catch (error) {
    return Promise.reject(error);
  }
}

const OPEN = 1; // WebSocket.OPEN, without relying on the implementation exposing it
const ERROR_WITHOUT_CLOSE_MS = 250; // how long a socket that reported an error may take to close

class Client {
  #url;
  #opts;
  #WebSocket;
  #random;
  #ws = null; // the current socket, or null between attempts
  #ready = false; // true from welcome until the current socket closes
  #state = State.CONNECTING;
  #welcome = null;
  #maxFrameBytes = Infinity;
  #nextId = 1;
  #pending = new Map(); // String(id) -> in-flight request sent on #ws
  #queue = []; // frames waiting for the next welcome
  #subs = new Map(); // topic -> Subscription
  #listeners = new Map(); // event -> Set<fn>
  #requestHandlers = new Map(); // event -> handler
  #errorListeners = new Set();
  #stateListeners = new Set();
  #resubscribeListeners = new Set();
  #attempt = 0;
  #reconnectTimer = null;
  #connectTimer = null;
  #heartbeatTimer = null;
  #refreshTimer = null;
  #lastFrameAt = 0;
  #starting = null; // {resolve, reject} while the first attempt runs
  #held = null; // frames received while connect() is resolving
  #closeWaiters = [];

  constructor(url, options) {
    if (typeof url !== "string" && !(url instanceof URL)) throw new TypeError("url must be a string or URL");
    const opts = { ...DEFAULTS, ...defined(options), backoff: { ...DEFAULTS.backoff, ...defined(options.backoff) } };
    if (typeof opts.protocols === "string") opts.protocols = [opts.protocols];
    for (const key of ["requestTimeoutMs", "connectTimeoutMs", "queueTimeoutMs"]) {
      if (!(opts[key] > 0)) throw new TypeError(`${key} must be a positive number`);
    }
    if (!(opts.maxPendingWhileDisconnected >= 0)) throw new TypeError("maxPendingWhileDisconnected must be >= 0");
    this.#url = String(url);
    this.#opts = opts;
    this.#WebSocket = opts.WebSocket || globalThis.WebSocket;
    this.#random = opts.random || Math.random;
    if (typeof this.#WebSocket !== "function") {
      throw new TypeError("No WebSocket implementation: pass one as option WebSocket (e.g. from the 'ws' package)");
    }
  }

  /** Current state: "connecting", "open", "reconnecting" or "closed". */
  get state() {
    return this.#state;
  }

  /** The server-assigned id of the current connection (from the latest welcome). */
  get connectionId() {
    return this.#welcome ? this.#welcome.connectionId : undefined;
  }

  /** The latest welcome frame: connectionId, node, heartbeatMs, maxFrameBytes. */
  get welcome() {
    return this.#welcome;
  }

  static open(url, options) {
    const client = new Client(url, options);
    return new Promise((resolve, reject) => {
      client.#starting = { resolve: () => resolve(client), reject };
      client.#open();
    });
  }

  // ---- application API -------------------------------------------------------------------

  /** Listens to server events named `event`; fn(data, {event, topic, offset}). Returns an unsubscribe function. */
  on(event, fn) {
    requireFunction(fn);
    let set = this.#listeners.get(event);
    if (!set) this.#listeners.set(event, (set = new Set()));
    set.add(fn);
    return () => this.off(event, fn);
  }

  /** Removes one listener, or every listener of `event` when fn is omitted. */
  off(event, fn) {
    const set = this.#listeners.get(event);
    if (!set) return;
    if (fn === undefined) set.clear();
    else set.delete(fn);
    if (set.size === 0) this.#listeners.delete(event);
  }

  /**
   * Sends a fire-and-forget event. Returns true when sent or queued for the next connection,
   * false when dropped (closed client, or the disconnected queue is full). Throws a
   * SwitchboardError `too_large` when the frame exceeds the server's maxFrameBytes.
   */
  emit(event, data, options = {}) {
    requireEvent(event);
    const text = this.#encode(withTrace({ type: "emit", event }, options, data));
    if (text instanceof SwitchboardError) throw text;
    if (this.#ready) {
      this.#ws.send(text);
      return true;
    }
    return this.#enqueue({ text, timeoutMs: this.#opts.queueTimeoutMs, drop() {} });
  }

  /** Sends a request; resolves with the reply's data or rejects with a SwitchboardError. */
  request(event, data, options = {}) {
    try {
      requireEvent(event);
    } catch (e) {
      return Promise.reject(e);
    }
    const id = this.#nextId++;
    return this.#call(withTrace({ type: "request", id, event }, options, data), options.timeoutMs);
  }

  /** Registers the answer to server `request` frames for `event` (one handler per event). */
  onRequest(event, handler) {
    requireFunction(handler);
    this.#requestHandlers.set(event, handler);
    return () => {
      if (this.#requestHandlers.get(event) === handler) this.#requestHandlers.delete(event);
    };
  }

  /** Listens to server `error` frames (and to failed re-subscriptions); fn(SwitchboardError). */
  onError(fn) {
    requireFunction(fn);
    this.#errorListeners.add(fn);
    return () => this.#errorListeners.delete(fn);
  }

  /** Listens to state changes; fn(state, info). Returns an unsubscribe function. */
  onState(fn) {
    requireFunction(fn);
    this.#stateListeners.add(fn);
    return () => this.#stateListeners.delete(fn);
  }

  /**
   * Listens to the outcome of every automatic re-subscription after a reconnect, for every
   * topic: fn({topic, epoch, offset, recovered}). recovered false means events were missed and
   * could not be replayed: reload what you derive from the topic. Runs after the topic's own
   * onResubscribe and before its replayed events. Returns an unsubscribe function.
   */
  onResubscribe(fn) {
    requireFunction(fn);
    this.#resubscribeListeners.add(fn);
    return () => this.#resubscribeListeners.delete(fn);
  }

  /**
   * Where the subscription to a durable topic stands: {epoch, offset} of the last event
   * delivered (or of the subscribe reply when none came since); null when the topic is not
   * subscribed, not durable, or its reply is still awaited (and no `since` was given). Still
   * readable after close(), so a new client can resume with it.
   */
  position(topic) {
    const sub = this.#subs.get(topic);
    return sub ? sub.position() : null;
  }

  /**
   * Subscribes to `topic`; fn receives {event, topic, offset, data} for each of its events.
   * Resolves with the server's reply {topic, epoch, offset, recovered}. A second subscribe to
   * the same topic adds fn to the existing subscription and shares its reply (its `since` is
   * ignored). Options: `since` {offset, epoch} resumes a durable topic after that position
   * (the reply says whether the missed events follow: recovered true); `onResubscribe(outcome)`
   * is told the outcome of each automatic re-subscription; `timeoutMs`.
   */
  subscribe(topic, fn, options = {}) {
    try {
      requireTopic(topic);
      requireFunction(fn);
      requireSince(options.since);
      if (options.onResubscribe !== undefined) requireFunction(options.onResubscribe);
    } catch (e) {
      return Promise.reject(e);
    }
    if (this.#state === State.CLOSED) return Promise.reject(closedError());
    const existing = this.#subs.get(topic);
    if (existing) {
      existing.handlers.add(fn);
      if (options.onResubscribe) existing.resubscribeListeners.add(options.onResubscribe);
      return existing.promise;
    }
    const sub = new Subscription(topic, fn, options);
    this.#subs.set(topic, sub);
    const timeoutMs = options.timeoutMs ?? this.#opts.requestTimeoutMs;
    if (Number.isFinite(timeoutMs)) {
      sub.timer = setTimeout(() => {
        if (this.#subs.get(topic) === sub) this.#subs.delete(topic);
        sub.settle(
          null,
          sub.sent
            ? new SwitchboardError(ErrorCode.TIMEOUT, `subscribe ${topic} timed out after ${timeoutMs} ms`)
            : new SwitchboardError(ErrorCode.UNAVAILABLE, `not connected within ${timeoutMs} ms`),
        );
      }, timeoutMs);
    }
    if (this.#ready) this.#sendSubscribe(sub);
    return sub.promise;
  }

  /**
   * Removes fn from the topic's subscription, or the whole subscription when fn is omitted;
   * once no handler is left, sends `unsubscribe` and resolves with its reply (null when not
   * connected or when the connection drops meanwhile: a new connection starts with no
   * subscriptions anyway).
   */
  unsubscribe(topic, fn) {
    const sub = this.#subs.get(topic);
    if (!sub) return Promise.resolve(null);
    if (fn !== undefined) {
      sub.handlers.delete(fn);
      if (sub.handlers.size > 0) return Promise.resolve(null);
    }
    this.#subs.delete(topic);
    sub.settle(null, new SwitchboardError(ErrorCode.UNAVAILABLE, `unsubscribed from ${topic} before the reply`));
    if (!this.#ready) return Promise.resolve(null);
    // A lost connection has dropped the subscription too, so that is success, not an error.
    return this.#call({ type: "unsubscribe", id: this.#nextId++, topic }).catch((error) => {
      if (error.code === ErrorCode.UNAVAILABLE) return null;
      throw error;
    });
  }

  /** CRUD helpers for a server collection (the reserved events of docs/protocol.md, "CRUD requests"). */
  collection(name) {
    requireTopic(name);
    const call = (event, data, options = {}) =>
      this.request(event, { collection: name, ...data }, { timeoutMs: options.timeoutMs });
    const versioned = (options = {}) => (options.version === undefined ? {} : { version: options.version });
    const topic = `collection:${name}`;
    return Object.freeze({
      name,
      topic,
      get: (id, options) => call("GET", { id }, options),
      list: (query = {}, options) => {
        const data = {};
        for (const key of ["page", "size", "sort", "filters"]) {
          if (query[key] !== undefined) data[key] = query[key];
        }
        if (Array.isArray(data.sort)) data.sort = data.sort.join(",");
        return call("LIST", data, options);
      },
      create: (item, options) => call("POST", { item }, options),
      replace: (id, item, options) => call("PUT", { id, item, ...versioned(options) }, options),
      patch: (id, patch, options) => call("PATCH", { id, patch, ...versioned(options) }, options),
      delete: (id, options) => call("DELETE", { id }, options),
      subscribe: (fn, options) => this.subscribe(topic, fn, options),
      unsubscribe: (fn) => this.unsubscribe(topic, fn),
      position: () => this.position(topic),
    });
  }

  /**
   * Closes for good: no reconnect; pending and queued requests reject with `unavailable`.
   * Resolves once the socket has closed.
   */
  close(code = 1000, reason = "") {
    if (this.#state === State.CLOSED) return Promise.resolve();
    const ws = this.#ws;
    const done = new Promise((resolve) => this.#closeWaiters.push(resolve));
    this.#detach();
    if (ws) {
      ws.onclose = () => this.#closeWaitersDone();
      try {
        ws.close(code, reason);
      } catch {
        // Browsers accept only 1000 and 3000-4999 from scripts: close plainly instead.
        try {
          ws.close();
        } catch {
          this.#closeWaitersDone();
        }
      }
    } else {
      this.#closeWaitersDone();
    }
    this.#finish(closedError(), { code, reason, byClient: true });
    return done;
  }

  // ---- connection lifecycle --------------------------------------------------------------

  async #open() {
    let url;
    let protocols = this.#opts.protocols;
    try {
      const token = typeof this.#opts.token === "function" ? await this.#opts.token() : this.#opts.token;
      if (this.#state === State.CLOSED) return;
      if (this.#opts.tokenIn === "protocol" && token !== undefined && token !== null && token !== "") {
        // Out of the URL and so out of access logs: offered beside switchboard.v1, never selected.
        url = buildUrl(this.#url, null);
        protocols = [...(protocols.length ? protocols : [PROTOCOL]), TOKEN_PROTOCOL_PREFIX + String(token)];
      } else {
        url = buildUrl(this.#url, token);
      }
    } catch (e) {
      if (this.#starting) return this.#failStart(e instanceof TypeError ? e : new SwitchboardError(ErrorCode.UNAUTHORIZED, `token: ${e.message || e}`));
      return this.#afterClose(4000, `token provider failed: ${e.message || e}`);
    }
    let ws;
    try {
      ws = protocols.length ? new this.#WebSocket(url, protocols) : new this.#WebSocket(url);
    } catch (e) {
      if (this.#starting) return this.#failStart(e);
      return this.#afterClose(1006, String(e.message || e));
    }
    this.#ws = ws;
    ws.onopen = null;
    ws.onerror = () => {
      // Browsers follow an error with a close event; Node 20's experimental WebSocket does not
      // when a connection is refused. Give the close a moment, then carry on without it.
      setTimeout(() => {
        if (this.#ws === ws && !this.#ready) this.#abandon(ws, 1006, "connection failed");
      }, ERROR_WITHOUT_CLOSE_MS);
    };
    ws.onmessage = (e) => {
      if (this.#ws === ws) this.#onFrame(e.data);
    };
    ws.onclose = (e) => {
      if (this.#ws === ws) this.#onSocketClosed(e.code, e.reason);
    };
    this.#connectTimer = setTimeout(() => {
      if (this.#ws !== ws || this.#ready) return;
      this.#abandon(ws, 4000, "no welcome within connectTimeoutMs", ErrorCode.TIMEOUT);
    }, this.#opts.connectTimeoutMs);
  }

  // Drops a socket we no longer trust (no welcome, silent server) and proceeds as if it closed.
  #abandon(ws, code, reason, failCode) {
    ws.onmessage = ws.onclose = null;
    try {
      ws.close(code, reason);
    } catch {
      // already closing: nothing to do
    }
    this.#onSocketClosed(code, reason, failCode);
  }

  #onSocketClosed(code, reason, failCode) {
    this.#ws = null;
    this.#ready = false;
    clearTimeout(this.#connectTimer);
    clearTimeout(this.#heartbeatTimer);
    clearTimeout(this.#refreshTimer);
    const lost = new SwitchboardError(ErrorCode.UNAVAILABLE, `connection lost (${code}${reason ? " " + reason : ""})`);
    for (const entry of this.#pending.values()) entry.fail(lost);
    this.#pending.clear();
    if (this.#starting) {
      const codeForStart = failCode || (code === 4001 ? ErrorCode.UNAUTHORIZED : code === 4003 ? ErrorCode.FORBIDDEN : ErrorCode.UNAVAILABLE);
      return this.#failStart(new SwitchboardError(codeForStart, `could not connect (${code}${reason ? " " + reason : ""})`));
    }
    this.#afterClose(code, reason);
  }

  #afterClose(code, reason) {
    // 4001 after a welcome is the server's "token expired": a token function can give a fresh one.
    const rule = this.#opts.shouldReconnect
      || (typeof this.#opts.token === "function" ? (c) => c === TOKEN_EXPIRED || shouldReconnect(c) : shouldReconnect);
    const { maxAttempts } = this.#opts.backoff;
    if (this.#opts.reconnect && rule(code, reason) && this.#attempt < maxAttempts) {
      // A draining server (1012): go elsewhere soon, spread over restartDelayMs so that its clients do
      // not all arrive at the other nodes at once.
      const delayMs = code === SERVICE_RESTART
        ? Math.floor(this.#random() * this.#opts.restartDelayMs)
        : backoffDelay(this.#attempt, this.#opts.backoff, this.#random);
      this.#attempt++;
      this.#setState(State.RECONNECTING, { attempt: this.#attempt, delayMs, code, reason });
      this.#reconnectTimer = setTimeout(() => this.#open(), delayMs);
    } else {
      const error = new SwitchboardError(ErrorCode.UNAVAILABLE, `connection closed (${code}${reason ? " " + reason : ""})`);
      this.#finish(error, { code, reason, byClient: false });
    }
  }

  #failStart(error) {
    const { reject } = this.#starting;
    this.#starting = null;
    this.#detach();
    this.#state = State.CLOSED;
    reject(error);
  }

  // Stops timers and forgets the socket without touching application-visible state.
  #detach() {
    clearTimeout(this.#reconnectTimer);
    clearTimeout(this.#connectTimer);
    clearTimeout(this.#heartbeatTimer);
    clearTimeout(this.#refreshTimer);
    const ws = this.#ws;
    if (ws) ws.onmessage = ws.onclose = null;
    this.#ws = null;
    this.#ready = false;
  }

  #finish(error, info) {
    for (const entry of this.#pending.values()) entry.fail(error);
    this.#pending.clear();
    for (const entry of this.#queue.splice(0)) {
      clearTimeout(entry.timer);
      entry.drop(error);
    }
    // The subscriptions stay, settled, so position() still answers after the close.
    for (const sub of this.#subs.values()) sub.settle(null, error);
    this.#setState(State.CLOSED, info);
  }

  #closeWaitersDone() {
    for (const resolve of this.#closeWaiters.splice(0)) resolve();
  }

  #setState(state, info = {}) {
    this.#state = state;
    for (const fn of [...this.#stateListeners]) guard(() => fn(state, info));
  }

  // ---- inbound frames --------------------------------------------------------------------

  #onFrame(raw) {
    this.#lastFrameAt = Date.now();
    let frame;
    try {
      frame = JSON.parse(typeof raw === "string" ? raw : String(raw));
    } catch {
      return; // not ours to answer: the server never sends invalid JSON
    }
    if (frame === null || typeof frame !== "object") return;
    if (this.#held && (frame.type === "event" || frame.type === "request")) {
      this.#held.push(frame);
      return;
    }
    this.#dispatch(frame);
  }

  #dispatch(frame) {
    switch (frame.type) {
      case "welcome":
        return this.#onWelcome(frame);
      case "event":
        return this.#onEvent(frame);
      case "reply":
        return this.#onReply(frame);
      case "request":
        return this.#onServerRequest(frame);
      case "error":
        return this.#reportError(toError(frame.error));
      case "ping":
        return this.#ws.send('{"type":"pong"}');
      default:
        return; // unknown types are ignored so servers can add frames compatibly
    }
  }

  #onWelcome(frame) {
    clearTimeout(this.#connectTimer);
    const reconnected = this.#welcome !== null;
    this.#welcome = frame;
    this.#maxFrameBytes = frame.maxFrameBytes > 0 ? frame.maxFrameBytes : Infinity;
    this.#ready = true;
    this.#attempt = 0;
    this.#armHeartbeat(frame.heartbeatMs);
    this.#armRefresh(frame.expiresInMs);
    // Subscriptions first, then what waited in the queue, so the state listeners see the
    // connection as it will be.
    for (const sub of this.#subs.values()) this.#sendSubscribe(sub);
    for (const entry of this.#queue.splice(0)) {
      if (!this.#ready) break;
      entry.send();
    }
    const starting = this.#starting;
    this.#starting = null;
    this.#setState(State.OPEN, { connectionId: frame.connectionId, node: frame.node, reconnected });
    if (starting) {
      // Servers greet right after the welcome, and some WebSocket implementations deliver
      // several frames in one go: hold events and requests for one macrotask, so that code
      // doing `const sb = await connect(); sb.on(...)` sees them.
      this.#held = [];
      setTimeout(() => this.#release(), 0);
      starting.resolve();
    }
  }

  #release() {
    const held = this.#held || [];
    this.#held = null;
    for (const frame of held) {
      if (this.#state === State.CLOSED) return;
      this.#dispatch(frame);
    }
  }

  // With a token function and a token that expires, fetch a fresh one after 80% of its remaining
  // time and send it in an `auth` frame; the reply says how long that one lasts. A refusal or a
  // failed fetch lets the server close with 4001, after which the client reconnects with a fresh
  // token. Tokens are never logged.
  #armRefresh(expiresInMs) {
    clearTimeout(this.#refreshTimer);
    if (typeof this.#opts.token !== "function" || !(expiresInMs >= 0)) return;
    const ws = this.#ws;
    this.#refreshTimer = setTimeout(async () => {
      if (this.#ws !== ws || !this.#ready) return;
      let token;
      try {
        token = await this.#opts.token();
      } catch {
        return;
      }
      if (this.#ws !== ws || !this.#ready || !token) return;
      const id = this.#nextId++;
      this.#call({ type: "auth", id, token: String(token) }).then(
        (data) => {
          if (this.#ws === ws) this.#armRefresh(data && data.expiresInMs);
        },
        () => {},
      );
    }, Math.floor(expiresInMs * 0.8));
  }

  // A server that said it pings every heartbeatMs and then stays silent for 2.5 periods is
  // gone (half-open TCP); the timer re-arms itself instead of being reset on every frame.
  #armHeartbeat(heartbeatMs) {
    if (!(heartbeatMs > 0)) return;
    const limit = heartbeatMs * 2.5;
    const ws = this.#ws;
    const check = () => {
      if (this.#ws !== ws || !this.#ready) return;
      const silentFor = Date.now() - this.#lastFrameAt;
      if (silentFor >= limit) this.#abandon(ws, 4000, "heartbeat timeout");
      else this.#heartbeatTimer = setTimeout(check, limit - silentFor);
    };
    this.#heartbeatTimer = setTimeout(check, limit);
  }

  #onEvent(frame) {
    const { event, topic, offset, data } = frame;
    const sub = topic === undefined ? undefined : this.#subs.get(topic);
    if (sub && !sub.admit(offset)) return; // a duplicate of a delivered event: nobody sees it
    if (sub) {
      const message = withMetadata({ event, topic, offset, data }, frame);
      for (const fn of [...sub.handlers]) guard(() => fn(message));
    }
    const set = this.#listeners.get(event);
    if (set) {
      const meta = withMetadata({ event, topic, offset }, frame);
      for (const fn of [...set]) guard(() => fn(data, meta));
    }
  }

  #onReply(frame) {
    const key = String(frame.id);
    const entry = this.#pending.get(key);
    if (!entry) return; // timed out or from a previous connection
    this.#pending.delete(key);
    if (frame.error) entry.fail(toError(frame.error));
    else entry.succeed(orNull(frame.data));
  }

  #onServerRequest(frame) {
    const ws = this.#ws;
    const { id, event } = frame;
    const answer = (reply) => {
      if (this.#ws !== ws || !this.#ready) return; // the asking connection is gone
      let text = this.#encode(reply);
      if (text instanceof SwitchboardError) text = JSON.stringify({ type: "reply", id, error: wireError(text) });
      ws.send(text);
    };
    const handler = this.#requestHandlers.get(event);
    if (!handler) {
      return answer({ type: "reply", id, error: { code: ErrorCode.UNKNOWN_EVENT, message: `no handler for ${event}` } });
    }
    new Promise((resolve) => resolve(handler(frame.data, { id, event }))).then(
      (value) => answer({ type: "reply", id, data: orNull(value) }),
      (error) => answer({ type: "reply", id, error: wireError(error) }),
    );
  }

  #reportError(error) {
    for (const fn of [...this.#errorListeners]) guard(() => fn(error));
  }

  // ---- outbound requests -----------------------------------------------------------------

  // Sends (or queues) a frame that expects a reply and settles with it.
  #call(frame, timeoutMs = this.#opts.requestTimeoutMs) {
    if (this.#state === State.CLOSED) return Promise.reject(closedError());
    let text;
    try {
      text = this.#encode(frame);
    } catch (error) {
      return Promise.reject(error); // data JSON cannot represent (a cycle, a BigInt)
    }
    if (text instanceof SwitchboardError) return Promise.reject(text);
    return new Promise((resolve, reject) => {
      const key = String(frame.id);
      let timer;
      let queued = null;
      const entry = {
        succeed: (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        fail: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      const send = () => {
        this.#pending.set(key, entry);
        this.#ws.send(text);
      };
      if (Number.isFinite(timeoutMs)) {
        timer = setTimeout(() => {
          if (this.#pending.get(key) === entry) {
            this.#pending.delete(key);
            reject(new SwitchboardError(ErrorCode.TIMEOUT, `${describe(frame)} timed out after ${timeoutMs} ms`));
          } else if (queued && this.#unqueue(queued)) {
            reject(new SwitchboardError(ErrorCode.UNAVAILABLE, `not connected within ${timeoutMs} ms`));
          }
        }, timeoutMs);
      }
      if (this.#ready) return send();
      queued = { text, timeoutMs: this.#opts.queueTimeoutMs, send, drop: entry.fail };
      if (!this.#enqueue(queued)) {
        entry.fail(new SwitchboardError(ErrorCode.UNAVAILABLE, "not connected and the disconnected queue is full"));
      }
    });
  }

  // Queues an outbound frame until the next welcome; false when there is no room.
  #enqueue(entry) {
    if (this.#state === State.CLOSED || this.#queue.length >= this.#opts.maxPendingWhileDisconnected) return false;
    const send = entry.send || (() => this.#ws.send(entry.text));
    const queued = {
      drop: entry.drop,
      send: () => {
        clearTimeout(queued.timer);
        send();
      },
      timer: setTimeout(() => {
        if (this.#unqueue(queued)) {
          entry.drop(new SwitchboardError(ErrorCode.UNAVAILABLE, `not connected within ${entry.timeoutMs} ms`));
        }
      }, entry.timeoutMs),
    };
    entry.queued = queued;
    this.#queue.push(queued);
    return true;
  }

  #unqueue(entry) {
    const queued = entry.queued || entry;
    const index = this.#queue.indexOf(queued);
    if (index < 0) return false;
    this.#queue.splice(index, 1);
    clearTimeout(queued.timer);
    return true;
  }

  #sendSubscribe(sub) {
    const id = this.#nextId++;
    const frame = { type: "subscribe", id, topic: sub.topic };
    const since = sub.since();
    if (since) frame.since = since;
    sub.sent = true;
    sub.sinceSent = since;
    // No timer here: the subscription's own deadline covers the first reply, and a
    // re-subscription is bounded by the connection's life.
    this.#pending.set(String(id), {
      succeed: (reply) => this.#onSubscribed(sub, reply),
      fail: (error) => {
        if (error.code === ErrorCode.UNAVAILABLE) return; // connection lost: retried on reconnect
        if (this.#subs.get(sub.topic) === sub) this.#subs.delete(sub.topic);
        if (sub.settled) this.#reportError(Object.assign(error, { topic: sub.topic }));
        else sub.settle(null, error);
      },
    });
    this.#ws.send(JSON.stringify(frame));
  }

  #onSubscribed(sub, reply) {
    if (this.#subs.get(sub.topic) !== sub) {
      // Unsubscribed or timed out meanwhile: tell the server too.
      if (this.#ready) this.#ws.send(JSON.stringify({ type: "unsubscribe", id: this.#nextId++, topic: sub.topic }));
      return;
    }
    const r = reply && typeof reply === "object" ? reply : {};
    const recovered = sub.onReply(sub.sinceSent, r);
    if (!sub.settled) return sub.settle(reply);
    const outcome = {
      topic: sub.topic,
      epoch: typeof r.epoch === "string" ? r.epoch : null,
      offset: Number.isInteger(r.offset) ? r.offset : null,
      recovered,
    };
    for (const fn of [...sub.resubscribeListeners]) guard(() => fn(outcome));
    for (const fn of [...this.#resubscribeListeners]) guard(() => fn(outcome));
  }

  #encode(frame) {
    const text = JSON.stringify(frame);
    // UTF-8 needs at most 3 bytes per UTF-16 unit, so most frames skip the exact count.
    if (text.length * 3 > this.#maxFrameBytes && utf8Length(text) > this.#maxFrameBytes) {
      return new SwitchboardError(ErrorCode.TOO_LARGE, `${describe(frame)} exceeds maxFrameBytes ${this.#maxFrameBytes}`);
    }
    return text;
  }
}

// One topic subscription: its handlers and, for a durable topic, where it stands.
//
// Two numbers are kept apart on purpose. `offset` is the resume point: the latest offset of
// the reply, then of every event; a re-subscribe sends it as `since`. `floor` is the highest
// offset delivered (or resumed from): an event at it is a duplicate and dropped. They
// differ right after a subscribe without `since`: the reply names the latest offset L, and a
// "last value" topic then sends its message L, which must be delivered. Events carry no epoch;
// a reply with another epoch starts the offsets over, and so does an event whose offset went down.
class Subscription {
  constructor(topic, fn, options) {
    this.topic = topic;
    this.handlers = new Set([fn]);
    this.resubscribeListeners = new Set(options.onResubscribe ? [options.onResubscribe] : []);
    this.epoch = null;
    this.offset = null;
    this.floor = null;
    this.durable = false; // a reply with an epoch was seen: the server keeps this topic's history
    this.explicitSince = options.since;
    if (options.since && typeof options.since.epoch === "string") {
      this.epoch = options.since.epoch;
      this.offset = this.floor = options.since.offset;
    }
    this.sent = false;
    this.sinceSent = undefined;
    this.settled = false;
    this.timer = null;
    this.promise = new Promise((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    // Nobody may be awaiting a subscription that gets cancelled; don't report that as unhandled.
    this.promise.catch(() => {});
  }

  // The `since` to send: the caller's until the first reply, then the position of a durable
  // topic (one whose reply carried an epoch).
  since() {
    if (this.explicitSince && !this.settled) {
      const { offset, epoch } = this.explicitSince; // nothing else the caller's object may carry
      return { offset, epoch };
    }
    return this.position() || undefined;
  }

  position() {
    if (this.epoch === null || this.offset === null) return null;
    return { epoch: this.epoch, offset: this.offset };
  }

  // Takes in a subscribe reply; returns whether the missed events were recovered.
  onReply(since, reply) {
    const epoch = typeof reply.epoch === "string" ? reply.epoch : null;
    if (epoch === null) {
      // A durable topic whose history the server could not read this time keeps its position, so the
      // next resume can still be recovered (this one was not); a topic that is not durable has none.
      if (since && this.durable && this.epoch !== null) return false;
      this.epoch = this.offset = this.floor = null;
      return false;
    }
    this.durable = true;
    if (epoch !== this.epoch) this.floor = null; // offsets of another epoch compare with nothing
    this.epoch = epoch;
    if (since && reply.recovered === true && since.epoch === epoch) {
      // The missed events follow the reply and advance the offset themselves.
      this.offset = this.floor = since.offset;
      return true;
    }
    this.offset = Number.isInteger(reply.offset) && reply.offset >= 0 ? reply.offset : 0;
    // A server behind what was delivered is trusted rather than dropping its live events.
    if (this.floor !== null && this.floor > this.offset) this.floor = null;
    return false;
  }

  // False for a duplicate: the offset last delivered, again. The server sends a durable topic's
  // events in order and never twice, so an offset going *down* means its history started over in
  // a new epoch: deliver it and follow it, keeping the old epoch, so the next resume is answered
  // recovered:false and the application refetches.
  admit(offset) {
    if (!Number.isInteger(offset)) return true;
    if (this.floor !== null && offset === this.floor) return false;
    this.floor = offset;
    this.offset = offset;
    return true;
  }

  settle(value, error) {
    if (this.settled) return;
    this.settled = true;
    clearTimeout(this.timer);
    if (error) this.reject(error);
    else this.resolve(value);
  }
}

// ---- helpers -----------------------------------------------------------------------------

function buildUrl(url, token) {
  const base = globalThis.location ? globalThis.location.href : undefined;
  const u = new URL(url, base);
  if (u.protocol === "http:") u.protocol = "ws:";
  else if (u.protocol === "https:") u.protocol = "wss:";
  if (u.protocol !== "ws:" && u.protocol !== "wss:") throw new TypeError(`not a WebSocket URL: ${url}`);
  u.hash = ""; // WebSocket URLs must not carry a fragment
  let href = u.href.replace(/#$/, "");
  if (token !== undefined && token !== null && token !== "") {
    href += (u.search ? "&" : "?") + "access_token=" + encodeURIComponent(String(token));
  }
  return href;
}

function toError(error) {
  const e = error && typeof error === "object" ? error : {};
  const code = typeof e.code === "string" ? e.code : ErrorCode.INTERNAL;
  return new SwitchboardError(code, typeof e.message === "string" ? e.message : code, error);
}

function wireError(error) {
  if (error instanceof SwitchboardError || (error && error.name === "SwitchboardError" && typeof error.code === "string")) {
    return { code: error.code, message: error.message };
  }
  return { code: ErrorCode.INTERNAL, message: String((error && error.message) || error || "internal error") };
}

function closedError() {
  return new SwitchboardError(ErrorCode.UNAVAILABLE, "client is closed");
}

function describe(frame) {
  return frame.event ? `${frame.type} ${frame.event}` : `${frame.type} ${frame.topic}`;
}

// Options left undefined take their defaults.
function defined(object) {
  return Object.fromEntries(Object.entries(object || {}).filter(([, value]) => value !== undefined));
}

function orNull(value) {
  return value === undefined ? null : value;
}

let encoder;
function utf8Length(text) {
  encoder = encoder || new TextEncoder();
  return encoder.encode(text).length;
}

// A throwing listener must not break frame handling; report it the way the platform does.
// The event's own metadata (an emit API message id, a CloudEvent's source and time, its W3C trace
// context), when it has any.
function withMetadata(target, frame) {
  for (const key of ["id", "source", "time", "traceparent", "tracestate"]) {
    if (typeof frame[key] === "string") target[key] = frame[key];
  }
  return target;
}

// The optional W3C trace context of an emit or request (`options.traceparent`, `options.tracestate`),
// then the data, so frames without one stay as they were.
function withTrace(frame, options, data) {
  if (typeof options.traceparent === "string") {
    frame.traceparent = options.traceparent;
    if (typeof options.tracestate === "string") frame.tracestate = options.tracestate;
  }
  frame.data = orNull(data);
  return frame;
}

function guard(fn) {
  try {
    fn();
  } catch (error) {
    if (typeof globalThis.reportError === "function") globalThis.reportError(error);
    else console.error(error);
  }
}

function requireFunction(fn) {
  if (typeof fn !== "function") throw new TypeError("expected a function");
}

function requireEvent(event) {
  if (typeof event !== "string" || event === "") throw new TypeError("event must be a non-empty string");
}

function requireSince(since) {
  if (since === undefined || since === null) return;
  if (typeof since !== "object" || !Number.isInteger(since.offset) || since.offset < 0) {
    throw new TypeError("since must be {offset, epoch} with a non-negative integer offset");
  }
  if (since.epoch !== undefined && typeof since.epoch !== "string") throw new TypeError("since.epoch must be a string");
}

function requireTopic(topic) {
  if (typeof topic !== "string" || topic === "") throw new TypeError("topic must be a non-empty string");
}
