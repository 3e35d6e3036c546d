// The Node reference server in a mixed cluster: socket.io 4.8 with @socket.io/redis-adapter 8.3 (the npm packages
// in package.json's devDependencies) on the same Redis and key prefix as the Switchboard nodes, serving the same
// /cluster namespace as Switchboard's interop profile (ClusterTestApplication). Started by ClusterIT, or by hand:
//   REDIS_URL=redis://127.0.0.1:6379 PREFIX=<the nodes' switchboard.redis.key-prefix> PORT=3570 node cluster/reference-server.mjs
import { createServer } from "node:http";
import { Server } from "socket.io";
import { createClient } from "redis";
import { createAdapter } from "@socket.io/redis-adapter";

const port = Number(process.env.PORT ?? 3570);
const pub = createClient({ url: process.env.REDIS_URL ?? "redis://127.0.0.1:6379" });
const sub = pub.duplicate();
await Promise.all([pub.connect(), sub.connect()]);
const io = new Server({ adapter: createAdapter(pub, sub, { key: process.env.PREFIX ?? "socket.io", requestsTimeout: 3000 }) });
const nsp = io.of("/cluster");
nsp.on("connection", (socket) => {
  socket.on("join", (room, ack) => { socket.join(room); ack("joined"); });
  socket.on("to-room", (room, except, payload, ack) => {
    let op = nsp.to(room);
    if (except) op = op.except(except);
    op.emit("room-message", payload);
    ack("sent");
  });
  socket.on("fetch", async (room, ack) => {
    try {
      const sockets = await nsp.in(room).fetchSockets();
      ack({ ok: true, ids: sockets.map((s) => s.id).sort() });
    } catch (e) {
      ack({ ok: false, error: String(e) });
    }
  });
  socket.on("poll", (room, ms, ack) => nsp.to(room).timeout(ms).emit("poll", (err, responses) =>
    ack(err ? { ok: false, error: String(err), responses } : { ok: true, responses })));
  socket.on("disconnect-room", (room, ack) => { nsp.in(room).disconnectSockets(true); ack("done"); });
  socket.on("sse", (payload, ack) => { nsp.serverSideEmit("sse", payload); ack("sent"); });
});
nsp.on("sse", (payload) => nsp.local.emit("sse-received", payload));
const httpServer = createServer();
io.attach(httpServer);
httpServer.listen(port, "127.0.0.1", () => console.log(`reference server listening on 127.0.0.1:${port}`));
const stop = () => io.close(() => Promise.allSettled([pub.quit(), sub.quit()]).then(() => process.exit(0)));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
