// Clients through nginx (payara/nginx/switchboard.conf.template, sticky by client address) in front of the
// Switchboard nodes; run by ClusterIT, or by hand:
// SWITCHBOARD_LB=http://127.0.0.1:3650 SWITCHBOARD_NODES=http://127.0.0.1:3551,... node --test cluster/balancer.test.mjs
// Distinct client addresses (127.0.0.2, 127.0.0.3, ...: all of 127/8 is the loopback) stand for distinct users; nginx
// tells which node answered in the X-Switchboard-Node header that the tests add to the configuration.
import assert from "node:assert/strict";
import http from "node:http";
import { test } from "node:test";
import { io } from "socket.io-client";

const LB = (process.env.SWITCHBOARD_LB ?? "").replace(/\/+$/, "");
const NODES = (process.env.SWITCHBOARD_NODES ?? "").split(",").map((u) => u.trim().replace(/\/+$/, "")).filter(Boolean);
if (!LB || NODES.length < 2) throw new Error("set SWITCHBOARD_LB and SWITCHBOARD_NODES");
const MESSAGES = Number(process.env.CLUSTER_MESSAGES ?? 3000);
const WAIT = 10_000;
let counter = 0;
const unique = (p) => `${p}-${process.pid}-${Date.now() % 1e6}-${++counter}`;
const call = (socket, ...args) => socket.timeout(WAIT + 5_000).emitWithAck(...args);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The node (host:port) nginx sends a client from this source address to, learnt from a bare handshake. */
function nodeFor(localAddress) {
  return new Promise((resolve, reject) => {
    const req = http.get(`${LB}/socket.io/?EIO=4&transport=polling`, { localAddress, agent: false }, (res) => {
      res.resume();
      res.on("end", () => res.statusCode === 200 ? resolve(res.headers["x-switchboard-node"])
        : reject(new Error(`handshake ${res.statusCode}`)));
    });
    req.on("error", reject);
  });
}

/** Source addresses, one per node (in NODES order), found by probing 127.0.0.2 upwards. */
async function addressPerNode() {
  const ports = NODES.map((u) => new URL(u).port);
  const found = new Map();
  for (let i = 2; i < 60 && found.size < ports.length; i++) {
    const address = `127.0.0.${i}`;
    const node = await nodeFor(address);
    const index = ports.findIndex((p) => node?.endsWith(`:${p}`));
    assert.ok(index >= 0, `nginx answered from ${node}, not one of ${NODES}`);
    if (!found.has(index)) found.set(index, address);
  }
  assert.equal(found.size, ports.length, "the address hash reaches every node");
  return ports.map((_, i) => found.get(i));
}

function connect(t, url, options) {
  const socket = io(url + "/cluster", { forceNew: true, reconnection: false, timeout: WAIT, ...options });
  t.after(() => socket.disconnect());
  return new Promise((resolve, reject) => {
    socket.once("connect", () => resolve(socket));
    socket.once("connect_error", reject);
  });
}

/** A client that reaches nginx from localAddress: polling through an agent bound to it, WebSocket through ws. */
const viaBalancer = (t, localAddress, transports) => connect(t, LB, {
  transports, localAddress, agent: new http.Agent({ keepAlive: true, localAddress }),
});

test("the same client address always reaches the same node", async () => {
  const addresses = await addressPerNode();
  for (const address of addresses) {
    const first = await nodeFor(address);
    for (let i = 0; i < 5; i++) assert.equal(await nodeFor(address), first);
  }
});

test(`${MESSAGES} room broadcasts reach websocket, polling and upgraded clients on every node exactly once`, async (t) => {
  const addresses = await addressPerNode();
  const room = unique("scale");
  const clients = [];
  for (let i = 0; i < NODES.length; i++) {
    clients.push({ kind: `websocket direct to node ${i}`, socket: await connect(t, NODES[i], { transports: ["websocket"] }) });
    clients.push({ kind: `polling via nginx to node ${i}`,
      socket: await viaBalancer(t, addresses[i], ["polling"]) });
    clients.push({ kind: `polling+upgrade via nginx to node ${i}`,
      socket: await viaBalancer(t, addresses[i], ["polling", "websocket"]) });
  }
  const disconnects = [];
  for (const c of clients) {
    c.seen = new Map();
    c.socket.on("room-message", (n) => c.seen.set(n, (c.seen.get(n) ?? 0) + 1));
    c.socket.on("disconnect", (reason, details) => disconnects.push(`${c.kind}: ${reason} `
      + `${details?.description?.message ?? details?.description ?? details?.message ?? ""} ${details?.context?.status ?? ""}`));
    await call(c.socket, "join", room);
  }
  const upgraded = clients.filter((c) => c.kind.startsWith("polling+upgrade"));
  const deadline = Date.now() + WAIT;
  while (upgraded.some((c) => c.socket.io.engine.transport.name !== "websocket") && Date.now() < deadline) await sleep(50);
  upgraded.forEach((c) => assert.equal(c.socket.io.engine.transport.name, "websocket", `${c.kind} upgraded`));

  // Senders rotate over every client (so over every node and transport), 40 requests in flight at a time.
  const started = Date.now();
  const WINDOW = 40;
  for (let next = 0; next < MESSAGES;) {
    const batch = [];
    for (let k = 0; k < WINDOW && next < MESSAGES; k++, next++) {
      batch.push(call(clients[next % clients.length].socket, "to-room", room, "", next));
    }
    await Promise.all(batch).catch((e) => assert.fail(`${e.message}; disconnects: ${disconnects.join(" | ")}`));
  }
  const total = () => clients.reduce((s, c) => s + [...c.seen.values()].reduce((a, b) => a + b, 0), 0);
  const end = Date.now() + 60_000;
  while (total() < MESSAGES * clients.length && Date.now() < end) await sleep(50);
  await sleep(500); // room for duplicates to show up
  const took = Date.now() - started;
  console.log(`# ${MESSAGES} messages x ${clients.length} recipients = ${total()} deliveries in ${took} ms`);
  assert.deepEqual(disconnects, [], "no client lost its session (stickiness held)");
  for (const c of clients) {
    const missing = [];
    const twice = [];
    for (let n = 0; n < MESSAGES; n++) {
      const k = c.seen.get(n) ?? 0;
      if (k === 0) missing.push(n);
      if (k > 1) twice.push(n);
    }
    assert.equal(c.seen.size, MESSAGES, `${c.kind}: ${missing.length} missing (first ${missing.slice(0, 5)})`);
    assert.deepEqual(twice, [], `${c.kind}: delivered more than once`);
  }
});
