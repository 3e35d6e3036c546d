// The Node reference server for a mixed cluster check (see docs/CLUSTERING.md): npm install socket.io@4.8.1
// @socket.io/redis-adapter@8.3.0 redis@4 in an empty folder, then PREFIX=<key prefix> PORT=3570 node reference-server.mjs
import { Server } from "socket.io";
import { createClient } from "redis";
import { createAdapter } from "@socket.io/redis-adapter";
const port = Number(process.env.PORT ?? 3570);
const pub = createClient({ url: "redis://127.0.0.1:6379" });
const sub = pub.duplicate();
await Promise.all([pub.connect(), sub.connect()]);
const io = new Server(port, { adapter: createAdapter(pub, sub, { key: process.env.PREFIX, requestsTimeout: 3000 }) });
const nsp = io.of("/cluster");
nsp.on("connection", (socket) => {
  socket.on("join", (room, ack) => { socket.join(room); ack("joined"); });
  socket.on("to-room", (room, except, payload, ack) => {
    let op = nsp.to(room); if (except) op = op.except(except); op.emit("room-message", payload); ack("sent"); });
  socket.on("fetch", async (room, ack) => {
    try { const s = await nsp.in(room).fetchSockets(); ack({ ok: true, ids: s.map((x) => x.id).sort() }); }
    catch (e) { ack({ ok: false, error: String(e) }); } });
  socket.on("poll", (room, ms, ack) => nsp.to(room).timeout(ms).emit("poll", (err, responses) =>
    ack(err ? { ok: false, error: String(err), responses } : { ok: true, responses })));
  socket.on("disconnect-room", (room, ack) => { nsp.in(room).disconnectSockets(true); ack("done"); });
  socket.on("sse", (payload, ack) => { nsp.serverSideEmit("sse", payload); ack("sent"); });
});
nsp.on("sse", (payload) => nsp.local.emit("sse-received", payload));
console.log("node reference server on", port);
