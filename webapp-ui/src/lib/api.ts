/** The chat's REST API (same origin; `npm run dev` proxies /api). Errors carry the problem's code and detail. */
import type { ChatMessage, RoomInfo } from "./types";

export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

async function call<T>(method: string, path: string, token: string | null, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  let json: any = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    /* not JSON */
  }
  if (!res.ok) {
    throw new ApiError(res.status, json?.code ?? `HTTP_${res.status}`, json?.detail ?? json?.title ?? res.statusText);
  }
  return json as T;
}

export const api = {
  devToken: (user: string, admin: boolean) =>
    call<{ token: string }>("POST", "/api/dev/token", null, { user, groups: admin ? ["admin"] : [] }).then((r) => r.token),
  rooms: (token: string) => call<{ rooms: RoomInfo[] }>("GET", "/api/rooms", token).then((r) => r.rooms),
  members: (token: string, room: string) =>
    call<{ room: string; members: string[] }>("GET", `/api/rooms/${encodeURIComponent(room)}/members`, token).then((r) => r.members),
  presence: (token: string, room: string) =>
    call<{ room: string; users: string[] }>("GET", `/api/rooms/${encodeURIComponent(room)}/presence`, token).then((r) => r.users),
  messages: (token: string, room: string, before: number | null, limit = 50) =>
    call<{ room: string; messages: ChatMessage[]; next_before: number | null }>("GET",
      `/api/rooms/${encodeURIComponent(room)}/messages?limit=${limit}${before ? `&before=${before}` : ""}`, token),
  /** admin only; the server tells the room (`message_deleted`) */
  deleteMessage: (token: string, room: string, id: number) =>
    call<null>("DELETE", `/api/rooms/${encodeURIComponent(room)}/messages/${id}`, token),
  broadcast: (token: string, message: string, room?: string) =>
    call<unknown>("POST", "/api/broadcast", token, room ? { message, room } : { message }),
};

/** The user id (sub / upn) and groups of a JWT, read without verifying (the server verifies). */
export function claimsOf(token: string): { user: string; groups: string[]; exp: number | null } | null {
  try {
    const part = token.split(".")[1];
    const json = JSON.parse(atob(part.replace(/-/g, "+").replace(/_/g, "/")));
    return { user: json.upn ?? json.preferred_username ?? json.sub, groups: json.groups ?? [], exp: json.exp ?? null };
  } catch {
    return null;
  }
}
