import { describe, expect, it } from "vitest";
import {
  catchUp, discard, dueForSending, markRefused, markSending, mergeMessages, newPending, nextToSend, requeueInFlight, retry,
  settle, withoutMessage,
  type HistoryPage,
} from "../src/lib/timeline";
import type { ChatMessage } from "../src/lib/types";

const msg = (id: number, user = "bob", message_id: string | null = null, text = `m${id}`): ChatMessage =>
  ({ id, room: "general", user_id: user, text, timestamp: 1000 + id, message_id });

describe("merge by id", () => {
  it("orders by id and keeps each id once", () => {
    const merged = mergeMessages([msg(1), msg(3)], [msg(2), msg(3), msg(5)]);
    expect(merged.map((m) => m.id)).toEqual([1, 2, 3, 5]);
  });
  it("is idempotent and order-independent", () => {
    const a = [msg(4), msg(2)];
    const b = [msg(3), msg(2), msg(1)];
    const ab = mergeMessages(mergeMessages([], a), b);
    const ba = mergeMessages(mergeMessages([], b), a);
    expect(ab).toEqual(ba);
    expect(mergeMessages(ab, ab)).toEqual(ab);
  });
});

describe("outbox", () => {
  const p1 = newPending("general", "alice", "hello", "uuid-1", 1);
  const p2 = newPending("general", "alice", "again", "uuid-2", 2);

  it("sends queued messages oldest first, not failed or in-flight ones", () => {
    let box = [p2, p1];
    expect(dueForSending(box, 10).map((p) => p.message_id)).toEqual(["uuid-1", "uuid-2"]);
    box = markSending(box, "uuid-1");
    expect(box.find((p) => p.message_id === "uuid-1")).toMatchObject({ state: "sending", attempts: 1 });
    expect(dueForSending(box, 10).map((p) => p.message_id)).toEqual(["uuid-2"]);
  });

  it("keeps each room's order: one in flight per room, a rate-limited head holds back the rest", () => {
    const other = newPending("random", "alice", "elsewhere", "uuid-3", 3);
    let box = [p1, p2, other];
    expect(nextToSend(box, 0).map((p) => p.message_id)).toEqual(["uuid-1", "uuid-3"]);
    box = markSending(box, "uuid-1");
    expect(nextToSend(box, 0).map((p) => p.message_id)).toEqual(["uuid-3"]);
    box = markRefused(box, "uuid-1", "RATE_LIMITED", "slow down", 100, 500);
    expect(nextToSend(box, 200).map((p) => p.message_id)).toEqual(["uuid-3"]);
    expect(nextToSend(box, 600).map((p) => p.message_id)).toEqual(["uuid-1", "uuid-3"]);
    // a failed head does not block the messages typed after it
    box = markRefused(markSending(box, "uuid-1"), "uuid-1", "INVALID_PAYLOAD", "too long", 700);
    expect(nextToSend(box, 700).map((p) => p.message_id)).toEqual(["uuid-2", "uuid-3"]);
  });

  it("is settled by the ack or any copy of the stored message with the same author and id", () => {
    const box = [p1, p2];
    expect(settle(box, [msg(7, "alice", "uuid-1")]).map((p) => p.message_id)).toEqual(["uuid-2"]);
    // same client id from another user does not settle ours
    expect(settle(box, [msg(8, "bob", "uuid-2")])).toHaveLength(2);
    expect(settle(box, [msg(9, "bob")])).toHaveLength(2);
  });

  it("resends after a reconnect with the same id", () => {
    let box = markSending([p1], "uuid-1");
    box = requeueInFlight(box);
    const due = dueForSending(box, 0);
    expect(due).toHaveLength(1);
    expect(due[0]).toMatchObject({ message_id: "uuid-1", text: "hello", state: "queued", attempts: 1 });
  });

  it("waits out a rate limit, then sends again", () => {
    let box = markSending([p1], "uuid-1");
    box = markRefused(box, "uuid-1", "RATE_LIMITED", "slow down", 1000, 700);
    expect(box[0]).toMatchObject({ state: "queued", notBefore: 1700, error: "slow down" });
    expect(dueForSending(box, 1699)).toHaveLength(0);
    expect(dueForSending(box, 1700)).toHaveLength(1);
  });

  it("requeues timeouts and disconnects silently, keeps invalid messages for the user", () => {
    let box = markSending([p1, p2], "uuid-1");
    box = markSending(box, "uuid-2");
    box = markRefused(box, "uuid-1", "TIMEOUT", "operation has timed out", 5);
    box = markRefused(box, "uuid-2", "INVALID_PAYLOAD", "text: at most 2000 characters", 5);
    expect(box[0]).toMatchObject({ state: "queued", error: null });
    expect(box[1]).toMatchObject({ state: "failed", error: "text: at most 2000 characters", text: "again" });
    expect(dueForSending(box, 5).map((p) => p.message_id)).toEqual(["uuid-1"]);
    box = retry(box, "uuid-2");
    expect(dueForSending(box, 5)).toHaveLength(2);
    expect(discard(box, "uuid-2").map((p) => p.message_id)).toEqual(["uuid-1"]);
  });
});

describe("catching up after a reconnect", () => {
  /** A server holding ids 1..n, pages newest first below `before`. */
  const server = (ids: number[], pageSize = 3) => {
    const calls: (number | null)[] = [];
    const fetchPage = async (before: number | null): Promise<HistoryPage> => {
      calls.push(before);
      const below = ids.filter((id) => before === null || id < before).sort((a, b) => b - a);
      const messages = below.slice(0, pageSize).map((id) => msg(id));
      return { messages, nextBefore: below.length > pageSize ? messages[messages.length - 1].id : null };
    };
    return { fetchPage, calls };
  };

  it("fetches pages down to what it holds: no gap, no duplicate", async () => {
    const known = [msg(1), msg(2), msg(3)];
    const s = server([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const merged = await catchUp(known, s.fetchPage);
    expect(merged.map((m) => m.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(s.calls).toEqual([null, 8, 5]);
  });

  it("stops after one page when nothing was missed", async () => {
    const s = server([1, 2, 3]);
    const merged = await catchUp([msg(1), msg(2), msg(3)], s.fetchPage);
    expect(merged.map((m) => m.id)).toEqual([1, 2, 3]);
    expect(s.calls).toEqual([null]);
  });

  it("copes with ids that are not contiguous (ids are global, rooms interleave)", async () => {
    const s = server([2, 5, 9, 14, 20, 33, 40]);
    const merged = await catchUp([msg(2), msg(5)], s.fetchPage);
    expect(merged.map((m) => m.id)).toEqual([2, 5, 9, 14, 20, 33, 40]);
  });

  it("keeps a message received live while the pages were on their way (reconnect race)", async () => {
    let held = [msg(1), msg(2)];
    const s = server([1, 2, 3]);
    const merged = await catchUp(held, async (before) => {
      const page = await s.fetchPage(before);
      held = mergeMessages(held, [msg(4)]); // new_message arrives during the fetch, stored after the page was read
      return page;
    }, 20, () => held);
    expect(merged.map((m) => m.id)).toEqual([1, 2, 3, 4]);
  });

  it("with nothing held, takes the newest page only", async () => {
    const s = server([1, 2, 3, 4, 5, 6, 7]);
    const merged = await catchUp([], s.fetchPage);
    expect(merged.map((m) => m.id)).toEqual([5, 6, 7]);
    expect(s.calls).toEqual([null]);
  });
});

describe("admin deletes (message_deleted)", () => {
  it("removes that id only, keeping the order", () => {
    const list = [msg(1), msg(2), msg(3)];
    expect(withoutMessage(list, 2).map((m) => m.id)).toEqual([1, 3]);
    expect(list.map((m) => m.id)).toEqual([1, 2, 3]);
  });

  it("returns the same array when the id is not held (no re-render)", () => {
    const list = [msg(1)];
    expect(withoutMessage(list, 7)).toBe(list);
  });

  it("stays deleted through a catch-up after a reconnect", async () => {
    const held = withoutMessage([msg(1), msg(2), msg(3)], 2);
    const server: HistoryPage = { messages: [msg(4), msg(3), msg(1)], nextBefore: null };
    const merged = await catchUp(held, async () => server);
    expect(merged.map((m) => m.id)).toEqual([1, 3, 4]);
  });
});
