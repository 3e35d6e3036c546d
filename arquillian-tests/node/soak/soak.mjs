// A bounded soak (driven by SoakIT): WORKERS workers for SOAK_SECONDS, each in a loop connecting a fresh
// socket.io-client (websocket, polling, or polling upgraded to websocket, in turn), joining one of ROOMS rooms,
// sending MESSAGES acknowledged chat messages (fresh message_id each; on a missing ack the same message_id again),
// receiving the others' new_message broadcasts, and disconnecting. At the end the REST history of every room must
// hold each acknowledged message exactly once, and no client may have received one broadcast twice.
// Prints "PROGRESS ..." every 10 s and "RESULT {...}"; exits 0 on success, 1 otherwise.
import { io } from "socket.io-client";
import { randomUUID } from "node:crypto";
import { BASE, api, sleep, token, unique } from "../chat/helpers.mjs";

const SECONDS = Number(process.env.SOAK_SECONDS || 60);
const WORKERS = Number(process.env.WORKERS || 12);
const ROOMS = Number(process.env.ROOMS || 3);
const MESSAGES = Number(process.env.MESSAGES || 3);
const MODES = [["websocket"], ["polling"], ["polling", "websocket"]];
const run = unique("soak");
const rooms = Array.from({ length: ROOMS }, (_, i) => `${run}-${i}`);
const end = Date.now() + SECONDS * 1000;
const acked = new Map(); // message_id -> { room, id }
const stats = { sessions: 0, connectErrors: 0, retries: 0, duplicateBroadcasts: 0, received: 0, byMode: {} };
const errors = []; // rounds cut short: a lost connection (e.g. a missed heartbeat on a loaded machine), a refusal
const connectErrorSamples = [];

function connect(tok, transports) {
  return new Promise((resolve, reject) => {
    const s = io(BASE, { forceNew: true, reconnection: false, transports, auth: { token: tok }, timeout: 10_000 });
    const t = setTimeout(() => { s.disconnect(); reject(new Error("connect timeout")); }, 15_000);
    s.once("connect", () => { clearTimeout(t); resolve(s); });
    s.once("connect_error", (e) => { clearTimeout(t); s.disconnect(); reject(e); });
  });
}

async function worker(w) {
  const user = unique(`soak${w}`);
  let tok = await token(user);
  for (let round = 0; Date.now() < end; round++) {
    const transports = MODES[(w + round) % MODES.length];
    const mode = transports.join("+");
    const room = rooms[(w + round) % rooms.length];
    let s;
    try {
      s = await connect(tok, transports);
    } catch (e) {
      stats.connectErrors++;
      if (connectErrorSamples.length < 5) connectErrorSamples.push(`${mode}: ${e.message}`);
      if (e.data?.code === "TOKEN_EXPIRED") tok = await token(user);
      await sleep(200);
      continue;
    }
    stats.sessions++;
    stats.byMode[mode] = (stats.byMode[mode] || 0) + 1;
    const seen = new Set();
    s.on("new_message", (m) => {
      if (m.room !== room) return;
      stats.received++;
      if (seen.has(m.id)) stats.duplicateBroadcasts++;
      seen.add(m.id);
    });
    try {
      const joined = await s.timeout(10_000).emitWithAck("join", { room });
      if (!joined?.ok) throw new Error(`join: ${JSON.stringify(joined)}`);
      for (let k = 0; k < MESSAGES; k++) {
        const message_id = randomUUID();
        const text = `${user} r${round} m${k}`;
        for (let attempt = 0; ; attempt++) {
          let ack;
          try {
            ack = await s.timeout(10_000).emitWithAck("chat_message", { room, text, message_id });
          } catch (e) {
            if (!s.connected || attempt >= 3) throw new Error(`${user}: no ack for ${message_id} (${e.message})`);
            stats.retries++;
            continue;
          }
          if (ack?.error) {
            if (ack.error.code === "RATE_LIMITED") { await sleep(ack.error.retry_after_ms || 200); continue; }
            throw new Error(`${user}: refused ${JSON.stringify(ack.error)}`);
          }
          acked.set(message_id, { room, id: ack.id });
          break;
        }
      }
      await sleep(Math.floor(Math.random() * 300));
    } catch (e) {
      errors.push(`${mode}: ${e.message}`);
    } finally {
      s.disconnect();
    }
  }
}

const progress = setInterval(() => console.log(`PROGRESS ${JSON.stringify({ acked: acked.size, ...stats })}`), 10_000);
await Promise.all(Array.from({ length: WORKERS }, (_, w) => worker(w)));
clearInterval(progress);

const reader = await token(unique("reader"));
const stored = new Map(); // message_id -> [ids]
for (const room of rooms) {
  let before;
  for (;;) {
    const q = before === undefined ? "" : `&before=${before}`;
    let res = await api("GET", `/api/rooms/${room}/messages?limit=100${q}`, { token: reader });
    // paging fast through thousands of messages goes over the per-user REST limit: wait as told, like a client
    while (res.status === 429) {
      await sleep((res.json?.retry_after_ms ?? 1000) + 10);
      res = await api("GET", `/api/rooms/${room}/messages?limit=100${q}`, { token: reader });
    }
    if (res.status === 404) break; // nobody got to this room
    if (res.status !== 200) { errors.push(`history ${room}: ${res.status} ${res.text}`); break; }
    for (const m of res.json.messages) {
      if (m.message_id) stored.set(m.message_id, [...(stored.get(m.message_id) || []), m.id]);
    }
    if (res.json.next_before == null) break;
    before = res.json.next_before;
  }
}
const missing = [...acked].filter(([id]) => !stored.has(id)).map(([id]) => id);
const duplicated = [...stored].filter(([, ids]) => ids.length > 1).map(([id]) => id);
// Loss and duplication are never tolerated; cut-short rounds and failed connects (a loaded machine) up to 20%.
const attempts = stats.sessions + stats.connectErrors;
const summary = {
  ok: missing.length === 0 && duplicated.length === 0 && stats.duplicateBroadcasts === 0 && acked.size > 0
    && errors.length <= 0.2 * stats.sessions && stats.connectErrors <= 0.2 * attempts,
  seconds: SECONDS, workers: WORKERS, acked: acked.size, stored: stored.size, missing: missing.slice(0, 20),
  duplicated: duplicated.slice(0, 20), errors: errors.slice(0, 20), connectErrorSamples, ...stats,
};
console.log(`RESULT ${JSON.stringify(summary)}`);
process.exit(summary.ok ? 0 : 1);
