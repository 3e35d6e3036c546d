// Namespaces: auth in the CONNECT payload, a refusing connection middleware (/secure), dynamic namespaces
// (/dyn-<digits>), unknown namespaces, and several namespaces multiplexed on one connection, in each transport mode.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  MODES, TEST_TIMEOUT, WAIT, client, connect, connected, once, refused, stripOffset, unique,
} from "./helpers.mjs";

for (const mode of MODES) {
  describe(`${mode}: namespaces and auth`, () => {
    test("the middleware refuses a CONNECT without a token", { timeout: TEST_TIMEOUT }, async (t) => {
      const socket = client(t, mode, "/secure");
      const err = await refused(socket);
      assert.equal(err.message, "unauthorized");
      assert.deepEqual(err.data, { code: "UNAUTHORIZED" });
      assert.equal(socket.connected, false);
      assert.equal(socket.id, undefined);
    });

    test("the middleware refuses a wrong token", { timeout: TEST_TIMEOUT }, async (t) => {
      const socket = client(t, mode, "/secure", { auth: { token: "let me in?" } });
      const err = await refused(socket);
      assert.equal(err.message, "unauthorized");
      assert.deepEqual(err.data, { code: "UNAUTHORIZED" });
    });

    test("the right token connects, and the server sees the auth payload", { timeout: TEST_TIMEOUT }, async (t) => {
      const socket = client(t, mode, "/secure", { auth: { token: "letmein", user: "alice" } });
      const welcome = once(socket, "welcome");
      await connected(socket);
      assert.deepEqual(stripOffset(await welcome), ["alice"]);
      const me = await socket.timeout(WAIT).emitWithAck("whoami");
      assert.equal(me.nsp, "/secure");
      assert.equal(me.id, socket.id);
    });

    test("auth given as a function is sent too", { timeout: TEST_TIMEOUT }, async (t) => {
      const socket = client(t, mode, "/secure", { auth: (cb) => cb({ token: "letmein", user: "bob" }) });
      const welcome = once(socket, "welcome");
      await connected(socket);
      assert.deepEqual(stripOffset(await welcome), ["bob"]);
    });

    test("a refused namespace leaves the others on the same connection working", { timeout: TEST_TIMEOUT },
      async (t) => {
        const main = await connect(t, mode, "/interop");
        // Manager.socket() opens the namespace at once (autoConnect): no connect() call, which would send a
        // second CONNECT for the same namespace (a protocol error the server answers by closing the connection).
        const secure = main.io.socket("/secure", { auth: { token: "nope" } });
        t.after(() => secure.disconnect());
        const err = await refused(secure);
        assert.equal(err.message, "unauthorized");
        assert.equal(main.connected, true);
        assert.equal(await main.timeout(WAIT).emitWithAck("ack", "still fine"), "still fine");
      });

    test("several namespaces share one Engine.IO connection", { timeout: TEST_TIMEOUT }, async (t) => {
      const main = await connect(t, mode, "/interop");
      const dynName = `/dyn-${unique()}`;
      const secure = main.io.socket("/secure", { auth: { token: "letmein", user: "carol" } });
      const dyn = main.io.socket(dynName);
      t.after(() => { secure.disconnect(); dyn.disconnect(); });
      const welcome = once(secure, "welcome");
      await Promise.all([connected(secure), connected(dyn)]);
      assert.deepEqual(stripOffset(await welcome), ["carol"]);
      const [a, b, c] = await Promise.all([main, secure, dyn].map((s) => s.timeout(WAIT).emitWithAck("whoami")));
      assert.deepEqual([a.nsp, b.nsp, c.nsp], ["/interop", "/secure", dynName]);
      assert.equal(new Set([a.id, b.id, c.id]).size, 3, "one socket id per namespace");
      // Leaving one namespace keeps the others.
      secure.disconnect();
      assert.equal(await dyn.timeout(WAIT).emitWithAck("ack", "dyn ok"), "dyn ok");
      assert.equal(await main.timeout(WAIT).emitWithAck("ack", "main ok"), "main ok");
    });

    test("dynamic namespaces are created on demand", { timeout: TEST_TIMEOUT }, async (t) => {
      const names = [`/dyn-${unique()}`, `/dyn-${unique()}`];
      const sockets = await Promise.all(names.map((n) => connect(t, mode, n)));
      const seen = await Promise.all(sockets.map((s) => s.timeout(WAIT).emitWithAck("whoami")));
      assert.deepEqual(seen.map((me) => me.nsp), names);
    });

    test("an unknown namespace, or one the dynamic pattern rejects, is refused", { timeout: TEST_TIMEOUT },
      async (t) => {
        for (const nsp of ["/nope", "/dyn-abc", "/dyn-12x"]) {
          const err = await refused(client(t, mode, nsp));
          assert.equal(err.message, "Invalid namespace", nsp);
        }
      });
  });
}
