// A generator worker process (child_process.fork of loadgen.js). It holds a share of the clients and obeys
// commands from the coordinator over IPC: {id, cmd, args} -> {id, ok, result | error}.
"use strict";
const { monitorEventLoopDelay } = require("node:perf_hooks");
const { openSocket, whenConnected, now, httpCounts } = require("./client");
const { Hist } = require("./hist");

const sockets = { plain: [], receiver: [], echo: [], sender: [] };
let unexpectedDisconnects = 0;
const disconnectReasons = {};

// ---- fanout receiver state --------------------------------------------------------------------------------------
let fan = null; // {base, cap, active, hist, unique, dup, stray, ooo, lastRecv, badShape}
const receiverState = new Map(); // socket -> {seen: Uint8Array, unique, lastSeq}

function onNewMessage(socket, m) {
  const t = now();
  if (fan === null || !fan.active) return;
  const text = m && m.text;
  const colon = typeof text === "string" ? text.indexOf(":") : -1;
  const seq = colon > 0 ? Number(text.slice(0, colon)) : NaN;
  const rel = seq - fan.base;
  if (!(rel >= 0 && rel < fan.cap)) { fan.stray++; return; }
  const st = receiverState.get(socket);
  if (st.seen[rel]) { fan.dup++; return; }
  st.seen[rel] = 1;
  st.unique++;
  fan.unique++;
  if (seq < st.lastSeq) fan.ooo++;
  st.lastSeq = seq;
  fan.hist.add(t - m.ts);
  if (t - m.ts > fan.worstBySeq[rel]) fan.worstBySeq[rel] = t - m.ts;
  fan.lastRecv = t;
}

// ---- measurement window of this process (is the generator the bottleneck?) -------------------------------------
// BENCH_CPU_PROF_DIR=dir: a V8 CPU profile of each window of each worker, written there (w<pid>-<end ms>.cpuprofile),
// for when the generator, not the server, may be what differs between two runs.
const profDir = process.env.BENCH_CPU_PROF_DIR;
let profiler = null;
function profilerCall(method, params) {
  return new Promise((resolve, reject) => profiler.post(method, params, (e, r) => (e ? reject(e) : resolve(r))));
}
async function profileStart() {
  if (!profDir) return;
  profiler = new (require("node:inspector").Session)();
  profiler.connect();
  await profilerCall("Profiler.enable");
  await profilerCall("Profiler.start");
}
async function profileEnd() {
  if (!profiler) return;
  const { profile } = await profilerCall("Profiler.stop");
  require("node:fs").writeFileSync(require("node:path").join(profDir, `w${process.pid}-${Date.now()}.cpuprofile`), JSON.stringify(profile));
  profiler.disconnect();
  profiler = null;
}
let win = null;
function windowStart() {
  const eld = monitorEventLoopDelay({ resolution: 10 });
  eld.enable();
  win = { cpu: process.cpuUsage(), t: now(), eld, http: httpCounts() };
  return true;
}
function windowEnd() {
  if (!win) return null;
  const cpu = process.cpuUsage(win.cpu);
  const wallMs = now() - win.t;
  win.eld.disable();
  const ns = (x) => Math.round(x / 1e4) / 100; // ns -> ms, 2 decimals
  const r = {
    wallMs: Math.round(wallMs),
    cpuPct: Math.round(((cpu.user + cpu.system) / 1000 / wallMs) * 1000) / 10,
    lagP99Ms: ns(win.eld.percentile(99)), lagMaxMs: ns(win.eld.max), lagMeanMs: ns(win.eld.mean),
  };
  const http = httpCounts();
  if (http.requests > win.http.requests) { // polling clients: what their HTTP cost in the window
    r.httpRequests = http.requests - win.http.requests;
    r.httpConnections = http.connections - win.http.connections;
    r.httpBytesRead = http.bytesRead - win.http.bytesRead;
  }
  win = null;
  return r;
}

// ---- commands -----------------------------------------------------------------------------------------------------
const commands = {
  async connect({ url, transport, count, role, timeoutMs }) {
    const hist = new Hist();
    const errors = {};
    let failures = 0;
    const start = now();
    const pending = [];
    for (let i = 0; i < count; i++) {
      const s = openSocket(url, transport, { timeout: timeoutMs });
      if (role === "receiver") {
        receiverState.set(s, { seen: new Uint8Array(0), unique: 0, lastSeq: -1 });
        s.on("new_message", (m) => onNewMessage(s, m));
      }
      pending.push(whenConnected(s, timeoutMs).then((r) => {
        if (r.ok) {
          hist.add(r.ms);
          sockets[role].push(s);
          s.on("disconnect", (reason) => {
            if (reason !== "io client disconnect") {
              unexpectedDisconnects++;
              disconnectReasons[reason] = (disconnectReasons[reason] || 0) + 1;
            }
          });
        } else {
          failures++;
          errors[r.error] = (errors[r.error] || 0) + 1;
          receiverState.delete(s);
          s.close();
        }
      }));
    }
    await Promise.all(pending);
    return { connected: hist.n, failures, errors, hist: hist.toJSON(), elapsedMs: now() - start, firstSid: (sockets[role][0] || {}).id };
  },

  async disconnect({ role }) {
    const roles = role ? [role] : Object.keys(sockets);
    let n = 0;
    for (const r of roles) {
      for (const s of sockets[r]) { s.close(); receiverState.delete(s); n++; }
      sockets[r] = [];
    }
    return { closed: n };
  },

  async status() {
    const counts = {};
    let notConnected = 0;
    for (const [r, list] of Object.entries(sockets)) {
      counts[r] = list.length;
      notConnected += list.filter((s) => !s.connected).length;
    }
    return { counts, notConnected, unexpectedDisconnects, disconnectReasons };
  },

  async windowStart() { await profileStart(); return windowStart(); },
  async windowEnd() { const r = windowEnd(); await profileEnd(); return r; },

  // Receivers: forget earlier runs; accept seq in [base, base+cap).
  async fanoutReset({ base, cap }) {
    fan = { base, cap, active: true, hist: new Hist(), unique: 0, dup: 0, stray: 0, ooo: 0, lastRecv: 0,
      worstBySeq: new Float64Array(cap) };
    for (const st of receiverState.values()) { st.seen = new Uint8Array(cap); st.unique = 0; st.lastSeq = -1; }
    return { receivers: sockets.receiver.length };
  },

  // Receivers: resolve when every receiver has `expected` unique messages, or after timeoutMs.
  async fanoutWait({ expected, timeoutMs }) {
    const deadline = now() + timeoutMs;
    const want = expected * sockets.receiver.length;
    while (fan.unique < want && now() < deadline) await new Promise((r) => setTimeout(r, 20));
    return { complete: fan.unique >= want };
  },

  async fanoutReport({ sent }) {
    fan.active = false;
    let minUnique = Infinity;
    for (const s of sockets.receiver) minUnique = Math.min(minUnique, receiverState.get(s).unique);
    const receivers = sockets.receiver.length;
    return {
      receivers, unique: fan.unique, lost: sent * receivers - fan.unique, dup: fan.dup, stray: fan.stray,
      outOfOrder: fan.ooo, lastRecv: fan.lastRecv, minUniquePerReceiver: receivers ? minUnique : 0,
      hist: fan.hist.toJSON(),
      // each message's slowest delivery in this process, in send order: shows whether a tail is a few stalls or all
      worstMsBySeq: Array.from(fan.worstBySeq, (x) => Math.round(x * 10) / 10),
    };
  },

  // Sender: `total` chat_message events at `rate` per second, seq from `base`, each with an ack.
  async fanoutSend({ base, rate, total, fillerLen, ackTimeoutMs }) {
    const s = sockets.sender[0];
    if (!s) throw new Error("no sender socket");
    const filler = "x".repeat(fillerLen);
    const ackHist = new Hist();
    let sent = 0, acked = 0, ackErrors = 0, badAcks = 0, lastAckId = 0, firstTs = 0, lastTs = 0;
    let resolveAll;
    const allAcked = new Promise((r) => { resolveAll = r; });
    const settle = () => { if (sent === total && acked + ackErrors === total) resolveAll(); };
    const sendOne = () => {
      const seq = base + sent;
      const ts = now();
      if (sent === 0) firstTs = ts;
      lastTs = ts;
      sent++;
      s.timeout(ackTimeoutMs).emit("chat_message", { text: `${seq}:${filler}`, ts }, (err, res) => {
        if (err) { ackErrors++; settle(); return; }
        ackHist.add(now() - ts);
        acked++;
        if (!res || !Number.isInteger(res.id) || res.id <= lastAckId) badAcks++;
        else lastAckId = res.id;
        settle();
      });
    };
    const start = now();
    await new Promise((resolve) => {
      const tick = () => {
        const due = Math.min(total, Math.floor(((now() - start) * rate) / 1000) + 1);
        while (sent < due) sendOne();
        if (sent >= total) resolve();
        else setTimeout(tick, 1);
      };
      tick();
    });
    settle();
    await allAcked;
    return { sent, acked, ackErrors, badAcks, firstTs, lastTs, sendMs: lastTs - firstTs, ackHist: ackHist.toJSON(), sid: s.id };
  },

  // Echo clients: closed loop (one outstanding echo per client) for durationMs.
  async echoRun({ durationMs, textLen, ackTimeoutMs, clientBase }) {
    const list = sockets.echo;
    const text = "e".repeat(textLen);
    const hist = new Hist();
    let acks = 0, errors = 0, mismatches = 0;
    const start = now();
    const end = start + durationMs;
    let lastAck = start;
    await Promise.all(list.map((s, i) => new Promise((resolve) => {
      const c = clientBase + i;
      let k = 0;
      const next = () => {
        if (now() >= end || !s.connected) { resolve(); return; }
        const myK = k++;
        const t = now();
        s.timeout(ackTimeoutMs).emit("echo", { c, k: myK, text }, (err, res) => {
          if (err) { errors++; next(); return; }
          const t2 = now();
          hist.add(t2 - t);
          acks++;
          lastAck = t2;
          if (!res || res.c !== c || res.k !== myK || res.text !== text) mismatches++;
          next();
        });
      };
      next();
    })));
    return { clients: list.length, acks, errors, mismatches, startTs: start, lastAckTs: lastAck, hist: hist.toJSON() };
  },

  async exit() { setTimeout(() => process.exit(0), 10); return true; },
};

process.on("message", async (m) => {
  try {
    const result = await commands[m.cmd](m.args || {});
    process.send({ id: m.id, ok: true, result });
  } catch (e) {
    process.send({ id: m.id, ok: false, error: String((e && e.stack) || e) });
  }
});
process.on("disconnect", () => process.exit(0)); // the coordinator died: never outlive it
