// The REST half: admin broadcast as alert, 403 for a non-admin, a REST-posted message as new_message, an admin
// DELETE as message_deleted, presence of connected users, and the per-user REST rate limits (429, Retry-After).
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { api, closeAll, join, login, next, sleep, token, unique } from "./helpers.mjs";

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

/** Fires bursts of concurrent requests until one is refused (a busy machine may spread one burst over the window). */
async function burstUntilLimited(send, size = 25, bursts = 4) {
  const replies = [];
  for (let b = 0; b < bursts; b++) {
    const got = await Promise.all(Array.from({ length: size }, (_, i) => send(b * size + i)));
    replies.push(...got);
    if (got.some((r) => r.status === 429)) break;
  }
  return replies;
}

function assertRateLimited(res) {
  assert.equal(res.status, 429, res.text);
  assert.match(res.type, /^application\/problem\+json/);
  assert.equal(res.json.code, "RATE_LIMITED");
  assert.equal(res.json.status, 429);
  assert.ok(Number.isInteger(res.json.retry_after_ms) && res.json.retry_after_ms > 0, res.text);
  const header = Number(res.headers.get("retry-after"));
  assert.ok(Number.isInteger(header) && header >= 1 && header * 1000 >= res.json.retry_after_ms,
    `Retry-After ${res.headers.get("retry-after")} for ${res.json.retry_after_ms} ms`);
}

test("REST posts over the per-user write limit: 429 RATE_LIMITED with Retry-After, and nothing stored", async () => {
  const user = unique("burst");
  const t = await token(user);
  const room = unique("room");
  assert.equal((await api("POST", "/api/rooms", { token: t, body: { name: room } })).status, 201);
  const replies = await burstUntilLimited((i) => api("POST", `/api/rooms/${room}/messages`,
    { token: t, body: { text: `burst ${i}`, message_id: `burst-${i}` } }));
  const limited = replies.filter((r) => r.status === 429);
  const stored = replies.filter((r) => r.status === 201);
  assert.ok(limited.length > 0, `no 429 among ${replies.map((r) => r.status)}`);
  assert.equal(stored.length + limited.length, replies.length, `${replies.map((r) => r.status)}`);
  limited.forEach(assertRateLimited);
  // Another user is not held up by this one's limit.
  const other = await api("POST", `/api/rooms/${room}/messages`, { token: await token(unique("calm")), body: { text: "hi" } });
  assert.equal(other.status, 201, other.text);
  await new Promise((r) => setTimeout(r, Math.max(...limited.map((r) => r.json.retry_after_ms)) + 100));
  const page = await api("GET", `/api/rooms/${room}/messages?limit=100`, { token: t });
  assert.equal(page.status, 200, page.text);
  const texts = page.json.messages.filter((m) => m.user_id === user).map((m) => m.text).sort();
  assert.deepEqual(texts, stored.map((r) => r.json.text).sort(), "exactly the accepted posts are stored");
  const after = await api("POST", `/api/rooms/${room}/messages`, { token: t, body: { text: "after the wait" } });
  assert.equal(after.status, 201, after.text);
});

test("REST broadcasts count against the admin's write limit too", async () => {
  const t = await token(unique("admin"), ["admin"]);
  const replies = await burstUntilLimited(() => api("POST", "/api/broadcast", { token: t, body: { message: "flood" } }));
  const limited = replies.filter((r) => r.status === 429);
  assert.ok(limited.length > 0, `no 429 among ${replies.map((r) => r.status)}`);
  assert.ok(replies.every((r) => r.status === 202 || r.status === 429), `${replies.map((r) => r.status)}`);
  limited.forEach(assertRateLimited);
});

test("an admin's DELETE reaches the room's sockets as message_deleted", async () => {
  const room = unique("room");
  const listener = await login(unique("u"));
  await join(listener, room);
  const author = await login(unique("u"));
  await join(author, room);
  const stored = await author.emitWithAck("chat_message", { room, text: "regrettable" });
  assert.ok(stored.id, JSON.stringify(stored));
  const deleted = next(listener, "message_deleted", (d) => d.room === room);
  const res = await api("DELETE", `/api/rooms/${room}/messages/${stored.id}`,
    { token: await token(unique("mod"), ["admin"]) });
  assert.equal(res.status, 204, res.text);
  assert.deepEqual(await deleted, { id: stored.id, room });
  const page = await api("GET", `/api/rooms/${room}/messages`, { token: await token(unique("u")) });
  assert.deepEqual(page.json.messages, []);
});

test("REST presence lists the users connected to the room now, once per user", async () => {
  const room = unique("room");
  const alice = unique("alice");
  const t = await token(alice);
  const tab1 = await login(alice);
  const tab2 = await login(alice, { opts: { transports: ["websocket"] } });
  await join(tab1, room);
  await join(tab2, room);
  const member = unique("member"); // a member with no socket is not online
  assert.equal((await api("POST", `/api/rooms/${room}/messages`, { token: await token(member), body: { text: "hi" } }))
    .status, 201);
  const online = await api("GET", `/api/rooms/${room}/presence`, { token: t });
  assert.equal(online.status, 200, online.text);
  assert.deepEqual(online.json, { room, users: [alice] });
  tab1.disconnect();
  tab2.disconnect();
  await sleep(300);
  assert.deepEqual((await api("GET", `/api/rooms/${room}/presence`, { token: t })).json, { room, users: [] });
});
