import { test } from "node:test";
import assert from "node:assert/strict";
import { PROTOCOL, TOKEN_PROTOCOL_PREFIX } from "../switchboard.js";
import { connected } from "./helpers.js";

test("tokenIn protocol offers the token as a sub-protocol and keeps it out of the URL", async () => {
  const { client, socket } = await connected({ token: "t.o-k_en", tokenIn: "protocol" });
  assert.deepEqual(socket.protocols, [PROTOCOL, TOKEN_PROTOCOL_PREFIX + "t.o-k_en"]);
  assert.equal(new URL(socket.url).searchParams.get("access_token"), null);
  await client.close();
});

test("a token function is asked for a fresh token before expiry and it is sent in an auth frame", async () => {
  let n = 0;
  const { client, socket } = await connected(
    { token: async () => `token-${++n}` },
    { welcome: { expiresInMs: 50 } },
  );
  const auth = await socket.nextFrame("auth");
  assert.equal(auth.token, "token-2");
  socket.push({ type: "reply", id: auth.id, data: { expiresInMs: 50 } });
  const again = await socket.nextFrame("auth");
  assert.equal(again.token, "token-3");
  assert.notEqual(again.id, auth.id);
  assert.equal(client.state, "open");
  await client.close();
});

test("with a token function, close 4001 (token expired) reconnects with a fresh token", async () => {
  let n = 0;
  const { server, client, socket } = await connected({ token: () => `token-${++n}` });
  socket.close(4001, "token expired");
  const next = await server.nextSocket();
  assert.equal(new URL(next.url).searchParams.get("access_token"), "token-2");
  await client.close();
});

test("with a fixed token, close 4001 ends the client", async () => {
  const { client, socket } = await connected({ token: "fixed" });
  const closed = new Promise((resolve) => client.onState((s, info) => s === "closed" && resolve(info)));
  socket.close(4001, "token expired");
  assert.equal((await closed).code, 4001);
});
