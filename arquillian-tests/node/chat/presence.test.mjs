// Presence: a user with two tabs is one presence; user_joined on the first socket, user_left after the last.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { closeAll, join, login, next, record, sleep, unique } from "./helpers.mjs";

after(closeAll);

test("user_joined on the first tab only, user_left after the last tab (default room general)", async () => {
  const watcher = await login(unique("watch"));
  const alice = unique("alice");
  const joined = record(watcher, "user_joined", (e) => e.user_id === alice);
  const left = record(watcher, "user_left", (e) => e.user_id === alice);

  const firstJoin = next(watcher, "user_joined", (e) => e.user_id === alice && e.room === "general");
  const tab1 = await login(alice);
  assert.deepEqual(await firstJoin, { user_id: alice, room: "general" });
  const tab2 = await login(alice, { opts: { transports: ["websocket"] } });
  await sleep(400);
  assert.equal(joined.length, 1, JSON.stringify(joined));

  tab1.disconnect();
  await sleep(400);
  assert.deepEqual(left, []);
  const lastLeave = next(watcher, "user_left", (e) => e.user_id === alice && e.room === "general");
  tab2.disconnect();
  assert.deepEqual(await lastLeave, { user_id: alice, room: "general" });
  await sleep(200);
  assert.equal(left.length, 1);
});

test("join and leave events announce presence in other rooms too, and the user's rooms are rejoined", async () => {
  const room = unique("room");
  const watcher = await login(unique("watch"));
  await join(watcher, room);
  const alice = unique("alice");
  const tab1 = await login(alice);
  const joined = next(watcher, "user_joined", (e) => e.user_id === alice && e.room === room);
  assert.deepEqual(await tab1.emitWithAck("join", { room }), { ok: true, room });
  await joined;
  // A second tab of a member is put into the room on connect, without a second user_joined.
  const again = record(watcher, "user_joined", (e) => e.user_id === alice && e.room === room);
  const tab2 = await login(alice);
  const got = next(tab2, "new_message", (m) => m.room === room);
  await watcher.emitWithAck("chat_message", { room, text: "to both tabs" });
  assert.equal((await got).text, "to both tabs");
  await sleep(200);
  assert.deepEqual(again, []);
  tab2.disconnect();
  const left = next(watcher, "user_left", (e) => e.user_id === alice && e.room === room);
  assert.deepEqual(await tab1.emitWithAck("leave", { room }), { ok: true, room });
  assert.deepEqual(await left, { user_id: alice, room });
});
