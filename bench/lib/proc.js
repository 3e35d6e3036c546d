// Readings of another process (the server) and of the machine from /proc.
"use strict";
const fs = require("node:fs");
const { execFileSync } = require("node:child_process");

let clkTck = null;
function clockTicks() {
  if (clkTck === null) {
    try { clkTck = Number(execFileSync("getconf", ["CLK_TCK"]).toString().trim()) || 100; } catch { clkTck = 100; }
  }
  return clkTck;
}

/** utime+stime of a process in seconds (fields 14 and 15 of /proc/<pid>/stat, after the command name). */
function cpuSeconds(pid) {
  const s = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  const f = s.slice(s.lastIndexOf(")") + 2).split(" "); // f[0] is field 3 (state)
  return (Number(f[11]) + Number(f[12])) / clockTicks();
}

/**
 * CPU seconds of a process's threads, summed by thread name with digits folded ("G1 Conc#0", "C2 CompilerThre",
 * "http-listener-kernel(#)"): where a server's CPU went (its I/O threads, GC, the JIT). Threads that end between two
 * readings drop out of the difference; the whole-process figure (cpuSeconds) stays the reference.
 */
function threadCpuSeconds(pid) {
  const out = {};
  for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
    try {
      const s = fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, "utf8");
      const name = s.slice(s.indexOf("(") + 1, s.lastIndexOf(")")).replace(/[0-9]+/g, "#");
      const f = s.slice(s.lastIndexOf(")") + 2).split(" ");
      out[name] = (out[name] || 0) + (Number(f[11]) + Number(f[12])) / clockTicks();
    } catch { /* the thread ended */ }
  }
  return out;
}

/** VmRSS of a process in KiB. */
function rssKiB(pid) {
  const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) : null;
}

function threads(pid) {
  const m = /^Threads:\s+(\d+)/m.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) : null;
}

/** Machine-wide jiffies: {busy, total} from the first line of /proc/stat. */
function machineJiffies() {
  const f = fs.readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).slice(1).map(Number);
  const idle = f[3] + (f[4] || 0); // idle + iowait
  const total = f.slice(0, 8).reduce((a, b) => a + b, 0); // without guest fields (already in user)
  return { busy: total - idle, total };
}

function alive(pid) {
  try { process.kill(pid, 0); return true; } catch { return false; }
}

function loadAverage() {
  try { return fs.readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).map(Number); } catch { return null; }
}

module.exports = { clockTicks, cpuSeconds, threadCpuSeconds, rssKiB, threads, machineJiffies, alive, loadAverage };
