// Events, acknowledgements both ways (with timeouts) and binary payloads, in each transport mode.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  MODES, TEST_TIMEOUT, WAIT, assertBytes, bytes, connect, once, recorder, stripOffset, upgraded,
} from "./helpers.mjs";

const JSON_ARGS = [1, "two", { three: [3, true, null], nested: { x: -1.5 } }, 0.25, "üñí€😀", [], {}];

for (const mode of MODES) {
  describe(`${mode}: connection and events`, () => {
    test("the server sees the client's id, namespace and transport", { timeout: TEST_TIMEOUT }, async (t) => {
      const socket = await connect(t, mode);
      const me = await socket.timeout(WAIT).emitWithAck("whoami");
      assert.equal(me.id, socket.id);
      assert.equal(me.nsp, "/interop");
      assert.equal(me.recovered, false);
      assert.ok(me.rooms.includes(socket.id), "a socket is in the room of its own id");
      if (mode === "upgrade") {
        await upgraded(socket);
        const after = await socket.timeout(WAIT).emitWithAck("whoami");
        assert.equal(after.transport, "websocket");
        assert.equal(after.id, socket.id);
      } else {
        assert.equal(me.transport, mode);
        assert.equal(socket.io.engine.transport.name, mode);
      }
    });

    test("an event comes back with the same JSON arguments", { timeout: TEST_TIMEOUT }, async (t) => {
      const socket = await connect(t, mode);
      const echoed = once(socket, "echo");
      socket.emit("echo", ...JSON_ARGS);
      assert.deepEqual(stripOffset(await echoed), JSON_ARGS);
    });

    test("many events keep their order", { timeout: TEST_TIMEOUT }, async (t) => {
      const socket = await connect(t, mode);
      const echoes = recorder(socket, "echo");
      for (let i = 0; i < 200; i++) socket.emit("echo", i);
      const seen = (await echoes.atLeast(200)).map((args) => stripOffset(args)[0]);
      assert.deepEqual(seen, Array.from({ length: 200 }, (_, i) => i));
    });
  });

  describe(`${mode}: acknowledgements`, () => {
    test("client emitWithAck resolves with the server's ack", { timeout: TEST_TIMEOUT }, async (t) => {
      const socket = await connect(t, mode);
      assert.deepEqual(await socket.timeout(WAIT).emitWithAck("ack", { a: [1, 2] }), { a: [1, 2] });
      assert.equal(await socket.emitWithAck("ack", "no timeout"), "no timeout");
    });

    test("a callback ack gets every argument the server sent", { timeout: TEST_TIMEOUT }, async (t) => {
      const socket = await connect(t, mode);
      const args = await new Promise((resolve, reject) =>
        socket.timeout(WAIT).emit("ack", ...JSON_ARGS, (err, ...rest) => (err ? reject(err) : resolve(rest))));
      assert.deepEqual(args, JSON_ARGS);
      // Without a timeout: plain callback, arguments as sent.
      const plain = await new Promise((resolve) => socket.emit("ack", 7, "eight", (...rest) => resolve(rest)));
      assert.deepEqual(plain, [7, "eight"]);
    });

    test("client emitWithAck times out when the server never answers", { timeout: TEST_TIMEOUT }, async (t) => {
      const socket = await connect(t, mode);
      const start = Date.now();
      await assert.rejects(socket.timeout(400).emitWithAck("ignore", 1), /operation has timed out/);
      assert.ok(Date.now() - start >= 350, "the timeout should not fire early");
      // The connection is still usable afterwards.
      assert.equal(await socket.timeout(WAIT).emitWithAck("ack", "still here"), "still here");
    });

    test("server emitWithAck gets the client's ack", { timeout: TEST_TIMEOUT }, async (t) => {
      const socket = await connect(t, mode);
      const received = [];
      socket.on("question", (...args) => {
        const ack = args.pop();
        received.push(args);
        ack({ got: args }, "second");
      });
      const outcome = await socket.timeout(WAIT).emitWithAck("ask", "question", 3000, "x", 42);
      assert.deepEqual(outcome, { ok: true, reply: [{ got: ["x", 42] }, "second"] });
      // An event with an ack request carries no recovery offset.
      assert.deepEqual(received, [["x", 42]]);
    });

    test("server emitWithAck times out when the client does not answer", { timeout: TEST_TIMEOUT }, async (t) => {
      const socket = await connect(t, mode);
      let asked = 0;
      socket.on("silent", (payload, ack) => {
        assert.equal(typeof ack, "function", "the server asked for an ack");
        asked += 1; // and never calls ack
      });
      const start = Date.now();
      const outcome = await socket.timeout(WAIT).emitWithAck("ask", "silent", 500, "hello?");
      assert.equal(outcome.ok, false);
      assert.equal(outcome.error, "AckTimeoutException");
      assert.ok(Date.now() - start >= 450, "the server's timeout should not fire early");
      assert.equal(asked, 1);
      // A late ack after the timeout is ignored and does not break the connection.
      assert.equal(await socket.timeout(WAIT).emitWithAck("ack", "alive"), "alive");
    });
  });

  describe(`${mode}: binary`, () => {
    const random = (n) => Buffer.from(Array.from({ length: n }, (_, i) => (i * 31 + 7) % 256));

    test("Buffer, Uint8Array, ArrayBuffer and other typed arrays round trip", { timeout: TEST_TIMEOUT }, async (t) => {
      const socket = await connect(t, mode);
      const buffer = random(1000);
      const u8 = new Uint8Array([0, 1, 2, 253, 254, 255]);
      const arrayBuffer = new Uint8Array([9, 8, 7]).buffer;
      const floats = new Float32Array([1.5, -2.25, Math.PI]);
      const empty = Buffer.alloc(0);
      const echoed = once(socket, "echo");
      socket.emit("echo", buffer, "label", u8, arrayBuffer, floats, empty);
      const args = stripOffset(await echoed);
      assert.equal(args.length, 6);
      assertBytes(args[0], buffer, "Buffer");
      assert.equal(args[1], "label");
      assertBytes(args[2], u8, "Uint8Array");
      assertBytes(args[3], arrayBuffer, "ArrayBuffer");
      assertBytes(args[4], floats, "Float32Array");
      assert.deepEqual(new Float32Array(new Uint8Array(bytes(args[4])).buffer), floats);
      assertBytes(args[5], empty, "empty Buffer");
    });

    test("binary nested in objects and arrays keeps its place", { timeout: TEST_TIMEOUT }, async (t) => {
      const socket = await connect(t, mode);
      const a = random(10);
      const b = new Uint8Array([42]);
      const echoed = once(socket, "echo");
      socket.emit("echo", { name: "file", parts: [a, { inner: b, n: 1 }], meta: null });
      const [value] = stripOffset(await echoed);
      assert.equal(value.name, "file");
      assert.equal(value.meta, null);
      assert.equal(value.parts.length, 2);
      assertBytes(value.parts[0], a, "parts[0]");
      assertBytes(value.parts[1].inner, b, "parts[1].inner");
      assert.equal(value.parts[1].n, 1);
    });

    test("a 50 kB Buffer round trips", { timeout: TEST_TIMEOUT }, async (t) => {
      const socket = await connect(t, mode);
      const big = random(50_000);
      const [back] = stripOffset(await new Promise((resolve) => {
        socket.once("echo", (...args) => resolve(args));
        socket.emit("echo", big);
      }));
      assertBytes(back, big, "50 kB");
    });

    test("binary in acknowledgements, both ways", { timeout: TEST_TIMEOUT }, async (t) => {
      const socket = await connect(t, mode);
      // client -> server, server acks with the binary
      const sent = random(300);
      assertBytes(await socket.timeout(WAIT).emitWithAck("ack", sent), sent, "server ack");
      // server -> client with binary, the client acks with binary
      let got;
      socket.on("bin-question", (payload, ack) => {
        got = payload;
        ack(Buffer.from(bytes(payload)).reverse(), new Uint8Array([1, 2]));
      });
      const question = new Uint8Array([10, 20, 30, 40]);
      const outcome = await socket.timeout(WAIT).emitWithAck("ask", "bin-question", 3000, question);
      assertBytes(got, question, "server's binary question");
      assert.equal(outcome.ok, true);
      assertBytes(outcome.reply[0], new Uint8Array([40, 30, 20, 10]), "client's binary ack");
      assertBytes(outcome.reply[1], new Uint8Array([1, 2]), "client's second binary ack argument");
    });
  });
}
