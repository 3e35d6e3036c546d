// The chat across two nodes (ClusterChatIT): presence, dedup of a retry on the other node, and the per-user rate
// limit across nodes. SWITCHBOARD_URLS lists the nodes; RATE_SCOPE=user when the run counts messages per user.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { io } from "socket.io-client";
import { randomUUID } from "node:crypto";

const URLS = (process.env.SWITCHBOARD_URLS || "http://127.0.0.1:8080,http://127.0.0.1:8081").split(",")
  .map((u) => u.replace(/\/+$/, ""));
const [A, B] = URLS;
const unique = (p) => `${p}-${randomUUID().slice(0, 8)}`;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
// Generous: a 2-core machine shared by several builds.
const WAIT = 10_000;
const QUIET = 1_500;

async function api(base, method, path, { token, body } = {}) {
  const headers = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(20_000) });
  const text = await res.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
  return { status: res.status, json, text };
}

async function token(user, groups = []) {
  const res = await api(A, "POST", "/api/dev/token", { body: { user, groups } });
  if (res.status !== 200) throw new Error(`dev token: ${res.status} ${res.text}`);
  return res.json.token;
}

const open = new Set();
after(() => { for (const s of open) s.disconnect(); });

/** A socket on the given node (WebSocket only: no balancer in front, no stickiness needed). */
async function login(base, user, tok) {
  const s = io(base, { forceNew: true, reconnection: false, transports: ["websocket"], timeout: WAIT,
    ackTimeout: WAIT, auth: { token: tok || await token(user) } });
  open.add(s);
  await new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`connect to ${base} timed out`)), WAIT);
    s.once("connect", () => { clearTimeout(t); resolve(); });
    s.once("connect_error", (e) => { clearTimeout(t); reject(e); });
  });
  return s;
}

function record(socket, event, filter) {
  const seen = [];
  socket.on(event, (x) => { if (filter(x)) seen.push(x); });
  return seen;
}

async function until(what, check, ms = WAIT) {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

async function join(socket, room) {
  const reply = await socket.emitWithAck("join", { room });
  assert.deepEqual(reply, { ok: true, room });
}

async function presence(base, room, tok) {
  const res = await api(base, "GET", `/api/rooms/${room}/presence`, { token: tok });
  assert.equal(res.status, 200, res.text);
  return res.json.users;
}

// The nodes learn of each other from heartbeats (every 5 s): wait until each one's presence lists a socket of the other.
before(async () => {
  const probeA = unique("probeA");
  const probeB = unique("probeB");
  const tok = await token(unique("reader"));
  await login(A, probeA);
  await login(B, probeB);
  const deadline = Date.now() + 60_000;
  for (;;) {
    const onA = await presence(A, "general", tok);
    const onB = await presence(B, "general", tok);
    if (onA.includes(probeB) && onB.includes(probeA)) break;
    if (Date.now() > deadline) throw new Error(`nodes do not see each other: A ${onA}, B ${onB}`);
    await sleep(500);
  }
});

test("presence is cluster-wide: one user_joined for two tabs on two nodes, user_left after the last", async () => {
  const room = "general";
  const watcherA = await login(A, unique("watchA"));
  const watcherB = await login(B, unique("watchB"));
  const alice = unique("alice");
  const joinedA = record(watcherA, "user_joined", (e) => e.user_id === alice);
  const joinedB = record(watcherB, "user_joined", (e) => e.user_id === alice);
  const leftA = record(watcherA, "user_left", (e) => e.user_id === alice);
  const leftB = record(watcherB, "user_left", (e) => e.user_id === alice);
  const tok = await token(alice);

  const tab1 = await login(B, alice, tok);
  await until("user_joined on both nodes", () => joinedA.length >= 1 && joinedB.length >= 1);
  assert.deepEqual(joinedA[0], { user_id: alice, room });
  const tab2 = await login(A, alice, tok);
  await sleep(QUIET);
  assert.equal(joinedA.length, 1, `node A watcher: ${JSON.stringify(joinedA)}`);
  assert.equal(joinedB.length, 1, `node B watcher: ${JSON.stringify(joinedB)}`);
  for (const base of [A, B]) {
    assert.ok((await presence(base, room, tok)).includes(alice), `REST presence on ${base} lists ${alice}`);
  }

  tab1.disconnect(); // node B: alice still has a tab on node A
  await sleep(QUIET);
  assert.deepEqual(leftA, [], "no user_left while a tab on the other node remains");
  assert.deepEqual(leftB, []);
  for (const base of [A, B]) {
    assert.ok((await presence(base, room, tok)).includes(alice), `still online on ${base}`);
  }

  tab2.disconnect(); // node A: the last tab
  await until("user_left on both nodes", () => leftA.length >= 1 && leftB.length >= 1);
  assert.deepEqual(leftB[0], { user_id: alice, room });
  await sleep(QUIET);
  assert.equal(leftA.length, 1, JSON.stringify(leftA));
  assert.equal(leftB.length, 1, JSON.stringify(leftB));
  for (const base of [A, B]) {
    assert.ok(!(await presence(base, room, tok)).includes(alice), `${alice} offline on ${base}`);
  }
});

test("a retry with the same message_id on the other node is stored and broadcast once, acked with the original", async () => {
  const room = unique("dedup");
  const bob = unique("bob");
  const tok = await token(bob);
  const listenerA = await login(A, unique("listenA"));
  const listenerB = await login(B, unique("listenB"));
  await join(listenerA, room);
  await join(listenerB, room);
  const first = await login(A, bob, tok);
  await join(first, room);
  const seenA = record(listenerA, "new_message", (m) => m.room === room);
  const seenB = record(listenerB, "new_message", (m) => m.room === room);

  const messageId = randomUUID();
  const original = await first.emitWithAck("chat_message", { room, text: "only once", message_id: messageId });
  assert.ok(original.id > 0, JSON.stringify(original));
  first.disconnect(); // the client lost its connection before it saw the ack, and retries on the other node
  const retry = await login(B, bob, tok);
  const again = await retry.emitWithAck("chat_message", { room, text: "only once", message_id: messageId });
  assert.deepEqual(again, original, "the retry's ack is the original record");
  const rest = await api(B, "POST", `/api/rooms/${room}/messages`,
    { token: tok, body: { text: "only once", message_id: messageId } });
  assert.equal(rest.status, 200, rest.text);
  assert.equal(rest.json.id, original.id);

  await until("new_message on both nodes", () => seenA.length >= 1 && seenB.length >= 1);
  await sleep(QUIET);
  assert.equal(seenA.length, 1, JSON.stringify(seenA));
  assert.equal(seenB.length, 1, JSON.stringify(seenB));
  const page = await api(A, "GET", `/api/rooms/${room}/messages`, { token: tok });
  assert.equal(page.status, 200, page.text);
  assert.deepEqual(page.json.messages.map((m) => m.id), [original.id], "stored once");
});

test("the per-user rate limit counts the user's sockets on both nodes", { skip: process.env.RATE_SCOPE !== "user" },
  async () => {
    const room = unique("rate");
    const carol = unique("carol");
    const tok = await token(carol);
    const onA = await login(A, carol, tok);
    const onB = await login(B, carol, tok);
    await join(onA, room);
    await join(onB, room);
    // Five in the window (5 per 5 s in this run): three from node A, two from node B, all accepted.
    const accepted = [];
    for (const [s, i] of [[onA, 1], [onB, 2], [onA, 3], [onB, 4], [onA, 5]]) {
      const ack = await s.emitWithAck("chat_message", { room, text: `m${i}` });
      assert.ok(ack.id, `message ${i}: ${JSON.stringify(ack)}`);
      accepted.push(ack.id);
    }
    // The sixth, on node B, which has seen only two of this user's messages: refused.
    const error = new Promise((resolve) => onB.once("error", resolve));
    const refused = await onB.emitWithAck("chat_message", { room, text: "m6" });
    assert.equal(refused.error?.code, "RATE_LIMITED", JSON.stringify(refused));
    assert.ok(refused.error.retry_after_ms > 0 && refused.error.retry_after_ms <= 5_000, JSON.stringify(refused));
    assert.equal((await error).code, "RATE_LIMITED");
    const page = await api(A, "GET", `/api/rooms/${room}/messages`, { token: tok });
    assert.deepEqual(page.json.messages.map((m) => m.text).sort(), ["m1", "m2", "m3", "m4", "m5"],
      "the refused message was not stored");
  });
