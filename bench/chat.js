// The full chat service under load: authenticated clients in one room, senders posting `chat_message` with acks
// (stored in the database, then broadcast), every other client receiving `new_message`. Reports messages accepted
// and persisted per second, deliveries per second, ack and delivery latency, losses and duplicates, the server's CPU.
// Switchboard only (the Node reference has no chat service). Run through bench/chat.sh, which starts the server.
//
//   node bench/chat.js --url http://127.0.0.1:PORT [--pid N] [--receivers 200] [--senders 10] [--rate 4]
//                      [--duration 10] [--warmup 5] [--drain 5] [--json FILE]
"use strict";
const { io } = require("socket.io-client");
const { monitorEventLoopDelay } = require("node:perf_hooks");
const { randomUUID } = require("node:crypto");
const fs = require("node:fs");
const { Hist } = require("./lib/hist");
const proc = require("./lib/proc");

const args = { receivers: 200, senders: 10, rate: 4, duration: 10, warmup: 5, drain: 5 };
for (let i = 2; i < process.argv.length; i += 2) {
  const k = process.argv[i].replace(/^--/, ""), v = process.argv[i + 1];
  if (v === undefined) { console.error(`chat.js: --${k} needs a value`); process.exit(2); }
  args[k] = ["url", "json"].includes(k) ? v : Number(v);
  if (!["url", "json"].includes(k) && !(Number.isFinite(args[k]) && args[k] >= 0)) {
    console.error(`chat.js: --${k} expects a number, got '${v}'`); process.exit(2);
  }
}
if (!args.url) { console.error("chat.js: --url is required"); process.exit(2); }
const base = args.url.replace(/\/+$/, "");
const room = `bench-${Date.now().toString(36)}`;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const r1 = (x) => (x == null ? null : Math.round(x * 10) / 10);

async function token(user) {
  for (let attempt = 0; ; attempt++) {
    const res = await fetch(`${base}/api/dev/token`, { method: "POST", headers: { "content-type": "application/json" },
      body: JSON.stringify({ user, ttl_seconds: 3600 }) });
    if (res.ok) return (await res.json()).token;
    if (res.status !== 429 || attempt > 20) throw new Error(`dev token for ${user}: HTTP ${res.status} (is the dev issuer on?)`);
    await sleep(Number((await res.json().catch(() => ({}))).retry_after_ms) || 100);
  }
}

function connect(user, tok) {
  return new Promise((resolve, reject) => {
    const s = io(base, { transports: ["websocket"], auth: { token: tok }, reconnection: false, forceNew: true });
    const timer = setTimeout(() => reject(new Error(`${user}: connect timeout`)), 20_000);
    s.once("connect", () => { clearTimeout(timer); resolve(s); });
    s.once("connect_error", (e) => { clearTimeout(timer); reject(new Error(`${user}: ${e.message} ${JSON.stringify(e.data)}`)); });
  });
}

async function main() {
  const total = args.receivers + args.senders;
  const users = Array.from({ length: total }, (_, i) => `bench-${i < args.senders ? "s" : "r"}${i}-${randomUUID().slice(0, 6)}`);
  const tokens = [];
  for (const u of users) tokens.push(await token(u)); // REST: one dev token per user
  const sockets = [];
  for (let i = 0; i < total; i += 50) {
    sockets.push(...(await Promise.all(users.slice(i, i + 50).map((u, j) => connect(u, tokens[i + j])))));
  }
  for (const s of sockets) {
    const ack = await s.timeout(10_000).emitWithAck("join", { room });
    if (!ack?.ok) throw new Error(`join: ${JSON.stringify(ack)}`);
  }
  const senders = sockets.slice(0, args.senders);

  // Receipts: by message id, which sockets got it (each socket must get every message but its own, exactly once).
  let windowStart = Infinity; // deliveries of messages sent before it (warmup) are not counted
  const delivery = new Hist(), ackLat = new Hist();
  const seen = sockets.map(() => new Set());
  let deliveries = 0, duplicates = 0;
  sockets.forEach((s, i) => s.on("new_message", (m) => {
    if (m.room !== room) return;
    if (seen[i].has(m.id)) { duplicates++; return; }
    seen[i].add(m.id);
    const sentAt = Number(String(m.text).split(":")[0]);
    if (sentAt >= windowStart) { deliveries++; delivery.add(Date.now() - sentAt); }
  }));

  const accepted = []; // [{id, sender, sentAt}]
  const refused = {};
  let ackErrors = 0;
  async function send(senderIndex, seconds, record) {
    const s = senders[senderIndex], period = 1000 / args.rate, start = Date.now();
    const pending = [];
    for (let n = 0; Date.now() - start < seconds * 1000; n++) {
      const due = start + n * period;
      if (due > Date.now()) await sleep(due - Date.now());
      const sentAt = Date.now();
      pending.push(s.timeout(10_000).emitWithAck("chat_message",
        { room, text: `${sentAt}:${n}:${"x".repeat(80)}`, message_id: randomUUID() })
        .then((ack) => {
          if (!record) return;
          if (ack?.id) { accepted.push({ id: ack.id, sender: senderIndex, sentAt }); ackLat.add(Date.now() - sentAt); }
          else { const c = ack?.error?.code || "UNKNOWN"; refused[c] = (refused[c] || 0) + 1; }
        }, () => { if (record) ackErrors++; }));
    }
    await Promise.all(pending);
  }

  if (args.warmup > 0) await Promise.all(senders.map((_, i) => send(i, args.warmup, false)));
  await sleep(1000);
  const lag = monitorEventLoopDelay({ resolution: 10 }); lag.enable();
  const cpu0 = args.pid ? proc.cpuSeconds(args.pid) : null;
  windowStart = Date.now();
  await Promise.all(senders.map((_, i) => send(i, args.duration, true)));
  const sendSeconds = (Date.now() - windowStart) / 1000;
  const expected = accepted.length * (total - 1);
  const drainUntil = Date.now() + args.drain * 1000;
  while (deliveries < expected && Date.now() < drainUntil) await sleep(50);
  const cpu = args.pid ? proc.cpuSeconds(args.pid) - cpu0 : null;
  lag.disable();

  // Persisted: every accepted id must be in the room's history, read back through the REST API.
  const stored = new Set();
  let before = "";
  for (let page = 0; page < 1000; page++) {
    const res = await fetch(`${base}/api/rooms/${room}/messages?limit=100${before}`, { headers: { authorization: `Bearer ${tokens[0]}` } });
    if (res.status === 429) { await sleep(Number((await res.json()).retry_after_ms) || 100); page--; continue; }
    if (!res.ok) throw new Error(`history: HTTP ${res.status}`);
    const body = await res.json();
    const list = Array.isArray(body) ? body : body.messages;
    if (!list.length) break;
    for (const m of list) stored.add(m.id);
    before = `&before=${list[list.length - 1].id}`;
  }
  const persisted = accepted.filter((a) => stored.has(a.id)).length;
  let lost = 0;
  for (const a of accepted) sockets.forEach((_, i) => { if (i !== a.sender && !seen[i].has(a.id)) lost++; });
  sockets.forEach((s) => s.close());

  const result = {
    when: new Date().toISOString(), room, receivers: args.receivers, senders: args.senders, rate_per_sender: args.rate,
    seconds: r1(sendSeconds), accepted: accepted.length, refused, ack_errors: ackErrors,
    accepted_per_s: r1(accepted.length / sendSeconds), persisted, persisted_per_s: r1(persisted / sendSeconds),
    deliveries, expected_deliveries: expected, deliveries_per_s: r1(deliveries / sendSeconds), lost, duplicates,
    ack_ms: ackLat.summary(), delivery_ms: delivery.summary(),
    server_cpu_ms_per_1k_messages: cpu == null ? null : r1((cpu * 1e6) / Math.max(1, accepted.length)),
    server_cpu_ms_per_1k_deliveries: cpu == null ? null : r1((cpu * 1e6) / Math.max(1, deliveries)),
    generator_loop_lag_p99_ms: r1(lag.percentile(99) / 1e6), load_average: proc.loadAverage(),
  };
  console.log(`chat (PostgreSQL, auth on): ${total} clients in one room, ${args.senders} senders x ${args.rate} msg/s for ${result.seconds} s`);
  console.log(`  accepted ${result.accepted} (${result.accepted_per_s}/s), persisted ${persisted} (${result.persisted_per_s}/s), refused ${JSON.stringify(refused)}, ack errors ${ackErrors}`);
  console.log(`  ack latency p50 ${result.ack_ms.p50} p99 ${result.ack_ms.p99} max ${result.ack_ms.max} ms (stored and committed)`);
  console.log(`  delivered ${deliveries}/${expected} (${result.deliveries_per_s}/s), lost ${lost}, duplicates ${duplicates}, latency p50 ${result.delivery_ms.p50} p99 ${result.delivery_ms.p99} max ${result.delivery_ms.max} ms`);
  if (cpu != null) console.log(`  server CPU ${result.server_cpu_ms_per_1k_messages} ms per 1,000 messages, ${result.server_cpu_ms_per_1k_deliveries} ms per 1,000 deliveries`);
  console.log(`  generator event-loop lag p99 ${result.generator_loop_lag_p99_ms} ms, load average ${(result.load_average || []).join(" ")}`);
  if (result.generator_loop_lag_p99_ms >= 50) console.log(`  WARNING generator event-loop lag p99 ${result.generator_loop_lag_p99_ms} ms: the generator, not the server, may be the bottleneck`);
  if (args.json) fs.writeFileSync(args.json, JSON.stringify(result, null, 2));
  const ok = accepted.length > 0 && persisted === accepted.length && lost === 0 && duplicates === 0 && ackErrors === 0;
  if (!ok) console.log("  FAILED: a message was lost, duplicated, not persisted, or nothing was accepted");
  process.exit(ok ? 0 : 3);
}

main().catch((e) => { console.error(`chat.js: ${e.message}`); process.exit(1); });
