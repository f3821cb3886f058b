// End-to-end: the real JS client against real Switchboard nodes (run by JsDurableResumeTest).
// Subscribes to a durable topic, asks the server to take its node away ("failover"), and checks
// that after the automatic reconnect — to another node — it resumes with no gap and no duplicate.
// Prints one JSON line per step; exits 0 when every check held.
const [clientUrl, url] = process.argv.slice(2);
const { connect } = await import(clientUrl);

const seen = [];
const outcomes = [];
const fail = (why) => {
  console.log(JSON.stringify({ fail: why, seen, outcomes }));
  process.exit(1);
};
const until = async (what, check, ms = 20000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

const sb = await connect(url, { backoff: { initialMs: 50, maxMs: 200 }, requestTimeoutMs: 5000, connectTimeoutMs: 10000 });
sb.onResubscribe((o) => outcomes.push(o));
sb.onState((state, info) => console.log(JSON.stringify({ state, code: info?.code })));
const reply = await sb.subscribe("orders:7", (ev) => seen.push([ev.event, ev.data, ev.offset]));
console.log(JSON.stringify({ step: "subscribed", reply }));
if (typeof reply.epoch !== "string" || reply.offset !== 0) fail("not a fresh durable topic");

await sb.request("publish", "paid");
await sb.request("publish", "packed");
await until("two events", () => seen.length === 2);
const before = sb.position("orders:7");
console.log(JSON.stringify({ step: "before", before }));

// The server publishes "shipped" and "delivered" while this client is away, then serves another node.
await sb.request("failover", null).catch(() => {}); // the reply may be lost with the connection
await until("the resubscription", () => outcomes.length === 1);
await until("the missed events", () => seen.length === 4);
await sb.request("publish", "signed");
await until("the live event", () => seen.length === 5);
const after = sb.position("orders:7");
console.log(JSON.stringify({ step: "after", seen, outcomes, after }));

const data = seen.map((s) => s[1]).join(",");
if (data !== "paid,packed,shipped,delivered,signed") fail(`events ${data}`);
const offsets = seen.map((s) => s[2]).join(",");
if (offsets !== "1,2,3,4,5") fail(`offsets ${offsets}`);
if (outcomes[0].recovered !== true || outcomes[0].epoch !== before.epoch) fail("not recovered");
if (after.offset !== 5 || after.epoch !== before.epoch) fail("position");
await sb.close();
console.log(JSON.stringify({ ok: true }));
