import { test } from "node:test";
import assert from "node:assert/strict";
import { connected } from "./helpers.js";

test("subscribe sends the frame, resolves with the reply and delivers the topic's events", async () => {
  const { client, socket } = await connected();
  const got = [];
  const pending = client.subscribe("collection:items", (ev) => got.push(ev), { since: { offset: 41, epoch: "9f2c" } });
  const frame = await socket.nextFrame();
  assert.deepEqual(frame, { type: "subscribe", id: frame.id, topic: "collection:items", since: { offset: 41, epoch: "9f2c" } });
  const reply = { topic: "collection:items", epoch: "9f2c", offset: 42, recovered: true };
  socket.push({ type: "reply", id: frame.id, data: reply });
  assert.deepEqual(await pending, reply);
  socket.push({ type: "event", event: "ADDED", topic: "collection:items", offset: 42, data: { id: "1", title: "x", version: 1 } });
  socket.push({ type: "event", event: "ADDED", topic: "elsewhere", offset: 7, data: {} });
  assert.deepEqual(got, [{ event: "ADDED", topic: "collection:items", offset: 42, data: { id: "1", title: "x", version: 1 } }]);
  await client.close();
});

test("unsubscribe sends the frame and stops delivery", async () => {
  const { client, socket } = await connected();
  const got = [];
  const subscribed = client.subscribe("news", (ev) => got.push(ev.data));
  const sub = await socket.nextFrame();
  assert.deepEqual(sub, { type: "subscribe", id: sub.id, topic: "news" });
  socket.push({ type: "reply", id: sub.id, data: { topic: "news", epoch: null, offset: 0, recovered: false } });
  await subscribed;
  socket.push({ type: "event", event: "item", topic: "news", data: 1 });
  const unsubscribed = client.unsubscribe("news");
  const unsub = await socket.nextFrame();
  assert.deepEqual(unsub, { type: "unsubscribe", id: unsub.id, topic: "news" });
  assert.notEqual(unsub.id, sub.id);
  socket.push({ type: "reply", id: unsub.id, data: true });
  assert.equal(await unsubscribed, true);
  socket.push({ type: "event", event: "item", topic: "news", data: 2 });
  assert.deepEqual(got, [1]);
  await client.close();
});

test("several handlers share one subscription; the last one out unsubscribes", async () => {
  const { client, socket } = await connected();
  const a = [];
  const b = [];
  const fa = (ev) => a.push(ev.data);
  const fb = (ev) => b.push(ev.data);
  const first = client.subscribe("t", fa);
  const frame = await socket.nextFrame();
  const second = client.subscribe("t", fb);
  socket.push({ type: "reply", id: frame.id, data: { topic: "t", offset: 0 } });
  assert.deepEqual(await second, await first);
  socket.push({ type: "event", event: "e", topic: "t", data: 1 });
  assert.equal(await client.unsubscribe("t", fa), null); // fb still listens: no frame
  socket.push({ type: "event", event: "e", topic: "t", data: 2 });
  assert.deepEqual([a, b], [[1], [1, 2]]);
  client.unsubscribe("t", fb);
  assert.equal((await socket.nextFrame()).type, "unsubscribe");
  assert.equal(socket.sent.filter((f) => f.type === "subscribe").length, 1);
  await client.close();
});

test("a refused subscribe rejects with the code and leaves no subscription behind", async () => {
  const { client, socket } = await connected();
  const pending = client.subscribe("secret", () => {});
  const frame = await socket.nextFrame();
  socket.push({ type: "reply", id: frame.id, error: { code: "forbidden", message: "not for you" } });
  await assert.rejects(pending, (e) => e.code === "forbidden");
  // A new subscribe sends a fresh frame instead of sharing the failed one.
  client.subscribe("secret", () => {}).catch(() => {});
  assert.equal((await socket.nextFrame()).type, "subscribe");
  await client.close();
});

test("an unanswered subscribe times out", async () => {
  const { client, socket } = await connected();
  const pending = client.subscribe("slow", () => {}, { timeoutMs: 15 });
  await socket.nextFrame();
  await assert.rejects(pending, (e) => e.code === "timeout");
  await client.close();
});
