// The real JS client against a Spring Boot application (run by JsClientIntegrationTest): greeting, chat,
// request-reply and a topic subscription. Prints one JSON line per step; exits 0 when every check held.
const [clientUrl, url] = process.argv.slice(2);
const { connect } = await import(clientUrl);

const fail = (why) => {
  console.log(JSON.stringify({ fail: why }));
  process.exit(1);
};
const until = async (what, check, ms = 30000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

const greetings = [];
const lines = [];
const news = [];
const sb = await connect(url, { token: "js", requestTimeoutMs: 30000, connectTimeoutMs: 30000 });
// The greeting was sent right after the welcome: the client holds such early frames for its listeners.
sb.on("greeting", (text) => greetings.push(text));
sb.on("chat.message", (text) => lines.push(text));
await until("the greeting", () => greetings.length === 1);
if (greetings[0] !== "hi js") fail(`greeting was ${greetings[0]}`);

sb.emit("chat.send", "hello from node");
await until("the chat line", () => lines.includes("js: hello from node"));

const echoed = await sb.request("echo", { x: 1 });
if (echoed.x !== 1) fail(`echo returned ${JSON.stringify(echoed)}`);

await sb.subscribe("public.news", (ev) => news.push(ev.data));
await sb.request("publish", { topic: "public.news", payload: "extra" });
await until("the topic event", () => news.length === 1 && news[0] === "extra");

try {
  await sb.subscribe("secret", () => {});
  fail("a subscription the policy denies was accepted");
} catch (e) {
  if (e.code !== "forbidden") fail(`denied subscription failed with ${e.code}`);
}
sb.close();
console.log(JSON.stringify({ ok: true }));
