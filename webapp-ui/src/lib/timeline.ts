/**
 * Safe sending and gap-free history, as pure functions: the outbox of messages typed here and not yet acknowledged,
 * and the merge of server messages (acks, new_message, history pages) by id.
 */
import type { ChatMessage } from "./types";

export type PendingState = "queued" | "sending" | "failed";

/** A message typed here: shown as pending until the server's ack; resent with the same message_id. */
export interface PendingMessage {
  message_id: string;
  room: string;
  user_id: string;
  text: string;
  created: number;
  state: PendingState;
  attempts: number;
  /** epoch ms before which it must not be sent again (rate limit); 0 when it may go now */
  notBefore: number;
  /** why the last attempt failed, for the UI */
  error: string | null;
}

export function newPending(room: string, user: string, text: string, id: string, now: number): PendingMessage {
  return { message_id: id, room, user_id: user, text, created: now, state: "queued", attempts: 0, notBefore: 0, error: null };
}

/** Server messages by id, oldest first, each id once (a later copy of an id replaces the earlier). */
export function mergeMessages(existing: readonly ChatMessage[], incoming: readonly ChatMessage[]): ChatMessage[] {
  if (incoming.length === 0) return existing as ChatMessage[];
  const byId = new Map<number, ChatMessage>();
  for (const m of existing) byId.set(m.id, m);
  for (const m of incoming) byId.set(m.id, m);
  return [...byId.values()].sort((a, b) => a.id - b.id);
}

/** The messages without the one an admin deleted (`message_deleted`); the same array when it is not there. */
export function withoutMessage(messages: readonly ChatMessage[], id: number): ChatMessage[] {
  return messages.some((m) => m.id === id) ? messages.filter((m) => m.id !== id) : (messages as ChatMessage[]);
}

/** The outbox without the entries that these server messages acknowledge (same author and message_id). */
export function settle(outbox: readonly PendingMessage[], stored: readonly ChatMessage[]): PendingMessage[] {
  const done = new Set(stored.filter((m) => m.message_id).map((m) => `${m.user_id}\u0000${m.message_id}`));
  if (done.size === 0) return outbox as PendingMessage[];
  return outbox.filter((p) => !done.has(`${p.user_id}\u0000${p.message_id}`));
}

/** What to send now: queued entries (never failed ones) that are past their rate-limit delay, oldest first. */
export function dueForSending(outbox: readonly PendingMessage[], now: number): PendingMessage[] {
  return outbox.filter((p) => p.state === "queued" && p.notBefore <= now).sort((a, b) => a.created - b.created);
}

export function update(outbox: readonly PendingMessage[], id: string, change: Partial<PendingMessage>): PendingMessage[] {
  return outbox.map((p) => (p.message_id === id ? { ...p, ...change } : p));
}

/**
 * What to send now, keeping each room's messages in the order they were typed: per room, the oldest unsettled
 * message (queued or in flight; failed ones are skipped) if it is queued and past its rate-limit delay. One message
 * per room in flight at a time, so a refusal (rate limit) can never let a later message overtake it.
 */
export function nextToSend(outbox: readonly PendingMessage[], now: number): PendingMessage[] {
  const heads = new Map<string, PendingMessage>();
  for (const p of [...outbox].sort((a, b) => a.created - b.created)) {
    if (p.state === "failed" || heads.has(p.room)) continue;
    heads.set(p.room, p);
  }
  return [...heads.values()].filter((p) => p.state === "queued" && p.notBefore <= now);
}

/** Before (re)sending: mark as in flight. */
export function markSending(outbox: readonly PendingMessage[], id: string): PendingMessage[] {
  return outbox.map((p) => (p.message_id === id ? { ...p, state: "sending", attempts: p.attempts + 1 } : p));
}

/**
 * A refusal or a lost ack: transient ones (timeout, disconnect, rate limit, storage down) go back to the queue, to be
 * resent with the same id; the others (invalid payload, not a member...) fail and wait for the user.
 */
export function markRefused(outbox: readonly PendingMessage[], id: string, code: string, message: string,
                            now: number, retryAfterMs = 0): PendingMessage[] {
  const transient = code === "TIMEOUT" || code === "DISCONNECTED" || code === "RATE_LIMITED" || code === "STORAGE_UNAVAILABLE";
  return outbox.map((p) => {
    if (p.message_id !== id) return p;
    if (transient) {
      const wait = code === "RATE_LIMITED" ? Math.max(retryAfterMs, 250) : code === "STORAGE_UNAVAILABLE" ? 2000 : 0;
      return { ...p, state: "queued", notBefore: now + wait, error: code === "TIMEOUT" || code === "DISCONNECTED" ? null : message };
    }
    return { ...p, state: "failed", error: message };
  });
}

/** After a reconnect: everything in flight goes back to the queue (its ack can no longer come). */
export function requeueInFlight(outbox: readonly PendingMessage[]): PendingMessage[] {
  return outbox.map((p) => (p.state === "sending" ? { ...p, state: "queued" } : p));
}

/** The user asked to retry a failed message. */
export function retry(outbox: readonly PendingMessage[], id: string): PendingMessage[] {
  return update(outbox, id, { state: "queued", notBefore: 0, error: null });
}

export function discard(outbox: readonly PendingMessage[], id: string): PendingMessage[] {
  return outbox.filter((p) => p.message_id !== id);
}

/** A page of history as the server returns it (newest first) and its cursor for the next older page. */
export interface HistoryPage {
  messages: ChatMessage[];
  nextBefore: number | null;
}

/**
 * After a reconnect: fetches pages from the newest down to the newest message already held, so that whatever
 * arrived while away is merged with no gap. Stops at the overlap, at the last page, or after maxPages. The result is
 * merged into what is held when the last page arrives (`held`), not into `known`: messages received live while the
 * pages were on their way are kept.
 */
export async function catchUp(known: readonly ChatMessage[],
                              fetchPage: (before: number | null) => Promise<HistoryPage>,
                              maxPages = 20,
                              held: () => readonly ChatMessage[] = () => known): Promise<ChatMessage[]> {
  const newest = known.length ? Math.max(...known.map((m) => m.id)) : null;
  let fetched: ChatMessage[] = [];
  let before: number | null = null;
  for (let i = 0; i < maxPages; i++) {
    const page = await fetchPage(before);
    fetched = mergeMessages(fetched, page.messages);
    if (newest === null || page.messages.length === 0 || page.nextBefore === null) break;
    const oldest = Math.min(...page.messages.map((m) => m.id));
    if (oldest <= newest) break;
    before = page.nextBefore;
  }
  return mergeMessages(held(), fetched);
}
