// Multi-node tests (run by ClusterIT, or by hand:
// SWITCHBOARD_NODES=http://127.0.0.1:3550,http://127.0.0.1:3551,http://127.0.0.1:3552 node --test cluster/).
// Clients on different Switchboard nodes sharing one Redis; namespace /cluster of the interop profile.
import assert from "node:assert/strict";
import { test } from "node:test";
import { io } from "socket.io-client";

const NODES = (process.env.SWITCHBOARD_NODES ?? "").split(",").map((u) => u.trim().replace(/\/+$/, "")).filter(Boolean);
if (NODES.length < 2) throw new Error("set SWITCHBOARD_NODES to two or more base URLs");
const WAIT = 5_000;
const MESSAGES = Number(process.env.CLUSTER_MESSAGES ?? 300);
let counter = 0;
const unique = (p) => `${p}-${process.pid}-${Date.now() % 1e6}-${++counter}`;

function client(t, node, transports = ["websocket"]) {
  const socket = io(NODES[node] + "/cluster", { forceNew: true, reconnection: false, timeout: WAIT, transports });
  t.after(() => socket.disconnect());
  return new Promise((resolve, reject) => {
    socket.once("connect", () => resolve(socket));
    socket.once("connect_error", reject);
  });
}

const call = (socket, ...args) => socket.timeout(WAIT + 2_000).emitWithAck(...args);

function counting(socket, event) {
  const seen = [];
  socket.on(event, (payload) => seen.push(payload));
  return seen;
}

async function until(condition, ms = WAIT) {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** One client per node (websocket on even nodes, polling on odd ones), all in `room`. */
async function spread(t, room) {
  const clients = [];
  for (let i = 0; i < NODES.length; i++) {
    const c = await client(t, i, i % 2 === 0 ? ["websocket"] : ["polling"]);
    await call(c, "join", room);
    clients.push(c);
  }
  return clients;
}

test("a room broadcast from one node reaches every node's clients exactly once, with except", async (t) => {
  const room = unique("room");
  const vip = unique("vip");
  const members = await spread(t, room);
  const outsider = await client(t, 1);
  const excluded = await client(t, NODES.length - 1, ["polling"]);
  await call(excluded, "join", room);
  await call(excluded, "join", vip);
  const received = members.map((c) => counting(c, "room-message"));
  const outsiderSeen = counting(outsider, "room-message");
  const excludedSeen = counting(excluded, "room-message");
  for (let i = 0; i < MESSAGES; i++) {
    const sender = members[i % members.length];
    await call(sender, "to-room", room, vip, i);
  }
  await until(() => received.every((r) => r.length >= MESSAGES), 20_000);
  await new Promise((r) => setTimeout(r, 300)); // room for duplicates to show up
  for (const r of received) {
    assert.equal(r.length, MESSAGES, "each message exactly once");
    assert.deepEqual([...r].sort((a, b) => a - b), [...Array(MESSAGES).keys()]);
  }
  assert.equal(outsiderSeen.length, 0);
  assert.equal(excludedSeen.length, 0, "except applies to a room held on another node");
});

test("fetchSockets sees the sockets of every node", async (t) => {
  const room = unique("fetch");
  const members = await spread(t, room);
  const answer = await call(members[0], "fetch", room);
  assert.equal(answer.ok, true, JSON.stringify(answer));
  assert.deepEqual(answer.ids, members.map((c) => c.id).sort());
});

test("a broadcast with acknowledgements collects the answers of every node's clients", async (t) => {
  const room = unique("poll");
  const members = await spread(t, room);
  members.forEach((c, i) => c.on("poll", (ack) => ack(`node-${i}`)));
  const answer = await call(members[0], "poll", room, 3_000);
  assert.equal(answer.ok, true, JSON.stringify(answer));
  assert.deepEqual([...answer.responses].sort(), members.map((_, i) => `node-${i}`).sort());
});

test("disconnectSockets disconnects the room's clients on every node", async (t) => {
  const room = unique("bye");
  const members = await spread(t, room);
  const stays = await client(t, 1);
  const gone = members.map((c) => new Promise((resolve) => c.once("disconnect", resolve)));
  await call(stays, "disconnect-room", room);
  const reasons = await Promise.all(gone);
  reasons.forEach((r) => assert.equal(r, "io server disconnect"));
  assert.equal(stays.connected, true);
});

test("serverSideEmit reaches the other nodes", async (t) => {
  const clients = [];
  for (let i = 0; i < NODES.length; i++) clients.push(await client(t, i));
  const seen = clients.map((c) => counting(c, "sse-received"));
  await call(clients[0], "sse", "hello");
  await until(() => seen.slice(1).every((s) => s.length === 1));
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(seen[0].length, 0, "not to the emitting node");
  seen.slice(1).forEach((s) => assert.deepEqual(s, ["hello"]));
});
