// The database goes away mid-run (PostgreSQL only: run by ChatStorageOutageIT in failsafe's chat-postgres
// execution). While it is down: chat_message gets `error` STORAGE_UNAVAILABLE and an ack error, nothing is broadcast,
// REST posts get 503 problem JSON, new sockets are refused with STORAGE_UNAVAILABLE. Once it is back, the same
// sockets send again without reconnecting (the pool recovers), and history holds exactly the acknowledged messages.
// The database is ALWAYS started again (finally + after), and the outage lasts a few seconds.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { readdirSync } from "node:fs";
import { randomUUID } from "node:crypto";
import { api, closeAll, client, join, login, next, record, refusal, sleep, token, unique } from "./helpers.mjs";

const version = readdirSync("/etc/postgresql")[0];
// Asynchronous on purpose: a synchronous child process would block the event loop, the clients would miss the
// server's pings (1.5 s interval in the test profile) and drop their connections.
const run = promisify(execFile);

async function pgctl(action) {
  const args = ["--skip-systemctl-redirect", version, "main", action];
  if (action === "stop") args.push("-m", "fast");
  await run("pg_ctlcluster", args, { timeout: 30_000 });
}

async function ready() {
  try {
    await run("pg_isready", ["-h", "127.0.0.1", "-q"], { timeout: 5_000 });
    return true;
  } catch {
    return false;
  }
}

async function waitFor(up, ms = 30_000) {
  const deadline = Date.now() + ms;
  while ((await ready()) !== up) {
    if (Date.now() > deadline) throw new Error(`PostgreSQL did not become ${up ? "ready" : "unreachable"}`);
    await sleep(100);
  }
}

async function ensureStarted() {
  if (!(await ready())) {
    try { await pgctl("start"); } catch (e) { console.error("pg start:", e.message); }
    await waitFor(true);
  }
}

after(async () => {
  closeAll();
  if (allowed) await ensureStarted();
});

// Stopping the machine's PostgreSQL is opt-in, so that a bare `node --test` in this folder never does it.
const allowed = process.env.SWITCHBOARD_ALLOW_DB_STOP === "1";

test("a database outage refuses writes cleanly and the chat resumes when it is back", {
  skip: allowed ? false : "set SWITCHBOARD_ALLOW_DB_STOP=1 (ChatStorageOutageIT does) to let this test stop PostgreSQL",
}, async () => {
  const room = unique("outage");
  const alice = await login(unique("alice"));
  const bob = await login(unique("bob"));
  await join(alice, room);
  await join(bob, room);
  const aliceToken = await token(unique("rest"));
  for (const [name, s] of [["alice", alice], ["bob", bob]]) {
    s.on("disconnect", (reason) => { if (reason !== "io client disconnect") console.log(`${name} disconnected: ${reason}`); });
  }
  const received = record(bob, "new_message", (m) => m.room === room);
  const acked = [];

  const first = await alice.emitWithAck("chat_message", { room, text: "before", message_id: randomUUID() });
  assert.equal(first.text, "before", JSON.stringify(first));
  acked.push(first);

  const retried = randomUUID();
  let outageMs;
  const down = Date.now();
  await pgctl("stop");
  try {
    await waitFor(false);
    const errors = record(alice, "error");
    const reply = await alice.emitWithAck("chat_message", { room, text: "refused", message_id: retried });
    assert.equal(reply.error?.code, "STORAGE_UNAVAILABLE", JSON.stringify(reply));
    assert.equal(typeof reply.error.message, "string");
    await sleep(200);
    assert.deepEqual(errors.map((e) => e.code), ["STORAGE_UNAVAILABLE"]);

    const rest = await api("POST", `/api/rooms/${room}/messages`, { token: aliceToken, body: { text: "refused too" } });
    assert.equal(rest.status, 503, rest.text);
    assert.match(rest.type, /^application\/problem\+json/);
    assert.equal(rest.json.code, "STORAGE_UNAVAILABLE");
    assert.equal(rest.json.status, 503);
    assert.ok(rest.json.title && rest.json.detail && rest.json.type, rest.text);
    assert.doesNotMatch(rest.text, /Exception|at [a-z]+\./, "no stack trace in the problem");

    const latecomer = client({ auth: { token: await token(unique("carol")) } });
    const err = await refusal(latecomer);
    assert.equal(err.message, "unavailable");
    assert.equal(err.data?.code, "STORAGE_UNAVAILABLE");
  } finally {
    await pgctl("start");
    await waitFor(true);
    outageMs = Date.now() - down;
  }
  console.log(`database outage lasted ${outageMs} ms`);
  assert.deepEqual(received.map((m) => m.text), ["before"], "nothing was broadcast during the outage");

  // Back: the same sockets, no reconnect. The first write after the restart succeeds (the pool dropped its dead
  // connections), and the refused message_id was never stored, so its retry is a new message, broadcast once.
  const after1 = await alice.emitWithAck("chat_message", { room, text: "after", message_id: randomUUID() });
  assert.equal(after1.text, "after", JSON.stringify(after1));
  acked.push(after1);
  const delivered = next(bob, "new_message", (m) => m.message_id === retried);
  const retry = await alice.emitWithAck("chat_message", { room, text: "refused, then retried", message_id: retried });
  assert.equal(retry.message_id, retried, JSON.stringify(retry));
  assert.deepEqual(await delivered, retry);
  acked.push(retry);
  const viaRest = await api("POST", `/api/rooms/${room}/messages`, { token: aliceToken, body: { text: "rest after" } });
  assert.equal(viaRest.status, 201, viaRest.text);
  acked.push(viaRest.json);

  const history = await bob.emitWithAck("history", { room });
  assert.deepEqual(history.messages.map((m) => m.id), acked.map((m) => m.id).reverse());
  assert.deepEqual(history.messages.map((m) => m.text), ["rest after", "refused, then retried", "after", "before"]);
  const page = await api("GET", `/api/rooms/${room}/messages`, { token: aliceToken });
  assert.equal(page.status, 200, page.text);
  assert.deepEqual(page.json.messages.map((m) => m.id), acked.map((m) => m.id).reverse());
  await sleep(200);
  assert.deepEqual(received.map((m) => m.text), ["before", "after", "refused, then retried", "rest after"]);

  // And a new socket connects again.
  const dave = await login(unique("dave"));
  assert.ok(dave.connected);
});
