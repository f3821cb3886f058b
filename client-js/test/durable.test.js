// Durable topics: the position a subscription remembers (from replies and events), `since` on
// re-subscribe and on an explicit subscribe, duplicates dropped, and `recovered` reported.
import { test } from "node:test";
import assert from "node:assert/strict";
import { connected } from "./helpers.js";

const reply = (socket, frame, data) => socket.push({ type: "reply", id: frame.id, data });
const event = (socket, topic, offset) => socket.push({ type: "event", event: "ADDED", topic, offset, data: { n: offset } });

// A connected client whose every observation goes to one ordered log.
async function logged() {
  const { server, client, socket } = await connected({ random: () => 0 });
  const log = [];
  client.on("ADDED", (data) => log.push(`on:${data.n}`));
  client.onResubscribe((o) => log.push(`client:${o.topic}:${o.recovered}:${o.epoch}/${o.offset}`));
  const subscribe = (topic, options = {}) => client.subscribe(topic, (ev) => log.push(`${topic}:${ev.offset}`), options);
  let current = socket;
  // Drops the connection; resolves with the next socket and the re-subscribe frames it got.
  const reconnect = async (count = 1) => {
    current.drop(1006);
    current = await server.nextSocket();
    const frames = [];
    for (let i = 0; i < count; i++) frames.push(await current.nextFrame("subscribe"));
    return { socket: current, frames };
  };
  // Subscribes and answers with the given reply data.
  const subscribed = async (topic, data, options) => {
    const pending = subscribe(topic, options);
    const frame = await current.nextFrame("subscribe");
    reply(current, frame, { topic, ...data });
    return { frame, result: await pending };
  };
  return { client, socket, log, subscribe, subscribed, reconnect };
}

test("the position comes from the reply, then from events; duplicates are dropped, the last value kept", async () => {
  const { client, socket, log, subscribe } = await logged();
  const pending = subscribe("items");
  const frame = await socket.nextFrame();
  assert.deepEqual(frame, { type: "subscribe", id: frame.id, topic: "items" });
  assert.equal(client.position("items"), null);
  reply(socket, frame, { topic: "items", epoch: "e1", offset: 41, recovered: false });
  assert.deepEqual(await pending, { topic: "items", epoch: "e1", offset: 41, recovered: false });
  assert.deepEqual(client.position("items"), { epoch: "e1", offset: 41 });

  event(socket, "items", 41); // a last-value topic's latest message, right after the reply
  event(socket, "items", 42);
  event(socket, "items", 42); // duplicate
  event(socket, "items", 43);

  assert.deepEqual(log, ["items:41", "on:41", "items:42", "on:42", "items:43", "on:43"]);
  assert.deepEqual(client.position("items"), { epoch: "e1", offset: 43 });
  await client.close();
});

test("an offset going down means the history started over: it is delivered and followed", async () => {
  const { client, socket, log, subscribe } = await logged();
  const pending = subscribe("items");
  const frame = await socket.nextFrame();
  reply(socket, frame, { topic: "items", epoch: "e1", offset: 41, recovered: false });
  await pending;
  event(socket, "items", 42);
  event(socket, "items", 1); // the server never repeats or reorders: a new epoch's first message
  event(socket, "items", 1); // this one is a duplicate
  event(socket, "items", 2);
  assert.deepEqual(log, ["items:42", "on:42", "items:1", "on:1", "items:2", "on:2"]);
  // The new epoch is unknown until the next reply: resuming with the old one gets recovered:false.
  assert.deepEqual(client.position("items"), { epoch: "e1", offset: 2 });
  await client.close();
});

test("a reconnect resumes from the last event and reports the recovery before the replay", async () => {
  const { client, socket, log, subscribed, reconnect } = await logged();
  await subscribed("items", { epoch: "e1", offset: 5, recovered: false }, { onResubscribe: (o) => log.push(`topic:${o.recovered}`) });
  await subscribed("lobby", { epoch: null, offset: null, recovered: false });
  event(socket, "items", 6);
  event(socket, "items", 7);
  log.length = 0;

  const { socket: next, frames: [items, lobby] } = await reconnect(2);
  assert.deepEqual([items.topic, items.since], ["items", { offset: 7, epoch: "e1" }]);
  assert.deepEqual([lobby.topic, lobby.since], ["lobby", undefined]);

  reply(next, items, { topic: "items", epoch: "e1", offset: 9, recovered: true });
  assert.deepEqual(client.position("items"), { epoch: "e1", offset: 7 }, "the replay moves it");
  event(next, "items", 7); // the server repeating the last delivered event: dropped
  event(next, "items", 8);
  event(next, "items", 9);
  reply(next, lobby, { topic: "lobby", epoch: null, offset: null, recovered: false });
  event(next, "items", 10);

  assert.deepEqual(log, [
    "topic:true",
    "client:items:true:e1/9",
    "items:8", "on:8", "items:9", "on:9",
    "client:lobby:false:null/null",
    "items:10", "on:10",
  ]);
  assert.deepEqual(client.position("items"), { epoch: "e1", offset: 10 });
  assert.equal(client.position("lobby"), null);
  await client.close();
});

test("an unrecovered re-subscribe is reported and continues from the server's latest offset", async () => {
  const { client, socket, log, subscribed, reconnect } = await logged();
  const outcomes = [];
  await subscribed("items", { epoch: "e1", offset: 3, recovered: false }, { onResubscribe: (o) => outcomes.push(o) });
  event(socket, "items", 4);
  log.length = 0;

  const { socket: next, frames: [again] } = await reconnect();
  assert.deepEqual(again.since, { offset: 4, epoch: "e1" });
  reply(next, again, { topic: "items", epoch: "e1", offset: 120, recovered: false });
  event(next, "items", 120); // a last-value topic's message: new to this client
  event(next, "items", 121);

  assert.deepEqual(outcomes, [{ topic: "items", epoch: "e1", offset: 120, recovered: false }]);
  assert.deepEqual(log, ["client:items:false:e1/120", "items:120", "on:120", "items:121", "on:121"]);
  assert.deepEqual(client.position("items"), { epoch: "e1", offset: 121 });
  await client.close();
});

test("a resume answered without history keeps the position for the next resume", async () => {
  // Found by the chaos soak: a resume that met the history store down forgot the position, so the
  // next resume had no since and was never recovered, although the history was back.
  const { client, socket, subscribed, reconnect } = await logged();
  await subscribed("items", { epoch: "e1", offset: 3, recovered: false });
  event(socket, "items", 4);
  const first = await reconnect();
  assert.deepEqual(first.frames[0].since, { offset: 4, epoch: "e1" });
  reply(first.socket, first.frames[0], { topic: "items", epoch: null, offset: null, recovered: false });
  await new Promise((r) => setTimeout(r, 0));
  assert.deepEqual(client.position("items"), { epoch: "e1", offset: 4 });
  event(first.socket, "items", 7); // live again; 5 and 6 were not replayed (and reported so)
  const second = await reconnect();
  assert.deepEqual(second.frames[0].since, { offset: 7, epoch: "e1" });
  await client.close();
});

test("an epoch change restarts the offsets and is reported as not recovered", async () => {
  const { client, socket, log, subscribed, reconnect } = await logged();
  await subscribed("items", { epoch: "e1", offset: 5, recovered: false });
  event(socket, "items", 6);
  event(socket, "items", 7);
  log.length = 0;

  let { socket: next, frames: [again] } = await reconnect();
  assert.deepEqual(again.since, { offset: 7, epoch: "e1" });
  reply(next, again, { topic: "items", epoch: "e2", offset: 2, recovered: false });
  assert.deepEqual(client.position("items"), { epoch: "e2", offset: 2 });
  event(next, "items", 3); // below the old epoch's 7, yet new
  event(next, "items", 3);
  assert.deepEqual(log, ["client:items:false:e2/2", "items:3", "on:3"]);

  ({ frames: [again] } = await reconnect());
  assert.deepEqual(again.since, { offset: 3, epoch: "e2" });
  await client.close();
});

test("after an epoch change an offset equal to the old one is still new", async () => {
  const { client, socket, log, subscribed, reconnect } = await logged();
  await subscribed("items", { epoch: "e1", offset: 9, recovered: false });
  event(socket, "items", 10);
  const { socket: next, frames: [again] } = await reconnect();
  reply(next, again, { topic: "items", epoch: "e2", offset: 10, recovered: false });
  event(next, "items", 10); // the new epoch's last value
  assert.deepEqual(log.slice(-2), ["items:10", "on:10"]);
  assert.equal(log.filter((l) => l === "items:10").length, 2);
  await client.close();
});

test("an explicit since is sent, its recovery is in the reply, and the replay follows", async () => {
  const { client, socket, log, subscribe } = await logged();
  const pending = subscribe("items", { since: { offset: 41, epoch: "9f2c", savedAt: "yesterday" } });
  const frame = await socket.nextFrame();
  assert.deepEqual(frame, { type: "subscribe", id: frame.id, topic: "items", since: { offset: 41, epoch: "9f2c" } });
  assert.deepEqual(client.position("items"), { epoch: "9f2c", offset: 41 }, "before the reply");

  reply(socket, frame, { topic: "items", epoch: "9f2c", offset: 43, recovered: true });
  event(socket, "items", 41);
  event(socket, "items", 42);
  event(socket, "items", 43);

  assert.deepEqual(await pending, { topic: "items", epoch: "9f2c", offset: 43, recovered: true });
  assert.deepEqual(log, ["items:42", "on:42", "items:43", "on:43"]);
  assert.deepEqual(client.position("items"), { epoch: "9f2c", offset: 43 });
  await client.close();
});

test("an explicit since of another epoch is not recovered and starts over", async () => {
  const { client, socket, log, subscribed } = await logged();
  const { result } = await subscribed("items", { epoch: "new", offset: 4, recovered: false }, { since: { offset: 900, epoch: "old" } });
  assert.equal(result.recovered, false);
  event(socket, "items", 5);
  assert.deepEqual(log, ["items:5", "on:5"]);
  assert.deepEqual(client.position("items"), { epoch: "new", offset: 5 });
  await client.close();
});

test("a replay interrupted by another drop resumes from the last replayed event", async () => {
  const { client, subscribed, reconnect } = await logged();
  await subscribed("items", { epoch: "e1", offset: 10, recovered: false });
  const { socket: next, frames: [again] } = await reconnect();
  reply(next, again, { topic: "items", epoch: "e1", offset: 20, recovered: true });
  event(next, "items", 11);
  event(next, "items", 12);

  const { frames: [third] } = await reconnect();
  assert.deepEqual(third.since, { offset: 12, epoch: "e1" });
  await client.close();
});

test("the position outlives close() but not unsubscribe; collections expose theirs", async () => {
  const { client, socket, subscribed } = await logged();
  const tasks = client.collection("tasks");
  const pending = tasks.subscribe(() => {}, { since: { offset: 2, epoch: "t1" } });
  const frame = await socket.nextFrame();
  assert.deepEqual(frame.since, { offset: 2, epoch: "t1" });
  reply(socket, frame, { topic: "collection:tasks", epoch: "t1", offset: 2, recovered: true });
  await pending;
  await subscribed("other", { epoch: "x", offset: 1, recovered: false });

  const unsubscribed = client.unsubscribe("other");
  reply(socket, await socket.nextFrame("unsubscribe"), true);
  await unsubscribed;
  await client.close();

  assert.deepEqual(tasks.position(), { epoch: "t1", offset: 2 });
  assert.equal(client.position("other"), null);
  assert.equal(client.position("never"), null);
});

test("a malformed since or onResubscribe is rejected before anything is sent", async () => {
  const { client, socket } = await logged();
  for (const since of [{ epoch: "e" }, { offset: -1, epoch: "e" }, { offset: 1.5 }, { offset: 1, epoch: 7 }, "41"]) {
    await assert.rejects(client.subscribe("t", () => {}, { since }), TypeError, JSON.stringify(since));
  }
  await assert.rejects(client.subscribe("t", () => {}, { onResubscribe: "no" }), TypeError);
  assert.equal(socket.sent.length, 0);
  assert.equal(client.position("t"), null);
  await client.close();
});
