// End-to-end tests of the web client in headless Chromium (Debian's package, driven by playwright-core) against a
// deployed Switchboard WAR: SWITCHBOARD_URL (default http://127.0.0.1:8080). Screenshots go to SCREENSHOT_DIR
// (default ../docs/screenshots). Optional SWITCHBOARD_RESTART_CMD: a shell command that restarts the server and
// returns once it is ready again, for the restart scenario (skipped without it). E2E_ONLY: scenario names separated
// by "|". Exit code 0 when every scenario passed.
import { chromium } from "playwright-core";
import { spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join, dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { randomUUID } from "node:crypto";

const here = dirname(fileURLToPath(import.meta.url));
const BASE = (process.env.SWITCHBOARD_URL || "http://127.0.0.1:8080").replace(/\/+$/, "");
const SHOTS = resolve(process.env.SCREENSHOT_DIR || join(here, "..", "..", "docs", "screenshots"));
const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
const RESTART = process.env.SWITCHBOARD_RESTART_CMD || "";
const ONLY = process.env.E2E_ONLY ? new Set(process.env.E2E_ONLY.split("|")) : null;
const T = 15_000;

const tag = randomUUID().slice(0, 6);
const users = { alice: `alice-${tag}`, bob: `bob-${tag}`, carol: `carol-${tag}`, dave: `dave-${tag}`, frank: `frank-${tag}` };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function assert(cond, message) {
  if (!cond) throw new Error(`assertion failed: ${message}`);
}

async function api(method, path, token, body) {
  const headers = { accept: "application/json" };
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers["content-type"] = "application/json";
  for (let attempt = 1; ; attempt++) {
    const res = await fetch(BASE + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    if (res.status === 429 && attempt < 20) {
      // the REST rate limit: wait as told, like any well-behaved client
      await sleep(Math.max(100, Number(JSON.parse(text || "{}").retry_after_ms ?? 0) || 500));
      continue;
    }
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return text ? JSON.parse(text) : null;
  }
}
const devToken = async (user, admin = false, ttlSeconds = undefined) =>
  (await api("POST", "/api/dev/token", null, { user, groups: admin ? ["admin"] : [], ttl_seconds: ttlSeconds })).token;

// ---- browser ----
// playwright-core gives launch() a fresh temporary --user-data-dir of its own (it refuses one in args)
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  headless: true,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync"],
});
const consoleErrors = [];
const traces = new Map();
const pages = new Map();
const startedAt = Date.now();
let tolerateNetworkErrors = false;

async function newPage(name, { width = 1280, height = 800, blockWebSocket = false } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  page.setDefaultTimeout(T);
  // what the page saw on the network and in its console, printed when a scenario fails
  const trace = [];
  const note = (line) => { trace.push(`${((Date.now() - startedAt) / 1000).toFixed(1)} ${line}`); if (trace.length > 60) trace.shift(); };
  traces.set(name, trace);
  page.on("websocket", (ws) => {
    note(`ws open ${ws.url()}`);
    ws.on("close", () => note(`ws close ${ws.url()}`));
    ws.on("socketerror", (e) => note(`ws error ${e}`));
  });
  await page.exposeFunction("__e2eNote", (line) => note(line));
  await page.addInitScript(() => {
    // the connection state as the user sees it (the status dot's label), for the failure trace
    let last = "";
    new MutationObserver(() => {
      const label = document.querySelector(".conn-dot")?.getAttribute("aria-label") ?? "";
      if (label !== last) window.__e2eNote?.(`status ${(last = label)}`);
    }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ["aria-label"] });
  });
  page.on("requestfailed", (r) => note(`request failed ${r.method()} ${r.url()} ${r.failure()?.errorText}`));
  page.on("response", (r) => { if (r.url().includes("/api/")) note(`http ${r.status()} ${r.request().method()} ${new URL(r.url()).pathname}`); });
  page.on("console", (msg) => {
    note(`console ${msg.type()} ${msg.text()}`);
    if (msg.type() !== "error") return;
    const text = msg.text();
    const network = /Failed to load resource|ERR_|WebSocket connection|websocket|net::/i.test(text);
    if (network && (tolerateNetworkErrors || blockWebSocket)) return;
    consoleErrors.push(`${name}: ${text}`);
  });
  page.on("pageerror", (err) => consoleErrors.push(`${name}: page error ${err.message}`));
  if (blockWebSocket) {
    // every WebSocket fails the way a browser reports a proxy that refuses the upgrade (error, then close 1006):
    // the app must fall back to HTTP long-polling. (Playwright's routeWebSocket close fires no error event, and the
    // client would only give up on its 20 s connect timeout.)
    await page.addInitScript(() => {
      window.WebSocket = class BlockedWebSocket extends EventTarget {
        static CONNECTING = 0; static OPEN = 1; static CLOSING = 2; static CLOSED = 3;
        constructor(url) {
          super();
          this.url = String(url); this.readyState = 0; this.binaryType = "blob"; this.protocol = ""; this.extensions = "";
          setTimeout(() => {
            this.readyState = 3;
            const error = new Event("error");
            this.onerror?.(error); this.dispatchEvent(error);
            const close = Object.assign(new Event("close"), { code: 1006, reason: "", wasClean: false });
            this.onclose?.(close); this.dispatchEvent(close);
          }, 20);
        }
        send() { throw new Error("not open"); }
        close() { this.readyState = 3; }
      };
    });
  }
  const client = { page, context, name };
  pages.set(name, client);
  return client;
}

/** What each open page shows the user (notices, connection status), and a screenshot of it, when a scenario fails. */
async function showPages(scenarioName) {
  for (const [who, { page }] of pages) {
    if (page.isClosed()) continue;
    try {
      const notices = await page.locator("[data-testid=toast], [data-testid=alert-banner]").allTextContents();
      const status = await page.locator(".conn-dot").first().getAttribute("aria-label", { timeout: 1000 }).catch(() => "?");
      console.log(`     -- ${who}'s page: status ${status}; notices: ${JSON.stringify(notices)}`);
      const file = `failed-${scenarioName.replace(/[^a-z0-9]+/gi, "-")}-${who}.png`;
      await page.screenshot({ path: join(SHOTS, file), timeout: 5000 });
    } catch (e) {
      console.log(`     -- ${who}'s page: not readable (${e.message.split("\n")[0]})`);
    }
  }
}

async function signIn({ page }, user, { admin = false, query = "" } = {}) {
  await page.goto(`${BASE}/${query}`);
  await page.getByLabel("Your name").fill(user);
  if (admin) await page.getByLabel(/Administrator/).check();
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.locator(".conn-dot.connected").waitFor();
  await page.locator(".room-link.active").waitFor({ state: "attached" });
}

async function joinRoom({ page }, room) {
  const rooms = page.locator("#rooms-panel");
  if (!(await rooms.isVisible())) await page.getByRole("button", { name: "Rooms" }).click();
  await page.getByLabel("Join or create a room").fill(room);
  await page.getByRole("button", { name: "Join", exact: true }).click();
  await page.locator(`.room-link.active[data-room="${room}"]`).waitFor();
}

async function openRoom({ page }, room) {
  const rooms = page.locator("#rooms-panel");
  if (!(await rooms.isVisible())) await page.getByRole("button", { name: "Rooms" }).click();
  await page.locator(`.room-link[data-room="${room}"]`).click();
  await page.locator(`.room-link.active[data-room="${room}"]`).waitFor();
}

async function say({ page }, text) {
  const box = page.getByLabel(/^Message #/);
  await box.fill(text);
  await box.press("Enter");
}

const messageTexts = ({ page }) => page.locator(".messages li.message:not(.pending) .text").allTextContents();

async function noPending({ page }, ms = T) {
  await page.waitForFunction(() => document.querySelectorAll(".messages li.pending").length === 0, null, { timeout: ms });
}

async function shot({ page }, file) {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, file) });
}

/** Visible form controls, buttons and the message log that have no accessible name (label, aria-*, text, title). */
function unnamedControls({ page }) {
  return page.evaluate(() => [...document.querySelectorAll("input, textarea, select, button, [role=log]")]
    .filter((el) => el.getClientRects().length > 0)
    .filter((el) => {
      const byId = (ids) => (ids ?? "").split(/\s+/).map((id) => document.getElementById(id)?.textContent ?? "").join("");
      const name = el.getAttribute("aria-label") || byId(el.getAttribute("aria-labelledby"))
        || [...(el.labels ?? [])].map((l) => l.textContent).join("") || (el.tagName === "BUTTON" ? el.textContent : "")
        || el.getAttribute("title") || "";
      return name.trim() === "";
    })
    .map((el) => el.outerHTML.slice(0, 100)));
}

function noDuplicates(texts, what) {
  const seen = new Set();
  for (const t of texts) {
    assert(!seen.has(t), `${what}: "${t}" shown twice`);
    seen.add(t);
  }
}

// ---- scenarios ----
const results = [];
async function scenario(name, fn) {
  if (ONLY && !ONLY.has(name)) return;
  const started = Date.now();
  try {
    await fn();
    results.push({ name, ok: true });
    console.log(`ok   ${name} (${Date.now() - started} ms)`);
  } catch (e) {
    results.push({ name, ok: false });
    console.log(`FAIL ${name} (${Date.now() - started} ms)\n     ${e.stack ?? e}`);
    for (const [who, trace] of traces) console.log(`     -- ${who}'s last events:\n       ${trace.join("\n       ")}`);
    await showPages(name);
  }
}

const room = `e2e-${tag}`;
let alice, bob;

await scenario("sign-in", async () => {
  alice = await newPage("alice");
  await alice.page.goto(`${BASE}/`);
  await alice.page.getByRole("heading", { name: "Switchboard" }).waitFor();
  await shot(alice, "sign-in.png");
  const unnamed = await unnamedControls(alice);
  assert(unnamed.length === 0, `sign-in controls without an accessible name: ${unnamed.join(" | ")}`);
  await signIn(alice, users.alice);
  bob = await newPage("bob", { width: 390, height: 760 });
  await signIn(bob, users.bob);
  assert((await alice.page.locator(".room-link.active").getAttribute("data-room")) === "general", "general opened first");
});

await scenario("two users chat in real time", async () => {
  await joinRoom(alice, room);
  await joinRoom(bob, room);
  await alice.page.locator("[data-testid=presence] li", { hasText: users.bob }).waitFor();
  await say(alice, `hello ${users.bob}`);
  await bob.page.locator(".messages li.message", { hasText: `hello ${users.bob}` }).waitFor();
  // "typing" is volatile, as in socket.io: dropped, not queued, when alice's connection has a write in flight. A
  // person typing sends it again every 2 s (the client's throttle); so does bob here, until alice sees it.
  const typingShown = alice.page.locator(".typing", { hasText: `${users.bob} is typing...` });
  await bob.page.getByLabel(/^Message #/).pressSequentially("hi al", { delay: 30 });
  for (let i = 0; i < 6 && !(await typingShown.isVisible()); i++) {
    try {
      await typingShown.waitFor({ timeout: 2500 });
    } catch {
      await bob.page.getByLabel(/^Message #/).press("Space");
      await bob.page.getByLabel(/^Message #/).press("Backspace");
    }
  }
  await typingShown.waitFor({ timeout: 2000 });
  await bob.page.getByLabel(/^Message #/).pressSequentially("ice!", { delay: 10 });
  await bob.page.getByLabel(/^Message #/).press("Enter");
  await alice.page.locator(".messages li.message", { hasText: "hi alice!" }).waitFor();
  await noPending(alice);
  await noPending(bob);
  await say(alice, "Shift+Enter makes a new line, Enter sends");
  await bob.page.locator(".messages li.message", { hasText: "Enter sends" }).waitFor();
  await shot(alice, "chat-desktop.png");
  await shot(bob, "chat-phone.png");
  noDuplicates(await messageTexts(alice), "alice");
  noDuplicates(await messageTexts(bob), "bob");
});

await scenario("unread counts", async () => {
  await openRoom(alice, "general");
  await say(bob, "are you there?");
  await alice.page.locator(`.room-link[data-room="${room}"] .unread`, { hasText: "1" }).waitFor();
  await openRoom(alice, room);
  assert(await alice.page.locator(`.room-link[data-room="${room}"] .unread`).count() === 0, "unread cleared");
});

await scenario("history loads on scroll", async () => {
  const hist = `hist-${tag}`;
  const token = await devToken(`seeder-${tag}`);
  await api("POST", "/api/rooms", token, { name: hist });
  for (let i = 1; i <= 120; i++) {
    await api("POST", `/api/rooms/${hist}/messages`, token, { text: `history ${String(i).padStart(3, "0")}` });
  }
  await joinRoom(alice, hist);
  await alice.page.locator(".messages li.message", { hasText: "history 120" }).waitFor();
  let count = await alice.page.locator(".messages li.message").count();
  assert(count === 50, `first page has 50 messages, got ${count}`);
  for (let i = 0; i < 10 && !(await alice.page.locator(".history-edge", { hasText: "Beginning of" }).isVisible()); i++) {
    await alice.page.locator(".messages").evaluate((el) => { el.scrollTop = 0; el.dispatchEvent(new Event("scroll")); });
    await sleep(400);
  }
  await alice.page.locator(".history-edge", { hasText: "Beginning of" }).waitFor();
  const texts = await messageTexts(alice);
  assert(texts.length === 120, `all 120 messages, got ${texts.length}`);
  noDuplicates(texts, "history");
  assert(texts[0] === "history 001" && texts[119] === "history 120", "in order");
  await alice.page.locator(".messages").evaluate((el) => { el.scrollTop = 0; });
  await shot(alice, "history.png");
  await openRoom(alice, room);
});

await scenario("rate limit and invalid input show their messages", async () => {
  const box = alice.page.getByLabel(/^Message #/);
  for (let i = 1; i <= 8; i++) {
    await box.fill(`burst ${i}`);
    await box.press("Enter");
  }
  await alice.page.locator("[data-testid=toast]", { hasText: "Slow down" }).first().waitFor();
  await shot(alice, "rate-limited.png");
  // every message of the burst is sent in the end, once
  await noPending(alice, 20_000);
  const burst = (await messageTexts(alice)).filter((t) => t.startsWith("burst "));
  assert(burst.length === 8, `8 burst messages, got ${burst.length}`);
  assert(burst.join() === [1, 2, 3, 4, 5, 6, 7, 8].map((i) => `burst ${i}`).join(), `in the order typed: ${burst}`);
  noDuplicates(burst, "burst");
  await bob.page.locator(".messages li.message", { hasText: "burst 8" }).waitFor();
  assert((await messageTexts(bob)).filter((t) => t.startsWith("burst ")).length === 8, "bob got the burst once");
  await sleep(1100);
  await box.fill("x".repeat(2001));
  await box.press("Enter");
  await alice.page.locator("[data-testid=toast]", { hasText: "Invalid message: text: at most 2000 characters" }).first().waitFor();
  await alice.page.locator(".messages li.failed", { hasText: "Not sent" }).waitFor();
  await shot(alice, "invalid-message.png");
  // Edit puts the text back into the composer: nothing typed is lost
  await alice.page.locator(".messages li.failed").getByRole("button", { name: "Edit" }).click();
  assert(await alice.page.locator(".messages li.failed").count() === 0, "moved to the composer");
  assert((await alice.page.getByLabel(/^Message #/).inputValue()).length === 2001, "text back in the composer");
  await alice.page.getByLabel(/^Message #/).fill("");
});

let carol;
await scenario("an admin broadcast appears", async () => {
  carol = await newPage("carol");
  await signIn(carol, users.carol, { admin: true });
  await carol.page.getByLabel("Announcement").fill(`maintenance at noon ${tag}`);
  await carol.page.getByRole("button", { name: /Send to everyone/ }).click();
  await alice.page.locator("[data-testid=alert-banner]", { hasText: `maintenance at noon ${tag}` }).waitFor();
  await bob.page.locator("[data-testid=alert-banner]", { hasText: `maintenance at noon ${tag}` }).waitFor();
  await shot(alice, "admin-alert.png");
  await shot(carol, "admin-broadcast.png");
});

await scenario("an admin deletes a message for everyone", async () => {
  const text = `regrettable ${tag}`;
  await joinRoom(carol, room);
  await say(bob, text);
  for (const c of [alice, bob, carol]) await c.page.locator(".messages li.message", { hasText: text }).waitFor();
  await noPending(bob);
  assert(await alice.page.getByRole("button", { name: /^Delete message/ }).count() === 0, "no delete buttons for a non-admin");
  const doomed = carol.page.locator(".messages li.message", { hasText: text });
  await doomed.hover();
  await shot(carol, "admin-delete.png");
  await doomed.getByRole("button", { name: `Delete message from ${users.bob}` }).click();
  for (const c of [alice, bob, carol]) {
    await c.page.locator(".messages li.message", { hasText: text }).waitFor({ state: "detached" });
  }
  const stored = await api("GET", `/api/rooms/${room}/messages?limit=100`, await devToken(users.alice));
  assert(!stored.messages.some((m) => m.text === text), "gone from the server's history too");
  await carol.context.close();
});

await scenario("WebSocket blocked: long-polling still works", async () => {
  const dave = await newPage("dave", { blockWebSocket: true });
  await signIn(dave, users.dave);
  await joinRoom(dave, room);
  const transport = await dave.page.locator(".conn-dot").getAttribute("aria-label");
  assert(/polling/.test(transport ?? ""), `dave is on polling: ${transport}`);
  await say(dave, "from behind a proxy");
  await alice.page.locator(".messages li.message", { hasText: "from behind a proxy" }).waitFor();
  await say(alice, "polling works");
  await dave.page.locator(".messages li.message", { hasText: "polling works" }).waitFor();
  await noPending(dave);
  await dave.context.close();
  // the ?transport=polling flag too
  const erin = await newPage("erin");
  await signIn(erin, `erin-${tag}`, { query: "?transport=polling" });
  const label = await erin.page.locator(".conn-dot").getAttribute("aria-label");
  assert(/polling/.test(label ?? ""), `erin is on polling: ${label}`);
  await erin.context.close();
});

await scenario("accessibility basics: labels, keyboard, phone width", async () => {
  for (const c of [alice, bob]) {
    const unnamed = await unnamedControls(c);
    assert(unnamed.length === 0, `${c.name}: controls without an accessible name: ${unnamed.join(" | ")}`);
  }
  // keyboard only: Tab from the room list reaches the composer; Enter sends
  await alice.page.locator(".room-link.active").focus();
  let focused = false;
  for (let i = 0; i < 40 && !focused; i++) {
    await alice.page.keyboard.press("Tab");
    focused = await alice.page.evaluate(() => document.activeElement?.id === "composer-input");
  }
  assert(focused, "Tab reaches the composer");
  await alice.page.keyboard.type(`typed with the keyboard only ${tag}`);
  await alice.page.keyboard.press("Enter");
  await bob.page.locator(".messages li.message", { hasText: `typed with the keyboard only ${tag}` }).waitFor();
  // phone width: nothing wider than the screen, the rooms panel behind its button
  const overflow = await bob.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert(overflow <= 0, `bob's page is ${overflow} px wider than the phone`);
  assert(!(await bob.page.locator("#rooms-panel").isVisible()), "rooms panel folded away on a phone");
  await shot(bob, "chat-phone.png");
  await bob.page.getByRole("button", { name: "Rooms" }).click();
  await bob.page.locator("#rooms-panel").waitFor();
  await shot(bob, "rooms-phone.png");
  await bob.page.getByRole("button", { name: "Rooms" }).click();
});

await scenario("token expiry mid-session: refreshed, reconnected, carries on", async () => {
  // signed in with a development token that lives 8 s (the session as the sign-in page stores it)
  const frank = await newPage("frank");
  const token = await devToken(users.frank, false, 8);
  const exp = JSON.parse(Buffer.from(token.split(".")[1], "base64url").toString()).exp * 1000;
  let refreshes = 0;
  frank.page.on("request", (r) => { if (r.method() === "POST" && r.url().endsWith("/api/dev/token")) refreshes++; });
  await frank.page.goto(`${BASE}/`);
  await frank.page.evaluate((s) => sessionStorage.setItem("switchboard.session", s),
    JSON.stringify({ user: users.frank, admin: false, mode: "dev", token }));
  await frank.page.reload();
  await frank.page.locator(".conn-dot.connected").waitFor();
  await joinRoom(frank, room);
  await say(frank, "before my token expires");
  await alice.page.locator(".messages li.message", { hasText: "before my token expires" }).waitFor();
  // the server disconnects at exp with TOKEN_EXPIRED; the app gets a new token and connects again by itself
  await sleep(Math.max(0, exp - Date.now()) + 500);
  await frank.page.waitForFunction(() => document.querySelector(".conn-dot.connected") !== null, null, { timeout: 30_000 });
  for (let i = 0; i < 60 && refreshes === 0; i++) await sleep(250);
  assert(refreshes >= 1, "a fresh token was fetched");
  await frank.page.locator(".conn-dot.connected").waitFor({ timeout: 30_000 });
  await say(frank, "after my token expired");
  await alice.page.locator(".messages li.message", { hasText: "after my token expired" }).waitFor();
  await noPending(frank);
  assert(await frank.page.locator("[data-testid=toast]").count() === 0, "no error shown for a refreshed token");
  await frank.context.close();
});

await scenario("network lost: pending messages resent once, missed ones fetched", async () => {
  tolerateNetworkErrors = true;
  await noPending(alice);
  // A blip shorter than a heartbeat: Chromium stalls an open WebSocket rather than closing it, and engine.io-client
  // ignores the browser's offline event for a "localhost" URL, so the socket can live through it and no "connect"
  // follows. The status must still come back (it stayed "Offline" for good before useSocket's resync).
  await alice.context.setOffline(true);
  await alice.page.locator("[data-testid=connection-banner]", { hasText: /Offline|Reconnecting/ }).waitFor();
  await alice.context.setOffline(false);
  await alice.page.locator(".conn-dot.connected").waitFor({ timeout: 30_000 });
  // A real loss, longer than a heartbeat
  await alice.context.setOffline(true);
  await alice.page.locator("[data-testid=connection-banner]", { hasText: /Offline|Reconnecting/ }).waitFor();
  await say(alice, "typed while offline");
  await alice.page.locator(".messages li.pending", { hasText: "typed while offline" }).waitFor();
  await say(bob, "said while alice was away");
  await sleep(1500);
  await shot(alice, "offline.png");
  await alice.context.setOffline(false);
  await alice.page.locator(".conn-dot.connected").waitFor({ timeout: 60_000 });
  await alice.page.locator(".messages li.message:not(.pending)", { hasText: "said while alice was away" }).waitFor();
  await noPending(alice, 20_000);
  await bob.page.locator(".messages li.message", { hasText: "typed while offline" }).waitFor();
  await sleep(500);
  for (const c of [alice, bob]) {
    const texts = await messageTexts(c);
    noDuplicates(texts, c.name);
    assert(texts.includes("typed while offline") && texts.includes("said while alice was away"), `${c.name} has both`);
  }
  tolerateNetworkErrors = false;
});

await scenario("server restart mid-chat", async () => {
  if (!RESTART) {
    console.log("     (skipped: no SWITCHBOARD_RESTART_CMD)");
    return;
  }
  tolerateNetworkErrors = true;
  await say(alice, "before the restart");
  await bob.page.locator(".messages li.message", { hasText: "before the restart" }).waitFor();
  const restartStarted = Date.now();
  const restarting = new Promise((res, rej) => {
    const child = spawn("sh", ["-c", RESTART], { stdio: "inherit" });
    // a Payara Micro boot takes 40-60 s on an idle 2-core machine, minutes on a busy one
    const timer = setTimeout(() => { child.kill(); rej(new Error("restart command timed out")); }, 450_000);
    child.on("exit", (code) => { clearTimeout(timer); code === 0 ? res() : rej(new Error(`restart command: exit ${code}`)); });
  });
  // while the server is down: the banner says so, and what alice types waits in her outbox
  await alice.page.locator("[data-testid=connection-banner]", { hasText: /Reconnecting|Offline/ }).waitFor({ timeout: 60_000 });
  await say(alice, "sent during the restart");
  await alice.page.locator(".messages li.pending", { hasText: "sent during the restart" }).waitFor();
  await shot(alice, "reconnecting.png");
  await restarting;
  const serverBack = Date.now();
  // both reconnect by themselves (the server is back), carry on
  await alice.page.locator(".conn-dot.connected").waitFor({ timeout: 60_000 });
  await bob.page.locator(".conn-dot.connected").waitFor({ timeout: 60_000 });
  console.log(`     server down and up again in ${serverBack - restartStarted} ms; both clients connected ${Date.now() - serverBack} ms later`);
  await say(alice, "after the restart");
  await say(bob, "welcome back");
  await bob.page.locator(".messages li.message", { hasText: "after the restart" }).waitFor();
  await bob.page.locator(".messages li.message", { hasText: "sent during the restart" }).waitFor();
  await alice.page.locator(".messages li.message", { hasText: "welcome back" }).waitFor();
  await noPending(alice);
  await noPending(bob);
  for (const c of [alice, bob]) {
    const texts = await messageTexts(c);
    noDuplicates(texts, c.name);
    for (const t of ["before the restart", "sent during the restart", "after the restart", "welcome back"]) {
      assert(texts.includes(t), `${c.name} has "${t}"`);
    }
  }
  tolerateNetworkErrors = false;
});

await scenario("no console errors", async () => {
  assert(consoleErrors.length === 0, `console errors:\n  ${consoleErrors.join("\n  ")}`);
});

await browser.close();
const failed = results.filter((r) => !r.ok);
console.log(`\n${results.length - failed.length} passed, ${failed.length} failed`);
process.exit(failed.length ? 1 : 0);
