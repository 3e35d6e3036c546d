#!/usr/bin/env node
// Puts two loadgen JSON results side by side: node compare.js SWITCHBOARD.json REFERENCE.json [--md OUT.md] [--json OUT.json]
// Prints a markdown table: each figure for both servers, the ratio Switchboard/reference, and which way is better.
"use strict";
const fs = require("node:fs");

const ROWS = [
  ["connect", "total time to connect all clients (ms)", (r) => r.totalMs, "lower"],
  ["connect", "connect latency p50 (ms)", (r) => r.latencyMs.p50, "lower"],
  ["connect", "connect latency p99 (ms)", (r) => r.latencyMs.p99, "lower"],
  ["connect", "failed connects", (r) => r.failures + (r.droppedAfterConnect || 0), "lower"],
  ["connect", "server RSS added per connection (KiB)", (r) => r.serverRssKiBPerConnection, "lower"],
  ["fanout", "delivered messages/s", (r) => r.deliveredPerSec, "higher"],
  ["fanout", "delivery latency p50 (ms)", (r) => r.latencyMs.p50, "lower"],
  ["fanout", "delivery latency p99 (ms)", (r) => r.latencyMs.p99, "lower"],
  ["fanout", "delivery latency max (ms)", (r) => r.latencyMs.max, "lower"],
  ["fanout", "lost deliveries", (r) => r.lost, "lower"],
  ["fanout", "duplicate deliveries", (r) => r.duplicates, "lower"],
  ["fanout", "server CPU per 1,000 deliveries (ms)", (r) => r.serverCpuMsPer1kDeliveries, "lower"],
  ["fanout-max", "highest sustained sender rate (msg/s)", (r) => r.sustainedRate, "higher"],
  ["fanout-max", "deliveries/s at that rate", (r) => r.sustained.deliveredPerSec, "higher"],
  ["fanout-max", "delivery latency p50 at that rate (ms)", (r) => r.sustained.latencyMs.p50, "lower"],
  ["fanout-max", "delivery latency p99 at that rate (ms)", (r) => r.sustained.latencyMs.p99, "lower"],
  ["fanout-max", "server CPU per 1,000 deliveries at that rate (ms)", (r) => r.sustained.serverCpuMsPer1kDeliveries, "lower"],
  ["fanout-max", "first rate not sustained (msg/s)", (r) => (r.saturated ? r.steps.filter((x) => !x.sustained).reduce((a, x) => Math.min(a, x.rate), Infinity) : "none"), "higher"],
  ["fanout-max", "generator saturated at that rate", (r) => (!r.saturated ? "–" : r.generatorBottleneckAtStop ? "yes" : r.machineBusyAtStop ? "no (machine busy)" : "no"), "no"],
  ["echo", "acks/s", (r) => r.acksPerSec, "higher"],
  ["echo", "RTT p50 (ms)", (r) => r.rttMs.p50, "lower"],
  ["echo", "RTT p99 (ms)", (r) => r.rttMs.p99, "lower"],
  ["echo", "errors + mismatches", (r) => r.errors + r.mismatches, "lower"],
  ["echo", "server CPU per 1,000 acks (ms)", (r) => r.serverCpuMsPer1kAcks, "lower"],
];

function load(file) {
  try { return JSON.parse(fs.readFileSync(file, "utf8")); } catch (e) { return { error: `cannot read ${file}: ${e.message}`, results: {}, conformance: {}, warnings: [] }; }
}
const fmt = (v) => (v === null || v === undefined ? "–" : typeof v === "number" ? (Number.isInteger(v) ? String(v) : String(Math.round(v * 100) / 100)) : String(v));
function ratio(a, b) {
  if (typeof a !== "number" || typeof b !== "number") return null;
  if (b === 0) return a === 0 ? 1 : null;
  return a / b;
}
function get(res, t, s, f) {
  const r = res.results && res.results[t] && res.results[t][s];
  if (!r) return null;
  try { const v = f(r); return v === undefined ? null : v; } catch { return null; }
}

function main() {
  const args = process.argv.slice(2);
  const opt = (k) => { const i = args.indexOf(k); if (i < 0) return null; const v = args[i + 1]; args.splice(i, 2); return v; };
  const mdOut = opt("--md"), jsonOut = opt("--json");
  if (args.length !== 2) { console.error("usage: node compare.js SWITCHBOARD.json REFERENCE.json [--md OUT.md] [--json OUT.json]"); process.exit(2); }
  const sb = load(args[0]), ref = load(args[1]);
  const transports = [...new Set([...(sb.params?.transports || []), ...(ref.params?.transports || [])])];
  const scenarios = [...new Set([...(sb.params?.scenarios || []), ...(ref.params?.scenarios || [])])];
  const rows = [];
  for (const t of transports) for (const [s, name, f, better] of ROWS) {
    if (!scenarios.includes(s)) continue;
    const a = get(sb, t, s, f), b = get(ref, t, s, f);
    const q = ratio(a, b);
    const warned = (res) => !!(res.results && res.results[t] && res.results[t][s] && (res.results[t][s].warnings || []).length);
    const flags = [warned(sb) ? "SB" : null, warned(ref) ? "ref" : null].filter(Boolean).join(", ");
    rows.push({ transport: t, scenario: s, metric: name, switchboard: a, reference: b, ratio: q === null ? null : Math.round(q * 100) / 100, better, bottleneckWarning: flags });
  }
  const p = sb.params || ref.params || {};
  const lines = [];
  lines.push(`# Switchboard vs socket.io reference: chat benchmark`);
  lines.push("");
  lines.push(`- run: ${sb.startedAt || "?"} (Switchboard), ${ref.startedAt || "?"} (reference); Node ${sb.node || ref.node}, socket.io-client ${sb.clientVersion || ref.clientVersion}`);
  lines.push(`- parameters: connect ${p.clients} clients; fanout ${p.receivers} receivers, 1 sender at ${p.rate} msg/s for ${p.duration} s, ` +
    `filler ${p.filler} B; ${p.stepDuration ? `fanout-max ${p.receivers} receivers, rate from ${p.rate} msg/s x${p.stepFactor} per ${p.stepDuration} s step ` +
    `(at most ${p.maxSteps} steps, ${p.maxRate} msg/s${p.refine ? `, ${p.refine} refine steps` : ""}), sustained = deliveries >= 95% of offered, no loss, p99 <= ${p.maxP99} ms; ` : ""}echo ${p.echoClients} clients for ${p.duration} s, text ${p.echoText} B; ${p.workers} generator workers (+1 sender); warmup ${p.warmup} s per transport`);
  lines.push(`- machine: ${(sb.machine || ref.machine || {}).cores} cores shared by server and generator (and anything else running); ` +
    `load average at start ${fmt((sb.machine?.loadAverageAtStart || [])[0])} (Switchboard run), ${fmt((ref.machine?.loadAverageAtStart || [])[0])} (reference run)`);
  for (const [name, r] of [["Switchboard", sb], ["reference", ref]]) {
    const c = Object.entries(r.conformance || {}).map(([t, x]) => `${t} ${x.passed} passed, ${x.failed} failed`).join("; ");
    lines.push(`- conformance ${name}: ${c || "not run"}${r.error ? ` — **${r.error}**` : ""}`);
  }
  lines.push("");
  lines.push("| transport | scenario | figure | Switchboard | reference | ratio SB/ref | better | bottleneck warning |");
  lines.push("| --- | --- | --- | ---: | ---: | ---: | --- | --- |");
  for (const r of rows) lines.push(`| ${r.transport} | ${r.scenario} | ${r.metric} | ${fmt(r.switchboard)} | ${fmt(r.reference)} | ${fmt(r.ratio)} | ${r.better} | ${r.bottleneckWarning} |`);
  lines.push("");
  if (scenarios.includes("fanout-max")) {
    lines.push("fanout-max: the figures of the highest sender rate each server sustained, then the next rate tried and whether the generator (a worker's CPU or event-loop lag, or the sender falling behind its rate) was saturated there. " +
      "With \"yes\" the sustained rate is a lower bound for that server, not its ceiling. The rates are steps (x the step factor), so the ratio of sustained rates is too: use --step-factor 1.2 or --refine N for a finer one.");
    lines.push("");
  }
  lines.push("Ratio above 1 favours Switchboard where higher is better, below 1 where lower is better; 0/0 shows as 1. – means not measured (or no /proc access). \"bottleneck warning\" names the server runs (SB, ref) whose generator or machine was saturated in that scenario: see below.");
  for (const [name, r] of [["Switchboard", sb], ["reference", ref]]) {
    if (r.warnings && r.warnings.length) {
      lines.push("");
      lines.push(`Bottleneck warnings during the ${name} run (these figures may measure the generator or the shared machine, not the server):`);
      for (const w of r.warnings) lines.push(`- ${w}`);
    }
  }
  const md = lines.join("\n") + "\n";
  process.stdout.write(md);
  if (mdOut) fs.writeFileSync(mdOut, md);
  if (jsonOut) fs.writeFileSync(jsonOut, JSON.stringify({ params: p, rows, switchboard: sb, reference: ref }, null, 2) + "\n");
}
main();
