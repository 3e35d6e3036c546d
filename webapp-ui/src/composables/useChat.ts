/**
 * The chat's client state on top of useSocket: rooms with unread counts, each room's messages (merged by id), the
 * outbox of pending messages (resent with the same id after a reconnect), presence, typing, alerts and errors.
 */
import { computed, reactive, ref, watch } from "vue";
import { api } from "../lib/api";
import type { Alert, ChatError, ChatMessage, RoomUser } from "../lib/types";
import {
  catchUp, discard, markRefused, nextToSend, markSending, mergeMessages, newPending, requeueInFlight, retry, settle,
  withoutMessage, type HistoryPage, type PendingMessage,
} from "../lib/timeline";
import { useSocket } from "./useSocket";
import { addNotice, type Notice } from "../lib/notices";

export interface Session {
  user: string;
  admin: boolean;
  /** dev: tokens come from the development issuer and can be refreshed; pasted: the user's own token */
  mode: "dev" | "pasted";
  token: string;
}

export interface RoomState {
  name: string;
  joined: boolean;
  unread: number;
  messages: ChatMessage[];
  /** older pages exist on the server */
  hasMore: boolean;
  loadingOlder: boolean;
  loaded: boolean;
  presence: string[];
  typing: Record<string, number>;
}

export type { Notice };

const ACK_TIMEOUT_MS = 10_000;
const TYPING_SHOW_MS = 3_000;
const TYPING_THROTTLE_MS = 2_000;
const PAGE = 50;
const OUTBOX_KEY = "switchboard.outbox.";

function uuid(): string {
  if (typeof crypto !== "undefined" && typeof crypto.randomUUID === "function") return crypto.randomUUID();
  // insecure contexts (plain http on a LAN address) have no randomUUID
  return "10000000-1000-4000-8000-100000000000".replace(/[018]/g, (c) =>
    (Number(c) ^ (crypto.getRandomValues(new Uint8Array(1))[0] & (15 >> (Number(c) / 4)))).toString(16));
}

export function useChat(session: Session, opts: { forcePolling?: boolean; onSignOut: (why?: string) => void }) {
  const rooms = reactive(new Map<string, RoomState>());
  const active = ref<string | null>(null);
  const outbox = ref<PendingMessage[]>(loadOutbox(session.user));
  const notices = ref<Notice[]>([]);
  let noticeSeq = 0;
  let lastTypingSent = 0;

  const conn = useSocket({
    getToken: async (refresh) => {
      if (refresh) {
        if (session.mode !== "dev") throw new Error("a pasted token cannot be refreshed");
        session.token = await api.devToken(session.user, session.admin);
      }
      return session.token;
    },
    forcePolling: opts.forcePolling,
    onAuthFailed: (code) => {
      if (code === "UNAUTHORIZED" || session.mode !== "dev") opts.onSignOut(`Sign-in refused (${code}).`);
    },
    onConnected: (first) => void onConnected(first),
  });

  watch(outbox, (v) => saveOutbox(session.user, v), { deep: true });

  function room(name: string): RoomState {
    let r = rooms.get(name);
    if (!r) {
      r = { name, joined: false, unread: 0, messages: [], hasMore: true, loadingOlder: false, loaded: false,
        presence: [], typing: {} };
      rooms.set(name, r);
    }
    return rooms.get(name)!;
  }

  /** Shows a notice (see addNotice); toasts go by themselves, alerts stay until dismissed. */
  function notify(kind: Notice["kind"], text: string, ttlMs = kind === "alert" ? 0 : 8000, key?: string) {
    const id = ++noticeSeq;
    notices.value = addNotice(notices.value, { id, kind, text, key });
    if (ttlMs > 0) setTimeout(() => dismiss(id), ttlMs);
  }

  function dismiss(id: number) {
    notices.value = notices.value.filter((n) => n.id !== id);
  }

  // ---- server events ----
  function wire() {
    const s = conn.socket.value!;
    s.on("new_message", (m: ChatMessage) => receive([m], true));
    s.on("message_deleted", (d: { id: number; room: string }) => removeMessage(d.room, d.id));
    s.on("user_joined", (u: RoomUser) => {
      const r = room(u.room);
      if (!r.presence.includes(u.user_id)) r.presence = [...r.presence, u.user_id].sort();
    });
    s.on("user_left", (u: RoomUser) => {
      const r = rooms.get(u.room);
      if (r) r.presence = r.presence.filter((p) => p !== u.user_id);
    });
    s.on("typing", (u: RoomUser) => {
      if (u.user_id === session.user) return;
      const r = room(u.room);
      r.typing = { ...r.typing, [u.user_id]: Date.now() + TYPING_SHOW_MS };
      setTimeout(() => pruneTyping(r), TYPING_SHOW_MS + 50);
    });
    s.on("alert", (a: Alert) => notify("alert", `${a.message}${a.from ? ` (from ${a.from})` : ""}`));
    s.on("error", (e: ChatError) => {
      // an expiring development token is refreshed and the socket reconnected without the user's help
      if (e.code === "TOKEN_EXPIRED" && session.mode === "dev") return;
      notify("error", describeError(e), e.code === "RATE_LIMITED" ? 5000 : 10000, e.code);
    });
  }

  function removeMessage(name: string, id: number) {
    const r = rooms.get(name);
    if (r) r.messages = withoutMessage(r.messages, id);
  }

  function pruneTyping(r: RoomState) {
    const now = Date.now();
    r.typing = Object.fromEntries(Object.entries(r.typing).filter(([, until]) => until > now));
  }

  function receive(messages: ChatMessage[], live: boolean) {
    const byRoom = new Map<string, ChatMessage[]>();
    for (const m of messages) byRoom.set(m.room, [...(byRoom.get(m.room) ?? []), m]);
    for (const [name, list] of byRoom) {
      const r = room(name);
      const before = r.messages.length;
      r.messages = mergeMessages(r.messages, list);
      if (live && name !== active.value) r.unread += r.messages.length - before;
      if (live) {
        // a message arriving ends its author's typing indicator
        const t = { ...r.typing };
        for (const m of list) delete t[m.user_id];
        r.typing = t;
      }
    }
    outbox.value = settle(outbox.value, messages);
  }

  // ---- connection lifecycle ----
  async function onConnected(first: boolean) {
    outbox.value = requeueInFlight(outbox.value);
    try {
      await refreshRooms();
    } catch (e) {
      notify("error", `Could not load rooms: ${(e as Error).message}`);
    }
    // whatever arrived while away: from the newest down to what we hold, merged by id
    for (const r of rooms.values()) {
      if (r.joined && r.loaded) {
        try {
          // merged into what is held by then: a message received live meanwhile must not be overwritten
          r.messages = await catchUp(r.messages, (before) => fetchPage(r.name, before), undefined, () => r.messages);
          outbox.value = settle(outbox.value, r.messages);
        } catch (e) {
          notify("error", `Could not catch up on #${r.name}: ${(e as Error).message}`);
        }
      }
    }
    if (active.value) await loadPresence(active.value);
    if (first && !active.value) {
      const joined = [...rooms.values()].filter((r) => r.joined).map((r) => r.name);
      await open(joined.includes("general") ? "general" : joined[0] ?? null);
    }
    flush();
  }

  async function refreshRooms() {
    const all = await api.rooms(session.token);
    const memberships = await Promise.all(all.map(async (r) => {
      try {
        return (await api.members(session.token, r.name)).includes(session.user);
      } catch {
        return false;
      }
    }));
    all.forEach((info, i) => {
      const r = room(info.name);
      r.joined = memberships[i] || r.joined;
    });
  }

  async function fetchPage(name: string, before: number | null): Promise<HistoryPage> {
    const s = conn.socket.value;
    if (s?.connected) {
      const reply = await s.timeout(ACK_TIMEOUT_MS).emitWithAck("history",
        before ? { room: name, before, limit: PAGE } : { room: name, limit: PAGE });
      if (reply?.error) throw new Error(describeError(reply.error));
      const msgs: ChatMessage[] = reply.messages ?? [];
      return { messages: msgs, nextBefore: msgs.length === PAGE ? Math.min(...msgs.map((m) => m.id)) : null };
    }
    const page = await api.messages(session.token, name, before, PAGE);
    return { messages: page.messages, nextBefore: page.next_before };
  }

  async function loadPresence(name: string) {
    try {
      room(name).presence = (await api.presence(session.token, name)).sort();
    } catch {
      /* shown again on the next event */
    }
  }

  // ---- user actions ----
  async function open(name: string | null) {
    active.value = name;
    if (!name) return;
    const r = room(name);
    r.unread = 0;
    if (!r.loaded) {
      try {
        const page = await fetchPage(name, null);
        r.messages = mergeMessages(r.messages, page.messages);
        r.hasMore = page.nextBefore !== null;
        r.loaded = true;
        outbox.value = settle(outbox.value, page.messages);
      } catch (e) {
        notify("error", `Could not load #${name}: ${(e as Error).message}`);
      }
    }
    await loadPresence(name);
  }

  async function loadOlder(name: string): Promise<number> {
    const r = room(name);
    if (!r.hasMore || r.loadingOlder || r.messages.length === 0) return 0;
    r.loadingOlder = true;
    try {
      const oldest = r.messages[0].id;
      const page = await fetchPage(name, oldest);
      const before = r.messages.length;
      r.messages = mergeMessages(r.messages, page.messages);
      r.hasMore = page.nextBefore !== null;
      return r.messages.length - before;
    } catch (e) {
      notify("error", `Could not load older messages: ${(e as Error).message}`);
      return 0;
    } finally {
      r.loadingOlder = false;
    }
  }

  async function join(name: string) {
    const s = conn.socket.value;
    if (!s?.connected) {
      notify("error", "Not connected: try again when back online.");
      return false;
    }
    try {
      const reply = await s.timeout(ACK_TIMEOUT_MS).emitWithAck("join", { room: name });
      if (reply?.error) {
        notify("error", describeError(reply.error));
        return false;
      }
      room(name).joined = true;
      await open(name);
      return true;
    } catch (e) {
      notify("error", `Could not join #${name}: ${(e as Error).message}`);
      return false;
    }
  }

  async function leave(name: string) {
    const s = conn.socket.value;
    if (!s?.connected) return;
    const reply = await s.timeout(ACK_TIMEOUT_MS).emitWithAck("leave", { room: name }).catch(() => null);
    if (reply?.ok) {
      const r = room(name);
      r.joined = false;
      r.loaded = false;
      r.messages = [];
      if (active.value === name) active.value = null;
    }
  }

  function send(text: string) {
    const name = active.value;
    if (!name || !text.trim()) return;
    outbox.value = [...outbox.value, newPending(name, session.user, text, uuid(), Date.now())];
    flush();
  }

  let flushTimer: ReturnType<typeof setTimeout> | null = null;

  /** Sends every due message of the outbox; schedules itself again for rate-limited ones. */
  function flush() {
    const s = conn.socket.value;
    if (!s?.connected) return;
    const now = Date.now();
    for (const p of nextToSend(outbox.value, now)) {
      outbox.value = markSending(outbox.value, p.message_id);
      s.timeout(ACK_TIMEOUT_MS).emit("chat_message", { room: p.room, text: p.text, message_id: p.message_id },
        (err: Error | null, reply: any) => {
          if (err) {
            outbox.value = markRefused(outbox.value, p.message_id, s.connected ? "TIMEOUT" : "DISCONNECTED", err.message, Date.now());
          } else if (reply?.error) {
            const e = reply.error as ChatError;
            outbox.value = markRefused(outbox.value, p.message_id, e.code, describeError(e), Date.now(), e.retry_after_ms ?? 0);
          } else if (reply?.id) {
            receive([reply as ChatMessage], false);
          }
          flush();
        });
    }
    scheduleFlush();
  }

  function scheduleFlush() {
    const waiting = outbox.value.filter((p) => p.state === "queued" && p.notBefore > Date.now());
    if (waiting.length === 0) return;
    const next = Math.min(...waiting.map((p) => p.notBefore));
    if (flushTimer) clearTimeout(flushTimer);
    flushTimer = setTimeout(() => { flushTimer = null; flush(); }, Math.max(0, next - Date.now()) + 10);
  }

  function retryMessage(id: string) {
    outbox.value = retry(outbox.value, id);
    flush();
  }

  function discardMessage(id: string) {
    outbox.value = discard(outbox.value, id);
  }

  function typing() {
    const s = conn.socket.value;
    const now = Date.now();
    if (!s?.connected || !active.value || now - lastTypingSent < TYPING_THROTTLE_MS) return;
    lastTypingSent = now;
    s.emit("typing", { room: active.value });
  }

  /** Admins: deletes a message for everyone (REST); the room hears `message_deleted`, this client at once. */
  async function deleteMessage(name: string, id: number) {
    try {
      await api.deleteMessage(session.token, name, id);
      removeMessage(name, id);
    } catch (e) {
      notify("error", `Could not delete the message: ${(e as Error).message}`);
    }
  }

  async function broadcast(message: string, toRoom?: string) {
    try {
      await api.broadcast(session.token, message, toRoom);
      notify("info", "Broadcast sent.");
      return true;
    } catch (e) {
      notify("error", `Broadcast failed: ${(e as Error).message}`);
      return false;
    }
  }

  function start() {
    conn.start();
    wire();
  }

  const sortedRooms = computed(() => [...rooms.values()].sort((a, b) =>
    Number(b.joined) - Number(a.joined) || a.name.localeCompare(b.name)));

  return {
    conn, rooms, sortedRooms, active, outbox, notices, session,
    start, stop: conn.stop, open, join, leave, loadOlder, send, retryMessage, discardMessage, typing, broadcast,
    deleteMessage,
    dismiss, refreshRooms,
  };
}

export function describeError(e: ChatError): string {
  switch (e.code) {
    case "RATE_LIMITED":
      return `Slow down: you are sending too fast${e.retry_after_ms ? ` (retrying in ${Math.ceil(e.retry_after_ms / 100) / 10} s)` : ""}.`;
    case "INVALID_PAYLOAD":
      return `Invalid message: ${e.message}`;
    case "PAYLOAD_TOO_LARGE":
      return `Message too long: ${e.message}`;
    case "NOT_A_MEMBER":
      return `Not a member: ${e.message}`;
    case "STORAGE_UNAVAILABLE":
      return "The chat is unavailable right now; your messages will be retried.";
    default:
      return `${e.code}: ${e.message}`;
  }
}

function loadOutbox(user: string): PendingMessage[] {
  try {
    const raw = localStorage.getItem(OUTBOX_KEY + user);
    const list = raw ? (JSON.parse(raw) as PendingMessage[]) : [];
    return requeueInFlight(list);
  } catch {
    return [];
  }
}

function saveOutbox(user: string, list: PendingMessage[]) {
  try {
    if (list.length) localStorage.setItem(OUTBOX_KEY + user, JSON.stringify(list));
    else localStorage.removeItem(OUTBOX_KEY + user);
  } catch {
    /* storage full or off: the outbox stays in memory */
  }
}
