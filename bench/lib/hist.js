// A small log-linear latency histogram (milliseconds): 0.01 ms steps below 10 ms, 0.1 ms below 100 ms,
// 1 ms below 1 s, 10 ms below 60 s, one overflow bucket above. Relative error of a percentile <= 1 %.
// Histograms merge by adding counts, so worker processes send them (not raw samples) over IPC.
"use strict";

const B1 = 1000, B2 = B1 + 900, B3 = B2 + 900, B4 = B3 + 5900, SIZE = B4 + 1;

function bucketOf(v) {
  if (!(v > 0)) return 0;
  if (v < 10) return Math.floor(v * 100);
  if (v < 100) return B1 + Math.floor((v - 10) * 10);
  if (v < 1000) return B2 + Math.floor(v - 100);
  if (v < 60000) return B3 + Math.floor((v - 1000) / 10);
  return B4;
}
function valueOf(i) { // upper edge of bucket i
  if (i < B1) return (i + 1) / 100;
  if (i < B2) return 10 + (i - B1 + 1) / 10;
  if (i < B3) return 100 + (i - B2 + 1);
  if (i < B4) return 1000 + (i - B3 + 1) * 10;
  return Infinity;
}

class Hist {
  constructor() { this.counts = new Float64Array(SIZE); this.n = 0; this.sum = 0; this.max = 0; this.min = Infinity; this.negative = 0; }
  add(v) {
    if (v < 0) this.negative++; // clock disagreement; counted, recorded as 0
    const x = v < 0 ? 0 : v;
    this.counts[bucketOf(x)]++; this.n++; this.sum += x;
    if (x > this.max) this.max = x;
    if (x < this.min) this.min = x;
  }
  merge(o) {
    const other = o instanceof Hist ? o : Hist.fromJSON(o);
    for (let i = 0; i < SIZE; i++) this.counts[i] += other.counts[i];
    this.n += other.n; this.sum += other.sum; this.negative += other.negative;
    if (other.max > this.max) this.max = other.max;
    if (other.min < this.min) this.min = other.min;
    return this;
  }
  percentile(p) {
    if (this.n === 0) return null;
    const rank = Math.ceil((p / 100) * this.n);
    let acc = 0;
    for (let i = 0; i < SIZE; i++) {
      acc += this.counts[i];
      if (acc >= rank) return Math.min(valueOf(i), this.max);
    }
    return this.max;
  }
  summary() {
    if (this.n === 0) return { n: 0 };
    const r = (x) => Math.round(x * 1000) / 1000;
    return { n: this.n, min: r(this.min), mean: r(this.sum / this.n), p50: r(this.percentile(50)), p90: r(this.percentile(90)),
      p99: r(this.percentile(99)), p999: r(this.percentile(99.9)), max: r(this.max), negative: this.negative };
  }
  toJSON() { // sparse
    const idx = [], cnt = [];
    for (let i = 0; i < SIZE; i++) if (this.counts[i]) { idx.push(i); cnt.push(this.counts[i]); }
    return { idx, cnt, n: this.n, sum: this.sum, max: this.max, min: this.min, negative: this.negative };
  }
  static fromJSON(j) {
    const h = new Hist();
    for (let k = 0; k < j.idx.length; k++) h.counts[j.idx[k]] = j.cnt[k];
    h.n = j.n; h.sum = j.sum; h.max = j.max; h.min = j.min === null ? Infinity : j.min; h.negative = j.negative || 0;
    return h;
  }
}
module.exports = { Hist };
