// The REST half reaching sockets: admin broadcast as alert, 403 for a non-admin, a REST-posted message as new_message.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { api, closeAll, join, login, next, token, unique } from "./helpers.mjs";

after(closeAll);

test("an admin broadcast reaches every socket as alert", async () => {
  const s1 = await login(unique("u"));
  const s2 = await login(unique("u"), { opts: { transports: ["websocket"] } });
  const admin = unique("admin");
  const a1 = next(s1, "alert", (a) => a.message === "maintenance at noon");
  const a2 = next(s2, "alert", (a) => a.message === "maintenance at noon");
  const res = await api("POST", "/api/broadcast",
    { token: await token(admin, ["admin"]), body: { message: "maintenance at noon" } });
  assert.ok(res.status >= 200 && res.status < 300, `${res.status} ${res.text}`);
  assert.deepEqual(await a1, { message: "maintenance at noon", from: admin });
  assert.deepEqual(await a2, { message: "maintenance at noon", from: admin });
});

test("an admin broadcast to a room reaches that room only", async () => {
  const room = unique("room");
  const inRoom = await login(unique("u"));
  await join(inRoom, room);
  const outside = await login(unique("u"));
  let leaked = false;
  outside.on("alert", (a) => { if (a.message === "room only") leaked = true; });
  const got = next(inRoom, "alert", (a) => a.message === "room only");
  const res = await api("POST", "/api/broadcast",
    { token: await token(unique("admin"), ["admin"]), body: { message: "room only", room } });
  assert.ok(res.status >= 200 && res.status < 300, `${res.status} ${res.text}`);
  await got;
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(leaked, false);
});

test("a non-admin broadcast is 403", async () => {
  const res = await api("POST", "/api/broadcast", { token: await token(unique("u")), body: { message: "hi" } });
  assert.equal(res.status, 403, res.text);
});

test("a message posted over REST reaches the room's sockets as new_message", async () => {
  const room = unique("room");
  const listener = await login(unique("u"));
  await join(listener, room);
  const author = unique("rest");
  const got = next(listener, "new_message", (m) => m.room === room);
  const res = await api("POST", `/api/rooms/${room}/messages`,
    { token: await token(author), body: { text: "from REST", message_id: "rest-1" } });
  assert.equal(res.status, 201, res.text);
  const m = await got;
  assert.equal(m.id, res.json.id);
  assert.equal(m.text, "from REST");
  assert.equal(m.user_id, author);
  assert.equal(m.message_id, "rest-1");
});
