import { describe, expect, it } from "vitest";
import {
  RECONNECT_POLICY, backoffBounds, backoffDelay, bannerText, initialConnection, reconnectsByItself, reduceConnection,
  secondsUntil, type ConnectionEvent, type ConnectionState,
} from "../src/lib/connection";

const run = (events: ConnectionEvent[], from: ConnectionState = initialConnection) =>
  events.reduce(reduceConnection, from);

describe("reconnection policy", () => {
  it("is the source article's", () => {
    expect(RECONNECT_POLICY).toMatchObject({
      reconnection: true, reconnectionDelay: 1000, reconnectionDelayMax: 5000, randomizationFactor: 0.5,
      reconnectionAttempts: 10, timeout: 20000, transports: ["websocket", "polling"],
    });
  });

  it("backs off exponentially from 1 s to 5 s with 50 % jitter", () => {
    expect(backoffBounds(0)).toEqual({ min: 500, max: 1500 });
    expect(backoffBounds(1)).toEqual({ min: 1000, max: 3000 });
    expect(backoffBounds(2)).toEqual({ min: 2000, max: 5000 });
    expect(backoffBounds(5)).toEqual({ min: 5000, max: 5000 });
    for (let attempt = 0; attempt < 8; attempt++) {
      for (const r of [0, 0.05, 0.15, 0.49, 0.5, 0.77, 0.99]) {
        const d = backoffDelay(attempt, () => r);
        const { min, max } = backoffBounds(attempt);
        expect(d).toBeGreaterThanOrEqual(min);
        expect(d).toBeLessThanOrEqual(max);
      }
    }
  });
});

describe("connection state", () => {
  it("goes connecting -> connected with the transport", () => {
    const s = run([{ type: "start" }]);
    expect(s.status).toBe("connecting");
    expect(bannerText(s, 0)).toBe("Connecting...");
    const c = reduceConnection(s, { type: "connected", transport: "websocket" });
    expect(c).toMatchObject({ status: "connected", transport: "websocket", attempt: 0 });
    expect(bannerText(c, 0)).toBeNull();
  });

  it("counts down to the next attempt after a lost connection", () => {
    const s = run([{ type: "start" }, { type: "connected", transport: "websocket" },
      { type: "disconnected", reason: "transport close", willRetry: true },
      { type: "scheduled", delayMs: 2600, now: 10_000 }]);
    expect(s.status).toBe("reconnecting");
    expect(secondsUntil(s, 10_000)).toBe(3);
    expect(bannerText(s, 10_000)).toBe("Reconnecting in 3 s...");
    expect(bannerText(s, 11_700)).toBe("Reconnecting in 1 s...");
    expect(bannerText(s, 13_000)).toBe("Reconnecting in 1 s...");
    const attempting = reduceConnection(s, { type: "attempt", attempt: 1 });
    expect(attempting.attempt).toBe(1);
    expect(bannerText(attempting, 13_000)).toBe("Reconnecting...");
  });

  it("is offline when the attempts are exhausted, and connected again afterwards", () => {
    let s = run([{ type: "start" }, { type: "connected", transport: "polling" },
      { type: "disconnected", reason: "ping timeout", willRetry: true }]);
    for (let i = 1; i <= 10; i++) {
      s = run([{ type: "scheduled", delayMs: 1000, now: i }, { type: "attempt", attempt: i },
        { type: "connect_error", message: "xhr poll error" }], s);
    }
    s = reduceConnection(s, { type: "gave_up" });
    expect(s.status).toBe("offline");
    expect(bannerText(s, 0)).toBe("Offline: messages will be sent when back");
    expect(s.lastError).toBe("xhr poll error");
    s = reduceConnection(s, { type: "connected", transport: "websocket" });
    expect(s).toMatchObject({ status: "connected", attempt: 0, lastError: null });
  });

  it("goes offline when the browser does, and records upgrades", () => {
    let s = run([{ type: "start" }, { type: "connected", transport: "polling" }, { type: "transport", transport: "websocket" }]);
    expect(s.transport).toBe("websocket");
    s = reduceConnection(s, { type: "browser_offline" });
    expect(s.status).toBe("offline");
    expect(reduceConnection(initialConnection, { type: "browser_offline" }).status).toBe("idle");
  });

  it("stop resets everything", () => {
    const s = run([{ type: "start" }, { type: "connected", transport: "websocket" }, { type: "stop" }]);
    expect(s).toEqual(initialConnection);
  });

  it("knows which disconnects socket.io-client recovers from by itself", () => {
    expect(reconnectsByItself("transport close")).toBe(true);
    expect(reconnectsByItself("ping timeout")).toBe(true);
    expect(reconnectsByItself("io server disconnect")).toBe(false);
    expect(reconnectsByItself("io client disconnect")).toBe(false);
  });
});
