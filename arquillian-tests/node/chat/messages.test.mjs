// chat_message: stored and broadcast to the room but not the sender, acked with the record; history pages;
// dedup by message_id; the default rate limit (5 per second per socket); invalid payloads; typing.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { closeAll, join, login, next, record, sleep, unique } from "./helpers.mjs";

after(closeAll);

async function pair() {
  const room = unique("room");
  const alice = await login(unique("alice"));
  const bob = await login(unique("bob"), { opts: { transports: ["websocket"] } });
  await join(alice, room);
  await join(bob, room);
  return { room, alice, bob };
}

async function history(socket, room, extra = {}) {
  const reply = await socket.emitWithAck("history", { room, ...extra });
  assert.ok(Array.isArray(reply.messages), JSON.stringify(reply));
  return reply.messages;
}

test("a message is stored, acked with its record, and broadcast to the room but not the sender", async () => {
  const { room, alice, bob } = await pair();
  const echoed = record(alice, "new_message");
  const received = next(bob, "new_message", (m) => m.room === room);
  const ack = await alice.emitWithAck("chat_message", { room, text: "hello bob" });
  assert.equal(typeof ack.id, "number");
  assert.equal(ack.room, room);
  assert.equal(ack.user_id.startsWith("alice-"), true);
  assert.equal(ack.text, "hello bob");
  assert.equal(typeof ack.timestamp, "number");
  assert.ok(Math.abs(ack.timestamp - Date.now()) < 60_000);
  assert.equal(ack.message_id, null);
  assert.deepEqual(await received, ack);
  await sleep(300);
  assert.deepEqual(echoed, []);
  assert.deepEqual(await history(bob, room), [ack]);
});

test("history pages newest first with before and limit", async () => {
  const { room, alice, bob } = await pair();
  const sent = [];
  for (let i = 0; i < 5; i++) sent.push(await alice.emitWithAck("chat_message", { room, text: `m${i}` }));
  const ids = sent.map((m) => m.id);
  assert.deepEqual([...ids].sort((a, b) => a - b), ids, "ids increase");
  const page1 = await history(bob, room, { limit: 2 });
  assert.deepEqual(page1.map((m) => m.text), ["m4", "m3"]);
  const page2 = await history(bob, room, { limit: 2, before: page1[1].id });
  assert.deepEqual(page2.map((m) => m.text), ["m2", "m1"]);
  const page3 = await history(bob, room, { limit: 2, before: page2[1].id });
  assert.deepEqual(page3.map((m) => m.text), ["m0"]);
  assert.deepEqual(await history(bob, room, { before: page3[0].id }), []);
});

test("history of a room the user is not in is refused", async () => {
  const alice = await login(unique("alice"));
  const reply = await alice.emitWithAck("history", { room: unique("elsewhere") });
  assert.equal(reply.error?.code, "NOT_A_MEMBER");
});

test("a retry with the same message_id is stored once, broadcast once, and acked with the same record", async () => {
  const { room, alice, bob } = await pair();
  const seen = record(bob, "new_message", (m) => m.room === room);
  const message_id = randomUUID();
  const first = await alice.emitWithAck("chat_message", { room, text: "once", message_id });
  const again = await alice.emitWithAck("chat_message", { room, text: "once", message_id });
  assert.equal(first.message_id, message_id);
  assert.deepEqual(again, first);
  await sleep(500);
  assert.equal(seen.length, 1);
  assert.deepEqual(seen[0], first);
  assert.equal((await history(bob, room)).length, 1);
});

test("the sixth message within a second is RATE_LIMITED and not stored", async () => {
  const { room, alice, bob } = await pair();
  const errors = record(alice, "error");
  const acks = await Promise.all([0, 1, 2, 3, 4, 5].map((i) =>
    alice.emitWithAck("chat_message", { room, text: `burst ${i}` })));
  const refused = acks.filter((a) => a.error);
  assert.equal(refused.length, 1, JSON.stringify(acks));
  assert.equal(refused[0].error.code, "RATE_LIMITED");
  assert.ok(refused[0].error.retry_after_ms > 0 && refused[0].error.retry_after_ms <= 1000);
  assert.equal(acks[5].error?.code, "RATE_LIMITED");
  await sleep(200);
  assert.equal(errors.filter((e) => e.code === "RATE_LIMITED").length, 1);
  assert.equal((await history(bob, room)).length, 5);
  await sleep(1_000);
  assert.equal(typeof (await alice.emitWithAck("chat_message", { room, text: "later" })).id, "number");
});

test("invalid payloads are refused with INVALID_PAYLOAD, emitted as error, and nothing is stored", async () => {
  const { room, alice, bob } = await pair();
  const errors = record(alice, "error");
  const delivered = record(bob, "new_message");
  const invalid = [
    "just a string",
    { room },
    { room, text: "" },
    { room, text: "   " },
    { room, text: 42 },
    { room, text: "x".repeat(2001) },
    { room: 7, text: "hi" },
    { text: "hi" },
    { room, text: "hi", message_id: "x".repeat(65) },
    { room, text: "hi", message_id: 12 },
  ];
  for (const payload of invalid) {
    const reply = await alice.emitWithAck("chat_message", payload);
    assert.equal(reply.error?.code, "INVALID_PAYLOAD", JSON.stringify(payload).slice(0, 60));
    assert.equal(typeof reply.error.message, "string");
    await sleep(220); // stay under the rate limit: invalid messages count too
  }
  const notJoined = await alice.emitWithAck("chat_message", { room: unique("other"), text: "hi" });
  assert.equal(notJoined.error?.code, "NOT_A_MEMBER");
  await sleep(200);
  assert.equal(errors.filter((e) => e.code === "INVALID_PAYLOAD").length, invalid.length);
  assert.deepEqual(delivered, []);
  assert.deepEqual(await history(bob, room), []);
  const max = await alice.emitWithAck("chat_message", { room, text: "y".repeat(2000) });
  assert.equal(max.text.length, 2000);
});

test("a message without an ack still broadcasts; an invalid one still gets the error event", async () => {
  const { room, alice, bob } = await pair();
  const got = next(bob, "new_message", (m) => m.room === room);
  alice.emit("chat_message", { room, text: "fire and forget" });
  assert.equal((await got).text, "fire and forget");
  const err = next(alice, "error", (e) => e.code === "INVALID_PAYLOAD");
  alice.emit("chat_message", { room });
  assert.equal((await err).code, "INVALID_PAYLOAD");
});

test("typing is relayed to the room but not to the sender; leave stops the broadcasts", async () => {
  const { room, alice, bob } = await pair();
  const own = record(alice, "typing");
  const typing = next(bob, "typing", (t) => t.room === room);
  // typing is volatile: like the reference, the server drops it for a client whose transport is busy, so a typing
  // client repeats it (as the web client does while keys are pressed)
  alice.emit("typing", { room });
  const repeat = setInterval(() => alice.emit("typing", { room }), 250);
  const t = await typing.finally(() => clearInterval(repeat));
  assert.equal(t.room, room);
  assert.ok(t.user_id.startsWith("alice-"));
  await sleep(200);
  assert.deepEqual(own, []);
  assert.deepEqual(await bob.emitWithAck("leave", { room }), { ok: true, room });
  const after = record(bob, "new_message", (m) => m.room === room);
  await alice.emitWithAck("chat_message", { room, text: "gone?" });
  await sleep(300);
  assert.deepEqual(after, []);
});
