// Shared helpers for the chat container tests: dev tokens, REST calls, and promise wrappers around socket.io-client.
import { io } from "socket.io-client";
import { randomUUID } from "node:crypto";

export const BASE = (process.env.SWITCHBOARD_URL || "http://localhost:8080").replace(/\/+$/, "");

export const unique = (prefix) => `${prefix}-${randomUUID().slice(0, 8)}`;
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export async function api(method, path, { token, body, raw } = {}) {
  const headers = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(BASE + path, {
    method,
    headers,
    body: body === undefined ? undefined : raw ? body : JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await res.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
  return { status: res.status, json, text, type: res.headers.get("content-type"), headers: res.headers };
}

export async function token(user, groups = [], ttlSeconds) {
  const body = { user, groups };
  if (ttlSeconds !== undefined) body.ttl_seconds = ttlSeconds;
  const res = await api("POST", "/api/dev/token", { body });
  if (res.status !== 200 || !res.json?.token) throw new Error(`dev token: ${res.status} ${res.text}`);
  return res.json.token;
}

const open = new Set();

/** A new client (own Manager, no reconnection); call connected() to wait for the handshake. */
export function client(opts = {}) {
  // 10 s: the first connection to a fresh server (key pair, JIT, first queries) is slow on a loaded machine
  const socket = io(BASE, { forceNew: true, reconnection: false, timeout: 10_000, ackTimeout: 5_000, ...opts });
  open.add(socket);
  return socket;
}

export function closeAll() {
  for (const s of open) s.disconnect();
  open.clear();
}

export function connected(socket, ms = 10_000) {
  return new Promise((resolve, reject) => {
    if (socket.connected) return resolve(socket);
    const t = setTimeout(() => reject(new Error("connect timeout")), ms);
    socket.once("connect", () => { clearTimeout(t); resolve(socket); });
    socket.once("connect_error", (err) => { clearTimeout(t); reject(err); });
  });
}

/** Connects as a fresh user (or the given token) and waits until the server has joined its rooms. */
export async function login(user, { groups = [], ttl, opts = {} } = {}) {
  const s = client({ auth: { token: await token(user, groups, ttl) }, ...opts });
  await connected(s);
  return s;
}

/** The connect_error a refused client gets. */
export function refusal(socket, ms = 5_000) {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error("neither connect_error nor connect")), ms);
    socket.once("connect", () => { clearTimeout(t); reject(new Error("connected but should have been refused")); });
    socket.once("connect_error", (err) => { clearTimeout(t); resolve(err); });
  });
}

/** The next event matching the filter, or a timeout error. */
// 10 s: a wait often spans a token request and a connection, which a loaded 2-core machine may take seconds for
export function next(socket, event, filter = () => true, ms = 10_000) {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => { socket.off(event, on); reject(new Error(`no ${event} within ${ms} ms`)); }, ms);
    const on = (...args) => {
      if (!filter(...args)) return;
      clearTimeout(t);
      socket.off(event, on);
      resolve(args[0]);
    };
    socket.on(event, on);
  });
}

/** Records every matching event from now on. */
export function record(socket, event, filter = () => true) {
  const seen = [];
  socket.on(event, (...args) => { if (filter(...args)) seen.push(args[0]); });
  return seen;
}

export async function join(socket, room) {
  const reply = await socket.emitWithAck("join", { room });
  if (!reply?.ok) throw new Error(`join ${room}: ${JSON.stringify(reply)}`);
  return reply;
}
