/**
 * useSocket: one socket.io-client connection with the source article's reconnection policy, exposing its state
 * (connected / reconnecting with seconds to the next attempt / offline) for the UI.
 *
 * - socket.io-client reconnects by itself after a lost transport (backoff 1 s..5 s, jitter 0.5, 10 attempts).
 * - When the server ends the session ("io server disconnect") the client does not; we reconnect after a backoff.
 * - connect_error TOKEN_EXPIRED, or an `error` TOKEN_EXPIRED before the server disconnects: get a fresh token
 *   (getToken(true)) and connect again.
 * - After the 10 attempts, or when the browser says it is offline: offline; we try again when the browser is back
 *   online, every 15 s, or when the user asks. A socket that lived through a short offline spell is shown connected
 *   again when the browser is back online.
 */
import { io, type Socket } from "socket.io-client";
import { computed, onScopeDispose, ref, shallowRef, getCurrentScope } from "vue";
import {
  RECONNECT_POLICY, backoffDelay, bannerText, initialConnection, reduceConnection, secondsUntil,
  type ConnectionEvent, type ConnectionState,
} from "../lib/connection";

export interface UseSocketOptions {
  url?: string;
  /** the token for the handshake; refresh=true after the server said TOKEN_EXPIRED */
  getToken: (refresh: boolean) => Promise<string>;
  /** polling only (for networks that block WebSocket; also ?transport=polling in the page URL) */
  forcePolling?: boolean;
  /** called when the server refuses the token for good (UNAUTHORIZED, or TOKEN_EXPIRED with no way to refresh) */
  onAuthFailed?: (code: string) => void;
  /** called on every successful (re)connection, after the first too */
  onConnected?: (first: boolean) => void;
  ioFactory?: typeof io;
  now?: () => number;
}

const SLOW_RETRY_MS = 15_000;

export function useSocket(options: UseSocketOptions) {
  const now = options.now ?? Date.now;
  const state = ref<ConnectionState>({ ...initialConnection });
  const clock = ref(now());
  const socket = shallowRef<Socket | null>(null);
  let token: string | null = null;
  let tokenExpired = false;
  let serverEndedAttempts = 0;
  let everConnected = false;
  let timers: ReturnType<typeof setTimeout>[] = [];
  let ticker: ReturnType<typeof setInterval> | null = null;
  let slowRetry: ReturnType<typeof setInterval> | null = null;
  let stopped = true;

  const dispatch = (e: ConnectionEvent) => {
    state.value = reduceConnection(state.value, e);
    clock.value = now();
  };

  const later = (ms: number, fn: () => void) => {
    const t = setTimeout(() => {
      timers = timers.filter((x) => x !== t);
      fn();
    }, ms);
    timers.push(t);
  };

  async function reconnectWithFreshToken(refresh: boolean) {
    try {
      token = await options.getToken(refresh);
    } catch (e) {
      dispatch({ type: "connect_error", message: "could not refresh the token" });
      options.onAuthFailed?.("TOKEN_EXPIRED");
      return;
    }
    if (!stopped) socket.value?.connect();
  }

  function onOnline() {
    if (stopped || !socket.value) return;
    if (socket.value.connected) resync();
    else retryNow();
  }

  /**
   * The browser said offline, but the socket may have lived through it: engine.io-client closes its transport on the
   * browser's offline event only for hosts other than "localhost", and an open WebSocket that the network only
   * stalled for less than a heartbeat is never closed. No "connect" follows then, so show the live socket again.
   */
  function resync() {
    const s = socket.value;
    if (!s?.connected || state.value.status === "connected") return;
    dispatch({ type: "connected", transport: (s.io as any).engine?.transport?.name ?? "unknown" });
  }

  function onOffline() {
    if (!stopped) dispatch({ type: "browser_offline" });
  }

  function start() {
    if (socket.value) return;
    stopped = false;
    const forcePolling = options.forcePolling ?? false;
    const factory = options.ioFactory ?? io;
    const s = factory(options.url ?? "/", {
      ...RECONNECT_POLICY,
      transports: forcePolling ? ["polling"] : [...RECONNECT_POLICY.transports],
      autoConnect: false,
      // called before every connection attempt, so a refreshed token is used at once
      auth: (cb: (data: object) => void) => cb({ token }),
    });
    socket.value = s;
    hookBackoff(s);

    s.on("connect", () => {
      const first = !everConnected;
      everConnected = true;
      serverEndedAttempts = 0;
      tokenExpired = false;
      const engine = (s.io as any).engine;
      dispatch({ type: "connected", transport: engine?.transport?.name ?? "unknown" });
      engine?.on?.("upgrade", (t: any) => dispatch({ type: "transport", transport: t?.name ?? "websocket" }));
      options.onConnected?.(first);
    });
    s.on("disconnect", (reason: string) => {
      if (reason === "io client disconnect") return;
      if (reason === "io server disconnect") {
        // the server ended the session: socket.io-client does not reconnect by itself
        dispatch({ type: "disconnected", reason: "the server ended the session", willRetry: true });
        const delay = backoffDelay(serverEndedAttempts++);
        dispatch({ type: "scheduled", delayMs: delay, now: now() });
        later(delay, () => {
          if (stopped) return;
          if (tokenExpired) {
            void reconnectWithFreshToken(true);
          } else {
            s.connect();
          }
        });
        return;
      }
      dispatch({ type: "disconnected", reason, willRetry: true });
    });
    s.on("connect_error", (err: Error & { data?: { code?: string } }) => {
      const code = err.data?.code;
      if (code === "TOKEN_EXPIRED") {
        dispatch({ type: "connect_error", message: "token expired, getting a new one" });
        void reconnectWithFreshToken(true);
      } else if (code) {
        dispatch({ type: "connect_error", message: `${code}: ${err.message}` });
        dispatch({ type: "gave_up" });
        options.onAuthFailed?.(code);
      } else {
        dispatch({ type: "connect_error", message: err.message });
        // WebSocket first failed (a proxy or firewall may block it): fall back to polling first, then upgrade
        const opts = s.io.opts as { transports?: string[] };
        if (opts.transports?.[0] === "websocket" && opts.transports.includes("polling")) {
          opts.transports = ["polling", "websocket"];
        }
        if (!s.active) {
          // refused with no code and no automatic retry: try again later
          const delay = backoffDelay(serverEndedAttempts++);
          dispatch({ type: "scheduled", delayMs: delay, now: now() });
          later(delay, () => { if (!stopped) s.connect(); });
        }
      }
    });
    s.on("error", (e: { code?: string }) => {
      if (e?.code === "TOKEN_EXPIRED") tokenExpired = true;
    });
    s.io.on("reconnect_attempt", (attempt: number) => dispatch({ type: "attempt", attempt }));
    s.io.on("reconnect_failed", () => dispatch({ type: "gave_up" }));

    if (typeof window !== "undefined") {
      window.addEventListener("online", onOnline);
      window.addEventListener("offline", onOffline);
    }
    ticker = setInterval(() => { clock.value = now(); }, 250);
    slowRetry = setInterval(() => {
      if (stopped || state.value.status !== "offline") return;
      if (socket.value?.connected) resync();
      else if (!tokenExpired) retryNow();
    }, SLOW_RETRY_MS);

    dispatch({ type: "start" });
    void reconnectWithFreshToken(false);
  }

  /** Reports each delay socket.io-client's Manager picks before a reconnection attempt, for the countdown. */
  function hookBackoff(s: Socket) {
    const backoff = (s.io as any).backoff;
    if (!backoff || typeof backoff.duration !== "function") return;
    const duration = backoff.duration.bind(backoff);
    backoff.duration = () => {
      const ms = duration();
      dispatch({ type: "scheduled", delayMs: ms, now: now() });
      return ms;
    };
  }

  function retryNow() {
    const s = socket.value;
    if (!s || s.connected) return;
    timers.forEach(clearTimeout);
    timers = [];
    dispatch({ type: "attempt", attempt: state.value.attempt + 1 });
    if (tokenExpired) {
      void reconnectWithFreshToken(true);
    } else {
      s.disconnect();
      s.connect();
    }
  }

  function stop() {
    stopped = true;
    timers.forEach(clearTimeout);
    timers = [];
    if (ticker) clearInterval(ticker);
    if (slowRetry) clearInterval(slowRetry);
    if (typeof window !== "undefined") {
      window.removeEventListener("online", onOnline);
      window.removeEventListener("offline", onOffline);
    }
    socket.value?.removeAllListeners();
    socket.value?.io.removeAllListeners();
    socket.value?.disconnect();
    socket.value = null;
    everConnected = false;
    dispatch({ type: "stop" });
  }

  if (getCurrentScope()) onScopeDispose(stop);

  return {
    socket,
    state,
    connected: computed(() => state.value.status === "connected"),
    secondsToRetry: computed(() => secondsUntil(state.value, clock.value)),
    banner: computed(() => bannerText(state.value, clock.value)),
    start,
    stop,
    retryNow,
  };
}
