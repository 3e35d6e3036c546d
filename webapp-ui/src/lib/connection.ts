/**
 * The connection state the UI shows, as a pure reducer over what socket.io-client reports, so that it can be tested
 * without a socket. States: connecting (first attempt), connected, reconnecting (with the time of the next attempt,
 * or null while an attempt is in flight), offline (attempts exhausted or the browser is offline).
 */

/** The source article's reconnection policy, passed to io() as is. */
export const RECONNECT_POLICY = Object.freeze({
  reconnection: true,
  reconnectionDelay: 1000,
  reconnectionDelayMax: 5000,
  randomizationFactor: 0.5,
  reconnectionAttempts: 10,
  timeout: 20000,
  transports: ["websocket", "polling"] as string[],
});

export type ConnectionStatus = "idle" | "connecting" | "connected" | "reconnecting" | "offline";

export interface ConnectionState {
  status: ConnectionStatus;
  /** epoch ms of the next reconnection attempt; null when none is scheduled */
  nextAttemptAt: number | null;
  /** reconnection attempts made since the connection was lost */
  attempt: number;
  /** why the last connection ended or failed, for the banner */
  lastError: string | null;
  /** the transport in use while connected */
  transport: string | null;
}

export type ConnectionEvent =
  | { type: "start" }
  | { type: "connected"; transport: string }
  | { type: "transport"; transport: string }
  | { type: "disconnected"; reason: string; willRetry: boolean }
  | { type: "scheduled"; delayMs: number; now: number }
  | { type: "attempt"; attempt: number }
  | { type: "connect_error"; message: string }
  | { type: "gave_up" }
  | { type: "browser_offline" }
  | { type: "stop" };

export const initialConnection: ConnectionState = Object.freeze({
  status: "idle",
  nextAttemptAt: null,
  attempt: 0,
  lastError: null,
  transport: null,
}) as ConnectionState;

export function reduceConnection(s: ConnectionState, e: ConnectionEvent): ConnectionState {
  switch (e.type) {
    case "start":
      return { ...s, status: s.status === "connected" ? "connected" : "connecting", nextAttemptAt: null };
    case "connected":
      return { status: "connected", nextAttemptAt: null, attempt: 0, lastError: null, transport: e.transport };
    case "transport":
      return s.status === "connected" ? { ...s, transport: e.transport } : s;
    case "disconnected":
      return {
        ...s,
        status: e.willRetry ? "reconnecting" : "offline",
        transport: null,
        lastError: e.reason,
        nextAttemptAt: null,
      };
    case "scheduled":
      if (s.status === "idle") return s;
      return { ...s, status: "reconnecting", nextAttemptAt: e.now + Math.max(0, e.delayMs) };
    case "attempt":
      return { ...s, status: "reconnecting", attempt: e.attempt, nextAttemptAt: null };
    case "connect_error":
      return { ...s, lastError: e.message, status: s.status === "connected" ? "reconnecting" : s.status };
    case "gave_up":
    case "browser_offline":
      return { ...s, status: s.status === "idle" ? "idle" : "offline", nextAttemptAt: null, transport: null };
    case "stop":
      return { ...initialConnection };
  }
}

/** Whole seconds until the next attempt (at least 1 while one is scheduled), or null. */
export function secondsUntil(s: ConnectionState, now: number): number | null {
  if (s.status !== "reconnecting" || s.nextAttemptAt === null) return null;
  return Math.max(1, Math.ceil((s.nextAttemptAt - now) / 1000));
}

/** The banner text for a state; null when there is nothing to say. */
export function bannerText(s: ConnectionState, now: number): string | null {
  switch (s.status) {
    case "idle":
    case "connected":
      return null;
    case "connecting":
      return "Connecting...";
    case "reconnecting": {
      const secs = secondsUntil(s, now);
      return secs === null ? "Reconnecting..." : `Reconnecting in ${secs} s...`;
    }
    case "offline":
      return "Offline: messages will be sent when back";
  }
}

/**
 * What to do about a disconnect reason from socket.io-client: the client reconnects by itself except after
 * "io server disconnect" (the server ended the session) and "io client disconnect" (we did).
 */
export function reconnectsByItself(reason: string): boolean {
  return reason !== "io server disconnect" && reason !== "io client disconnect";
}

/** socket.io-client's backoff formula (the delay before attempt n, without jitter), for estimates and tests. */
export function backoffBounds(attempt: number, policy = RECONNECT_POLICY): { min: number; max: number } {
  const base = policy.reconnectionDelay * Math.pow(2, attempt);
  const jitter = base * policy.randomizationFactor;
  const cap = policy.reconnectionDelayMax;
  return { min: Math.min(cap, Math.floor(base - jitter)), max: Math.min(cap, Math.ceil(base + jitter)) };
}

/** One jittered delay of that formula (used for the reconnect after the server ended the session). */
export function backoffDelay(attempt: number, random = Math.random, policy = RECONNECT_POLICY): number {
  const base = policy.reconnectionDelay * Math.pow(2, attempt);
  const r = random();
  const deviation = Math.floor(r * policy.randomizationFactor * base);
  const ms = (Math.floor(r * 10) & 1) === 0 ? base - deviation : base + deviation;
  return Math.min(ms, policy.reconnectionDelayMax) | 0;
}
