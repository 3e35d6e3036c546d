#!/usr/bin/env node
// Load generator for the chat benchmark protocol (shared/bench/PROTOCOL.md) against ONE running server.
// Coordinator: runs the conformance check, forks worker processes that hold the clients, runs the scenarios,
// reads the server's /proc (if --pid is given) around each measured window, prints a summary and writes JSON.
"use strict";
const { fork } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { Hist } = require("./lib/hist");
const proc = require("./lib/proc");
const { runConformance } = require("./lib/conformance");

const USAGE = `usage: node loadgen.js --url http://127.0.0.1:PORT [options]
  --pid N               server PID (the JAVA or node process) for CPU and RSS readings from /proc
  --label NAME          name of the server in the output (default: the URL)
  --scenarios LIST      comma list of connect,fanout,echo,fanout-max (default: connect,fanout,echo)
  --transports LIST     comma list of websocket,polling (default: both)
  --clients N           connect scenario: concurrent clients (default 200)
  --receivers N         fanout scenario: receivers in room chat (default: --clients)
  --rate R              fanout: chat_message per second from the one sender (default 20)
  --duration S          seconds of each measured fanout and echo window (default 5)
  --echo-clients C      echo: clients in the closed loop (default 20)
  --workers W           worker processes holding the clients (default 2; fanout's sender gets its own extra one)
  --filler BYTES        fanout: filler after "<seq>:" in text (default 100)
  --echo-text BYTES     echo: length of the text field (default 64)
  --warmup S            seconds of unmeasured load of the same kind before each measured window: fanout and echo on
                        the very clients they then measure; S of fanout before fanout-max, S/2 before connect (default 0)
  --warmup-rate R       the sender's rate in fanout warmups (default 10 x --rate, at most 60,000 deliveries/s)
  --drain S             fanout: longest wait for late deliveries after the last send (default 5)
  --step-duration S     fanout-max: seconds of each rate step (default 5); the steps start at --rate
  --step-factor F       fanout-max: rate multiplier from one step to the next (default 2)
  --max-steps N         fanout-max: at most this many steps (default 8)
  --max-rate R          fanout-max: highest sender rate tried, msg/s (default 5000)
  --max-p99 MS          fanout-max: a step is sustained only with delivery latency p99 <= MS (default 500), no loss,
                        no duplicates and deliveries/s >= 95% of rate x receivers; the ladder stops at the first step
                        that is not sustained
  --refine N            fanout-max: then up to N more steps bisecting between the highest sustained and the lowest
                        failing rate (default 0; x2 steps alone only tell rates apart by a factor of 2)
  --connect-timeout MS  per-client connect timeout (default 20000)
  --lag-threshold MS    flag the generator as a bottleneck above this event-loop lag p99 (default 50)
  --cpu-threshold PCT   ... or above this CPU % of one core in any worker (default 90)
  --no-conformance      skip the conformance check (not for comparisons)
  --json FILE           write the results as JSON
  --strict              exit 3 on lost or duplicated messages, failed connects, echo errors or mismatches
  --quiet               only the summary`;

function parseArgs(argv) {
  const o = { scenarios: "connect,fanout,echo", transports: "websocket,polling", clients: 200, receivers: null, rate: 20,
    duration: 5, echoClients: 20, workers: 2, filler: 100, echoText: 64, warmup: 0, drain: 5, connectTimeout: 20000,
    stepDuration: 5, stepFactor: 2, maxSteps: 8, maxRate: 5000, maxP99: 500, refine: 0,
    lagThreshold: 50, cpuThreshold: 90, conformance: true, strict: false, quiet: false, json: null, pid: null, label: null, url: null };
  const num = (k, v) => { const n = Number(v); if (!Number.isFinite(n) || n < 0) die(`--${k} needs a number, got '${v}'`); return n; };
  for (let i = 2; i < argv.length; i++) {
    const a = argv[i];
    const v = () => { if (i + 1 >= argv.length) die(`${a} needs a value`); return argv[++i]; };
    switch (a) {
      case "--url": o.url = v(); break;
      case "--pid": o.pid = num("pid", v()); break;
      case "--label": o.label = v(); break;
      case "--scenarios": o.scenarios = v(); break;
      case "--transports": o.transports = v(); break;
      case "--clients": o.clients = num("clients", v()); break;
      case "--receivers": o.receivers = num("receivers", v()); break;
      case "--rate": o.rate = num("rate", v()); break;
      case "--duration": o.duration = num("duration", v()); break;
      case "--echo-clients": o.echoClients = num("echo-clients", v()); break;
      case "--workers": o.workers = Math.max(1, num("workers", v())); break;
      case "--filler": o.filler = num("filler", v()); break;
      case "--echo-text": o.echoText = num("echo-text", v()); break;
      case "--warmup": o.warmup = num("warmup", v()); break;
      case "--warmup-rate": o.warmupRate = num("warmup-rate", v()); break;
      case "--drain": o.drain = num("drain", v()); break;
      case "--step-duration": o.stepDuration = num("step-duration", v()); break;
      case "--step-factor": o.stepFactor = num("step-factor", v()); break;
      case "--max-steps": o.maxSteps = num("max-steps", v()); break;
      case "--max-rate": o.maxRate = num("max-rate", v()); break;
      case "--max-p99": o.maxP99 = num("max-p99", v()); break;
      case "--refine": o.refine = num("refine", v()); break;
      case "--connect-timeout": o.connectTimeout = num("connect-timeout", v()); break;
      case "--lag-threshold": o.lagThreshold = num("lag-threshold", v()); break;
      case "--cpu-threshold": o.cpuThreshold = num("cpu-threshold", v()); break;
      case "--no-conformance": o.conformance = false; break;
      case "--json": o.json = v(); break;
      case "--strict": o.strict = true; break;
      case "--quiet": o.quiet = true; break;
      case "-h": case "--help": console.log(USAGE); process.exit(0); break;
      default: die(`unknown argument '${a}'\n${USAGE}`);
    }
  }
  if (!o.url) die(`--url is required\n${USAGE}`);
  const u = new URL(o.url);
  if (!["127.0.0.1", "localhost", "[::1]"].includes(u.hostname)) die(`loopback only: refusing ${o.url}`);
  o.scenarios = o.scenarios.split(",").filter(Boolean);
  o.transports = o.transports.split(",").filter(Boolean);
  for (const s of o.scenarios) if (!["connect", "fanout", "echo", "fanout-max"].includes(s)) die(`unknown scenario '${s}'`);
  for (const t of o.transports) if (!["websocket", "polling"].includes(t)) die(`unknown transport '${t}'`);
  if (o.receivers === null) o.receivers = o.clients;
  // Fan-out's warmup runs faster than its window: per-message code (the sender's decode, the broadcast call) runs once
  // per message, a few hundred times in a 20 msg/s warmup, 6,000 in 30 s at 200. Capped at 60,000 deliveries/s, well
  // under either server's limit.
  if (o.warmupRate === undefined) o.warmupRate = Math.max(o.rate, Math.min(o.rate * 10, Math.floor(60000 / Math.max(1, o.receivers))));
  for (const k of ["clients", "receivers", "echoClients", "workers", "maxSteps", "refine"]) o[k] = Math.floor(o[k]);
  if (o.rate <= 0 || o.duration <= 0 || o.warmupRate <= 0) die("--rate, --duration and --warmup-rate must be > 0");
  if (o.clients > 20000 || o.receivers > 20000 || o.echoClients > 5000 || o.workers > 16 || o.duration > 600 || o.rate > 100000 || o.warmupRate > 100000) {
    die("bounded: at most 20000 clients/receivers, 5000 echo clients, 16 workers, 600 s, 100000 msg/s");
  }
  if (o.stepDuration <= 0 || o.stepDuration > 60 || o.maxSteps < 1 || o.maxSteps > 20 || o.refine > 6 || o.maxRate <= 0 || o.maxRate > 100000 ||
      !(o.stepFactor > 1) || o.stepFactor > 10 || o.maxP99 <= 0) {
    die("fanout-max: --step-duration in (0, 60] s, --max-steps 1..20, --refine 0..6, --max-rate in (0, 100000], --step-factor in (1, 10], --max-p99 > 0");
  }
  o.label = o.label || o.url;
  return o;
}
function die(msg) { console.error(`loadgen: ${msg}`); process.exit(2); }

// ---- workers --------------------------------------------------------------------------------------------------------
class Worker {
  constructor(name) {
    this.name = name;
    this.child = fork(path.join(__dirname, "lib", "worker.js"), [], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
    this.seq = 0;
    this.pending = new Map();
    this.child.on("message", (m) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.ok) p.resolve(m.result); else p.reject(new Error(`${this.name}: ${m.error}`));
    });
    this.child.on("exit", (code, sig) => {
      for (const p of this.pending.values()) p.reject(new Error(`${this.name} exited (${code ?? sig})`));
      this.pending.clear();
      this.dead = true;
    });
  }
  call(cmd, args) {
    if (this.dead) return Promise.reject(new Error(`${this.name} is not running`));
    const id = ++this.seq;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.child.send({ id, cmd, args });
    });
  }
  stop() { if (!this.dead) { this.child.kill("SIGTERM"); } }
}

const split = (n, parts) => Array.from({ length: parts }, (_, i) => Math.floor(n / parts) + (i < n % parts ? 1 : 0));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const round = (x, d = 1) => (x === null || x === undefined || !Number.isFinite(x) ? null : Math.round(x * 10 ** d) / 10 ** d);

// ---- readings around a measured window -------------------------------------------------------------------------------
function serverSample(pid) {
  if (!pid) return null;
  try { return { cpu: proc.cpuSeconds(pid), rss: proc.rssKiB(pid), threads: proc.threads(pid), byThread: proc.threadCpuSeconds(pid) }; } catch { return null; }
}
/** The server's CPU in the window by thread group, in ms, the largest first (at most 8, the rest summed). */
function cpuByThread(s0, s1) {
  const rows = Object.entries(s1.byThread).map(([k, v]) => [k, (v - (s0.byThread[k] || 0)) * 1000]).filter(([, ms]) => ms > 0)
    .sort((a, b) => b[1] - a[1]);
  const out = Object.fromEntries(rows.slice(0, 8).map(([k, ms]) => [k, round(ms, 0)]));
  if (rows.length > 8) out.other = round(rows.slice(8).reduce((a, [, ms]) => a + ms, 0), 0);
  return out;
}
async function windowed(workers, pid, fn) {
  await Promise.all(workers.map((w) => w.call("windowStart")));
  const m0 = proc.machineJiffies();
  const s0 = serverSample(pid);
  const t0 = performance.now();
  const result = await fn();
  const wallMs = performance.now() - t0;
  const s1 = serverSample(pid);
  const m1 = proc.machineJiffies();
  const gen = await Promise.all(workers.map((w) => w.call("windowEnd")));
  const cores = os.cpus().length;
  const server = s0 && s1 ? { cpuSeconds: round(s1.cpu - s0.cpu, 3), cpuPctOfCore: round(((s1.cpu - s0.cpu) * 100000) / wallMs),
    rssKiBBefore: s0.rss, rssKiBAfter: s1.rss, threads: s1.threads, cpuMsByThread: cpuByThread(s0, s1) } : null;
  const machineBusyPct = round(((m1.busy - m0.busy) / Math.max(1, m1.total - m0.total)) * 100);
  return { result, wallMs, server, generator: gen.map((g, i) => ({ worker: workers[i].name, ...g })), machine: { cores, busyPct: machineBusyPct } };
}
function logThreads(log, w) {
  const t = w.server && w.server.cpuMsByThread;
  if (t && Object.keys(t).length) log(`    server CPU by thread (ms): ${Object.entries(t).map(([k, ms]) => `${k} ${ms}`).join(", ")}`);
}
function bottleneckWarnings(o, w) {
  const out = [];
  for (const g of w.generator) {
    if (!g) continue;
    if (g.cpuPct >= o.cpuThreshold) out.push(`generator ${g.worker} at ${g.cpuPct}% CPU of a core (>= ${o.cpuThreshold}%)`);
    if (g.lagP99Ms >= o.lagThreshold) out.push(`generator ${g.worker} event-loop lag p99 ${g.lagP99Ms} ms (>= ${o.lagThreshold} ms)`);
  }
  if (w.machine.busyPct >= 95) out.push(`machine ${w.machine.busyPct}% busy over ${w.machine.cores} cores: server and generator share the CPUs`);
  return out;
}

// ---- scenarios --------------------------------------------------------------------------------------------------------
async function connectGroup(workers, o, transport, role, count) {
  const parts = split(count, workers.length);
  const rs = await Promise.all(workers.map((w, i) => parts[i] > 0
    ? w.call("connect", { url: o.url, transport, count: parts[i], role, timeoutMs: o.connectTimeout })
    : { connected: 0, failures: 0, errors: {}, hist: new Hist().toJSON(), elapsedMs: 0 }));
  const hist = new Hist();
  const errors = {};
  let connected = 0, failures = 0, elapsedMs = 0;
  for (const r of rs) {
    hist.merge(r.hist); connected += r.connected; failures += r.failures; elapsedMs = Math.max(elapsedMs, r.elapsedMs);
    for (const [k, v] of Object.entries(r.errors)) errors[k] = (errors[k] || 0) + v;
  }
  return { connected, failures, errors, hist, elapsedMs };
}
async function disconnectAll(workers) {
  await Promise.all(workers.map((w) => w.call("disconnect", {})));
}

async function scenarioConnect(o, transport, workers, log) {
  const before = serverSample(o.pid);
  const w = await windowed(workers, o.pid, () => connectGroup(workers, o, transport, "plain", o.clients));
  await sleep(500); // let the server finish its side of the last handshakes
  const after = serverSample(o.pid);
  const r = w.result;
  const status = await Promise.all(workers.map((x) => x.call("status")));
  const dropped = status.reduce((a, s) => a + s.notConnected, 0);
  await disconnectAll(workers);
  const lat = r.hist.summary();
  const rssAdded = before && after ? after.rss - before.rss : null;
  const res = {
    clients: o.clients, connected: r.connected, failures: r.failures, errors: r.errors, droppedAfterConnect: dropped,
    totalMs: round(r.elapsedMs), latencyMs: lat,
    serverRssKiBBefore: before && before.rss, serverRssKiBAfter: after && after.rss,
    serverRssKiBPerConnection: rssAdded !== null && r.connected ? round(rssAdded / r.connected, 2) : null,
    serverCpuMsPerConnection: w.server && r.connected ? round((w.server.cpuSeconds * 1000) / r.connected, 3) : null,
    window: { server: w.server, generator: w.generator, machine: w.machine }, warnings: bottleneckWarnings(o, w),
  };
  log(`  connect ${transport}: ${r.connected}/${o.clients} in ${res.totalMs} ms, p50 ${lat.p50} p99 ${lat.p99} max ${lat.max} ms, ` +
    `failures ${r.failures}, RSS +${res.serverRssKiBPerConnection ?? "?"} KiB/conn`);
  await sleep(1000);
  return res;
}

let seqBase = 1; // seq values are unique over the whole run, so late messages of an earlier run are "stray"
// One measured fanout window over receivers and a sender that are already connected: the sender sends
// rate x durationS messages, the receivers wait up to --drain for the rest; returns the merged counts.
async function fanoutWindow(o, recvWorkers, senderWorker, rate, durationS, pid) {
  const total = Math.max(1, Math.round(rate * durationS));
  const base = seqBase;
  seqBase += total + 1000;
  await Promise.all(recvWorkers.map((w) => w.call("fanoutReset", { base, cap: total })));
  await sleep(200);
  const all = [...recvWorkers, senderWorker];
  const w = await windowed(all, pid, async () => {
    const s = await senderWorker.call("fanoutSend", { base, rate, total, fillerLen: o.filler, ackTimeoutMs: 10000 + o.drain * 1000 });
    await Promise.all(recvWorkers.map((x) => x.call("fanoutWait", { expected: s.sent, timeoutMs: o.drain * 1000 })));
    return s;
  });
  const s = w.result;
  const reps = await Promise.all(recvWorkers.map((x) => x.call("fanoutReport", { sent: s.sent })));
  const status = await Promise.all(all.map((x) => x.call("status")));
  const hist = new Hist();
  let unique = 0, lost = 0, dup = 0, stray = 0, ooo = 0, lastRecv = 0;
  for (const r of reps) { hist.merge(r.hist); unique += r.unique; lost += r.lost; dup += r.dup; stray += r.stray; ooo += r.outOfOrder; lastRecv = Math.max(lastRecv, r.lastRecv); }
  const spanMs = Math.max(lastRecv - s.firstTs, s.sendMs, 1);
  const worstBySeq = reps.reduce((acc, r) => acc.map((x, i) => Math.max(x, r.worstMsBySeq[i] || 0)), new Array(total).fill(0));
  return { w, s, status, hist, unique, lost, dup, stray, ooo, spanMs, worstBySeq };
}

async function fanoutRun(o, transport, recvWorkers, senderWorker, durationS, measured, log, warmS = 0) {
  const rc = await connectGroup(recvWorkers, o, transport, "receiver", o.receivers);
  const sc = await connectGroup([senderWorker], o, transport, "sender", 1);
  if (sc.connected !== 1) throw new Error(`fanout ${transport}: the sender could not connect (${JSON.stringify(sc.errors)})`);
  const all = [...recvWorkers, senderWorker];
  if (warmS > 0) await fanoutWindow(o, recvWorkers, senderWorker, o.warmupRate, warmS, null);
  const { w, s, status, hist, unique, lost, dup, stray, ooo, spanMs, worstBySeq } =
    await fanoutWindow(o, recvWorkers, senderWorker, o.rate, durationS, measured ? o.pid : null);
  await disconnectAll(all);
  if (!measured) return null;
  const lat = hist.summary();
  const res = {
    receivers: rc.connected, receiverConnectFailures: rc.failures, rate: o.rate, durationS, fillerBytes: o.filler,
    sent: s.sent, acked: s.acked, ackErrors: s.ackErrors, badAckIds: s.badAcks, expectedDeliveries: s.sent * rc.connected,
    delivered: unique, lost, duplicates: dup, stray, outOfOrder: ooo,
    deliveredPerSec: round((unique * 1000) / spanMs), sendRatePerSec: round((s.sent * 1000) / Math.max(1, s.sendMs)),
    latencyMs: lat, senderAckRttMs: Hist.fromJSON(s.ackHist).summary(),
    disconnects: status.reduce((a, x) => a + x.unexpectedDisconnects, 0),
    serverCpuMsPer1kDeliveries: w.server && unique ? round((w.server.cpuSeconds * 1e6) / unique, 2) : null,
    window: { server: w.server, generator: w.generator, machine: w.machine }, warnings: bottleneckWarnings(o, w),
    // each message's slowest delivery, in send order (one every 1000/rate ms from the window's start)
    slowestDeliveryMsBySeq: worstBySeq, firstSendTs: s.firstTs,
  };
  log(`  fanout ${transport}: ${rc.connected} receivers x ${s.sent} msgs: ${res.deliveredPerSec} deliveries/s, latency p50 ${lat.p50} ` +
    `p99 ${lat.p99} max ${lat.max} ms, lost ${lost}, dup ${dup}, server CPU ${res.serverCpuMsPer1kDeliveries ?? "?"} ms/1k deliveries`);
  logThreads(log, w);
  await sleep(1000);
  return res;
}

// fanout-max: the same receivers (connected once) and sender, the sender's rate stepped up from --rate (x --step-factor
// per step, at most --max-steps steps and --max-rate msg/s), one --step-duration window per step. A step is sustained
// when deliveries/s >= 95 % of rate x receivers, nothing is lost or duplicated after the drain and the delivery
// latency p99 <= --max-p99. The search stops at the first step that is not sustained.
const SUSTAIN_FRACTION = 0.95;
function stepRates(o) {
  const rates = [];
  let r = Math.min(o.rate, o.maxRate);
  while (rates.length < o.maxSteps) {
    rates.push(r);
    const next = Math.min(o.maxRate, Math.max(r + 1, Math.round(r * o.stepFactor)));
    if (next <= r) break;
    r = next;
  }
  return rates;
}
async function fanoutMax(o, transport, recvWorkers, senderWorker, log) {
  const rc = await connectGroup(recvWorkers, o, transport, "receiver", o.receivers);
  const sc = await connectGroup([senderWorker], o, transport, "sender", 1);
  const all = [...recvWorkers, senderWorker];
  if (sc.connected !== 1) { await disconnectAll(all); throw new Error(`fanout-max ${transport}: the sender could not connect (${JSON.stringify(sc.errors)})`); }
  const receivers = rc.connected;
  const steps = [];
  let failing = null; // the lowest rate that was not sustained
  let best = null; // the highest rate that was sustained
  const runStep = async (rate, phase) => {
    const { w, s, status, hist, unique, lost, dup, stray, ooo, spanMs } =
      await fanoutWindow(o, recvWorkers, senderWorker, rate, o.stepDuration, o.pid);
    const lat = hist.summary();
    const offeredPerSec = rate * receivers;
    const deliveredPerSec = round((unique * 1000) / spanMs);
    const sendRatePerSec = round((s.sent * 1000) / Math.max(1, s.sendMs));
    const failed = [];
    if (!(deliveredPerSec >= SUSTAIN_FRACTION * offeredPerSec)) failed.push(`deliveries ${Math.round((deliveredPerSec * 100) / Math.max(1, offeredPerSec))}% of offered (< ${SUSTAIN_FRACTION * 100}%)`);
    if (lost) failed.push(`lost ${lost}`);
    if (dup) failed.push(`duplicates ${dup}`);
    if (!(lat.p99 <= o.maxP99)) failed.push(`p99 ${lat.p99 ?? "?"} ms > ${o.maxP99} ms`);
    const warnings = bottleneckWarnings(o, w);
    // the sender is part of the generator: if it could not keep the rate, the generator limited this step
    if (sendRatePerSec < SUSTAIN_FRACTION * rate) warnings.push(`generator sender kept only ${sendRatePerSec} of ${rate} msg/s`);
    const step = {
      step: steps.length + 1, phase, rate, receivers, durationS: o.stepDuration, sent: s.sent, acked: s.acked, ackErrors: s.ackErrors, badAckIds: s.badAcks,
      offeredDeliveriesPerSec: offeredPerSec, deliveredPerSec, deliveredFraction: round(deliveredPerSec / Math.max(1, offeredPerSec), 3),
      sendRatePerSec, delivered: unique, lost, duplicates: dup, stray, outOfOrder: ooo, latencyMs: lat,
      senderAckRttMs: Hist.fromJSON(s.ackHist).summary(), disconnects: status.reduce((a, x) => a + x.unexpectedDisconnects, 0),
      serverCpuMsPer1kDeliveries: w.server && unique ? round((w.server.cpuSeconds * 1e6) / unique, 2) : null,
      sustained: failed.length === 0, notSustainedBecause: failed,
      window: { server: w.server, generator: w.generator, machine: w.machine }, warnings,
      // bottleneckWarnings: "generator ..." = a worker or the sender saturated; "machine ..." = the 2 cores were full
      generatorBottleneck: warnings.some((x) => x.startsWith("generator")), machineBusy: warnings.some((x) => x.startsWith("machine")),
    };
    steps.push(step);
    log(`  fanout-max ${transport} step ${step.step}${phase === "refine" ? " (refine)" : ""}: ${rate} msg/s x ${receivers} receivers: ` +
      `${deliveredPerSec} of ${offeredPerSec} deliveries/s (${Math.round(step.deliveredFraction * 100)}%), latency p50 ${lat.p50} p99 ${lat.p99} ms, ` +
      `lost ${lost}, dup ${dup}, server CPU ${step.serverCpuMsPer1kDeliveries ?? "?"} ms/1k deliveries: ` +
      `${step.sustained ? "sustained" : `NOT sustained (${failed.join(", ")})`}${warnings.length ? " [generator/machine flagged]" : ""}`);
    if (step.sustained) best = step; else failing = step;
    await sleep(step.sustained ? 500 : 1000); // after a failing step, let the server's backlog go
    return step;
  };
  try {
    for (const rate of stepRates(o)) if (!(await runStep(rate, "ladder")).sustained) break;
    // optional: bisect (geometrically) between the highest sustained and the lowest failing rate
    for (let k = 0; k < o.refine && best && failing; k++) {
      const mid = Math.round(Math.sqrt(best.rate * failing.rate));
      if (mid <= best.rate || mid >= failing.rate) break;
      await runStep(mid, "refine");
    }
  } finally {
    await disconnectAll(all);
  }
  const sustained = best && { rate: best.rate, deliveredPerSec: best.deliveredPerSec, latencyMs: best.latencyMs,
    serverCpuMsPer1kDeliveries: best.serverCpuMsPer1kDeliveries, step: best.step };
  const stoppedBy = failing ? `step ${failing.step} (${failing.rate} msg/s): ${failing.notSustainedBecause.join(", ")}`
    : `not saturated: every step up to ${steps.length ? steps[steps.length - 1].rate : "?"} msg/s was sustained (limits --max-steps ${o.maxSteps}, --max-rate ${o.maxRate})`;
  const res = {
    receivers, receiverConnectFailures: rc.failures, startRate: o.rate, stepFactor: o.stepFactor, maxSteps: o.maxSteps, maxRate: o.maxRate,
    stepDurationS: o.stepDuration, maxP99Ms: o.maxP99, refine: o.refine, sustainFraction: SUSTAIN_FRACTION, fillerBytes: o.filler,
    sustainedRate: best ? best.rate : null, sustained, saturated: !!failing, stoppedBy,
    // Was the generator (or the shared machine) the limit where the search stopped? Then the sustained rate is a
    // lower bound for the server, not its ceiling.
    generatorBottleneckAtStop: failing ? failing.generatorBottleneck : null, machineBusyAtStop: failing ? failing.machineBusy : null,
    failingStepWarnings: failing ? failing.warnings : [],
    steps,
    // what compare.js flags: the warnings of the step reported as sustained and of the failing step
    warnings: [...(best ? best.warnings.map((x) => `step ${best.step} (${best.rate} msg/s, sustained): ${x}`) : []),
      ...(failing ? failing.warnings.map((x) => `step ${failing.step} (${failing.rate} msg/s, failing): ${x}`) : [])],
  };
  log(`  fanout-max ${transport}: highest sustained rate ${best ? `${best.rate} msg/s x ${receivers} receivers = ${best.deliveredPerSec} deliveries/s, ` +
    `latency p50 ${best.latencyMs.p50} p99 ${best.latencyMs.p99} ms, server CPU ${best.serverCpuMsPer1kDeliveries ?? "?"} ms/1k deliveries` : "none (the first step failed)"}`);
  log(`  fanout-max ${transport}: ${failing ? "not sustained at " : "search ended, "}${stoppedBy}`);
  if (failing) {
    log(`  fanout-max ${transport}: generator bottleneck at the failing step: ${failing.generatorBottleneck
      ? `YES (${failing.warnings.join("; ")}): the sustained rate is a lower bound for the server, not its ceiling`
      : failing.machineBusy ? `no, but ${failing.warnings.join("; ")}: the server may have lost CPU to the generator`
      : "no (generator CPU, event-loop lag and machine load under the thresholds)"}`);
  }
  return res;
}

async function echoRun(o, transport, workers, durationS, measured, log, warmS = 0) {
  const c = await connectGroup(workers, o, transport, "echo", o.echoClients);
  const parts = split(c.connected, workers.length);
  let base = 0;
  const bases = parts.map((p) => { const b = base; base += p; return b; });
  await sleep(200);
  if (warmS > 0) {
    await Promise.all(workers.map((x, i) =>
      x.call("echoRun", { durationMs: warmS * 1000, textLen: o.echoText, ackTimeoutMs: 10000, clientBase: bases[i] })));
  }
  const w = await windowed(workers, measured ? o.pid : null, () => Promise.all(workers.map((x, i) =>
    x.call("echoRun", { durationMs: durationS * 1000, textLen: o.echoText, ackTimeoutMs: 10000, clientBase: bases[i] }))));
  const status = await Promise.all(workers.map((x) => x.call("status")));
  await disconnectAll(workers);
  if (!measured) return null;
  const hist = new Hist();
  let acks = 0, errors = 0, mismatches = 0, start = Infinity, end = 0;
  for (const r of w.result) {
    hist.merge(r.hist); acks += r.acks; errors += r.errors; mismatches += r.mismatches;
    if (r.clients) { start = Math.min(start, r.startTs); end = Math.max(end, r.lastAckTs); }
  }
  const lat = hist.summary();
  const res = {
    clients: c.connected, connectFailures: c.failures, durationS, textBytes: o.echoText, acks, errors, mismatches,
    acksPerSec: round((acks * 1000) / Math.max(1, end - start)), rttMs: lat,
    disconnects: status.reduce((a, x) => a + x.unexpectedDisconnects, 0),
    serverCpuMsPer1kAcks: w.server && acks ? round((w.server.cpuSeconds * 1e6) / acks, 2) : null,
    window: { server: w.server, generator: w.generator, machine: w.machine }, warnings: bottleneckWarnings(o, w),
  };
  log(`  echo ${transport}: ${c.connected} clients: ${res.acksPerSec} acks/s, RTT p50 ${lat.p50} p99 ${lat.p99} ms, errors ${errors}, ` +
    `mismatches ${mismatches}, server CPU ${res.serverCpuMsPer1kAcks ?? "?"} ms/1k acks`);
  logThreads(log, w);
  await sleep(1000);
  return res;
}

/**
 * Unmeasured load right before a window, so that it sees a server in its steady state for that traffic: a JIT (the
 * JVM's, V8's) compiles for the traffic it has seen. fanout and echo warm up on the very connections they then measure
 * (fanoutRun, echoRun): warming with another mix, or on other connections, left the JVM recompiling inside the window
 * (a burst of connects runs the encoder on other packets and deoptimised the broadcast path). connect and fanout-max
 * are warmed here, by a fanout run on connections of their own.
 */
async function warmup(o, t, s, workers, sender, log) {
  const seconds = s === "connect" ? o.warmup / 2 : o.warmup;
  log(`  warmup for ${s} over ${t} (${seconds} s of fanout at ${o.warmupRate} msg/s, unmeasured)`);
  await fanoutRun({ ...o, rate: o.warmupRate }, t, workers, sender, seconds, false, () => {});
}

// ---- main -------------------------------------------------------------------------------------------------------------
async function main() {
  const o = parseArgs(process.argv);
  const log = (s) => console.log(s); // --quiet only hides the per-check PASS lines
  const out = {
    tool: "switchboard-bench loadgen", protocol: "shared/bench/PROTOCOL.md v1", label: o.label, url: o.url, pid: o.pid,
    startedAt: new Date().toISOString(), node: process.version, clientVersion: require("socket.io-client/package.json").version,
    params: { scenarios: o.scenarios, transports: o.transports, clients: o.clients, receivers: o.receivers, rate: o.rate,
      duration: o.duration, echoClients: o.echoClients, workers: o.workers, filler: o.filler, echoText: o.echoText,
      warmup: o.warmup, warmupRate: o.warmupRate, drain: o.drain,
      ...(o.scenarios.includes("fanout-max") ? { stepDuration: o.stepDuration, stepFactor: o.stepFactor, maxSteps: o.maxSteps,
        maxRate: o.maxRate, maxP99: o.maxP99, refine: o.refine } : {}) },
    machine: { cores: os.cpus().length, loadAverageAtStart: proc.loadAverage(), clkTck: proc.clockTicks() },
    conformance: {}, results: {}, warnings: [],
  };
  if (o.pid && !proc.alive(o.pid)) die(`no process ${o.pid}`);
  console.log(`loadgen: ${o.label === o.url ? "" : `${o.label}, `}${o.url}${o.pid ? ` (server pid ${o.pid})` : ""}`);

  let failedConformance = false;
  if (o.conformance) {
    for (const t of o.transports) {
      log(`conformance over ${t}:`);
      const c = await runConformance(o.url, t, o.quiet ? () => {} : log);
      out.conformance[t] = c;
      console.log(`conformance ${t}: ${c.passed} passed, ${c.failed} failed`);
      if (c.failed) failedConformance = true;
    }
    if (failedConformance) {
      for (const [t, c] of Object.entries(out.conformance)) for (const ch of c.checks) if (!ch.ok) console.error(`NONCONFORMING (${t}): ${ch.name}: ${ch.error}`);
      console.error(`loadgen: ${o.label} does not conform to PROTOCOL.md: not measured`);
      out.error = "nonconforming";
      writeJson(o, out);
      process.exitCode = 4;
      return;
    }
  }

  const workers = Array.from({ length: o.workers }, (_, i) => new Worker(`w${i + 1}`));
  const sender = new Worker("sender");
  const stopAll = () => { for (const w of [...workers, sender]) w.stop(); };
  process.on("SIGINT", () => { stopAll(); process.exit(130); });
  process.on("SIGTERM", () => { stopAll(); process.exit(143); });
  try {
    for (const t of o.transports) {
      out.results[t] = {};
      log(`measuring over ${t}:`);
      for (const s of o.scenarios) {
        const inline = s === "fanout" || s === "echo"; // warmed on the connections they measure
        if (o.warmup > 0) {
          if (inline) log(`  warmup for ${s} over ${t} (${o.warmup} s${s === "fanout" ? ` at ${o.warmupRate} msg/s` : ""} on the same clients, unmeasured)`);
          else await warmup(o, t, s, workers, sender, log);
        }
        const res = s === "connect" ? await scenarioConnect(o, t, workers, log)
          : s === "fanout" ? await fanoutRun(o, t, workers, sender, o.duration, true, log, o.warmup)
          : s === "fanout-max" ? await fanoutMax(o, t, workers, sender, log)
          : await echoRun(o, t, workers, o.duration, true, log, o.warmup);
        out.results[t][s] = res;
        for (const w of res.warnings) { out.warnings.push(`${t} ${s}: ${w}`); log(`    WARNING ${w}`); }
      }
    }
  } finally {
    for (const w of [...workers, sender]) await w.call("exit").catch(() => {});
    await sleep(50);
    stopAll();
  }
  out.finishedAt = new Date().toISOString();
  writeJson(o, out);

  const problems = [];
  for (const [t, r] of Object.entries(out.results)) {
    if (r.connect && (r.connect.failures || r.connect.droppedAfterConnect)) problems.push(`${t} connect: ${r.connect.failures} failed, ${r.connect.droppedAfterConnect} dropped`);
    if (r.fanout && (r.fanout.lost || r.fanout.duplicates || r.fanout.receiverConnectFailures || r.fanout.outOfOrder || r.fanout.badAckIds || r.fanout.ackErrors)) {
      problems.push(`${t} fanout: lost ${r.fanout.lost}, duplicates ${r.fanout.duplicates}, out of order ${r.fanout.outOfOrder}, ` +
        `receiver connect failures ${r.fanout.receiverConnectFailures}, bad ack ids ${r.fanout.badAckIds}, ack errors ${r.fanout.ackErrors}`);
    }
    const fm = r["fanout-max"];
    if (fm) { // loss at the failing step is the expected sign of saturation; connect failures, duplicates, reordering are not
      const sum = (k) => fm.steps.reduce((a, x) => a + x[k], 0);
      if (fm.receiverConnectFailures || sum("duplicates") || sum("outOfOrder") || sum("badAckIds")) {
        problems.push(`${t} fanout-max: receiver connect failures ${fm.receiverConnectFailures}, duplicates ${sum("duplicates")}, ` +
          `out of order ${sum("outOfOrder")}, bad ack ids ${sum("badAckIds")}`);
      }
    }
    if (r.echo && (r.echo.errors || r.echo.mismatches || r.echo.connectFailures)) problems.push(`${t} echo: errors ${r.echo.errors}, mismatches ${r.echo.mismatches}, connect failures ${r.echo.connectFailures}`);
  }
  for (const p of problems) console.error(`PROBLEM ${p}`);
  if (out.warnings.length) console.log(`loadgen: ${out.warnings.length} bottleneck warning(s): the generator or the shared machine may limit these figures`);
  if (o.strict && problems.length) process.exitCode = 3;
}

function writeJson(o, out) {
  if (!o.json) return;
  fs.mkdirSync(path.dirname(path.resolve(o.json)), { recursive: true });
  fs.writeFileSync(o.json, JSON.stringify(out, null, 2) + "\n");
}

main().catch((e) => { console.error(`loadgen: ${e.stack || e}`); process.exit(1); });
