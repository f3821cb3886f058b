import { connect } from "../switchboard.js";
import { FakeServer } from "./fake-server.js";

/** Connects a client to a fresh FakeServer; small timeouts keep failing tests fast. */
export async function connected(options = {}, serverOptions = {}) {
  const server = new FakeServer(serverOptions);
  const client = await connect("ws://example.test/ws", {
    WebSocket: server.WebSocket,
    requestTimeoutMs: 1000,
    backoff: { initialMs: 1, maxMs: 5 },
    ...options,
  });
  const socket = server.sockets[server.sockets.length - 1];
  await server.nextSocket(); // claim it so nextSocket() returns the next one
  // Frames right after the welcome are held for one macrotask; start the test after it.
  await new Promise((resolve) => setTimeout(resolve, 0));
  return { server, client, socket };
}
