import { test } from "node:test";
import assert from "node:assert/strict";
import { connect, SwitchboardError, PROTOCOL } from "../switchboard.js";
import { FakeServer } from "./fake-server.js";
import { connected } from "./helpers.js";

test("connect resolves after the welcome frame and exposes its connection id", async () => {
  const server = new FakeServer({ autoWelcome: false });
  let resolved = false;
  const pending = connect("ws://example.test/ws", { WebSocket: server.WebSocket }).then((c) => {
    resolved = true;
    return c;
  });
  const socket = await server.nextSocket();
  socket.open();
  await new Promise((r) => setTimeout(r, 5)); // the open alone must not resolve
  assert.equal(resolved, false);
  socket.push({ type: "welcome", connectionId: "c-7f3a", node: "n-1", heartbeatMs: 25000, maxFrameBytes: 65536 });
  const client = await pending;
  assert.equal(client.connectionId, "c-7f3a");
  assert.equal(client.welcome.node, "n-1");
  assert.equal(client.state, "open");
  await client.close();
  assert.equal(client.state, "closed");
  assert.deepEqual(socket.closedByClient, { code: 1000, reason: "" });
});

test("the token travels in access_token and switchboard.v1 is offered", async () => {
  const { client, socket } = await connected({ token: "a b&c" });
  assert.deepEqual(socket.protocols, [PROTOCOL]);
  const url = new URL(socket.url);
  assert.equal(url.searchParams.get("access_token"), "a b&c");
  await client.close();
});

test("the URL keeps its own query, http becomes ws and a token function is asked on connect", async () => {
  const server = new FakeServer();
  const client = await connect("https://example.test/chat/Al%20ice?age=30#frag", {
    WebSocket: server.WebSocket,
    token: async () => "t1",
    protocols: "custom.v2",
  });
  const socket = server.sockets[0];
  assert.equal(socket.url, "wss://example.test/chat/Al%20ice?age=30&access_token=t1");
  assert.deepEqual(socket.protocols, ["custom.v2"]);
  await client.close();
});

test("events sent right after the welcome reach listeners added after connect resolves", async () => {
  const server = new FakeServer({ autoWelcome: false });
  const pending = connect("ws://example.test/ws", { WebSocket: server.WebSocket });
  const socket = await server.nextSocket();
  socket.welcome();
  socket.push({ type: "event", event: "chat.message", data: "Hi Alice!" });
  socket.push({ type: "request", id: "s-1", event: "confirm", data: null });
  const client = await pending;
  const got = [];
  const greeted = new Promise((resolve) => client.on("chat.message", (text) => resolve(got.push(text))));
  client.onRequest("confirm", () => "yes");
  await greeted;
  assert.deepEqual(got, ["Hi Alice!"]);
  assert.deepEqual(await socket.nextFrame(), { type: "reply", id: "s-1", data: "yes" });
  await client.close();
});

test("connect rejects with unauthorized when the server closes with 4001 before welcome", async () => {
  const server = new FakeServer({ autoWelcome: false });
  const pending = connect("ws://example.test/ws", { WebSocket: server.WebSocket });
  const socket = await server.nextSocket();
  socket.open();
  socket.drop(4001, "bad token");
  await assert.rejects(pending, (e) => e instanceof SwitchboardError && e.code === "unauthorized");
  assert.equal(server.sockets.length, 1, "no retry of a first attempt");
});

test("connect rejects with unavailable when the first attempt is refused", async () => {
  const server = new FakeServer();
  server.refuse = true;
  await assert.rejects(
    connect("ws://example.test/ws", { WebSocket: server.WebSocket }),
    (e) => e instanceof SwitchboardError && e.code === "unavailable",
  );
});

test("connect rejects with timeout when no welcome arrives", async () => {
  const server = new FakeServer({ autoWelcome: false });
  const pending = connect("ws://example.test/ws", { WebSocket: server.WebSocket, connectTimeoutMs: 20 });
  const socket = await server.nextSocket();
  socket.open();
  await assert.rejects(pending, (e) => e.code === "timeout");
  assert.equal(socket.closedByClient.code, 4000);
});

test("connect without any WebSocket implementation fails clearly", async () => {
  await assert.rejects(connect("ws://example.test/ws", { WebSocket: null }), TypeError);
  await assert.rejects(connect("ftp://example.test/ws", { WebSocket: new FakeServer().WebSocket }), TypeError);
});
