// Connection state recovery (the interop profile turns it on, 30 s window) after a forced transport close, in each
// transport mode: same socket id, rooms kept, every missed room message delivered exactly once and in order.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  MODES, TEST_TIMEOUT, WAIT, barrier, connect, connected, once, recorder, stripOffset, unique, until, upgraded,
} from "./helpers.mjs";

const request = (socket, event, ...args) => socket.timeout(WAIT).emitWithAck(event, ...args);

/** Closes the client's transport under it (as a network failure would) and waits until the server noticed. */
async function forceTransportClose(socket, observer) {
  const id = socket.id;
  const disconnected = once(socket, "disconnect");
  socket.io.engine.close();
  const [reason] = await disconnected;
  assert.equal(reason, "forced close"); // what socket.io-client reports for engine.close()
  assert.equal(socket.connected, false);
  await until(async () => !(await request(observer, "is-connected", id)), `the server to drop ${id}`);
}

for (const mode of MODES) {
  describe(`${mode}: connection state recovery`, () => {
    test("a forced transport close loses no room message", { timeout: TEST_TIMEOUT }, async (t) => {
      const room = `recover-${unique()}`;
      const other = `other-${unique()}`;
      const a = await connect(t, mode);
      const b = await connect(t, mode);
      await request(a, "join", room);
      const messages = recorder(a, "room-message");
      const volatiles = recorder(a, "room-volatile");

      for (let i = 0; i < 3; i++) await request(b, "to-room", room, `m${i}`, { i });
      await messages.atLeast(3);
      const oldId = a.id;

      await forceTransportClose(a, b);
      // While a is away: messages to its room (logged for recovery), one to a room it is not in, one volatile.
      for (let i = 3; i < 8; i++) await request(b, "to-room", room, `m${i}`, { i });
      await request(b, "to-room", other, "not for a");
      await request(b, "volatile-room", room, "volatile while away");

      const reconnected = once(a, "connect");
      a.connect();
      await reconnected;
      assert.equal(a.recovered, true, "the client should report the session as recovered");
      assert.equal(a.id, oldId, "same socket id after recovery");
      const me = await request(a, "whoami");
      assert.equal(me.recovered, true);
      assert.equal(me.id, oldId);
      assert.ok(me.rooms.includes(room), `rooms kept: ${me.rooms}`);

      // And live delivery goes on after the replay.
      await request(b, "to-room", room, "m8", { i: 8 });
      await messages.atLeast(9);
      await barrier(a);
      const expected = Array.from({ length: 9 }, (_, i) => [`m${i}`, { i }]);
      assert.deepEqual(messages.calls.map(stripOffset), expected, "every message exactly once, in order");
      assert.deepEqual(volatiles.calls, [], "volatile packets are not replayed");
    });

    test("automatic reconnection recovers what was broadcast meanwhile", { timeout: TEST_TIMEOUT }, async (t) => {
      const room = `recover-${unique()}`;
      const a = await connect(t, mode, "/interop",
        { reconnection: true, reconnectionDelay: 500, randomizationFactor: 0, reconnectionAttempts: 3 });
      const b = await connect(t, mode);
      await request(a, "join", room);
      const messages = recorder(a, "room-message");
      await request(b, "to-room", room, 0);
      await messages.atLeast(1);
      const oldId = a.id;

      const reconnected = once(a, "connect", WAIT);
      await forceTransportClose(a, b); // the client reconnects by itself after 500 ms
      for (let i = 1; i <= 5; i++) await request(b, "to-room", room, i);
      await reconnected;
      assert.equal(a.recovered, true);
      assert.equal(a.id, oldId);
      await request(b, "to-room", room, 6);
      await messages.atLeast(7);
      await barrier(a);
      assert.deepEqual(messages.calls.map(stripOffset), [[0], [1], [2], [3], [4], [5], [6]]);
    });

    test("an abrupt WebSocket drop (no close frame) is recovered too",
      { timeout: TEST_TIMEOUT, skip: mode === "polling" && "no WebSocket to drop in polling-only mode" },
      async (t) => {
        const room = `recover-${unique()}`;
        const a = await connect(t, mode);
        const b = await connect(t, mode);
        if (mode === "upgrade") await upgraded(a);
        await request(a, "join", room);
        const messages = recorder(a, "room-message");
        // The client asks for recovery only once it holds an offset, i.e. after a first logged event (as with the
        // reference server: a CONNECT with a pid but no offset starts a new session).
        await request(b, "to-room", room, "before");
        await messages.atLeast(1);
        const oldId = a.id;
        const disconnected = once(a, "disconnect");
        a.io.engine.transport.ws.terminate(); // destroys the TCP connection at once, as a network failure would
        assert.equal((await disconnected)[0], "transport close");
        await until(async () => !(await request(b, "is-connected", oldId)), "the server to notice the drop");
        await request(b, "to-room", room, "while dropped");
        a.connect();
        await connected(a);
        assert.equal(a.recovered, true);
        assert.equal(a.id, oldId);
        await messages.atLeast(2);
        await barrier(a);
        assert.deepEqual(messages.calls.map(stripOffset), [["before"], ["while dropped"]]);
      });

    test("after a client-side disconnect() there is nothing to recover", { timeout: TEST_TIMEOUT }, async (t) => {
      const a = await connect(t, mode);
      const b = await connect(t, mode);
      const oldId = a.id;
      a.disconnect(); // "client namespace disconnect" / "io client disconnect": not recoverable
      await until(async () => !(await request(b, "is-connected", oldId)), "the server to drop a");
      a.connect();
      await connected(a);
      assert.equal(a.recovered, false);
      assert.notEqual(a.id, oldId);
      assert.equal((await request(a, "whoami")).recovered, false);
    });
  });
}
