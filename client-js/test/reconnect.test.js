import { test } from "node:test";
import assert from "node:assert/strict";
import { backoffDelay, connect, shouldReconnect } from "../switchboard.js";
import { FakeServer, recordStates } from "./fake-server.js";
import { connected } from "./helpers.js";

// Subscribes and answers with the given reply.
async function subscribeWith(client, socket, topic, fn, reply) {
  const pending = client.subscribe(topic, fn);
  const frame = await socket.nextFrame("subscribe");
  socket.push({ type: "reply", id: frame.id, data: { topic, ...reply } });
  return pending;
}

test("backoffDelay is exponential with full jitter and capped", () => {
  const backoff = { initialMs: 100, maxMs: 1000, factor: 2 };
  const top = () => 0.999999;
  assert.deepEqual([0, 1, 2, 3, 4, 10].map((a) => backoffDelay(a, backoff, top)), [99, 199, 399, 799, 999, 999]);
  assert.equal(backoffDelay(3, backoff, () => 0), 0);
  assert.equal(backoffDelay(3, backoff, () => 0.5), 400);
  for (let i = 0; i < 200; i++) {
    const d = backoffDelay(2, backoff);
    assert.ok(d >= 0 && d < 400, `delay ${d}`);
  }
});

test("the default reconnect rule skips normal closure, policy violations and auth failures", () => {
  for (const code of [1001, 1005, 1006, 1011, 1012, 4000, 4004]) assert.equal(shouldReconnect(code), true, `code ${code}`);
  for (const code of [1000, 1008, 4001, 4002, 4003]) assert.equal(shouldReconnect(code), false, `code ${code}`);
});

test("after a drop it reconnects with backoff and re-subscribes, resuming durable topics", async () => {
  const { server, client, socket } = await connected({
    backoff: { initialMs: 8, maxMs: 100, factor: 2 },
    random: () => 0.5,
  });
  const states = recordStates(client);
  const items = [];
  await subscribeWith(client, socket, "collection:items", (ev) => items.push(ev.offset), { epoch: "e1", offset: 5, recovered: false });
  await subscribeWith(client, socket, "lobby", () => {}, { epoch: null, offset: null, recovered: false });
  socket.push({ type: "event", event: "ADDED", topic: "collection:items", offset: 6, data: {} });

  server.refuse = true;
  socket.drop(1006);
  const refused = await server.nextSocket();
  server.refuse = false;
  const reopened = await server.nextSocket();
  assert.ok(refused !== reopened);
  await states.next("open");
  assert.deepEqual(
    states.states.map(({ state, attempt, delayMs }) => [state, attempt, delayMs]),
    [["reconnecting", 1, 4], ["reconnecting", 2, 8], ["open", undefined, undefined]],
  );
  assert.equal(states.states[2].reconnected, true);
  assert.equal(client.connectionId, "c-3");

  const resubscribed = reopened.sent.filter((f) => f.type === "subscribe");
  assert.deepEqual(
    resubscribed.map(({ topic, since }) => ({ topic, since })),
    [{ topic: "collection:items", since: { offset: 6, epoch: "e1" } }, { topic: "lobby", since: undefined }],
  );
  // Missed events follow a recovered reply and still reach the subscriber.
  reopened.push({ type: "reply", id: resubscribed[0].id, data: { topic: "collection:items", epoch: "e1", offset: 8, recovered: true } });
  reopened.push({ type: "event", event: "ADDED", topic: "collection:items", offset: 7, data: {} });
  assert.deepEqual(items, [6, 7]);
  await client.close();
});

test("onResubscribe reports the re-subscribe reply so the app can reload what was not recovered", async () => {
  const { server, client, socket } = await connected({ random: () => 0 });
  const replies = [];
  const pending = client.subscribe("collection:items", () => {}, { onResubscribe: (r) => replies.push(r) });
  const first = await socket.nextFrame();
  socket.push({ type: "reply", id: first.id, data: { topic: "collection:items", epoch: "e1", offset: 3, recovered: false } });
  await pending;
  socket.drop(1001, "shutdown");
  const next = await server.nextSocket();
  const again = await next.nextFrame("subscribe");
  assert.deepEqual(again.since, { offset: 3, epoch: "e1" });
  const reply = { topic: "collection:items", epoch: "e2", offset: 0, recovered: false };
  next.push({ type: "reply", id: again.id, data: reply });
  assert.deepEqual(replies, [reply]);
  await client.close();
});

test("a failed re-subscribe is reported to onError with its topic", async () => {
  const { server, client, socket } = await connected({ random: () => 0 });
  const errors = [];
  client.onError((e) => errors.push(e));
  await subscribeWith(client, socket, "room", () => {}, { offset: 0 });
  socket.drop(1006);
  const next = await server.nextSocket();
  const again = await next.nextFrame("subscribe");
  next.push({ type: "reply", id: again.id, error: { code: "forbidden", message: "no longer" } });
  assert.deepEqual(errors.map((e) => [e.code, e.topic]), [["forbidden", "room"]]);
  next.push({ type: "event", event: "x", topic: "room", data: 1 }); // nobody subscribed any more
  await client.close();
});

test("a subscribe still unanswered when the connection drops is sent again and resolves then", async () => {
  const { server, client, socket } = await connected({ random: () => 0 });
  const pending = client.subscribe("t", () => {});
  await socket.nextFrame("subscribe");
  socket.drop(1006);
  const next = await server.nextSocket();
  const again = await next.nextFrame("subscribe");
  next.push({ type: "reply", id: again.id, data: { topic: "t", offset: 1 } });
  assert.deepEqual(await pending, { topic: "t", offset: 1 });
  await client.close();
});

test("requests in flight when the connection drops reject with unavailable", async () => {
  const { server, client, socket } = await connected({ random: () => 0 });
  const pending = assert.rejects(client.request("slow"), (e) => e.code === "unavailable");
  await socket.nextFrame();
  socket.drop(1006);
  await pending;
  await server.nextSocket();
  await client.close();
});

test("requests and emits made while disconnected wait for the reconnect, in order", async () => {
  const { server, client, socket } = await connected({ random: () => 0 });
  server.autoWelcome = false;
  const states = recordStates(client);
  socket.drop(1006);
  assert.equal(client.state, "reconnecting");
  assert.equal(client.emit("chat.send", "while away"), true);
  const answer = client.request("echo", "queued");
  const next = await server.nextSocket();
  assert.deepEqual(next.sent, []);
  next.welcome();
  assert.deepEqual(next.sent.map((f) => f.type), ["emit", "request"]);
  const req = next.sent[1];
  assert.deepEqual(req, { type: "request", id: req.id, event: "echo", data: "queued" });
  next.push({ type: "reply", id: req.id, data: "queued" });
  assert.equal(await answer, "queued");
  assert.deepEqual(states.names(), ["reconnecting", "open"]);
  await client.close();
});

test("requests while disconnected reject with unavailable beyond maxPendingWhileDisconnected", async () => {
  const { server, client, socket } = await connected({ random: () => 0, maxPendingWhileDisconnected: 2 });
  server.autoWelcome = false;
  socket.drop(1006);
  const first = client.request("a");
  assert.equal(client.emit("b"), true);
  await assert.rejects(client.request("c"), (e) => e.code === "unavailable");
  assert.equal(client.emit("d"), false);
  const next = await server.nextSocket();
  next.welcome();
  assert.deepEqual(next.sent.map((f) => f.event), ["a", "b"]);
  next.push({ type: "reply", id: next.sent[0].id, data: 1 });
  assert.equal(await first, 1);
  await client.close();
});

test("queued requests reject with unavailable after their timeout or the queue timeout", async () => {
  const { server, client, socket } = await connected({ random: () => 0, queueTimeoutMs: 20 });
  server.autoWelcome = false;
  socket.drop(1006);
  const byOwnTimeout = client.request("a", null, { timeoutMs: 5 });
  const byQueueTimeout = client.request("b", null, { timeoutMs: 5000 });
  await assert.rejects(byOwnTimeout, (e) => e.code === "unavailable");
  await assert.rejects(byQueueTimeout, (e) => e.code === "unavailable");
  const next = await server.nextSocket();
  next.welcome();
  assert.deepEqual(next.sent, [], "expired requests are never sent");
  await client.close();
});

test("with reconnect off a drop closes the client and rejects what was pending", async () => {
  const { server, client, socket } = await connected({ reconnect: false });
  const states = recordStates(client);
  const pending = assert.rejects(client.request("slow"), (e) => e.code === "unavailable");
  await socket.nextFrame();
  socket.drop(1006);
  await pending;
  assert.deepEqual(states.names(), ["closed"]);
  assert.equal(states.states[0].code, 1006);
  await assert.rejects(client.request("after"), (e) => e.code === "unavailable");
  await assert.rejects(client.subscribe("t", () => {}), (e) => e.code === "unavailable");
  assert.equal(server.sockets.length, 1);
});

for (const code of [1000, 1008, 4001, 4003]) {
  test(`no reconnect after close code ${code}`, async () => {
    const { client, socket } = await connected({ random: () => 0 });
    const states = recordStates(client);
    socket.drop(code, "go away");
    assert.deepEqual(states.states, [{ state: "closed", code, reason: "go away", byClient: false }]);
  });
}

test("no reconnect after close(), even while a reconnect was scheduled", async () => {
  const { server, client, socket } = await connected({ backoff: { initialMs: 5, maxMs: 5 }, random: () => 0.99 });
  const states = recordStates(client);
  socket.drop(1006);
  await client.close();
  assert.deepEqual(states.names(), ["reconnecting", "closed"]);
  assert.equal(server.sockets.length, 1);
});

test("a custom shouldReconnect rule and maxAttempts are honoured", async () => {
  const { server, client, socket } = await connected({
    random: () => 0,
    shouldReconnect: (code) => code === 4001,
    backoff: { maxAttempts: 2 },
  });
  const states = recordStates(client);
  server.refuse = true;
  socket.drop(4001, "token expired");
  await server.nextSocket();
  await states.next("closed");
  assert.deepEqual(states.names(), ["reconnecting", "closed"], "refusals (1006) are not retried by this rule");
  assert.equal(states.states[1].code, 1006);
  assert.equal(server.sockets.length, 2);

  const other = await connected({ random: () => 0, backoff: { maxAttempts: 2 } });
  const otherStates = recordStates(other.client);
  other.server.refuse = true;
  other.socket.drop(1006);
  await otherStates.next("closed");
  assert.deepEqual(otherStates.names(), ["reconnecting", "reconnecting", "closed"]);
  assert.equal(other.server.sockets.length, 3);
});

test("pings keep a quiet connection alive; 2.5 silent heartbeats drop and reconnect it", async (t) => {
  t.mock.timers.enable({ apis: ["setTimeout", "Date"] });
  const server = new FakeServer({ autoWelcome: false });
  const pending = connect("ws://example.test/ws", { WebSocket: server.WebSocket, random: () => 0 });
  const socket = await server.nextSocket();
  socket.welcome({ heartbeatMs: 100 });
  const client = await pending;
  const states = recordStates(client);
  for (let i = 0; i < 10; i++) {
    t.mock.timers.tick(240);
    socket.push({ type: "ping" });
  }
  assert.equal(socket.closedByClient, null);
  assert.equal(client.state, "open");
  t.mock.timers.tick(249);
  assert.equal(socket.closedByClient, null);
  t.mock.timers.tick(1);
  assert.equal(socket.closedByClient.code, 4000);
  assert.deepEqual(states.states, [{ state: "reconnecting", attempt: 1, delayMs: 0, code: 4000, reason: "heartbeat timeout" }]);
  t.mock.timers.tick(0);
  const next = await server.nextSocket();
  next.welcome();
  assert.equal(client.state, "open");
  const closing = client.close();
  t.mock.timers.tick(0); // the fake socket reports its close on a timer
  await closing;
});

test("a connection that fails with an error and no close event is retried without waiting for the connect timeout", async () => {
  // Node 20's experimental WebSocket reports a refused connection with an error event only.
  const { server, client, socket } = await connected({
    backoff: { initialMs: 4, maxMs: 10, factor: 2 },
    connectTimeoutMs: 60000,
  });
  const states = recordStates(client);
  server.refuseWithoutClose = true;
  socket.drop(1006);
  const silent = await server.nextSocket();
  server.refuseWithoutClose = false;
  const reopened = await server.nextSocket();
  assert.ok(silent !== reopened);
  await states.next("open");
  assert.equal(client.state, "open");
  await client.close();
});

test("a 1012 close (the server drains) reconnects after a delay drawn from restartDelayMs and resumes durable topics", async () => {
  const { server, client, socket } = await connected({
    backoff: { initialMs: 10000, maxMs: 10000, factor: 2 },
    restartDelayMs: 40,
    random: () => 0.5,
  });
  const states = recordStates(client);
  await subscribeWith(client, socket, "orders:1", () => {}, { epoch: "e1", offset: 3, recovered: false });
  socket.drop(1012, "service restart");
  const next = await server.nextSocket();
  const again = await next.nextFrame("subscribe");
  assert.deepEqual(again.since, { offset: 3, epoch: "e1" });
  assert.deepEqual(states.states[0], { ...states.states[0], state: "reconnecting", delayMs: 20, code: 1012 });
  await client.close();
});
