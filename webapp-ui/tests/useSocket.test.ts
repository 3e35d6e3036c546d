import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { effectScope } from "vue";
import { useSocket } from "../src/composables/useSocket";

/** Just enough of socket.io-client's Socket and Manager for the composable. */
class Emitter {
  handlers = new Map<string, ((...a: any[]) => void)[]>();
  on(ev: string, fn: (...a: any[]) => void) {
    this.handlers.set(ev, [...(this.handlers.get(ev) ?? []), fn]);
    return this;
  }
  fire(ev: string, ...args: any[]) {
    for (const fn of this.handlers.get(ev) ?? []) fn(...args);
  }
  removeAllListeners() {
    this.handlers.clear();
  }
}

class FakeManager extends Emitter {
  opts: any;
  engine = { transport: { name: "websocket" }, on: () => {} };
  backoff = { attempts: 0, duration: () => 1000 * 2 ** this.backoff.attempts++ };
  constructor(opts: any) {
    super();
    this.opts = opts;
  }
}

class FakeSocket extends Emitter {
  io: FakeManager;
  connected = false;
  active = false;
  connects = 0;
  tokens: (string | null)[] = [];
  constructor(readonly url: string, readonly opts: any) {
    super();
    this.io = new FakeManager(opts);
  }
  connect() {
    this.connects++;
    this.active = true;
    this.opts.auth((data: { token: string | null }) => this.tokens.push(data.token));
    return this;
  }
  disconnect() {
    this.connected = false;
    this.active = false;
    return this;
  }
  // what the server does
  accept() {
    this.connected = true;
    this.fire("connect");
  }
  refuse(code?: string) {
    this.active = !code;
    this.fire("connect_error", Object.assign(new Error(code ? "unauthorized" : "websocket error"), code ? { data: { code } } : {}));
  }
  drop(reason: string) {
    this.connected = false;
    if (reason === "io server disconnect") this.active = false;
    this.fire("disconnect", reason);
  }
}

function setup(opts: { forcePolling?: boolean } = {}) {
  let sock!: FakeSocket;
  const tokens = ["t1", "t2", "t3"];
  const getToken = vi.fn(async (refresh: boolean) => (refresh ? tokens.shift()! : "t0"));
  const onAuthFailed = vi.fn();
  const onConnected = vi.fn();
  const scope = effectScope();
  const api = scope.run(() => useSocket({
    getToken, onAuthFailed, onConnected, forcePolling: opts.forcePolling,
    ioFactory: ((url: string, o: any) => (sock = new FakeSocket(url, o))) as any,
  }))!;
  api.start();
  return { api, sock: () => sock, getToken, onAuthFailed, onConnected, scope };
}

describe("useSocket", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("passes the article's policy to io() and connects with the token", async () => {
    const t = setup();
    await vi.advanceTimersByTimeAsync(0);
    const s = t.sock();
    expect(s.opts).toMatchObject({ reconnectionDelay: 1000, reconnectionDelayMax: 5000, randomizationFactor: 0.5,
      reconnectionAttempts: 10, timeout: 20000, transports: ["websocket", "polling"], autoConnect: false });
    expect(s.tokens).toEqual(["t0"]);
    expect(t.api.state.value.status).toBe("connecting");
    s.accept();
    expect(t.api.connected.value).toBe(true);
    expect(t.api.banner.value).toBeNull();
    expect(t.onConnected).toHaveBeenCalledWith(true);
    t.scope.stop();
  });

  it("counts down to the Manager's next attempt after a lost connection", async () => {
    const t = setup();
    await vi.advanceTimersByTimeAsync(0);
    const s = t.sock();
    s.accept();
    s.drop("transport close");
    (s.io as any).backoff.attempts = 1;
    (s.io as any).backoff.duration(); // the Manager asks for its delay: 2000 ms
    expect(t.api.state.value.status).toBe("reconnecting");
    expect(t.api.banner.value).toBe("Reconnecting in 2 s...");
    await vi.advanceTimersByTimeAsync(1100);
    expect(t.api.banner.value).toBe("Reconnecting in 1 s...");
    s.io.fire("reconnect_attempt", 1);
    expect(t.api.banner.value).toBe("Reconnecting...");
    for (let i = 2; i <= 10; i++) s.io.fire("reconnect_attempt", i);
    s.io.fire("reconnect_failed");
    expect(t.api.banner.value).toBe("Offline: messages will be sent when back");
    s.accept();
    expect(t.api.state.value.status).toBe("connected");
    expect(t.onConnected).toHaveBeenLastCalledWith(false);
    t.scope.stop();
  });

  it("reconnects by itself when the server ends the session", async () => {
    const t = setup();
    await vi.advanceTimersByTimeAsync(0);
    const s = t.sock();
    s.accept();
    s.drop("io server disconnect");
    expect(t.api.state.value.status).toBe("reconnecting");
    expect(t.api.secondsToRetry.value).not.toBeNull();
    const before = s.connects;
    await vi.advanceTimersByTimeAsync(1600);
    expect(s.connects).toBe(before + 1);
    t.scope.stop();
  });

  it("gets a fresh token on TOKEN_EXPIRED, at connect time and while connected", async () => {
    const t = setup();
    await vi.advanceTimersByTimeAsync(0);
    const s = t.sock();
    s.refuse("TOKEN_EXPIRED");
    await vi.advanceTimersByTimeAsync(0);
    expect(t.getToken).toHaveBeenLastCalledWith(true);
    expect(s.tokens).toEqual(["t0", "t1"]);
    s.accept();
    // the server's expiry: error TOKEN_EXPIRED, then it ends the session
    s.fire("error", { code: "TOKEN_EXPIRED", message: "token expired" });
    s.drop("io server disconnect");
    await vi.advanceTimersByTimeAsync(1600);
    expect(s.tokens).toEqual(["t0", "t1", "t2"]);
    expect(t.onAuthFailed).not.toHaveBeenCalled();
    t.scope.stop();
  });

  it("reports an unusable token once and stops", async () => {
    const t = setup();
    await vi.advanceTimersByTimeAsync(0);
    t.sock().refuse("UNAUTHORIZED");
    expect(t.onAuthFailed).toHaveBeenCalledWith("UNAUTHORIZED");
    expect(t.api.state.value.status).toBe("offline");
    t.scope.stop();
  });

  it("shows a socket that lived through a short offline spell as connected again", async () => {
    const browser = new EventTarget();
    vi.stubGlobal("window", browser);
    try {
      const t = setup();
      await vi.advanceTimersByTimeAsync(0);
      const s = t.sock();
      s.accept();
      // the network stalled for less than a heartbeat: the socket never dropped, so no "connect" will come
      browser.dispatchEvent(new Event("offline"));
      expect(t.api.state.value.status).toBe("offline");
      const connects = s.connects;
      browser.dispatchEvent(new Event("online"));
      expect(t.api.state.value.status).toBe("connected");
      expect(t.api.banner.value).toBeNull();
      expect(s.connects).toBe(connects); // the live socket is kept, not replaced
      // a dropped one is retried at once instead
      s.drop("transport close");
      browser.dispatchEvent(new Event("offline"));
      browser.dispatchEvent(new Event("online"));
      expect(s.connects).toBe(connects + 1);
      t.scope.stop();
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it("falls back to polling first when WebSocket fails, and honours forcePolling", async () => {
    const t = setup();
    await vi.advanceTimersByTimeAsync(0);
    t.sock().refuse();
    expect(t.sock().io.opts.transports).toEqual(["polling", "websocket"]);
    t.scope.stop();
    const p = setup({ forcePolling: true });
    expect(p.sock().opts.transports).toEqual(["polling"]);
    p.scope.stop();
  });
});
