// Chaos on a chat cluster (run by ClusterChaosIT): three Switchboard nodes (default chat profile, one PostgreSQL
// database, one private Redis) behind nginx. In order: (b) Redis restarted mid-traffic, (a) one node killed with
// SIGKILL mid-traffic, (c) another node stopped with SIGTERM mid-traffic (the graceful drain). Every message a client
// saw acknowledged must be in the room's history exactly once. Env: SWITCHBOARD_LB, SWITCHBOARD_NODES (3 URLs),
// NODE_PIDS (their pids), REDIS_PORT and REDIS_DIR (the private redis-server this file kills and starts again).
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import http from "node:http";
import { test } from "node:test";
import { io } from "socket.io-client";

const LB = process.env.SWITCHBOARD_LB.replace(/\/+$/, "");
const NODES = process.env.SWITCHBOARD_NODES.split(",").map((u) => u.replace(/\/+$/, ""));
const PIDS = process.env.NODE_PIDS.split(",").map(Number);
const REDIS_PORT = process.env.REDIS_PORT;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const unique = (p) => `${p}-${randomUUID().slice(0, 8)}`;
const log = (...a) => console.log("#", ...a);
const open = new Set();

async function api(base, method, path, { token, body } = {}) {
  const headers = { "content-type": "application/json" };
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(base + path, { method, headers, body: body && JSON.stringify(body), signal: AbortSignal.timeout(15_000) });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null };
}

async function token(user) {
  const r = await api(LB, "POST", "/api/dev/token", { body: { user } });
  assert.equal(r.status, 200, JSON.stringify(r.json));
  return r.json.token;
}

/** A room created over REST (through nginx) and its owner's token. */
async function room(name) {
  const owner = await token(unique("owner"));
  const r = await api(LB, "POST", "/api/rooms", { token: owner, body: { name } });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  return { name, owner };
}

/** The whole history of a room, oldest first, through nginx. */
async function history(r) {
  const all = [];
  let before = null;
  do {
    const q = before === null ? "" : `&before=${before}`;
    const page = await api(LB, "GET", `/api/rooms/${r.name}/messages?limit=100${q}`, { token: r.owner });
    assert.equal(page.status, 200, JSON.stringify(page.json));
    all.push(...page.json.messages);
    before = page.json.next_before;
  } while (before !== null && before !== undefined);
  return all.reverse();
}

/** The node (index in NODES) nginx sends this source address to, from the X-Switchboard-Node header. */
function nodeFor(localAddress) {
  return new Promise((resolve, reject) => {
    const req = http.get(`${LB}/socket.io/?EIO=4&transport=polling`, { localAddress, agent: false, timeout: 10_000 }, (res) => {
      res.resume();
      const upstream = res.headers["x-switchboard-node"] ?? "";
      res.on("end", () => resolve({ status: res.statusCode,
        node: NODES.findIndex((u) => upstream.split(", ").pop().endsWith(":" + new URL(u).port)) }));
    });
    req.on("error", reject);
  });
}

/** One source address per wanted node. */
async function addressesFor(nodes) {
  const found = new Map();
  for (let i = 2; i < 80 && found.size < nodes.length; i++) {
    const { node } = await nodeFor(`127.0.0.${i}`);
    if (nodes.includes(node) && !found.has(node)) found.set(node, `127.0.0.${i}`);
  }
  assert.equal(found.size, nodes.length, `addresses for nodes ${nodes}`);
  return found;
}

/** A chat client with reconnection on, through nginx from localAddress, or straight to a node's URL. */
async function chatClient(label, { url = LB, localAddress, transports }) {
  const opts = { auth: { token: await token(unique(label)) }, forceNew: true, transports, timeout: 5_000,
    reconnectionDelay: 200, reconnectionDelayMax: 1_000, randomizationFactor: 0.2 };
  if (localAddress) Object.assign(opts, { localAddress, agent: new http.Agent({ keepAlive: true, localAddress }) });
  const socket = io(url, opts);
  open.add(socket);
  const c = { label, socket, disconnects: [], received: new Map() };
  // the WebSocket close code too: a server that closes sends one (1000/1001), a dead peer leaves 1006
  socket.on("disconnect", (reason, details) => {
    c.disconnects.push(reason);
    if (details?.context?.code !== undefined) c.closeCodes = [...(c.closeCodes ?? []), details.context.code];
  });
  socket.on("new_message", (m) => c.received.set(m.message_id, (c.received.get(m.message_id) ?? 0) + 1));
  await new Promise((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("connect_error", reject);
  });
  return c;
}

async function join(c, r) {
  const ack = await c.socket.timeout(10_000).emitWithAck("join", { room: r.name });
  assert.equal(ack.ok, true, JSON.stringify(ack));
}

/** Sends one message until it is acknowledged (same message_id on every retry: the server stores it once). */
async function sendReliably(c, r, text, id, deadline) {
  const outcomes = [];
  while (Date.now() < deadline) {
    if (!c.socket.connected) {
      await sleep(100);
      continue;
    }
    try {
      const ack = await c.socket.timeout(5_000).emitWithAck("chat_message", { room: r.name, text, message_id: id });
      if (!ack?.error) return { ack, outcomes };
      outcomes.push(ack.error.code);
    } catch (e) {
      outcomes.push("timeout");
    }
    await sleep(300);
  }
  return { ack: null, outcomes };
}

/** Every client sends a message every 400 ms (under the 5/s rate limit) until stop() resolves; then retries finish. */
function traffic(clients, r, label) {
  const acked = new Map(); // message_id -> ack
  const failures = [];
  const retried = [];
  let running = true;
  const loops = clients.map(async (c, k) => {
    for (let n = 0; running; n++) {
      const id = `${label}-${k}-${n}-${randomUUID().slice(0, 6)}`;
      const { ack, outcomes } = await sendReliably(c, r, `${label} ${k} ${n}`, id, Date.now() + 45_000);
      if (ack) acked.set(id, ack); else failures.push(id);
      if (outcomes.length) retried.push(`${c.label}: ${outcomes.join(",")}`);
      await sleep(400);
    }
  });
  return { acked, failures, retried, stop: async () => { running = false; await Promise.all(loops); } };
}

async function assertHistoryHoldsOnce(r, acked) {
  const messages = await history(r);
  const count = new Map();
  for (const m of messages) count.set(m.message_id, (count.get(m.message_id) ?? 0) + 1);
  const twice = [...count].filter(([, n]) => n > 1);
  assert.deepEqual(twice, [], "no message stored twice");
  const missing = [...acked.keys()].filter((id) => !count.has(id));
  assert.deepEqual(missing, [], "every acknowledged message is in the history");
  for (const [id, ack] of acked) assert.equal(ack.message_id, id);
  return messages.length;
}

const redisInfo = () => execFileSync("redis-cli", ["-p", REDIS_PORT, "info", "server"], { encoding: "utf8" });
function startRedis() {
  execFileSync("redis-server", ["--port", REDIS_PORT, "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
    "--daemonize", "yes", "--dir", process.env.REDIS_DIR, "--logfile", `${process.env.REDIS_DIR}/redis.log`]);
}

test.after(() => { for (const s of open) s.disconnect(); });

test("(b) Redis restarted mid-traffic: local delivery goes on, cross-node delivery pauses, then resumes", async () => {
  const r = await room(unique("redis"));
  // straight to the nodes (no balancer): which node each client is on must not change
  const sender = await chatClient("sender0", { url: NODES[0], transports: ["websocket"] });
  const local = await chatClient("local0", { url: NODES[0], transports: ["websocket"] });
  const remote = await chatClient("remote1", { url: NODES[1], transports: ["polling"] });
  for (const c of [sender, local, remote]) await join(c, r);
  const send = async (tag) => {
    const id = `${tag}-${randomUUID().slice(0, 8)}`;
    const ack = await sender.socket.timeout(10_000).emitWithAck("chat_message", { room: r.name, text: tag, message_id: id });
    return { id, ack };
  };
  const before = await send("before");
  assert.ok(!before.ack.error, JSON.stringify(before.ack));
  const seen = async (c, id, ms = 10_000) => {
    for (const end = Date.now() + ms; !c.received.has(id) && Date.now() < end;) await sleep(50);
    return c.received.get(id) ?? 0;
  };
  assert.equal(await seen(local, before.id), 1);
  assert.equal(await seen(remote, before.id), 1);

  const pid = Number(/process_id:(\d+)/.exec(redisInfo())[1]);
  process.kill(pid, "SIGKILL");
  const killedAt = Date.now();
  await sleep(1_000);
  const gap = [];
  for (let i = 0; i < 5; i++) { gap.push(await send(`gap${i}`)); await sleep(250); }
  await sleep(1_500);
  const gapAcks = gap.map((g) => (g.ack.error ? g.ack.error.code : "stored"));
  const localGap = gap.map((g) => local.received.get(g.id) ?? 0);
  const remoteGap = gap.map((g) => remote.received.get(g.id) ?? 0);
  log(`Redis down: acks ${gapAcks}; same-node client got ${localGap}; other-node client got ${remoteGap}`);
  // What clients see while Redis is down: messages are stored and acknowledged, the sender's node delivers them
  // to its own clients, and clients of other nodes do not get them (pub/sub does not buffer: lost for them; the
  // history has them).
  assert.deepEqual(gapAcks, gap.map(() => "stored"));
  assert.deepEqual(localGap, gap.map(() => 1), "local delivery continued");
  assert.deepEqual(remoteGap, gap.map(() => 0), "cross-node delivery paused: those messages are lost for remote clients");
  assert.equal(sender.socket.connected && local.socket.connected && remote.socket.connected, true, "nobody was disconnected");

  startRedis();
  const restartedAt = Date.now();
  let resumed = null;
  for (let i = 0; Date.now() - restartedAt < 40_000; i++) {
    const probe = await send(`probe${i}`);
    assert.ok(!probe.ack.error, JSON.stringify(probe.ack));
    if (await seen(remote, probe.id, 1_000) === 1) { resumed = Date.now(); break; }
    await sleep(250); // under the 5 messages/s rate limit
  }
  assert.ok(resumed, "cross-node delivery resumed within 40 s of Redis' restart");
  log(`Redis down ${restartedAt - killedAt} ms; cross-node delivery resumed ${resumed - restartedAt} ms after the restart`);
  const after = [];
  for (let i = 0; i < 10; i++) {
    after.push(await send(`after${i}`));
    assert.ok(!after.at(-1).ack.error, JSON.stringify(after.at(-1).ack));
    await sleep(250); // under the 5 messages/s rate limit
  }
  for (const a of after) {
    assert.equal(await seen(remote, a.id), 1);
    assert.equal(await seen(local, a.id), 1);
  }
  const acked = new Map([before, ...gap, ...after].map((m) => [m.id, m.ack]));
  await assertHistoryHoldsOnce(r, acked);
  for (const c of [sender, local, remote]) c.socket.disconnect();
});

test("(a) a node killed with SIGKILL mid-traffic: its clients reconnect through nginx, nothing acknowledged is lost", async () => {
  const r = await room(unique("kill"));
  const addresses = await addressesFor([0, 1, 2]);
  const clients = [];
  for (const [node, address] of addresses) {
    clients.push(Object.assign(await chatClient(`poll${node}`, { localAddress: address, transports: ["polling"] }), { node }));
    clients.push(Object.assign(await chatClient(`ws${node}`, { localAddress: address, transports: ["websocket"] }), { node }));
  }
  for (const c of clients) await join(c, r);
  const load = traffic(clients, r, "kill");
  await sleep(3_000);
  process.kill(PIDS[0], "SIGKILL");
  log("node 0 killed");
  await sleep(10_000);
  await load.stop();
  const victims = clients.filter((c) => c.node === 0);
  for (let t = 0; t < 100 && !clients.every((c) => c.socket.connected); t++) await sleep(100);
  log(`acknowledged ${load.acked.size}; gave up on ${load.failures.length}; retries: ${load.retried.join(" | ") || "none"}`);
  log(`victims' disconnect reasons: ${victims.map((c) => `${c.label}: ${c.disconnects} ${c.closeCodes ?? ""}`).join("; ")}`);
  assert.deepEqual(load.failures, [], "every message was acknowledged in the end");
  victims.forEach((c) => assert.ok(c.disconnects.length >= 1, `${c.label} lost its node`));
  clients.forEach((c) => assert.equal(c.socket.connected, true, `${c.label} is connected again`));
  assert.notEqual((await nodeFor(addresses.get(0))).node, 0, "nginx sends node 0's address elsewhere");
  const stored = await assertHistoryHoldsOnce(r, load.acked);
  log(`history holds ${stored} messages, each acknowledged one once`);
  for (const c of clients) c.socket.disconnect();
});

test("(c) a node stopped with SIGTERM mid-traffic drains: not ready, 503 to handshakes, clients move, nothing lost", async () => {
  const r = await room(unique("drain"));
  const addresses = await addressesFor([1, 2]);
  const clients = [];
  for (const [node, address] of addresses) {
    clients.push(Object.assign(await chatClient(`poll${node}`, { localAddress: address, transports: ["polling"] }), { node }));
    clients.push(Object.assign(await chatClient(`ws${node}`, { localAddress: address, transports: ["websocket"] }), { node }));
  }
  for (const c of clients) await join(c, r);
  // Watch node 1 directly: readiness and a bare handshake, every 50 ms.
  const seen = { ready: [], handshake: [] };
  let watching = true;
  const status = (path) => new Promise((resolve) => {
    const req = http.get(NODES[1] + path, { agent: false, timeout: 2_000 }, (res) => { res.resume(); resolve(res.statusCode); });
    req.on("error", () => resolve("refused"));
    req.on("timeout", () => { req.destroy(); resolve("timeout"); });
  });
  const record = (list, s) => { if (list.at(-1) !== s) list.push(s); };
  const watcher = (async () => {
    while (watching) {
      const [ready, handshake] = await Promise.all([status("/health/ready"), status("/socket.io/?EIO=4&transport=polling")]);
      record(seen.ready, ready);
      record(seen.handshake, handshake);
      await sleep(50);
    }
  })();
  const load = traffic(clients, r, "drain");
  await sleep(3_000);
  process.kill(PIDS[1], "SIGTERM");
  const termAt = Date.now();
  log("node 1 sent SIGTERM");
  for (let t = 0; t < 600 && seen.handshake.at(-1) !== "refused"; t++) await sleep(100);
  log(`node 1 stopped listening ${Date.now() - termAt} ms after SIGTERM`);
  await sleep(5_000);
  watching = false;
  await watcher;
  await load.stop();
  const victims = clients.filter((c) => c.node === 1);
  for (let t = 0; t < 100 && !clients.every((c) => c.socket.connected); t++) await sleep(100);
  log(`readiness seen: ${seen.ready}; handshakes seen: ${seen.handshake}`);
  log(`acknowledged ${load.acked.size}; gave up on ${load.failures.length}; retries: ${load.retried.join(" | ") || "none"}`);
  log(`victims' disconnect reasons: ${victims.map((c) => `${c.label}: ${c.disconnects} ${c.closeCodes ?? ""}`).join("; ")}`);
  assert.deepEqual(seen.ready.slice(0, 2), [200, 503], "readiness went DOWN while the node still answered");
  assert.ok(seen.handshake.includes(503), "new handshakes got 503 while draining");
  assert.equal(seen.handshake.at(-1), "refused");
  assert.ok(seen.handshake.indexOf(503) < seen.handshake.indexOf("refused"));
  // Told, not cut: the server closed the WebSocket with a close frame (not 1006, which a dead peer leaves), and a
  // polling client got the Engine.IO close packet, on its held poll or, between two polls, on its next one (the
  // drain waits for it). Never a heartbeat timeout, never "transport error".
  victims.filter((c) => c.label.startsWith("ws")).forEach((c) => {
    assert.notEqual(c.closeCodes?.[0], 1006, `${c.label}: closed by the server, code ${c.closeCodes}`);
  });
  victims.forEach((c) => assert.equal(c.disconnects[0], "transport close", `${c.label}: ${c.disconnects}`));
  clients.filter((c) => c.node === 2).forEach((c) => assert.deepEqual(c.disconnects, [], `${c.label} untouched`));
  clients.forEach((c) => assert.equal(c.socket.connected, true, `${c.label} is connected again`));
  assert.deepEqual(load.failures, [], "every message was acknowledged in the end");
  const stored = await assertHistoryHoldsOnce(r, load.acked);
  log(`history holds ${stored} messages, each acknowledged one once`);
  for (const c of clients) c.socket.disconnect();
});
