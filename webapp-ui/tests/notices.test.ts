import { describe, expect, it } from "vitest";
import { addNotice, MAX_ALERTS, MAX_TOASTS, type Notice } from "../src/lib/notices";

let seq = 0;
const toast = (text: string, key?: string): Notice => ({ id: ++seq, kind: "error", text, key });
const alert = (text: string): Notice => ({ id: ++seq, kind: "alert", text });
const texts = (list: Notice[]) => list.map((n) => n.text);

describe("notices", () => {
  it("a burst of toasts never pushes an admin's alert out", () => {
    let list = addNotice([], alert("maintenance at noon"));
    for (let i = 1; i <= 8; i++) list = addNotice(list, toast(`slow down ${i}`));
    expect(texts(list)).toContain("maintenance at noon");
    expect(list.filter((n) => n.kind !== "alert")).toHaveLength(MAX_TOASTS);
    expect(texts(list).at(-1)).toBe("slow down 8");
  });
  it("keeps the newest alerts, at most a few", () => {
    let list: Notice[] = [];
    for (let i = 1; i <= MAX_ALERTS + 2; i++) list = addNotice(list, alert(`alert ${i}`));
    expect(texts(list)).toEqual(["alert 3", "alert 4", "alert 5"]);
  });
  it("a notice with the same key replaces the previous, in arrival order", () => {
    let list = addNotice([], toast("rate limited", "RATE_LIMITED"));
    list = addNotice(list, toast("invalid"));
    list = addNotice(list, toast("rate limited again", "RATE_LIMITED"));
    expect(texts(list)).toEqual(["invalid", "rate limited again"]);
  });
});
