// Type declarations for switchboard.js: the Switchboard wire protocol v1 client.

/** The sub-protocol offered by default: "switchboard.v1". */
export declare const PROTOCOL: "switchboard.v1";
/** The sub-protocol prefix that carries a token with `tokenIn: "protocol"`; the server never selects it. */
export declare const TOKEN_PROTOCOL_PREFIX: "access_token.";
/** The close code of a connection whose token expired without a fresh one in time. */
export declare const TOKEN_EXPIRED: 4001;
/** The close code of a draining server (service restart): reconnect, soon, to another node. */
export declare const SERVICE_RESTART: 1012;

/** Wire error codes (docs/protocol.md, "Error codes"). */
export declare const ErrorCode: Readonly<{
  BAD_REQUEST: "bad_request";
  UNAUTHORIZED: "unauthorized";
  FORBIDDEN: "forbidden";
  NOT_FOUND: "not_found";
  CONFLICT: "conflict";
  UNKNOWN_EVENT: "unknown_event";
  TIMEOUT: "timeout";
  TOO_LARGE: "too_large";
  RATE_LIMITED: "rate_limited";
  UNAVAILABLE: "unavailable";
  INTERNAL: "internal";
}>;

/** A wire error code; other strings are possible from newer servers. */
export type ErrorCodeValue = (typeof ErrorCode)[keyof typeof ErrorCode] | (string & {});

/** Connection states, in the order a client normally passes through them. */
export declare const State: Readonly<{
  CONNECTING: "connecting";
  OPEN: "open";
  RECONNECTING: "reconnecting";
  CLOSED: "closed";
}>;

export type ConnectionState = (typeof State)[keyof typeof State];

/**
 * The client's one error type: an error reply, an `error` frame, a timeout or a lost
 * connection. Throw one from an `onRequest` handler to reply with its code.
 */
export declare class SwitchboardError extends Error {
  constructor(code: ErrorCodeValue, message?: string, details?: unknown);
  readonly name: "SwitchboardError";
  /** Wire error code, e.g. "timeout", "not_found", "unavailable". */
  readonly code: ErrorCodeValue;
  /** The error object as received from the server, when there was one. */
  readonly details?: unknown;
  /** Set on a failed re-subscription reported through `onError`. */
  readonly topic?: string;
}

export interface BackoffOptions {
  /** Ceiling of the first delay. Default 500. */
  initialMs?: number;
  /** Largest ceiling. Default 30000. */
  maxMs?: number;
  /** Growth of the ceiling per attempt. Default 2. */
  factor?: number;
  /** Attempts after one drop before giving up (state "closed"). Default Infinity. */
  maxAttempts?: number;
}

/** The subset of the WebSocket API the client uses. */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: any) => void) | null;
  onmessage: ((event: { data: any }) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: any) => void) | null;
}

export type WebSocketConstructor = new (url: string, protocols?: string | string[]) => WebSocketLike;

export interface ConnectOptions {
  /**
   * The bearer token. A function is asked again before every reconnect and, when the server says the
   * token expires (`welcome.expiresInMs`), after 80% of that time: the fresh token is sent in-band
   * (`auth` frame) so the connection stays open. With a function, close code 4001 (token expired)
   * reconnects instead of ending the client.
   */
  token?: string | null | (() => string | null | undefined | Promise<string | null | undefined>);
  /**
   * Where the token travels: `"query"` (default, `?access_token=`) or `"protocol"` (an offered
   * sub-protocol `access_token.<token>`, which keeps it out of URLs and access logs).
   */
  tokenIn?: "query" | "protocol";
  /** Sub-protocols to offer. Default ["switchboard.v1"]; [] offers none. */
  protocols?: string | string[];
  /** WebSocket implementation. Default globalThis.WebSocket (Node 20: pass one, e.g. from "ws"). */
  WebSocket?: WebSocketConstructor;
  /** Reconnect after an unexpected drop. Default true. */
  reconnect?: boolean;
  /** Exponential backoff with full jitter between reconnect attempts. */
  backoff?: BackoffOptions;
  /** After a 1012 close (the server drains), the reconnect waits a random time in [0, restartDelayMs). Default 2000. */
  restartDelayMs?: number;
  /** Decides whether a close code is worth a reconnect. Default: `shouldReconnect`. */
  shouldReconnect?: (code: number, reason: string) => boolean;
  /** Default timeout of `request` and `subscribe`. Default 10000. */
  requestTimeoutMs?: number;
  /** Time allowed from opening a socket to its welcome frame. Default 10000. */
  connectTimeoutMs?: number;
  /** Frames (emits and requests) held while reconnecting; beyond it they fail. Default 100. */
  maxPendingWhileDisconnected?: number;
  /** Longest time a frame waits in that queue. Default 10000. */
  queueTimeoutMs?: number;
  /** Random source in [0, 1) for the jitter (tests pass a fixed one). Default Math.random. */
  random?: () => number;
}

/** The server's first frame. */
export interface Welcome {
  type: "welcome";
  connectionId: string;
  node?: string;
  heartbeatMs?: number;
  maxFrameBytes?: number;
  [field: string]: unknown;
}

/**
 * The metadata an event may carry from its origin: present only when the server routed it with
 * some (the emit API always sets `id` and `time`; an event handed on from a CloudEvent may set all
 * three).
 */
export interface EventOrigin {
  /** The event's id, unique within its source: a second event with the same id is a repeat. */
  id?: string;
  /** A URI reference naming where the event happened. */
  source?: string;
  /** When it happened, RFC 3339 (e.g. `2026-03-04T05:06:07.123Z`). */
  time?: string;
  /** The W3C trace context the event belongs to, when it belongs to one. */
  traceparent?: string;
  tracestate?: string;
}

/** A W3C trace context to send with an emit or request (the server's handler runs in that trace). */
export interface TraceOptions {
  traceparent?: string;
  tracestate?: string;
}

/** What `on` listeners receive besides the data. */
export interface EventMeta extends EventOrigin {
  event: string;
  topic?: string;
  offset?: number;
}

/** What a subscription handler receives for each event of its topic. */
export interface TopicEvent<T = any> extends EventOrigin {
  event: string;
  topic: string;
  offset?: number;
  data: T;
}

/**
 * A position to resume a durable topic from: `subscribe(topic, fn, {since})`. Usually a
 * `StreamPosition` the app saved from `client.position(topic)`.
 */
export interface Since {
  /** The offset of the last event already seen; a non-negative integer. */
  offset: number;
  /** The topic's epoch; without it the server cannot recover (`recovered: false`). */
  epoch?: string;
}

/**
 * Where a subscription to a durable topic stands: the topic's epoch and the offset of the last
 * event delivered (or the subscribe reply's latest offset when none came since). Plain JSON:
 * persist it as is and pass it back as `since`.
 */
export interface StreamPosition {
  epoch: string;
  offset: number;
}

/** The outcome of one automatic re-subscription after a reconnect. */
export interface ResubscribeOutcome {
  topic: string;
  /** The topic's epoch, or null when the topic is not durable. */
  epoch: string | null;
  /** The topic's latest offset when the server answered, or null when not durable. */
  offset: number | null;
  /**
   * true: the missed events follow (nothing lost). false: not durable, or the history no
   * longer reached back, or the epoch changed: reload what you derive from the topic.
   */
  recovered: boolean;
}

/** The server's subscribe reply. */
export interface SubscribeReply {
  topic: string;
  epoch?: string | null;
  offset?: number | null;
  recovered?: boolean;
}

export interface RequestOptions extends TraceOptions {
  /** Overrides requestTimeoutMs; Infinity waits forever. */
  timeoutMs?: number;
}

export interface SubscribeOptions extends RequestOptions {
  /**
   * Resume a durable topic after this position: the server replays the missed events after the
   * reply (`recovered: true`) or none (`recovered: false`). Only the subscribe that starts the
   * subscription sends it; later ones share the existing subscription.
   */
  since?: Since | StreamPosition;
  /**
   * Told the outcome of every automatic re-subscription of this topic after a reconnect, before
   * its replayed events; removed with the subscription.
   */
  onResubscribe?: (outcome: ResubscribeOutcome) => void;
}

export interface VersionOptions extends RequestOptions {
  /** Optimistic concurrency: fail with "conflict" unless the stored version matches. */
  version?: number;
}

export interface ListQuery {
  page?: number;
  size?: number;
  /** "-field,field2", or an array of such terms. */
  sort?: string | string[];
  filters?: Record<string, unknown>;
}

export interface Page<T> {
  items: T[];
  page: number;
  size: number;
  total: number;
}

/** An item as stored: with its id and version. */
export type Stored<T> = T & { id: string | number; version: number };

export type Id = string | number;

/** RFC 6902 operations or an RFC 7396 merge patch. */
export type Patch = Array<{ op: string; path: string; value?: unknown; from?: string }> | Record<string, unknown>;

/** CRUD over the socket: the reserved GET/LIST/POST/PUT/PATCH/DELETE requests. */
export interface Collection<T = Record<string, unknown>> {
  readonly name: string;
  /** "collection:<name>", where ADDED / MODIFIED / DELETED events are published. */
  readonly topic: string;
  get(id: Id, options?: RequestOptions): Promise<Stored<T>>;
  list(query?: ListQuery, options?: RequestOptions): Promise<Page<Stored<T>>>;
  create(item: T, options?: RequestOptions): Promise<Stored<T>>;
  replace(id: Id, item: T, options?: VersionOptions): Promise<Stored<T>>;
  patch(id: Id, patch: Patch, options?: VersionOptions): Promise<Stored<T>>;
  delete(id: Id, options?: RequestOptions): Promise<{ id: Id; deleted: true }>;
  /** Subscribes to the collection's change events. */
  subscribe(fn: (event: TopicEvent<Stored<T> | { id: Id }>) => void, options?: SubscribeOptions): Promise<SubscribeReply>;
  unsubscribe(fn?: (event: TopicEvent) => void): Promise<unknown>;
  /** The position of the subscription to `topic`, as `client.position(topic)`. */
  position(): StreamPosition | null;
}

export interface StateInfo {
  /** "reconnecting": attempt number (1-based) and the delay before it. */
  attempt?: number;
  delayMs?: number;
  /** "reconnecting" and "closed": the close code and reason that caused it. */
  code?: number;
  reason?: string;
  /** "closed": true when close() was called. */
  byClient?: boolean;
  /** "open": the new connection. */
  connectionId?: string;
  node?: string;
  reconnected?: boolean;
}

/** Calling it removes the listener or handler it was returned for. */
export type Unsubscribe = () => void;

export interface Client {
  /** Current state. */
  readonly state: ConnectionState;
  /** Id of the current connection, from the latest welcome. */
  readonly connectionId: string | undefined;
  /** The latest welcome frame. */
  readonly welcome: Welcome | null;

  /** Listens to server events by name, whatever their topic. */
  on<T = any>(event: string, fn: (data: T, meta: EventMeta) => void): Unsubscribe;
  /** Removes a listener, or all listeners of the event. */
  off(event: string, fn?: (data: any, meta: EventMeta) => void): void;
  /**
   * Fire-and-forget. True when sent or queued for the next connection; false when dropped.
   * @throws SwitchboardError "too_large" when over the server's maxFrameBytes.
   */
  emit(event: string, data?: unknown, options?: TraceOptions): boolean;
  /** Request-reply; rejects with SwitchboardError (error reply, "timeout", "unavailable", "too_large"). */
  request<T = any>(event: string, data?: unknown, options?: RequestOptions): Promise<T>;
  /** Answers server requests for `event`; a thrown SwitchboardError replies with its code. */
  onRequest<T = any>(event: string, handler: (data: T, meta: { id: string | number; event: string }) => unknown): Unsubscribe;
  /** Server `error` frames and failed automatic re-subscriptions. */
  onError(fn: (error: SwitchboardError) => void): Unsubscribe;
  /** State changes: connecting → open → reconnecting (once per attempt) → open … → closed. */
  onState(fn: (state: ConnectionState, info: StateInfo) => void): Unsubscribe;
  /** Subscribes to a topic; re-subscribed automatically after a reconnect. */
  subscribe<T = any>(topic: string, fn: (event: TopicEvent<T>) => void, options?: SubscribeOptions): Promise<SubscribeReply>;
  /** Removes one handler, or the subscription; resolves with the server's reply or null. */
  unsubscribe(topic: string, fn?: (event: TopicEvent) => void): Promise<unknown>;
  /**
   * Where the subscription to a durable topic stands; null when not subscribed, not durable, or
   * before its reply (without `since`). Still readable after `close()`.
   */
  position(topic: string): StreamPosition | null;
  /**
   * The outcome of every automatic re-subscription after a reconnect, for every topic; runs
   * after the topic's own `onResubscribe`, before its replayed events.
   */
  onResubscribe(fn: (outcome: ResubscribeOutcome) => void): Unsubscribe;
  /** CRUD helpers for a server collection. */
  collection<T = Record<string, unknown>>(name: string): Collection<T>;
  /** Closes for good (no reconnect); resolves once the socket is closed. */
  close(code?: number, reason?: string): Promise<void>;
}

/** Default option values. */
export declare const DEFAULTS: Readonly<{
  protocols: string[];
  reconnect: true;
  backoff: Readonly<Required<BackoffOptions>>;
  restartDelayMs: number;
  requestTimeoutMs: number;
  connectTimeoutMs: number;
  maxPendingWhileDisconnected: number;
  queueTimeoutMs: number;
  tokenIn: "query";
}>;

/**
 * Opens a connection; resolves after the welcome frame. Rejects with SwitchboardError
 * ("unauthorized" on close 4001, "forbidden" on 4003, "timeout" without welcome, else
 * "unavailable") when the first attempt fails, and with TypeError on bad arguments.
 */
export declare function connect(url: string | URL, options?: ConnectOptions): Promise<Client>;

/** The default reconnect rule: false for close codes 1000, 1008 and 4001-4003. */
export declare function shouldReconnect(code: number, reason?: string): boolean;

/** Delay before 0-based attempt `attempt`: random in [0, min(maxMs, initialMs * factor^attempt)). */
export declare function backoffDelay(attempt: number, backoff?: BackoffOptions, random?: () => number): number;
