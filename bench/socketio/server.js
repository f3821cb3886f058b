#!/usr/bin/env node
// The Socket.IO peer of the Switchboard bench: a plain Socket.IO 4.8 server (Node.js, the versions
// pinned in package.json) answering the bench protocol's scenarios, so the same generator can measure
// it beside Switchboard and the bare Jetty baseline. Install first: bench/socketio/install.sh.
//
//   node --expose-gc bench/socketio/server.js --port 8720 [--nodes 2 --redis redis://127.0.0.1:6379]
//   (--backplane redis://… is the same as --redis, so bench/run-server.sh passes the same options to all)
//
// Endpoint: ws://HOST:PORT/socket.io/?EIO=4&transport=websocket (Engine.IO v4, Socket.IO v5), main
// namespace. Events, each answered through its acknowledgement:
//   echo <data>                      -> ack(<data>)
//   join {"topic"}                   -> socket.join(topic); ack(true)
//   publish {"topic","payload"}      -> io.to(topic).emit("msg", payload) (every node); ack(true)
//   stats {"gc"?}                    -> ack({connections, heapUsedBytes, rssBytes, cpuNanos, gcCount, ...})
//   anything else                    -> ack({"error":{"code":"unknown_event",...}})
// With --nodes N, N servers listen on PORT..PORT+N-1 in this process and share rooms through the
// Socket.IO Redis adapter (--redis, required then). Prints "socketio-server ready <urls>" when listening.
"use strict";

const http = require("node:http");
const fs = require("node:fs");
const { PerformanceObserver } = require("node:perf_hooks");
const { Server } = require("socket.io");

function options(argv) {
  const o = { host: "127.0.0.1", port: 8720, nodes: 1, redis: null };
  for (let i = 0; i < argv.length; i++) {
    const [name, inline] = argv[i].split("=", 2);
    const value = inline !== undefined ? inline : argv[++i];
    switch (name) {
      case "--host": o.host = value; break;
      case "--port": o.port = Number(value); break;
      case "--nodes": o.nodes = Number(value); break;
      case "--redis": o.redis = value; break;
      case "--backplane": o.redis = value === "none" || value === "memory" ? null : value; break;
      default: throw new Error(`unknown option ${name} (--host, --port, --nodes, --redis or --backplane)`);
    }
  }
  if (!Number.isInteger(o.port) || o.port < 0 || !Number.isInteger(o.nodes) || o.nodes < 1) {
    throw new Error("--port and --nodes must be integers");
  }
  if (o.nodes > 1 && !o.redis) {
    throw new Error("--nodes > 1 needs --redis redis://host:port (the Socket.IO Redis adapter)");
  }
  return o;
}

let gcCount = 0;
let gcMillis = 0;
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    gcCount++;
    gcMillis += e.duration;
  }
}).observe({ entryTypes: ["gc"] });

function threads() {
  try {
    const m = /^Threads:\s+(\d+)/m.exec(fs.readFileSync("/proc/self/status", "utf8"));
    return m ? Number(m[1]) : -1;
  } catch {
    return -1;
  }
}

// Voluntary + involuntary context switches of this process's threads (Linux), as the Java servers report.
function contextSwitches() {
  try {
    let total = 0;
    for (const task of fs.readdirSync("/proc/self/task")) {
      const status = fs.readFileSync(`/proc/self/task/${task}/status`, "utf8");
      for (const m of status.matchAll(/^(?:non)?voluntary_ctxt_switches:\s+(\d+)/gm)) {
        total += Number(m[1]);
      }
    }
    return total;
  } catch {
    return -1;
  }
}

const servers = [];

function stats(data) {
  if (data && data.gc && typeof global.gc === "function") {
    global.gc();
    global.gc();
  }
  const cpu = process.cpuUsage();
  const mem = process.memoryUsage();
  let connections = 0;
  for (const io of servers) {
    connections += io.engine.clientsCount;
  }
  return {
    connections,
    heapUsedBytes: mem.heapUsed,
    rssBytes: mem.rss,
    cpuNanos: (cpu.user + cpu.system) * 1000,
    uptimeMillis: Math.round(process.uptime() * 1000),
    gcCount,
    gcMillis: Math.round(gcMillis),
    gc: typeof global.gc === "function" ? "V8(expose-gc)" : "V8",
    threads: threads(),
    availableProcessors: require("node:os").availableParallelism(),
    allocatedBytes: -1,
    contextSwitches: contextSwitches(),
  };
}

function topicOf(data) {
  return data && typeof data.topic === "string" && data.topic.length > 0 ? data.topic : null;
}

function install(io) {
  io.on("connection", (socket) => {
    socket.on("echo", (data, ack) => ack(data));
    socket.on("join", (data, ack) => {
      const topic = topicOf(data);
      if (topic === null) {
        return ack({ error: { code: "bad_request", message: "data needs a string \"topic\"" } });
      }
      socket.join(topic);
      ack(true);
    });
    socket.on("publish", (data, ack) => {
      const topic = topicOf(data);
      if (topic === null) {
        return ack({ error: { code: "bad_request", message: "data needs a string \"topic\"" } });
      }
      io.to(topic).emit("msg", data.payload);
      ack(true);
    });
    socket.on("stats", (data, ack) => ack(stats(data)));
    socket.onAny((event, ...args) => {
      const ack = args[args.length - 1];
      if (!["echo", "join", "publish", "stats"].includes(event) && typeof ack === "function") {
        ack({ error: { code: "unknown_event", message: `no handler for "${event}"` } });
      }
    });
  });
}

async function adapter(url) {
  const { createClient } = require("redis");
  const { createAdapter } = require("@socket.io/redis-adapter");
  const pub = createClient({ url });
  const sub = pub.duplicate();
  pub.on("error", (e) => console.error("redis:", e.message));
  sub.on("error", (e) => console.error("redis:", e.message));
  await Promise.all([pub.connect(), sub.connect()]);
  return createAdapter(pub, sub);
}

async function main() {
  const o = options(process.argv.slice(2));
  const urls = [];
  for (let i = 0; i < o.nodes; i++) {
    const httpServer = http.createServer();
    // Defaults otherwise (no per-message deflate, 1 MB max payload, 25 s ping interval).
    const io = new Server(httpServer, { serveClient: false });
    if (o.redis) {
      io.adapter(await adapter(o.redis));
    }
    install(io);
    servers.push(io);
    await new Promise((resolve, reject) => {
      httpServer.once("error", reject);
      httpServer.listen(o.port === 0 ? 0 : o.port + i, o.host, resolve);
    });
    urls.push(`ws://${o.host}:${httpServer.address().port}/socket.io/?EIO=4&transport=websocket`);
  }
  const shutdown = () => {
    for (const io of servers) {
      io.close();
    }
    process.exit(0);
  };
  process.on("SIGTERM", shutdown);
  process.on("SIGINT", shutdown);
  console.log(`socketio-server ready [${urls.join(", ")}] node=${process.version} `
    + `socket.io=${require("socket.io/package.json").version} adapter=${o.redis ? "redis" : "memory"}`);
}

main().catch((e) => {
  console.error(`socketio-server: ${e.message}`);
  process.exit(2);
});
