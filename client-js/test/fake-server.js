// An in-process protocol peer: a WebSocket class to inject into the client and, behind it,
// the server side of every socket. Tests await what the client sends (never sleep) and push
// server frames, opens and closes.

const WAIT_MS = 2000;

export class FakeServer {
  #waiting = [];
  #unclaimed = [];

  /**
   * @param {object} [options]
   * @param {boolean} [options.autoWelcome=true] open and welcome each new socket
   * @param {object} [options.welcome] extra welcome fields
   */
  constructor({ autoWelcome = true, welcome = {} } = {}) {
    this.autoWelcome = autoWelcome;
    this.welcome = welcome;
    this.sockets = [];
    /** When set, new sockets fail the way a refused connection does (error, close 1006). */
    this.refuse = false;
    /** When set, new sockets fail with an error and never close (Node 20's WebSocket, refused). */
    this.refuseWithoutClose = false;
    const server = this;
    this.WebSocket = class extends FakeSocket {
      constructor(url, protocols) {
        super(server, url, protocols);
      }
    };
  }

  /** Resolves with the next socket the client opens (sockets are handed out in order). */
  nextSocket() {
    if (this.#unclaimed.length) return Promise.resolve(this.#unclaimed.shift());
    return withTimeout(new Promise((resolve) => this.#waiting.push(resolve)), "a new socket");
  }

  _register(socket) {
    this.sockets.push(socket);
    const waiter = this.#waiting.shift();
    if (waiter) waiter(socket);
    else this.#unclaimed.push(socket);
    // Decided now, so a test may change the flags once it holds the socket.
    const refuse = this.refuse;
    const errorOnly = this.refuseWithoutClose;
    const autoWelcome = this.autoWelcome;
    setTimeout(() => {
      if (refuse) socket.refuse();
      else if (errorOnly) socket.onerror?.({ type: "error" });
      else if (autoWelcome && socket.readyState === FakeSocket.CONNECTING) socket.welcome();
    }, 0);
  }
}

export class FakeSocket {
  static CONNECTING = 0;
  static OPEN = 1;
  static CLOSING = 2;
  static CLOSED = 3;

  #server;
  #cursor = 0;
  #frameWaiters = [];
  #closeWaiters = [];

  constructor(server, url, protocols) {
    this.#server = server;
    this.url = url;
    this.protocols = protocols;
    this.readyState = FakeSocket.CONNECTING;
    /** Every frame the client sent, parsed. */
    this.sent = [];
    /** {code, reason} once the client closed this socket. */
    this.closedByClient = null;
    this.onopen = this.onmessage = this.onclose = this.onerror = null;
    server._register(this);
  }

  // ---- the client's side (the WebSocket API) ----

  send(text) {
    if (this.readyState !== FakeSocket.OPEN) throw new Error(`InvalidStateError: send in state ${this.readyState}`);
    if (typeof text !== "string") throw new Error("the client must send text frames");
    this.sent.push(JSON.parse(text));
    this.#wake();
  }

  close(code = 1000, reason = "") {
    if (this.readyState >= FakeSocket.CLOSING) return;
    this.closedByClient = { code, reason };
    this.readyState = FakeSocket.CLOSING;
    setTimeout(() => this.#closed(code, reason, true), 0);
    for (const resolve of this.#closeWaiters.splice(0)) resolve(this.closedByClient);
  }

  // ---- the server's side ----

  open() {
    if (this.readyState !== FakeSocket.CONNECTING) return;
    this.readyState = FakeSocket.OPEN;
    this.onopen?.({ type: "open" });
  }

  /** Opens if needed and sends the welcome frame. */
  welcome(extra = {}) {
    this.open();
    const id = this.#server.sockets.indexOf(this) + 1;
    this.push({ type: "welcome", connectionId: `c-${id}`, node: "n-1", heartbeatMs: 0, maxFrameBytes: 65536, ...this.#server.welcome, ...extra });
  }

  /** Delivers a server frame (an object is JSON-encoded, a string sent as is). */
  push(frame) {
    if (this.readyState !== FakeSocket.OPEN) throw new Error("push on a socket that is not open");
    this.onmessage?.({ type: "message", data: typeof frame === "string" ? frame : JSON.stringify(frame) });
  }

  /** The server (or the network) ends the connection. */
  drop(code = 1006, reason = "") {
    if (this.readyState === FakeSocket.CLOSED) return;
    if (code === 1006) this.onerror?.({ type: "error" });
    this.#closed(code, reason, code !== 1006);
  }

  refuse() {
    this.drop(1006);
  }

  /** Resolves with the next frame the client sends (optionally the next of a type). */
  nextFrame(type) {
    return withTimeout(
      new Promise((resolve) => {
        this.#frameWaiters.push({ type, resolve });
        this.#wake();
      }),
      `a ${type || "any"} frame`,
    );
  }

  /** Resolves when the client closes this socket. */
  closedByClientPromise() {
    if (this.closedByClient) return Promise.resolve(this.closedByClient);
    return withTimeout(new Promise((resolve) => this.#closeWaiters.push(resolve)), "the client to close");
  }

  #wake() {
    while (this.#frameWaiters.length) {
      const waiter = this.#frameWaiters[0];
      let index = this.#cursor;
      while (index < this.sent.length && waiter.type && this.sent[index].type !== waiter.type) index++;
      if (index >= this.sent.length) return;
      this.#cursor = index + 1;
      this.#frameWaiters.shift();
      waiter.resolve(this.sent[index]);
    }
  }

  #closed(code, reason, wasClean) {
    if (this.readyState === FakeSocket.CLOSED) return;
    this.readyState = FakeSocket.CLOSED;
    this.onclose?.({ type: "close", code, reason, wasClean });
  }
}

/** Rejects with a readable message instead of letting a test hang. */
export function withTimeout(promise, what, ms = WAIT_MS) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** Records state changes and lets a test await a given one. */
export function recordStates(client) {
  const states = [];
  const waiters = [];
  client.onState((state, info) => {
    states.push({ state, ...info });
    for (let i = waiters.length - 1; i >= 0; i--) {
      if (waiters[i].state === state) waiters.splice(i, 1)[0].resolve(info);
    }
  });
  return {
    states,
    names: () => states.map((s) => s.state),
    next: (state) => withTimeout(new Promise((resolve) => waiters.push({ state, resolve })), `state ${state}`),
  };
}
