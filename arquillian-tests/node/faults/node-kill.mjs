// Acknowledged chat messages across a SIGKILL of the server (driven by NodeKillIT, which kills and restarts it).
// CLIENTS clients (half websocket, half polling) each send chat_message to `general` one after another, each with a
// fresh message_id, resending the same message_id until it is acknowledged (what socket.io-client's `retries` does;
// the server dedups). Every ack is printed as "ACKED <n>" so the test knows when to kill. Clients reconnect by
// themselves; once every client has seen its connection drop, reconnected, and had AFTER more messages
// acknowledged, the history (REST, all pages) must hold every acknowledged message exactly once, with the id the ack
// gave. Prints "RESULT {...}" and exits 0 on success, 1 otherwise.
import { io } from "socket.io-client";
import { randomUUID } from "node:crypto";
import { BASE, api, sleep, token, unique } from "../chat/helpers.mjs";

const CLIENTS = Number(process.env.CLIENTS || 4);
const AFTER = Number(process.env.AFTER || 5);
const DEADLINE = Date.now() + Number(process.env.DEADLINE_MS || 240_000);
const ROOM = "general";
const acked = new Map(); // message_id -> the ack (the stored message)
let ackCount = 0;

function fail(message) {
  console.log(`RESULT ${JSON.stringify({ ok: false, error: message, acked: acked.size })}`);
  process.exit(1);
}

async function runClient(i, tok, user) {
  const transports = i % 2 === 0 ? ["websocket"] : ["polling"];
  const socket = io(BASE, {
    forceNew: true, transports, auth: { token: tok }, timeout: 5_000,
    reconnectionDelay: 300, reconnectionDelayMax: 1_000, randomizationFactor: 0,
  });
  const state = { drops: 0, reconnected: false, sent: 0, after: 0 };
  socket.on("disconnect", (reason) => { state.drops++; console.log(`${user} (${transports}) disconnected: ${reason}`); });
  socket.on("connect", () => { if (state.drops > 0 && !state.reconnected) { state.reconnected = true; console.log(`${user} reconnected`); } });
  socket.on("connect_error", (err) => console.log(`${user} connect_error: ${err.message}`));
  while (state.after < AFTER) {
    const message_id = randomUUID();
    const text = `${user} #${state.sent++}`;
    for (;;) {
      if (Date.now() > DEADLINE) fail(`${user}: out of time (drops ${state.drops}, reconnected ${state.reconnected}, after ${state.after})`);
      if (!socket.connected) { await sleep(100); continue; } // the same message_id goes again once reconnected
      let ack;
      try {
        ack = await socket.timeout(3_000).emitWithAck("chat_message", { room: ROOM, text, message_id });
      } catch {
        continue; // no ack (connection lost mid-flight): resend the same message_id
      }
      if (ack?.error) {
        if (["RATE_LIMITED", "STORAGE_UNAVAILABLE"].includes(ack.error.code)) { await sleep(200); continue; }
        fail(`${user}: refused ${JSON.stringify(ack.error)}`);
      }
      if (ack?.message_id !== message_id || ack?.text !== text) fail(`${user}: odd ack ${JSON.stringify(ack)}`);
      acked.set(message_id, ack);
      console.log(`ACKED ${++ackCount}`);
      if (state.reconnected) state.after++;
      break;
    }
    await sleep(40);
  }
  socket.disconnect();
  return state;
}

const users = Array.from({ length: CLIENTS }, (_, i) => unique(`kill${i}`));
const tokens = await Promise.all(users.map((u) => token(u)));
const states = await Promise.all(users.map((u, i) => runClient(i, tokens[i], u)));

// the whole history of the room, oldest page last
const reader = await token(unique("reader"));
const seen = new Map(); // message_id -> [ids]
let before;
for (;;) {
  const q = before === undefined ? "" : `&before=${before}`;
  let res = await api("GET", `/api/rooms/${ROOM}/messages?limit=100${q}`, { token: reader });
  // paging fast through thousands of messages goes over the per-user REST limit: wait as told, like a client
  while (res.status === 429) {
    await sleep((res.json?.retry_after_ms ?? 1000) + 10);
    res = await api("GET", `/api/rooms/${ROOM}/messages?limit=100${q}`, { token: reader });
  }
  if (res.status !== 200) fail(`history: ${res.status} ${res.text}`);
  for (const m of res.json.messages) {
    if (m.message_id) seen.set(m.message_id, [...(seen.get(m.message_id) || []), m.id]);
  }
  if (res.json.next_before == null) break;
  before = res.json.next_before;
}

const missing = [];
const duplicated = [];
const renumbered = [];
for (const [id, ack] of acked) {
  const ids = seen.get(id) || [];
  if (ids.length === 0) missing.push(id);
  else if (ids.length > 1) duplicated.push(id);
  else if (ids[0] !== ack.id) renumbered.push(`${id}: ack ${ack.id}, history ${ids[0]}`);
}
for (const [id, ids] of seen) if (ids.length > 1 && !duplicated.includes(id)) duplicated.push(id);
const summary = {
  ok: missing.length === 0 && duplicated.length === 0 && renumbered.length === 0
    && states.every((s) => s.drops > 0 && s.reconnected),
  acked: acked.size, stored: seen.size, missing, duplicated, renumbered,
  clients: states.map((s, i) => ({ user: users[i], transport: i % 2 === 0 ? "websocket" : "polling", ...s })),
};
console.log(`RESULT ${JSON.stringify(summary)}`);
process.exit(summary.ok ? 0 : 1);
