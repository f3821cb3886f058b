// End-to-end: the real JS client (Node) against a real node that accepts only signed demo tokens
// (run by JsTokenRefreshTest). The token lives 6 s; the client's token function is asked again
// before it expires and the fresh token goes in-band, so the one connection stays open. Exits 0
// when every check held.
const [clientUrl, url, loginUrl] = process.argv.slice(2);
const { connect } = await import(clientUrl);

let asked = 0;
const fail = (why) => {
  console.log(JSON.stringify({ fail: why, asked }));
  process.exit(1);
};
const token = async () => {
  asked++;
  const response = await fetch(loginUrl, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ user: "nora" }),
  });
  if (!response.ok) fail(`login refused: ${response.status}`);
  return (await response.json()).token;
};
const closes = [];
const sb = await connect(url, { token, tokenIn: "protocol", requestTimeoutMs: 5000 });
sb.onState((state, info) => state !== "open" && closes.push([state, info?.code]));
const first = sb.connectionId;
if (typeof sb.welcome.expiresInMs !== "number") fail("no expiresInMs in the welcome");

const end = Date.now() + 60000;
while (asked < 3) {
  if (Date.now() > end) fail("the token function was not asked twice more");
  await new Promise((r) => setTimeout(r, 50));
}
const me = await sb.request("whoami", null);
if (me !== "nora") fail(`the server sees ${me}`);
if (sb.connectionId !== first || closes.length) fail(`the connection changed: ${JSON.stringify(closes)}`);
await sb.close();
console.log(JSON.stringify({ ok: true, asked }));
process.exit(0);
