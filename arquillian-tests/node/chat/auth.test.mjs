// Handshake authentication: accepted tokens, each refusal code, expiry while connected, the dev token endpoint,
// and MP-JWT on the REST API trusting the development issuer with no configuration.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { api, client, closeAll, connected, next, refusal, sleep, token, unique } from "./helpers.mjs";

after(closeAll);

test("a dev token in the CONNECT auth payload is accepted", async () => {
  const s = client({ auth: { token: await token(unique("alice")) } });
  await connected(s);
  assert.ok(s.id);
});

test("a dev token in an Authorization: Bearer header is accepted (websocket and polling)", async () => {
  const t = await token(unique("hdr"));
  for (const transports of [["websocket"], ["polling"]]) {
    const s = client({ transports, extraHeaders: { authorization: `Bearer ${t}` } });
    await connected(s);
  }
});

test("an expired or garbage token in an Authorization: Bearer header: the handshake's own code (websocket and polling)", async () => {
  // The container's MP-JWT mechanism runs for the REST API only: a bad header on the Engine.IO transport reaches the
  // handshake, which answers with its code, instead of a bare HTTP 401 that the client reports as a transport error.
  const late = await token(unique("hdr-late"), [], 1);
  await sleep(1_200);
  for (const transports of [["websocket"], ["polling"]]) {
    for (const [bad, code] of [[late, "TOKEN_EXPIRED"], ["garbage", "UNAUTHORIZED"]]) {
      const err = await refusal(client({ transports, extraHeaders: { authorization: `Bearer ${bad}` } }));
      assert.equal(err.message, "unauthorized", `${transports[0]} ${code}`);
      assert.deepEqual(err.data, { code }, `${transports[0]} ${code}`);
    }
  }
});

test("no token: connect_error unauthorized / UNAUTHORIZED", async () => {
  const err = await refusal(client());
  assert.equal(err.message, "unauthorized");
  assert.deepEqual(err.data, { code: "UNAUTHORIZED" });
});

test("garbage and tampered tokens: UNAUTHORIZED", async () => {
  const good = await token(unique("eve"));
  const [h, , sig] = good.split(".");
  const forged = Buffer.from(JSON.stringify({ upn: "admin", sub: "admin", iss: "switchboard-dev",
    groups: ["user", "admin"], exp: Math.floor(Date.now() / 1000) + 600 })).toString("base64url");
  const none = Buffer.from(JSON.stringify({ alg: "none" })).toString("base64url") + "." + forged + ".";
  for (const bad of ["garbage", "a.b.c", `${h}.${forged}.${sig}`, none]) {
    const err = await refusal(client({ auth: { token: bad } }));
    assert.equal(err.message, "unauthorized");
    assert.deepEqual(err.data, { code: "UNAUTHORIZED" }, bad.slice(0, 12));
  }
});

test("an expired token: TOKEN_EXPIRED", async () => {
  const t = await token(unique("late"), [], 1);
  await sleep(1_200);
  const err = await refusal(client({ auth: { token: t } }));
  assert.equal(err.message, "unauthorized");
  assert.deepEqual(err.data, { code: "TOKEN_EXPIRED" });
});

test("a socket is disconnected when its token expires", async () => {
  const s = client({ auth: { token: await token(unique("short"), [], 2) } });
  const expired = next(s, "error", (e) => e?.code === "TOKEN_EXPIRED", 6_000);
  const gone = next(s, "disconnect", () => true, 6_000);
  const start = Date.now();
  await connected(s);
  assert.equal((await expired).code, "TOKEN_EXPIRED");
  assert.equal(await gone, "io server disconnect");
  const took = Date.now() - start;
  assert.ok(took > 500 && took < 4_000, `disconnected after ${took} ms`);
});

test("the dev token endpoint validates its body with problem JSON", async () => {
  for (const body of ["{", "[]", "{}", '{"user":""}', '{"user":"a b"}', '{"user":"a","groups":"admin"}',
    '{"user":"a","ttl_seconds":0}', '{"user":"a","ttl_seconds":86401}', '{"user":"a","ttl_seconds":1.5}']) {
    const res = await api("POST", "/api/dev/token", { body, raw: true });
    assert.equal(res.status, 400, body);
    assert.match(res.type, /application\/problem\+json/);
    assert.equal(res.json.status, 400);
    assert.equal(res.json.code, "INVALID_PAYLOAD");
  }
  const ok = await api("POST", "/api/dev/token", { body: { user: "carol", groups: ["admin"], ttl_seconds: 60 } });
  assert.equal(ok.status, 200);
  const claims = JSON.parse(Buffer.from(ok.json.token.split(".")[1], "base64url"));
  assert.equal(claims.iss, "switchboard-dev");
  assert.equal(claims.upn, "carol");
  assert.deepEqual(claims.groups, ["user", "admin"]);
  assert.equal(claims.exp - claims.iat, 60);
  assert.equal(JSON.parse(Buffer.from(ok.json.token.split(".")[0], "base64url")).alg, "RS256");
});

test("MP-JWT on the REST API accepts dev tokens with no configuration", async () => {
  assert.equal((await api("GET", "/api/rooms")).status, 401);
  assert.equal((await api("GET", "/api/rooms", { token: "garbage" })).status, 401);
  const res = await api("GET", "/api/rooms", { token: await token(unique("rest")) });
  assert.equal(res.status, 200, res.text);
});

test("REST refusals of bad tokens are problem JSON UNAUTHORIZED, not the container's HTML page", async () => {
  const good = await token(unique("rest"));
  const [h, p] = good.split(".");
  const tampered = `${h}.${p}.${"A".repeat(342)}`;
  for (const bad of [undefined, "garbage", tampered]) {
    const res = await api("GET", "/api/rooms", { token: bad });
    assert.equal(res.status, 401, res.text);
    assert.match(res.type, /^application\/problem\+json/, res.text);
    assert.equal(res.json.code, "UNAUTHORIZED");
    assert.equal(res.json.status, 401);
    if (bad) assert.ok(!res.text.includes(bad), "the token is not echoed");
  }
});

test("REST with an expired token: 401 TOKEN_EXPIRED, so an integrator can refresh", async () => {
  const expired = await token(unique("old"), [], 1);
  await sleep(1_500);
  for (const [method, path, body] of [["GET", "/api/rooms"], ["POST", "/api/rooms/general/messages", { text: "late" }]]) {
    const res = await api(method, path, { token: expired, body });
    assert.equal(res.status, 401, res.text);
    assert.match(res.type, /^application\/problem\+json/, res.text);
    assert.equal(res.json.code, "TOKEN_EXPIRED", res.text);
    assert.equal(res.json.status, 401);
    assert.match(res.headers.get("www-authenticate") || "", /^Bearer/);
    assert.ok(!res.text.includes(expired), "the token is not echoed");
  }
});

test("REST: an expired token that is also forged, or alg none with a past exp, stays UNAUTHORIZED", async () => {
  const expired = await token(unique("old"), [], 1);
  await sleep(1_200);
  const [h, p] = expired.split(".");
  const badSignature = `${h}.${p}.${"B".repeat(342)}`;
  const claims = JSON.parse(Buffer.from(p, "base64url"));
  const none = Buffer.from(JSON.stringify({ alg: "none", typ: "JWT" })).toString("base64url") + "."
    + Buffer.from(JSON.stringify({ ...claims, exp: Math.floor(Date.now() / 1000) - 60 })).toString("base64url") + ".";
  const otherIssuer = `${h}.${Buffer.from(JSON.stringify({ ...claims, iss: "someone-else" })).toString("base64url")}.`
    + expired.split(".")[2];
  for (const bad of [badSignature, none, otherIssuer]) {
    const res = await api("GET", "/api/rooms", { token: bad });
    assert.equal(res.status, 401, res.text);
    assert.equal(res.json.code, "UNAUTHORIZED", bad.slice(0, 16));
  }
});
