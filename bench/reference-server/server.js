// Reference server for the chat benchmark protocol (shared/bench/PROTOCOL.md), built on the npm socket.io 4.8.x
// package with its default options. Listens on 127.0.0.1:$PORT only. SIGTERM/SIGINT stop it.
"use strict";
const http = require("node:http");
const { Server } = require("socket.io");

const port = Number(process.env.PORT || 3390);
if (!Number.isInteger(port) || port <= 0 || port > 65535) {
  console.error(`reference-server: bad PORT '${process.env.PORT}'`);
  process.exit(2);
}

const httpServer = http.createServer();
const io = new Server(httpServer); // default options: path /socket.io/, both transports, maxHttpBufferSize 1e6

let lastId = 0; // ids rise strictly within this process, starting at 1

/** socket.io passes the ack callback as the last argument when the client asked for one. */
function split(args) {
  const ack = args.length > 0 && typeof args[args.length - 1] === "function" ? args.pop() : null;
  return [args[0], ack];
}

const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);

io.on("connection", (socket) => {
  socket.join("chat"); // synchronous with the in-memory adapter: in force before any event of this socket

  socket.on("chat_message", (...args) => {
    const [msg, ack] = split(args);
    if (!isObject(msg) || typeof msg.text !== "string") {
      if (ack) ack({ error: "bad_request" });
      return;
    }
    const id = ++lastId;
    socket.to("chat").emit("new_message", {
      id,
      user_id: socket.id,
      text: msg.text,
      ts: msg.ts === undefined ? null : msg.ts,
    });
    if (ack) ack({ id });
  });

  socket.on("echo", (...args) => {
    const [value, ack] = split(args);
    if (ack && value !== undefined && value !== null) ack(value);
  });

  socket.on("join", (...args) => {
    const [arg, ack] = split(args);
    const room = isObject(arg) ? arg.room : undefined;
    if (typeof room !== "string" || room.length === 0) {
      if (ack) ack({ error: "bad_request" });
      return;
    }
    socket.join(room);
    if (ack) ack({ room });
  });
  // unknown events: socket.io ignores events without a listener
});

httpServer.listen(port, "127.0.0.1", () => {
  console.log(`reference-server: socket.io ${require("socket.io/package.json").version} on http://127.0.0.1:${port} (pid ${process.pid})`);
});

function stop(signal) {
  console.log(`reference-server: ${signal}, closing`);
  io.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 2000).unref();
}
process.on("SIGTERM", () => stop("SIGTERM"));
process.on("SIGINT", () => stop("SIGINT"));
