/** What the user is told: toasts (errors and info, dismissed after a while) and admin alerts (kept until dismissed). */
export interface Notice {
  id: number;
  kind: "error" | "alert" | "info";
  text: string;
  key?: string;
}

export const MAX_TOASTS = 5;
export const MAX_ALERTS = 3;

/**
 * Adds a notice: one with the same key replaces the previous (a burst of rate-limit errors is one toast). Toasts and
 * alerts are capped apart, the oldest going first, so that a burst of toasts never pushes an admin's alert out.
 */
export function addNotice(list: readonly Notice[], notice: Notice): Notice[] {
  const kept = notice.key ? list.filter((n) => n.key !== notice.key) : [...list];
  const next = [...kept, notice];
  const alerts = next.filter((n) => n.kind === "alert").slice(-MAX_ALERTS);
  const toasts = next.filter((n) => n.kind !== "alert").slice(-MAX_TOASTS);
  return next.filter((n) => alerts.includes(n) || toasts.includes(n));
}
