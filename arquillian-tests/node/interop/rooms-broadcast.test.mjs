// Rooms, broadcast except the sender, volatile emits and broadcast acknowledgements, in each transport mode.
// Each test uses its own dynamic namespace (/dyn-<digits>) and rooms, so that tests running at the same time do not
// see each other's broadcasts. "Did not receive" is asserted after a round trip (barrier) on the socket in question:
// the server writes a broadcast before it acks the request that caused it, so anything sent would have arrived.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  MODES, TEST_TIMEOUT, WAIT, barrier, connect, recorder, stripOffset, unique,
} from "./helpers.mjs";

/** n clients of the mode in one fresh dynamic namespace. */
async function group(t, mode, n) {
  const nsp = `/dyn-${unique()}`;
  const sockets = [];
  for (let i = 0; i < n; i++) sockets.push(await connect(t, mode, nsp));
  return { nsp, sockets };
}

const request = (socket, event, ...args) => socket.timeout(WAIT).emitWithAck(event, ...args);

for (const mode of MODES) {
  describe(`${mode}: rooms and broadcast`, () => {
    test("a room message reaches the other members only", { timeout: TEST_TIMEOUT }, async (t) => {
      const { nsp, sockets: [a, b, c] } = await group(t, mode, 3);
      assert.equal((await request(a, "whoami")).nsp, nsp);
      const room = `room-${unique()}`;
      await request(a, "join", room);
      await request(b, "join", room);
      const [atA, atB, atC] = [a, b, c].map((s) => recorder(s, "room-message"));

      await request(a, "to-room", room, { text: "hi" }, 2);
      await atB.atLeast(1);
      await Promise.all([barrier(a), barrier(b), barrier(c)]);
      assert.deepEqual(atB.calls.map(stripOffset), [[{ text: "hi" }, 2]]);
      assert.deepEqual(atA.calls, [], "the sender is excluded");
      assert.deepEqual(atC.calls, [], "a socket outside the room gets nothing");
      assert.deepEqual((await request(b, "whoami")).rooms, [b.id, room].sort());
    });

    test("a socket that left the room gets nothing more", { timeout: TEST_TIMEOUT }, async (t) => {
      const { sockets: [a, b, c] } = await group(t, mode, 3);
      const room = `room-${unique()}`;
      for (const s of [a, b, c]) await request(s, "join", room);
      const [atB, atC] = [b, c].map((s) => recorder(s, "room-message"));
      await request(a, "to-room", room, 1);
      await request(c, "leave", room);
      await request(a, "to-room", room, 2);
      await atB.atLeast(2);
      await barrier(c);
      assert.deepEqual(atB.calls.map(stripOffset), [[1], [2]]);
      assert.deepEqual(atC.calls.map(stripOffset), [[1]]);
    });

    test("broadcast reaches the whole namespace except the sender", { timeout: TEST_TIMEOUT }, async (t) => {
      const { sockets: [a, b, c] } = await group(t, mode, 3);
      const elsewhere = await connect(t, mode, "/interop"); // another namespace: must not get it
      const [atA, atB, atC, atElsewhere] = [a, b, c, elsewhere].map((s) => recorder(s, "broadcast-message"));
      await request(a, "broadcast", "news", { n: 1 });
      await Promise.all([atB.atLeast(1), atC.atLeast(1)]);
      await Promise.all([barrier(a), barrier(b), barrier(c), barrier(elsewhere)]);
      assert.deepEqual(atB.calls.map(stripOffset), [["news", { n: 1 }]]);
      assert.deepEqual(atC.calls.map(stripOffset), [["news", { n: 1 }]]);
      assert.deepEqual(atA.calls, [], "the sender is excluded");
      assert.deepEqual(atElsewhere.calls, [], "other namespaces are not reached");
    });

    test("binary broadcast to a room", { timeout: TEST_TIMEOUT }, async (t) => {
      const { sockets: [a, b] } = await group(t, mode, 2);
      const room = `room-${unique()}`;
      await request(b, "join", room);
      const atB = recorder(b, "room-message");
      await request(a, "to-room", room, Buffer.from([1, 2, 3]), new Uint8Array([4]));
      const [[first, second]] = (await atB.atLeast(1)).map(stripOffset);
      assert.ok(Buffer.from([1, 2, 3]).equals(first));
      assert.ok(Buffer.from([4]).equals(second));
    });
  });

  describe(`${mode}: broadcast acknowledgements`, () => {
    test("the server collects every member's ack", { timeout: TEST_TIMEOUT }, async (t) => {
      const { sockets } = await group(t, mode, 4);
      const [requester, ...members] = sockets;
      const room = `poll-${unique()}`;
      members.forEach((s, i) => s.on("poll", (question, ack) => ack(`${i}:${question}`)));
      for (const s of members) await request(s, "join", room);
      const outcome = await request(requester, "broadcast-ack", room, 3000, "q?");
      assert.equal(outcome.ok, true, JSON.stringify(outcome));
      assert.deepEqual([...outcome.responses].sort(), ["0:q?", "1:q?", "2:q?"]);
    });

    test("a broadcast ack to an empty room completes at once with no answers", { timeout: TEST_TIMEOUT },
      async (t) => {
        const { sockets: [a] } = await group(t, mode, 1);
        const start = Date.now();
        const outcome = await request(a, "broadcast-ack", `empty-${unique()}`, 3000, "anyone?");
        assert.deepEqual(outcome, { ok: true, responses: [] });
        assert.ok(Date.now() - start < 2500, "no need to wait for the timeout");
      });

    test("it times out with the answers that arrived when a member stays silent", { timeout: TEST_TIMEOUT },
      async (t) => {
        const { sockets: [requester, fast, silent] } = await group(t, mode, 3);
        const room = `poll-${unique()}`;
        fast.on("poll", (q, ack) => ack(`fast:${q}`));
        let silentAsked = false;
        silent.on("poll", () => { silentAsked = true; });
        await request(fast, "join", room);
        await request(silent, "join", room);
        const start = Date.now();
        const outcome = await request(requester, "broadcast-ack", room, 600, "q");
        assert.equal(outcome.ok, false);
        assert.equal(outcome.error, "AckTimeoutException");
        assert.deepEqual(outcome.responses, ["fast:q"]);
        assert.ok(Date.now() - start >= 550, "the timeout should not fire early");
        assert.ok(silentAsked, "the silent member got the question");
      });
  });

  describe(`${mode}: volatile`, () => {
    test("volatile emits arrive at most once and in order, before what follows", { timeout: TEST_TIMEOUT },
      async (t) => {
        const socket = await connect(t, mode);
        const values = recorder(socket, "volatile");
        const end = recorder(socket, "volatile-end");
        await request(socket, "volatile-self", 20);
        await end.atLeast(1);
        const got = values.calls.map((args) => {
          assert.equal(args.length, 1, "volatile events are not logged for recovery: no offset argument");
          return args[0];
        });
        assert.ok(got.every((v, i) => Number.isInteger(v) && v >= 0 && v < 20 && (i === 0 || v > got[i - 1])),
          `volatile values out of order or repeated: ${got}`);
        assert.deepEqual(stripOffset(end.calls[0]), [20]);
        if (mode === "websocket") {
          // An idle WebSocket is writable: the first volatile packet at least must go out.
          assert.ok(got.length >= 1 && got[0] === 0, `expected the first volatile event, got ${got}`);
        }
        await barrier(socket);
        assert.equal(values.calls.length, got.length, "nothing volatile arrives after the end marker");
      });

    test("a volatile broadcast to a room reaches members at most once", { timeout: TEST_TIMEOUT }, async (t) => {
      const { sockets: [a, b, c] } = await group(t, mode, 3);
      const room = `room-${unique()}`;
      await request(b, "join", room);
      const [atA, atB, atC] = [a, b, c].map((s) => recorder(s, "room-volatile"));
      await request(a, "volatile-room", room, "blink");
      await Promise.all([barrier(a), barrier(b), barrier(c)]);
      assert.ok(atB.calls.length <= 1);
      atB.calls.forEach((args) => assert.deepEqual(args, ["blink"], "volatile: no recovery offset"));
      if (mode === "websocket") assert.equal(atB.calls.length, 1, "an idle WebSocket member gets it");
      assert.deepEqual(atA.calls, []);
      assert.deepEqual(atC.calls, []);
    });
  });
}
