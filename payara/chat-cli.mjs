#!/usr/bin/env node
// A terminal chat client for Switchboard (Node 20+, socket.io-client 4). Chat from two terminals:
//
//   npm install --prefix /tmp/sb-cli socket.io-client@4      # once
//   node payara/chat-cli.mjs alice                             # terminal 1
//   node payara/chat-cli.mjs bob                               # terminal 2
//
// It asks the development token issuer (POST /api/dev/token) for a token, connects, prints what the room says, and
// sends each line you type to the current room ("general" unless --room). Commands: /join ROOM, /leave ROOM,
// /room ROOM (switch the room lines go to), /history, /quit. Options: --url URL (default $SWITCHBOARD_URL or
// http://localhost:8080), --room ROOM, --admin (ask for the admin group), --ttl SECONDS (token lifetime; the client
// fetches a new token and reconnects when it expires), --token JWT (use this token instead of the dev issuer).
// socket.io-client is looked up in $SWITCHBOARD_CLI_MODULES, /tmp/sb-cli, arquillian-tests/node, then the current
// folder. Lines can be piped in: (sleep 2; echo hello) | node payara/chat-cli.mjs alice
import { createRequire } from "node:module";
import { randomUUID } from "node:crypto";
import { createInterface } from "node:readline";
import path from "node:path";
import { fileURLToPath } from "node:url";

const usage = "usage: node payara/chat-cli.mjs USER [--url URL] [--room ROOM] [--admin] [--ttl SECONDS] [--token JWT]";
const opts = { url: process.env.SWITCHBOARD_URL || "http://localhost:8080", room: "general", groups: [] };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  const value = () => { if (i + 1 >= argv.length) fail(`${a} needs a value`); return argv[++i]; };
  if (a === "--url") opts.url = value();
  else if (a === "--room") opts.room = value();
  else if (a === "--admin") opts.groups.push("admin");
  else if (a === "--ttl") opts.ttl = Number(value());
  else if (a === "--token") opts.token = value();
  else if (a === "-h" || a === "--help") { console.log(usage); process.exit(0); }
  else if (a.startsWith("-")) fail(`unknown option ${a}`);
  else if (!opts.user) opts.user = a;
  else fail(`unexpected argument ${a}`);
}
if (!opts.user && !opts.token) fail(usage);
opts.url = opts.url.replace(/\/+$/, "");

function fail(message) {
  console.error(message);
  process.exit(2);
}

function loadSocketIo() {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const dirs = [process.env.SWITCHBOARD_CLI_MODULES, "/tmp/sb-cli", path.join(here, "../arquillian-tests/node"),
    process.cwd()].filter(Boolean);
  for (const dir of dirs) {
    try {
      return createRequire(path.join(path.resolve(dir), "package.json"))("socket.io-client");
    } catch { /* next */ }
  }
  fail(`socket.io-client not found (looked in ${dirs.join(", ")}).\n`
    + "Install it once: npm install --prefix /tmp/sb-cli socket.io-client@4");
}

async function devToken() {
  if (opts.token) return opts.token;
  const body = { user: opts.user, groups: opts.groups };
  if (opts.ttl) body.ttl_seconds = opts.ttl;
  let res;
  try {
    res = await fetch(`${opts.url}/api/dev/token`, {
      method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
  } catch (e) {
    fail(`cannot reach ${opts.url}: ${e.cause?.code || e.message}`);
  }
  const reply = await res.json().catch(() => ({}));
  if (res.status === 404) fail("the server's development token issuer is off (production profile): pass --token JWT");
  if (!res.ok || !reply.token) fail(`dev token refused: ${res.status} ${reply.detail || ""}`);
  return reply.token;
}

const { io } = loadSocketIo();
const time = (ms) => new Date(ms ?? Date.now()).toLocaleTimeString();
const say = (line) => console.log(line);
let room = opts.room;
let expired = false;

// auth as a function: every (re)connection fetches a fresh token, so a reconnect after TOKEN_EXPIRED just works.
const socket = io(opts.url, {
  auth: (cb) => devToken().then((token) => cb({ token })),
  ackTimeout: 10_000,
  retries: 3, // resends carry the same message_id, so the server stores them once
});

socket.on("connect", () => say(`* connected to ${opts.url} as ${opts.user ?? "(token)"}; talking in #${room}`));
socket.on("connect_error", (err) => {
  say(`! cannot connect: ${err.message}${err.data?.code ? ` (${err.data.code})` : ""}`);
  if (err.data?.code === "UNAUTHORIZED") process.exit(1);
});
socket.on("disconnect", (reason) => {
  say(`* disconnected: ${reason}`);
  if (reason === "io server disconnect" && expired) { // the token expired: reconnect with a new one
    expired = false;
    socket.connect();
  }
});
socket.on("new_message", (m) => say(`[${time(m.timestamp)}] #${m.room} ${m.user_id}: ${m.text}`));
socket.on("user_joined", (e) => say(`* ${e.user_id} joined #${e.room}`));
socket.on("user_left", (e) => say(`* ${e.user_id} left #${e.room}`));
socket.on("typing", (e) => { if (process.stdout.isTTY) say(`* ${e.user_id} is typing in #${e.room}`); });
socket.on("message_deleted", (e) => say(`* message ${e.id} in #${e.room} was deleted`));
socket.on("alert", (a) => say(`!! ALERT from ${a.from}: ${a.message}`));
socket.on("error", (e) => {
  if (e?.code === "TOKEN_EXPIRED") { expired = true; say("* token expired, getting a new one"); return; }
  say(`! ${e?.code}: ${e?.message}${e?.retry_after_ms ? ` (retry after ${e.retry_after_ms} ms)` : ""}`);
});

async function request(event, payload) {
  try {
    const reply = await socket.emitWithAck(event, payload);
    return reply?.error ? null : reply; // refusals are printed by the "error" handler
  } catch (e) {
    say(`! ${event}: no answer (${e.message})`);
    return null;
  }
}

async function handle(line) {
  const text = line.trim();
  if (!text) return;
  const [command, arg] = text.split(/\s+/, 2);
  switch (command) {
    case "/quit": return "quit";
    case "/room": if (arg) { room = arg; say(`* talking in #${room}`); } return;
    case "/join": if (arg && await request("join", { room: arg })) { room = arg; say(`* joined #${arg}`); } return;
    case "/leave": if (arg && await request("leave", { room: arg })) say(`* left #${arg}`); return;
    case "/history": {
      const page = await request("history", { room, limit: 20 });
      for (const m of (page?.messages ?? []).reverse()) say(`  [${time(m.timestamp)}] ${m.user_id}: ${m.text}`);
      return;
    }
    default: {
      const stored = await request("chat_message", { room, text, message_id: randomUUID() });
      if (stored) say(`[${time(stored.timestamp)}] #${stored.room} ${stored.user_id} (you): ${stored.text}`);
    }
  }
}

// Lines are handled one at a time, in order; the first line waits for the connection.
const lines = createInterface({ input: process.stdin, terminal: false });
let queue = new Promise((resolve) => socket.once("connect", resolve));
let quitting = false;
const quit = () => {
  if (quitting) return;
  quitting = true;
  queue.finally(() => { socket.disconnect(); process.exit(0); });
};
lines.on("line", (line) => {
  queue = queue.then(() => handle(line)).then((r) => { if (r === "quit") quit(); });
});
lines.on("close", quit);
process.on("SIGINT", quit);
