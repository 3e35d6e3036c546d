// Conformance check of a server against shared/bench/PROTOCOL.md, run over one transport before any measurement.
// Every check is a named assertion; the caller fails loudly if any fails.
"use strict";
const { openSocket, whenConnected } = require("./client");

const WAIT_MS = 3000; // longest wait for an expected packet
const QUIET_MS = 300; // how long "nothing arrives" is watched

class Inbox { // queues one event of one socket, so that nothing is missed between awaits
  constructor(socket, event) {
    this.items = [];
    this.waiters = [];
    socket.on(event, (m) => {
      const w = this.waiters.shift();
      if (w) w(m); else this.items.push(m);
    });
  }
  next(timeoutMs = WAIT_MS) {
    if (this.items.length) return Promise.resolve(this.items.shift());
    return new Promise((resolve, reject) => {
      const w = (m) => { clearTimeout(t); resolve(m); };
      const t = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        reject(new Error(`no new_message within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.push(w);
    });
  }
  async nothingFor(ms = QUIET_MS) {
    await new Promise((r) => setTimeout(r, ms));
    return this.items.length === 0 ? null : this.items.shift();
  }
}

function emitAck(socket, event, ...args) {
  return socket.timeout(WAIT_MS).emitWithAck(event, ...args);
}

const deepEqual = (a, b) => JSON.stringify(a) === JSON.stringify(b);
const show = (v) => { const s = JSON.stringify(v); return s === undefined ? String(v) : s.length > 120 ? s.slice(0, 117) + "..." : s; };

async function runConformance(url, transport, log = () => {}) {
  const checks = [];
  const opened = [];
  async function check(name, fn) {
    try {
      await fn();
      checks.push({ name, ok: true });
      log(`  PASS ${name}`);
    } catch (e) {
      checks.push({ name, ok: false, error: e.message });
      log(`  FAIL ${name}: ${e.message}`);
    }
  }
  const expect = (cond, msg) => { if (!cond) throw new Error(msg); };
  async function connect() {
    const s = openSocket(url, transport, { timeout: 10000 });
    opened.push(s);
    const inbox = new Inbox(s, "new_message");
    const r = await whenConnected(s, 10000);
    if (!r.ok) throw new Error(`connect failed: ${r.error}`);
    return { s, inbox };
  }

  let A, B, C;
  try {
    await check("three clients connect to / and get distinct socket ids", async () => {
      [A, B, C] = await Promise.all([connect(), connect(), connect()]);
      const ids = [A.s.id, B.s.id, C.s.id];
      expect(ids.every((x) => typeof x === "string" && x.length > 0), `ids ${show(ids)}`);
      expect(new Set(ids).size === 3, `ids not distinct: ${show(ids)}`);
    });
    if (!A) throw new Error("cannot connect: no further checks");

    let ack1, gotB, gotC;
    await check("chat_message with ack: the ack is {id} with an integer id >= 1", async () => {
      ack1 = await emitAck(A.s, "chat_message", { text: "hi", ts: 601234.567 });
      expect(deepEqual(Object.keys(ack1 || {}), ["id"]), `ack ${show(ack1)}`);
      expect(Number.isInteger(ack1.id) && ack1.id >= 1, `id ${show(ack1.id)}`);
    });
    await check("new_message reaches every other socket (all joined chat on connect)", async () => {
      [gotB, gotC] = await Promise.all([B.inbox.next(), C.inbox.next()]);
    });
    await check("new_message has exactly the keys id, user_id, text, ts", async () => {
      expect(gotB && deepEqual(Object.keys(gotB).sort(), ["id", "text", "ts", "user_id"]), `got ${show(gotB)}`);
      expect(deepEqual(gotB, gotC), `B and C got different messages: ${show(gotB)} / ${show(gotC)}`);
    });
    await check("new_message.id equals the ack id", async () => {
      expect(gotB && ack1 && gotB.id === ack1.id, `new_message id ${show(gotB && gotB.id)}, ack ${show(ack1)}`);
    });
    await check("new_message.user_id is the sender's socket id", async () => {
      expect(gotB && gotB.user_id === A.s.id, `user_id ${show(gotB && gotB.user_id)}, sender ${A.s.id}`);
    });
    await check("text and ts are copied unchanged", async () => {
      expect(gotB && gotB.text === "hi" && gotB.ts === 601234.567, `got ${show(gotB)}`);
      const ts = 1764262800123.456;
      const text = "7:\u00e9\u4e2d\ud83d\ude00 \"quoted\" \\ back\nslash";
      await emitAck(A.s, "chat_message", { text, ts });
      const m = await B.inbox.next();
      expect(m.text === text && m.ts === ts, `sent ${show({ text, ts })}, got ${show(m)}`);
      await C.inbox.next();
    });
    await check("the sender does not receive its own message", async () => {
      const extra = await A.inbox.nothingFor();
      expect(extra === null, `sender got ${show(extra)}`);
    });
    await check("ids rise strictly; 5 messages sent back to back arrive in order", async () => {
      const acks = await Promise.all([0, 1, 2, 3, 4].map((i) => emitAck(A.s, "chat_message", { text: `burst${i}`, ts: i })));
      for (let i = 1; i < 5; i++) expect(acks[i].id > acks[i - 1].id, `acks ${show(acks)}`);
      expect(acks[0].id > ack1.id, `acks ${show(acks)} after ${show(ack1)}`);
      for (let i = 0; i < 5; i++) {
        const m = await B.inbox.next();
        expect(m.text === `burst${i}` && m.id === acks[i].id, `message ${i}: ${show(m)}, acks ${show(acks)}`);
        await C.inbox.next();
      }
    });
    await check("chat_message without an ack is broadcast too", async () => {
      A.s.emit("chat_message", { text: "no ack", ts: 1 });
      const m = await B.inbox.next();
      expect(m.text === "no ack" && m.ts === 1 && Number.isInteger(m.id), `got ${show(m)}`);
      await C.inbox.next();
    });
    const badChat = [
      ["text is a number", { text: 5 }],
      ["text is missing", { ts: 1 }],
      ["the argument is a string", "hello"],
      ["the argument is an array", ["text"]],
      ["the argument is null", null],
    ];
    for (const [what, arg] of badChat) {
      await check(`chat_message where ${what}: ack {error:"bad_request"}`, async () => {
        const r = await emitAck(A.s, "chat_message", arg);
        expect(deepEqual(r, { error: "bad_request" }), `ack ${show(r)}`);
      });
    }
    await check("bad chat_message requests broadcast nothing", async () => {
      await emitAck(A.s, "chat_message", { text: "after-bad", ts: 2 });
      const m = await B.inbox.next();
      expect(m.text === "after-bad", `B got ${show(m)} first`);
      await C.inbox.next();
    });
    const echoes = [
      ["an object", { a: [1, 2.5, "x"] }],
      ["the benchmark's {c, k, text}", { c: 3, k: 17, text: "eeee" }],
      ["a string", "plain \u00e9\u4e2d"],
      ["a number", 601234.567],
      ["a boolean", false],
      ["an array", [1, "two", { three: [3] }, null]],
      ["a 64 KiB string (maxHttpBufferSize >= 64 KiB)", "x".repeat(64 * 1024)],
    ];
    for (const [what, v] of echoes) {
      await check(`echo of ${what} is acked unchanged`, async () => {
        const r = await emitAck(B.s, "echo", v);
        expect(deepEqual(r, v), `sent ${show(v)}, got ${show(r)}`);
      });
    }
    await check('join {room:"r1"}: ack {room:"r1"}', async () => {
      const r = await emitAck(C.s, "join", { room: "r1" });
      expect(deepEqual(r, { room: "r1" }), `ack ${show(r)}`);
    });
    for (const [what, arg] of [["no room", {}], ["an empty room", { room: "" }], ["a number room", { room: 5 }]]) {
      await check(`join with ${what}: ack {error:"bad_request"}`, async () => {
        const r = await emitAck(C.s, "join", arg);
        expect(deepEqual(r, { error: "bad_request" }), `ack ${show(r)}`);
      });
    }
    await check("after join the socket is still in chat", async () => {
      await emitAck(A.s, "chat_message", { text: "after-join", ts: 3 });
      const m = await C.inbox.next();
      expect(m.text === "after-join", `C got ${show(m)}`);
      await B.inbox.next();
    });
    await check("an unknown event is ignored and the socket stays connected", async () => {
      B.s.emit("no_such_event", { x: 1 });
      const r = await emitAck(B.s, "echo", { still: "here" });
      expect(deepEqual(r, { still: "here" }), `echo after unknown event: ${show(r)}`);
    });
    await check("a socket that just connected receives the next broadcast", async () => {
      const D = await connect();
      await emitAck(D.s, "echo", 1);
      await emitAck(A.s, "chat_message", { text: "to-d", ts: 4 });
      const m = await D.inbox.next();
      expect(m.text === "to-d", `D got ${show(m)}`);
      await Promise.all([B.inbox.next(), C.inbox.next()]);
    });
    await check("no socket was disconnected by the server during the checks", async () => {
      const down = opened.filter((s) => !s.connected).length;
      expect(down === 0, `${down} socket(s) disconnected`);
    });
  } catch (e) {
    checks.push({ name: "conformance run", ok: false, error: e.message });
    log(`  FAIL ${e.message}`);
  } finally {
    for (const s of opened) s.close();
  }
  const failed = checks.filter((c) => !c.ok).length;
  return { transport, passed: checks.length - failed, failed, checks };
}

module.exports = { runConformance };
