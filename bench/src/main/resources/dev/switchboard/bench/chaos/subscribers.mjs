// The chaos soak's JavaScript subscribers: the real client (switchboard.js, as a node serves it) in
// Node.js 20 with its built-in WebSocket (--experimental-websocket). One process runs many clients.
// Arguments: the client module's file URL, the WebSocket URL (the soak's proxy), then a JSON object
// {"<id>": ["topic", ...], ...}. Writes one JSON line per record to stdout:
//   {"k":"ready","c":id}                                   every first subscription answered
//   {"k":"r","c":id,"t":topic,"e":epoch,"o":offset,"r":recovered,"x":resubscribe,"on":node}
//   {"k":"e","c":id,"t":topic,"o":offset,"p":publisher,"s":seq,"n":node}
//   {"k":"open","ids":[...]}                                answering "open" on stdin
// Exits when stdin closes, after closing every client.
import { createInterface } from "node:readline";

const [clientUrl, url, planJson] = process.argv.slice(2);
const { connect } = await import(clientUrl);
const plan = JSON.parse(planJson);
const out = (o) => process.stdout.write(JSON.stringify(o) + "\n");
const clients = new Map();

async function start(id, topics) {
  let sb;
  for (let attempt = 0; ; attempt++) {
    try {
      sb = await connect(url, { backoff: { initialMs: 50, maxMs: 2000 }, requestTimeoutMs: 20000, connectTimeoutMs: 5000 });
      break;
    } catch (e) {
      if (attempt >= 4) throw e;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  clients.set(id, sb);
  const on = () => sb.welcome?.node ?? "?";
  sb.onResubscribe((o) => out({ k: "r", c: id, t: o.topic, e: o.epoch ?? null, o: o.offset ?? null, r: !!o.recovered, x: true, on: on() }));
  for (const t of topics) {
    const reply = await sb.subscribe(t, (ev) => {
      const d = ev.data || {};
      out({ k: "e", c: id, t: ev.topic, o: ev.offset ?? null, p: d.p, s: d.s, n: d.n });
    });
    out({ k: "r", c: id, t, e: reply.epoch ?? null, o: reply.offset ?? null, r: !!reply.recovered, x: false, on: on() });
  }
  out({ k: "ready", c: id });
}

await Promise.all(Object.entries(plan).map(([id, topics]) => start(id, topics).catch((e) => {
  out({ k: "failed", c: id, error: String(e) });
})));

const rl = createInterface({ input: process.stdin });
rl.on("line", (line) => {
  if (line.trim() === "open") {
    out({ k: "open", ids: [...clients].filter(([, sb]) => sb.state === "open").map(([id]) => id) });
  }
});
rl.on("close", async () => {
  await Promise.allSettled([...clients.values()].map((sb) => sb.close()));
  process.exit(0);
});
