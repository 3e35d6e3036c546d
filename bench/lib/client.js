// How the generator opens a socket.io-client socket: one Engine.IO session per socket (forceNew), no reconnection
// (a reconnect would hide a failure and could duplicate deliveries), one transport only, never upgraded.
"use strict";
const http = require("node:http");
const { performance } = require("node:perf_hooks");
const { io } = require("socket.io-client");

// Polling through socket.io-client in Node uses xmlhttprequest-ssl, which opens a new TCP connection per request
// unless it is given an agent. Browsers keep connections alive, so the generator does too.
const keepAliveAgent = new http.Agent({ keepAlive: true, maxSockets: Infinity });

// What the polling clients of this process asked and got over HTTP: requests made, TCP connections opened, bytes
// read (heads and bodies). Per delivery or ack, these tell whether a server makes its clients work more.
const httpTally = { requests: 0, connections: 0, closedBytesRead: 0, live: new Set() };
const addRequest = keepAliveAgent.addRequest;
keepAliveAgent.addRequest = function (...args) {
  httpTally.requests++;
  return addRequest.apply(this, args);
};
const createConnection = keepAliveAgent.createConnection;
keepAliveAgent.createConnection = function (...args) {
  const socket = createConnection.apply(this, args);
  httpTally.connections++;
  httpTally.live.add(socket);
  socket.once("close", () => { httpTally.live.delete(socket); httpTally.closedBytesRead += socket.bytesRead; });
  return socket;
};
function httpCounts() {
  let bytesRead = httpTally.closedBytesRead;
  for (const socket of httpTally.live) bytesRead += socket.bytesRead;
  return { requests: httpTally.requests, connections: httpTally.connections, bytesRead };
}

/** Milliseconds on a clock that every process on the machine shares (the brief's definition). */
const now = () => performance.timeOrigin + performance.now();

function openSocket(url, transport, extra = {}) {
  const opts = { forceNew: true, reconnection: false, transports: [transport], timeout: 20000, ...extra };
  if (transport === "polling") {
    opts.upgrade = false;
    opts.agent = keepAliveAgent;
  }
  return io(url, opts);
}

/** Resolves with {ok, ms, error} when the socket connects or fails. */
function whenConnected(socket, timeoutMs) {
  const start = now();
  return new Promise((resolve) => {
    let done = false;
    const finish = (ok, error) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.off("connect", onConnect);
      socket.off("connect_error", onError);
      resolve({ ok, ms: now() - start, error });
    };
    const onConnect = () => finish(true, null);
    const onError = (e) => finish(false, (e && e.message) || String(e));
    const timer = setTimeout(() => finish(false, `no connect within ${timeoutMs} ms`), timeoutMs);
    socket.on("connect", onConnect);
    socket.on("connect_error", onError);
  });
}

module.exports = { openSocket, whenConnected, now, keepAliveAgent, httpCounts };
