// Shared helpers of the socket.io-client interop tests (run by SocketIoClientInteropIT, or by hand:
// SWITCHBOARD_URL=http://127.0.0.1:3100 node --test --test-reporter=spec interop/*.test.mjs).
import assert from "node:assert/strict";
import { io } from "socket.io-client";

const url = process.env.SWITCHBOARD_URL;
if (!url) {
  throw new Error("set SWITCHBOARD_URL to the server's base URL, e.g. http://127.0.0.1:3100");
}
export const BASE = url.replace(/\/+$/, "");

/** Client options per transport mode. "upgrade" is the client's default: polling first, then WebSocket. */
export const MODE_OPTIONS = {
  websocket: { transports: ["websocket"] },
  polling: { transports: ["polling"] },
  upgrade: {},
};

/** The modes to run (SWITCHBOARD_MODES=websocket,polling,upgrade; all by default). */
export const MODES = (process.env.SWITCHBOARD_MODES ?? Object.keys(MODE_OPTIONS).join(","))
  .split(",").map((m) => m.trim()).filter(Boolean);
for (const mode of MODES) {
  if (!MODE_OPTIONS[mode]) throw new Error(`unknown mode ${mode}`);
}

/** Per-test bound: every test must end (pass or fail) well within this. */
export const TEST_TIMEOUT = 20_000;
/** Bound on any single awaited event. */
export const WAIT = 5_000;

let counter = 0;
/** A name no other test (or test process) uses: for rooms and dynamic namespaces (/dyn-<digits>). */
export function unique() {
  counter += 1;
  return `${process.pid}${Date.now() % 1e9}${counter}`;
}

/**
 * A new client (own Manager and Engine.IO connection) for the mode; closed when the test ends. No automatic
 * reconnection unless asked for, so that a broken server fails the test instead of looping.
 */
export function client(t, mode, nsp = "/interop", opts = {}) {
  const socket = io(BASE + nsp, {
    forceNew: true,
    reconnection: false,
    timeout: WAIT,
    ...MODE_OPTIONS[mode],
    ...opts,
  });
  t.after(() => {
    socket.io.reconnection(false);
    socket.disconnect();
  });
  return socket;
}

/** Resolves with the event's arguments, rejects after ms. */
export function once(emitter, event, ms = WAIT) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      emitter.off(event, listener);
      reject(new Error(`no "${event}" within ${ms} ms`));
    }, ms);
    const listener = (...args) => {
      clearTimeout(timer);
      resolve(args);
    };
    emitter.once(event, listener);
  });
}

/** Resolves when connected; rejects with the connect_error (or after ms). */
export function connected(socket, ms = WAIT) {
  if (socket.connected) return Promise.resolve(socket);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`not connected within ${ms} ms`)), ms);
    const onConnect = () => done(null);
    const onError = (err) => done(err);
    function done(err) {
      clearTimeout(timer);
      socket.off("connect", onConnect);
      socket.off("connect_error", onError);
      err ? reject(err) : resolve(socket);
    }
    socket.on("connect", onConnect);
    socket.on("connect_error", onError);
  });
}

/** Connects a client and returns it. */
export async function connect(t, mode, nsp = "/interop", opts = {}) {
  return connected(client(t, mode, nsp, opts));
}

/** Rejects with the connect_error the server answered (fails if the client connected instead). */
export function refused(socket, ms = WAIT) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no connect_error within ${ms} ms`)), ms);
    socket.once("connect", () => {
      clearTimeout(timer);
      reject(new Error(`connected to ${socket.nsp} although it should have been refused`));
    });
    socket.once("connect_error", (err) => {
      clearTimeout(timer);
      resolve(err);
    });
  });
}

/** Records every occurrence of an event: list of argument arrays, plus a way to await the n-th one. */
export function recorder(socket, event) {
  const calls = [];
  const waiters = [];
  socket.on(event, (...args) => {
    calls.push(args);
    for (const w of waiters.filter((w) => calls.length >= w.n)) {
      clearTimeout(w.timer);
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(calls);
    }
  });
  return {
    calls,
    /** Resolves once at least n calls were recorded. */
    atLeast(n, ms = WAIT) {
      if (calls.length >= n) return Promise.resolve(calls);
      return new Promise((resolve, reject) => {
        const w = { n, resolve };
        w.timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(w), 1);
          reject(new Error(`"${event}": ${calls.length} of ${n} expected calls within ${ms} ms`));
        }, ms);
        waiters.push(w);
      });
    },
  };
}

/**
 * With connection state recovery on, every event the server logged for recovery carries its offset as one more,
 * last argument (as with the reference server). Checks it is there and returns the arguments without it.
 */
export function stripOffset(args) {
  assert.ok(args.length > 0, "expected at least the offset argument");
  const offset = args[args.length - 1];
  assert.equal(typeof offset, "string", `last argument should be the recovery offset, got ${String(offset)}`);
  assert.match(offset, /^[0-9a-z]+-[0-9a-z]+$/);
  return args.slice(0, -1);
}

/** A round trip to the server on this socket: whatever the server wrote to it before is received before this ends. */
export async function barrier(socket) {
  return socket.timeout(WAIT).emitWithAck("whoami");
}

/** Waits until the condition (async) holds, polling every 50 ms, for at most ms. */
export async function until(condition, what, ms = WAIT) {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Awaits the upgrade to WebSocket (upgrade mode); resolves at once if already upgraded. */
export async function upgraded(socket, ms = WAIT) {
  const engine = socket.io.engine;
  if (engine.transport.name !== "websocket") {
    await once(engine, "upgrade", ms);
  }
  assert.equal(engine.transport.name, "websocket");
}

/** Bytes of a Buffer, TypedArray or ArrayBuffer, as a Buffer, for comparisons. */
export function bytes(value) {
  if (Buffer.isBuffer(value)) return value;
  if (ArrayBuffer.isView(value)) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  if (value instanceof ArrayBuffer) return Buffer.from(value);
  throw new assert.AssertionError({ message: `expected binary, got ${typeof value}: ${String(value)}` });
}

export function assertBytes(actual, expected, what = "binary") {
  assert.ok(Buffer.isBuffer(actual) || ArrayBuffer.isView(actual) || actual instanceof ArrayBuffer,
    `${what}: expected binary data, got ${JSON.stringify(actual)?.slice(0, 100)}`);
  assert.ok(bytes(actual).equals(bytes(expected)), `${what}: bytes differ`);
}
