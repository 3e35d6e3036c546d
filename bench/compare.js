#!/usr/bin/env node
// Puts loadgen JSON results side by side: node compare.js SWITCHBOARD.json REFERENCE.json [--md OUT.md] [--json OUT.json]
// Prints a markdown table: each figure for both servers, the ratio Switchboard/reference, and which way is better.
// Several rounds (run.sh --rounds N): comma-separated lists, round k of one server against round k of the other.
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

const median = (xs) => { const a = [...xs].sort((x, y) => x - y); const m = a.length >> 1; return a.length % 2 ? a[m] : (a[m - 1] + a[m]) / 2; };
const round2 = (v) => (v === null ? null : Math.round(v * 100) / 100);

/**
 * One figure over the rounds. Each server's value is the median of its rounds; the ratio is the median of the rounds'
 * own ratios (round k of one server against round k of the other: they ran minutes apart on the same machine), and
 * its range says how far a single run could have been off. A figure that is not a number shows each round's value.
 */
function combine(sbValues, refValues) {
  const nums = (vs) => vs.every((v) => typeof v === "number");
  const one = (vs) => (vs.length === 1 ? vs[0] : nums(vs) ? median(vs) : vs.map(fmt).join(" / "));
  const ratios = sbValues.map((a, i) => ratio(a, refValues[i])).filter((q) => q !== null);
  return {
    switchboard: one(sbValues), reference: one(refValues),
    ratio: ratios.length === sbValues.length && ratios.length ? round2(median(ratios)) : null,
    ratioMin: ratios.length > 1 ? round2(Math.min(...ratios)) : null, ratioMax: ratios.length > 1 ? round2(Math.max(...ratios)) : null,
  };
}

function main() {
  const args = process.argv.slice(2);
  const opt = (k) => { const i = args.indexOf(k); if (i < 0) return null; const v = args[i + 1]; args.splice(i, 2); return v; };
  const mdOut = opt("--md"), jsonOut = opt("--json");
  if (args.length !== 2) {
    console.error("usage: node compare.js SWITCHBOARD.json[,SWITCHBOARD-2.json...] REFERENCE.json[,REFERENCE-2.json...] [--md OUT.md] [--json OUT.json]");
    process.exit(2);
  }
  const sbs = args[0].split(",").map(load), refs = args[1].split(",").map(load);
  if (sbs.length !== refs.length) { console.error(`compare.js: ${sbs.length} Switchboard rounds against ${refs.length} reference rounds`); process.exit(2); }
  const rounds = sbs.length;
  const sb = sbs[0], ref = refs[0];
  const all = [...sbs, ...refs];
  const transports = [...new Set(all.flatMap((r) => r.params?.transports || []))];
  const scenarios = [...new Set(all.flatMap((r) => r.params?.scenarios || []))];
  const rows = [];
  for (const t of transports) for (const [s, name, f, better] of ROWS) {
    if (!scenarios.includes(s)) continue;
    const c = combine(sbs.map((r) => get(r, t, s, f)), refs.map((r) => get(r, t, s, f)));
    const warned = (res) => !!(res.results && res.results[t] && res.results[t][s] && (res.results[t][s].warnings || []).length);
    const count = (rs) => rs.filter(warned).length;
    const flag = (label, rs) => (!count(rs) ? null : rounds === 1 ? label : `${label} ${count(rs)}/${rounds}`);
    const flags = [flag("SB", sbs), flag("ref", refs)].filter(Boolean).join(", ");
    rows.push({ transport: t, scenario: s, metric: name, ...c, better, bottleneckWarning: flags });
  }
  const p = sb.params || ref.params || {};
  const lines = [];
  lines.push(`# Switchboard vs socket.io reference: chat benchmark`);
  lines.push("");
  if (rounds === 1) {
    lines.push(`- run: ${sb.startedAt || "?"} (Switchboard), ${ref.startedAt || "?"} (reference); Node ${sb.node || ref.node}, socket.io-client ${sb.clientVersion || ref.clientVersion}`);
  } else {
    lines.push(`- ${rounds} rounds, each server once per round, alternating which went first: ` +
      sbs.map((r, i) => `round ${i + 1} ${r.startedAt || "?"} (Switchboard), ${refs[i].startedAt || "?"} (reference)`).join("; ") +
      `; Node ${sb.node || ref.node}, socket.io-client ${sb.clientVersion || ref.clientVersion}`);
  }
  lines.push(`- parameters: connect ${p.clients} clients; fanout ${p.receivers} receivers, 1 sender at ${p.rate} msg/s for ${p.duration} s, ` +
    `filler ${p.filler} B; ${p.stepDuration ? `fanout-max ${p.receivers} receivers, rate from ${p.rate} msg/s x${p.stepFactor} per ${p.stepDuration} s step ` +
    `(at most ${p.maxSteps} steps, ${p.maxRate} msg/s${p.refine ? `, ${p.refine} refine steps` : ""}), sustained = deliveries >= 95% of offered, no loss, p99 <= ${p.maxP99} ms; ` : ""}echo ${p.echoClients} clients for ${p.duration} s, text ${p.echoText} B; ${p.workers} generator workers (+1 sender); warmup ${p.warmup} s of the same load before each scenario`);
  const loads = (rs) => rs.map((r) => fmt((r.machine?.loadAverageAtStart || [])[0])).join(", ");
  lines.push(`- machine: ${(sb.machine || ref.machine || {}).cores} cores shared by server and generator (and anything else running); ` +
    `load average at start ${loads(sbs)} (Switchboard run${rounds > 1 ? "s" : ""}), ${loads(refs)} (reference run${rounds > 1 ? "s" : ""})`);
  for (const [name, rs] of [["Switchboard", sbs], ["reference", refs]]) {
    const c = rs.map((r) => Object.entries(r.conformance || {}).map(([t, x]) => `${t} ${x.passed} passed, ${x.failed} failed`).join("; ") +
      (r.error ? ` — **${r.error}**` : ""));
    lines.push(`- conformance ${name}: ${[...new Set(c)].filter(Boolean).join(" | ") || "not run"}`);
  }
  lines.push("");
  if (rounds === 1) {
    lines.push("| transport | scenario | figure | Switchboard | reference | ratio SB/ref | better | bottleneck warning |");
    lines.push("| --- | --- | --- | ---: | ---: | ---: | --- | --- |");
    for (const r of rows) lines.push(`| ${r.transport} | ${r.scenario} | ${r.metric} | ${fmt(r.switchboard)} | ${fmt(r.reference)} | ${fmt(r.ratio)} | ${r.better} | ${r.bottleneckWarning} |`);
  } else {
    lines.push("| transport | scenario | figure | Switchboard (median) | reference (median) | ratio SB/ref (median of rounds) | ratio range | better | bottleneck warning |");
    lines.push("| --- | --- | --- | ---: | ---: | ---: | ---: | --- | --- |");
    for (const r of rows) {
      const range = r.ratioMin === null ? "–" : `${fmt(r.ratioMin)}-${fmt(r.ratioMax)}`;
      lines.push(`| ${r.transport} | ${r.scenario} | ${r.metric} | ${fmt(r.switchboard)} | ${fmt(r.reference)} | ${fmt(r.ratio)} | ${range} | ${r.better} | ${r.bottleneckWarning} |`);
    }
  }
  lines.push("");
  if (scenarios.includes("fanout-max")) {
    lines.push("fanout-max: the figures of the highest sender rate each server sustained, then the next rate tried and whether the generator (a worker's CPU or event-loop lag, or the sender falling behind its rate) was saturated there. " +
      "With \"yes\" the sustained rate is a lower bound for that server, not its ceiling. The rates are steps (x the step factor), so the ratio of sustained rates is too: use --step-factor 1.2 or --refine N for a finer one.");
    lines.push("");
  }
  lines.push("Ratio above 1 favours Switchboard where higher is better, below 1 where lower is better; 0/0 shows as 1. – means not measured (or no /proc access). \"bottleneck warning\" names the server runs (SB, ref) whose generator or machine was saturated in that scenario: see below." +
    (rounds > 1 ? " With several rounds each server's figure is the median of its rounds, the ratio the median of the rounds' ratios (round k against round k), and the range the lowest and highest of those ratios." : ""));
  for (const [name, rs] of [["Switchboard", sbs], ["reference", refs]]) {
    rs.forEach((r, i) => {
      if (r.warnings && r.warnings.length) {
        lines.push("");
        lines.push(`Bottleneck warnings during the ${name} run${rounds > 1 ? ` of round ${i + 1}` : ""} (these figures may measure the generator or the shared machine, not the server):`);
        for (const w of r.warnings) lines.push(`- ${w}`);
      }
    });
  }
  const md = lines.join("\n") + "\n";
  process.stdout.write(md);
  if (mdOut) fs.writeFileSync(mdOut, md);
  if (jsonOut) {
    fs.writeFileSync(jsonOut, JSON.stringify(rounds === 1 ? { params: p, rows, switchboard: sb, reference: ref }
      : { params: p, rounds, rows, switchboard: sbs, reference: refs }, null, 2) + "\n");
  }
}
main();
