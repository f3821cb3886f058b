import { test } from "node:test";
import assert from "node:assert/strict";
import { SwitchboardError } from "../switchboard.js";
import { connected } from "./helpers.js";

test("emit sends an emit frame with data (undefined becomes null)", async () => {
  const { client, socket } = await connected();
  assert.equal(client.emit("chat.send", "hello"), true);
  client.emit("ready");
  assert.deepEqual(await socket.nextFrame(), { type: "emit", event: "chat.send", data: "hello" });
  assert.deepEqual(await socket.nextFrame(), { type: "emit", event: "ready", data: null });
  await client.close();
  assert.equal(client.emit("late", 1), false);
});

test("on receives event data with its metadata, off stops it", async () => {
  const { client, socket } = await connected();
  const got = [];
  const fn = (data, meta) => got.push([data, meta]);
  const stop = client.on("chat.message", fn);
  socket.push({ type: "event", event: "chat.message", topic: "lobby", data: "Alice: hello" });
  socket.push({ type: "event", event: "other", data: 1 });
  stop();
  socket.push({ type: "event", event: "chat.message", data: "unseen" });
  assert.deepEqual(got, [["Alice: hello", { event: "chat.message", topic: "lobby", offset: undefined }]]);
  await client.close();
});

test("an event's id, source and time reach listeners when it has them", async () => {
  const { client, socket } = await connected();
  const got = [];
  client.on("notifications.drawer", (data, meta) => got.push(meta));
  socket.push({ type: "event", event: "notifications.drawer", id: "message-id", source: "/billing",
    time: "2026-03-04T05:06:07.123Z", data: { title: "New notification" } });
  socket.push({ type: "event", event: "notifications.drawer", id: 7, data: {} });
  assert.deepEqual(got, [
    { event: "notifications.drawer", topic: undefined, offset: undefined, id: "message-id", source: "/billing",
      time: "2026-03-04T05:06:07.123Z" },
    { event: "notifications.drawer", topic: undefined, offset: undefined },
  ]);
  await client.close();
});

test("a throwing listener does not stop the others", async (t) => {
  const { client, socket } = await connected();
  const errors = t.mock.method(console, "error", () => {});
  const seen = [];
  client.on("x", () => {
    throw new Error("boom");
  });
  client.on("x", (d) => seen.push(d));
  socket.push({ type: "event", event: "x", data: 1 });
  assert.deepEqual(seen, [1]);
  assert.equal(errors.mock.callCount(), 1);
  await client.close();
});

test("request resolves with the reply's data, correlated by id", async () => {
  const { client, socket } = await connected();
  const first = client.request("echo", { x: 1 });
  const second = client.request("echo", { x: 2 });
  const f1 = await socket.nextFrame();
  const f2 = await socket.nextFrame();
  assert.deepEqual(f1, { type: "request", id: f1.id, event: "echo", data: { x: 1 } });
  assert.notEqual(f1.id, f2.id);
  socket.push({ type: "reply", id: f2.id, data: "two" });
  socket.push({ type: "reply", id: f1.id, data: { x: 1 } });
  assert.deepEqual(await first, { x: 1 });
  assert.equal(await second, "two");
  await client.close();
});

test("an error reply rejects with a SwitchboardError carrying the code", async () => {
  const { client, socket } = await connected();
  const pending = client.request("GET", { collection: "items", id: "1" });
  const frame = await socket.nextFrame();
  socket.push({ type: "reply", id: frame.id, error: { code: "not_found", message: "items/1 does not exist" } });
  await assert.rejects(pending, (e) => {
    assert.ok(e instanceof SwitchboardError);
    assert.ok(e instanceof Error);
    assert.equal(e.code, "not_found");
    assert.equal(e.message, "items/1 does not exist");
    return true;
  });
  await client.close();
});

test("a request without reply rejects with timeout and a late reply is ignored", async () => {
  const { client, socket } = await connected();
  const pending = client.request("slow", null, { timeoutMs: 15 });
  const frame = await socket.nextFrame();
  await assert.rejects(pending, (e) => e.code === "timeout");
  socket.push({ type: "reply", id: frame.id, data: "too late" });
  assert.equal(client.state, "open");
  await client.close();
});

test("pending requests reject with unavailable when the client closes", async () => {
  const { client, socket } = await connected();
  const pending = assert.rejects(client.request("slow"), (e) => e.code === "unavailable");
  await socket.nextFrame();
  await client.close();
  await pending;
  await assert.rejects(client.request("after"), (e) => e.code === "unavailable");
});

test("server requests are answered by onRequest handlers", async (t) => {
  const { client, socket } = await connected();
  client.onRequest("confirm", (data, meta) => ({ ok: data.question === "Ship now?", id: meta.id }));
  client.onRequest("later", async () => {
    await new Promise((r) => setTimeout(r, 1));
    return 42;
  });
  client.onRequest("nothing", () => undefined);
  client.onRequest("denied", () => {
    throw new SwitchboardError("forbidden", "no way");
  });
  client.onRequest("broken", () => Promise.reject(new Error("bug")));

  socket.push({ type: "request", id: "s-1", event: "confirm", data: { question: "Ship now?" } });
  assert.deepEqual(await socket.nextFrame(), { type: "reply", id: "s-1", data: { ok: true, id: "s-1" } });
  socket.push({ type: "request", id: "s-2", event: "later", data: null });
  assert.deepEqual(await socket.nextFrame(), { type: "reply", id: "s-2", data: 42 });
  socket.push({ type: "request", id: 3, event: "nothing" });
  assert.deepEqual(await socket.nextFrame(), { type: "reply", id: 3, data: null });
  socket.push({ type: "request", id: "s-4", event: "denied" });
  assert.deepEqual(await socket.nextFrame(), { type: "reply", id: "s-4", error: { code: "forbidden", message: "no way" } });
  socket.push({ type: "request", id: "s-5", event: "broken" });
  const broken = await socket.nextFrame();
  assert.equal(broken.id, "s-5");
  assert.equal(broken.error.code, "internal");
  socket.push({ type: "request", id: "s-6", event: "nobody" });
  const unknown = await socket.nextFrame();
  assert.equal(unknown.error.code, "unknown_event");
  assert.equal(unknown.id, "s-6");
  await client.close();
});

test("ping is answered with pong", async () => {
  const { client, socket } = await connected();
  socket.push({ type: "ping" });
  assert.deepEqual(await socket.nextFrame(), { type: "pong" });
  await client.close();
});

test("error frames reach onError as SwitchboardError; junk and unknown frames are ignored", async () => {
  const { client, socket } = await connected();
  const errors = [];
  client.onError((e) => errors.push(e));
  socket.push("not json");
  socket.push({ type: "from-the-future" });
  socket.push({ type: "error", error: { code: "bad_request", message: "frame is not JSON" } });
  assert.equal(errors.length, 1);
  assert.ok(errors[0] instanceof SwitchboardError);
  assert.equal(errors[0].code, "bad_request");
  assert.equal(errors[0].message, "frame is not JSON");
  assert.equal(client.state, "open");
  await client.close();
});

test("frames over maxFrameBytes are refused locally with too_large", async () => {
  const { client, socket } = await connected({}, { welcome: { maxFrameBytes: 64 } });
  const big = "é".repeat(40); // 80 bytes in UTF-8
  await assert.rejects(client.request("echo", big), (e) => e.code === "too_large");
  assert.throws(() => client.emit("chat.send", big), (e) => e.code === "too_large");
  client.emit("chat.send", "small");
  assert.deepEqual(await socket.nextFrame(), { type: "emit", event: "chat.send", data: "small" });
  await client.close();
});

test("emit and request carry a W3C trace context when given one, and listeners see an event's", async () => {
  const tp = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
  const { client, socket } = await connected();
  client.emit("chat.send", "hi", { traceparent: tp, tracestate: "congo=t61rcWkgMzE" });
  assert.deepEqual(await socket.nextFrame(),
    { type: "emit", event: "chat.send", traceparent: tp, tracestate: "congo=t61rcWkgMzE", data: "hi" });
  const reply = client.request("echo", 1, { traceparent: tp });
  const sent = await socket.nextFrame();
  assert.equal(sent.traceparent, tp);
  socket.push({ type: "reply", id: sent.id, data: 1 });
  await reply;
  const got = [];
  client.on("ordered", (data, meta) => got.push(meta.traceparent));
  socket.push({ type: "event", event: "ordered", traceparent: tp, data: 1 });
  assert.deepEqual(got, [tp]);
  await client.close();
});
