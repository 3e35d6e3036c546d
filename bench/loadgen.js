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
  --scenarios LIST      comma list of connect,fanout,echo (default: all three)
  --transports LIST     comma list of websocket,polling (default: both)
  --clients N           connect scenario: concurrent clients (default 200)
  --receivers N         fanout scenario: receivers in room chat (default: --clients)
  --rate R              fanout: chat_message per second from the one sender (default 20)
  --duration S          seconds of each measured fanout and echo window (default 5)
  --echo-clients C      echo: clients in the closed loop (default 20)
  --workers W           worker processes holding the clients (default 2; fanout's sender gets its own extra one)
  --filler BYTES        fanout: filler after "<seq>:" in text (default 100)
  --echo-text BYTES     echo: length of the text field (default 64)
  --warmup S            seconds of unmeasured fanout+echo per transport first (default 0)
  --drain S             fanout: longest wait for late deliveries after the last send (default 5)
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
      case "--drain": o.drain = num("drain", v()); break;
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
  for (const s of o.scenarios) if (!["connect", "fanout", "echo"].includes(s)) die(`unknown scenario '${s}'`);
  for (const t of o.transports) if (!["websocket", "polling"].includes(t)) die(`unknown transport '${t}'`);
  if (o.receivers === null) o.receivers = o.clients;
  for (const k of ["clients", "receivers", "echoClients", "workers"]) o[k] = Math.floor(o[k]);
  if (o.rate <= 0 || o.duration <= 0) die("--rate and --duration must be > 0");
  if (o.clients > 20000 || o.receivers > 20000 || o.echoClients > 5000 || o.workers > 16 || o.duration > 600 || o.rate > 100000) {
    die("bounded: at most 20000 clients/receivers, 5000 echo clients, 16 workers, 600 s, 100000 msg/s");
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
  try { return { cpu: proc.cpuSeconds(pid), rss: proc.rssKiB(pid), threads: proc.threads(pid) }; } catch { return null; }
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
    rssKiBBefore: s0.rss, rssKiBAfter: s1.rss, threads: s1.threads } : null;
  const machineBusyPct = round(((m1.busy - m0.busy) / Math.max(1, m1.total - m0.total)) * 100);
  return { result, wallMs, server, generator: gen.map((g, i) => ({ worker: workers[i].name, ...g })), machine: { cores, busyPct: machineBusyPct } };
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
async function fanoutRun(o, transport, recvWorkers, senderWorker, durationS, measured, log) {
  const rc = await connectGroup(recvWorkers, o, transport, "receiver", o.receivers);
  const sc = await connectGroup([senderWorker], o, transport, "sender", 1);
  if (sc.connected !== 1) throw new Error(`fanout ${transport}: the sender could not connect (${JSON.stringify(sc.errors)})`);
  const total = Math.max(1, Math.round(o.rate * durationS));
  const base = seqBase;
  seqBase += total + 1000;
  await Promise.all(recvWorkers.map((w) => w.call("fanoutReset", { base, cap: total })));
  await sleep(200);
  const all = [...recvWorkers, senderWorker];
  const w = await windowed(all, measured ? o.pid : null, async () => {
    const s = await senderWorker.call("fanoutSend", { base, rate: o.rate, total, fillerLen: o.filler, ackTimeoutMs: 10000 + o.drain * 1000 });
    await Promise.all(recvWorkers.map((x) => x.call("fanoutWait", { expected: s.sent, timeoutMs: o.drain * 1000 })));
    return s;
  });
  const s = w.result;
  const reps = await Promise.all(recvWorkers.map((x) => x.call("fanoutReport", { sent: s.sent })));
  const status = await Promise.all(all.map((x) => x.call("status")));
  await disconnectAll(all);
  if (!measured) return null;
  const hist = new Hist();
  let unique = 0, lost = 0, dup = 0, stray = 0, ooo = 0, lastRecv = 0;
  for (const r of reps) { hist.merge(r.hist); unique += r.unique; lost += r.lost; dup += r.dup; stray += r.stray; ooo += r.outOfOrder; lastRecv = Math.max(lastRecv, r.lastRecv); }
  const spanMs = Math.max(lastRecv - s.firstTs, s.sendMs, 1);
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
  };
  log(`  fanout ${transport}: ${rc.connected} receivers x ${s.sent} msgs: ${res.deliveredPerSec} deliveries/s, latency p50 ${lat.p50} ` +
    `p99 ${lat.p99} max ${lat.max} ms, lost ${lost}, dup ${dup}, server CPU ${res.serverCpuMsPer1kDeliveries ?? "?"} ms/1k deliveries`);
  await sleep(1000);
  return res;
}

async function echoRun(o, transport, workers, durationS, measured, log) {
  const c = await connectGroup(workers, o, transport, "echo", o.echoClients);
  const parts = split(c.connected, workers.length);
  let base = 0;
  const bases = parts.map((p) => { const b = base; base += p; return b; });
  await sleep(200);
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
  await sleep(1000);
  return res;
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
      warmup: o.warmup, drain: o.drain },
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
      if (o.warmup > 0) {
        log(`warmup over ${t} (${o.warmup} s, unmeasured)`);
        await fanoutRun(o, t, workers, sender, o.warmup / 2, false, log);
        await echoRun(o, t, workers, o.warmup / 2, false, log);
      }
      log(`measuring over ${t}:`);
      for (const s of o.scenarios) {
        const res = s === "connect" ? await scenarioConnect(o, t, workers, log)
          : s === "fanout" ? await fanoutRun(o, t, workers, sender, o.duration, true, log)
          : await echoRun(o, t, workers, o.duration, true, log);
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
