import { test } from "node:test";
import assert from "node:assert/strict";
import { connected } from "./helpers.js";

// Answers each request with the given data and returns the frames it saw.
async function exchange(socket, call, data) {
  const frame = await socket.nextFrame();
  socket.push({ type: "reply", id: frame.id, data });
  return { frame, result: await call };
}

test("collection calls map to the reserved CRUD requests", async () => {
  const { client, socket } = await connected();
  const tasks = client.collection("tasks");
  assert.equal(tasks.topic, "collection:tasks");

  let { frame, result } = await exchange(socket, tasks.get("1"), { id: "1", version: 3 });
  assert.deepEqual(frame, { type: "request", id: frame.id, event: "GET", data: { collection: "tasks", id: "1" } });
  assert.deepEqual(result, { id: "1", version: 3 });

  ({ frame } = await exchange(
    socket,
    tasks.list({ page: 1, size: 20, sort: "-title", filters: { status: "todo" } }),
    { items: [], page: 1, size: 20, total: 0 },
  ));
  assert.deepEqual(frame.event, "LIST");
  assert.deepEqual(frame.data, { collection: "tasks", page: 1, size: 20, sort: "-title", filters: { status: "todo" } });

  ({ frame } = await exchange(socket, tasks.list({ sort: ["-title", "due"] }), { items: [] }));
  assert.deepEqual(frame.data, { collection: "tasks", sort: "-title,due" });

  ({ frame } = await exchange(socket, tasks.list(), { items: [] }));
  assert.deepEqual(frame.data, { collection: "tasks" });

  ({ frame, result } = await exchange(socket, tasks.create({ title: "Write docs" }), { id: "9", title: "Write docs", version: 1 }));
  assert.deepEqual([frame.event, frame.data], ["POST", { collection: "tasks", item: { title: "Write docs" } }]);
  assert.equal(result.id, "9");

  ({ frame } = await exchange(socket, tasks.replace("9", { title: "Docs" }, { version: 1 }), {}));
  assert.deepEqual([frame.event, frame.data], ["PUT", { collection: "tasks", id: "9", item: { title: "Docs" }, version: 1 }]);

  ({ frame } = await exchange(socket, tasks.replace("9", { title: "Docs" }), {}));
  assert.deepEqual(frame.data, { collection: "tasks", id: "9", item: { title: "Docs" } });

  ({ frame } = await exchange(socket, tasks.patch("9", { status: "done" }, { version: 2 }), {}));
  assert.deepEqual([frame.event, frame.data], ["PATCH", { collection: "tasks", id: "9", patch: { status: "done" }, version: 2 }]);

  const ops = [{ op: "replace", path: "/status", value: "done" }];
  ({ frame } = await exchange(socket, tasks.patch("9", ops), {}));
  assert.deepEqual(frame.data, { collection: "tasks", id: "9", patch: ops });

  ({ frame, result } = await exchange(socket, tasks.delete("9"), { id: "9", deleted: true }));
  assert.deepEqual([frame.event, frame.data], ["DELETE", { collection: "tasks", id: "9" }]);
  assert.deepEqual(result, { id: "9", deleted: true });
  await client.close();
});

test("a version conflict surfaces as code conflict", async () => {
  const { client, socket } = await connected();
  const pending = client.collection("tasks").patch("9", { status: "done" }, { version: 1 });
  const frame = await socket.nextFrame();
  socket.push({ type: "reply", id: frame.id, error: { code: "conflict", message: "version 2 != 1" } });
  await assert.rejects(pending, (e) => e.code === "conflict");
  await client.close();
});

test("collection.subscribe subscribes to collection:<name>", async () => {
  const { client, socket } = await connected();
  const events = [];
  const pending = client.collection("tasks").subscribe((ev) => events.push(ev.event));
  const frame = await socket.nextFrame();
  assert.equal(frame.topic, "collection:tasks");
  socket.push({ type: "reply", id: frame.id, data: { topic: "collection:tasks", epoch: "e", offset: 0, recovered: false } });
  await pending;
  socket.push({ type: "event", event: "DELETED", topic: "collection:tasks", offset: 1, data: { id: "9" } });
  assert.deepEqual(events, ["DELETED"]);
  await client.close();
});
