// The scripted server double and helpers the library's tests share.
import { once } from 'node:events';
import { createServer } from 'node:http';
import { WebSocketServer, WebSocket } from 'ws';
import { ActorChat } from '../actorchat.js';

/**
 * A server double: `POST /api/auth/ticket` hands out one-use tickets for any bearer token (but those `refuse`
 * names), the socket opens only with an unused ticket or a token offered as the subprotocol
 * `actorchat.bearer.<token>` next to `actorchat` (else 401, as the real server; `actorchat` is selected), and every
 * connection and frame is recorded for each test to script its replies. `subprotocolTokens: false` plays a front
 * end from before subprotocol tokens (or behind a proxy that drops the header): 401 for every such handshake.
 * `turnAway(n)` may return `[code, reason]` for the n-th connection: it is accepted and closed at once with them,
 * before any welcome, as the server does with a socket over its connection limits.
 */
export async function serverDouble(onRequest, { refuse = () => false, subprotocolTokens = true, turnAway = () => null } = {}) {
  const issued = new Map();   // ticket -> {token, used}
  const http = createServer((request, response) => {
    if (request.method !== 'POST' || request.url !== '/api/auth/ticket') {
      response.writeHead(404).end();
      return;
    }
    const token = (request.headers.authorization ?? '').replace(/^Bearer /, '');
    if (!token || refuse(token)) {
      response.writeHead(401).end();
      return;
    }
    const ticket = `ticket${issued.size + 1}`;
    issued.set(ticket, { token, used: false });
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ ticket, expiresAt: new Date(Date.now() + 30_000).toISOString() }));
  });
  const offeredToken = (request) => {
    const offered = (request.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
    const bearer = offered.find((p) => p.startsWith('actorchat.bearer.'));
    return bearer && offered.includes('actorchat') ? bearer.slice('actorchat.bearer.'.length) : null;
  };
  const handshakes = [];
  const wss = new WebSocketServer({
    server: http,
    handleProtocols: (protocols) => (protocols.has('actorchat') ? 'actorchat' : false),
    verifyClient: (info, done) => {
      const ticket = new URL(info.req.url, 'http://x').searchParams.get('ticket');
      const token = offeredToken(info.req);
      handshakes.push({ ticket, token });
      if (ticket === null && token !== null) return done(subprotocolTokens && !refuse(token), 401);
      const entry = issued.get(ticket);
      if (!entry || entry.used) return done(false, 401);
      entry.used = true;
      return done(true);
    },
  });
  http.listen(0, '127.0.0.1');
  await once(http, 'listening');
  const connections = [];
  const waiters = [];
  wss.on('connection', (socket, request) => {
    const url = new URL(request.url, 'http://x');
    const connection = {
      socket,
      url,
      ticket: url.searchParams.get('ticket'),
      token: url.searchParams.has('ticket') ? issued.get(url.searchParams.get('ticket')).token : offeredToken(request),
      protocol: socket.protocol,
      frames: [],
      send: (frame) => socket.send(JSON.stringify(frame)),
    };
    connections.push(connection);
    const refusal = turnAway(connections.length);
    if (refusal) {
      socket.close(...refusal);
      for (const waiter of waiters.splice(0)) waiter(connection);
      return;
    }
    socket.on('message', (data) => {
      const frame = JSON.parse(data.toString());
      connection.frames.push(frame);
      onRequest(connection, frame);
    });
    connection.send({ type: 'welcome', user: 'alice', connection: `c${connections.length}`, protocol: 1 });
    for (const waiter of waiters.splice(0)) waiter(connection);
  });
  const port = http.address().port;
  return {
    url: `ws://127.0.0.1:${port}/ws`,
    base: `http://127.0.0.1:${port}`,
    issued,
    connections,
    /** Every upgrade attempt, accepted or refused: its ticket and its subprotocol token. */
    handshakes,
    /** The next connection to arrive (or the n-th, if it is already here). */
    connection(n) {
      if (connections.length >= n) return Promise.resolve(connections[n - 1]);
      return new Promise((resolve) => {
        const wait = (c) => (connections.length >= n ? resolve(connections[n - 1]) : waiters.push(wait));
        waiters.push(wait);
      });
    },
    async close() {
      for (const c of connections) c.socket.terminate();
      await new Promise((resolve) => wss.close(resolve));
      http.closeAllConnections();
      await new Promise((resolve) => http.close(resolve));
    },
  };
}

/** An EventSource stand-in: records each one opened, and lets a test dispatch events and errors into it. */
export function eventSources() {
  const opened = [];
  const waiters = [];
  class FakeEventSource {
    constructor(url) {
      this.url = new URL(url);
      this.listeners = new Map();
      this.closed = false;
      this.onerror = null;
      opened.push(this);
      for (const waiter of waiters.splice(0)) waiter();
    }

    addEventListener(type, listener) {
      if (!this.listeners.has(type)) this.listeners.set(type, []);
      this.listeners.get(type).push(listener);
    }

    dispatch(type, data) {
      for (const listener of this.listeners.get(type) ?? []) listener({ type, data: JSON.stringify(data) });
    }

    fail() {
      this.onerror?.({ type: 'error' });
    }

    close() {
      this.closed = true;
    }
  }
  return {
    EventSource: FakeEventSource,
    /** The n-th EventSource opened, once it is. */
    source(n) {
      return new Promise((resolve) => {
        const check = () => (opened.length >= n ? resolve(opened[n - 1]) : waiters.push(check));
        check();
      });
    },
  };
}

export function client(url, extra = {}) {
  return new ActorChat({ url, token: 't0', WebSocket, backoff: { initialMs: 5, maxMs: 20, factor: 2 }, requestTimeoutMs: 5000, ...extra });
}

export function message(room, seq, text = `m${seq}`) {
  return { type: 'message', room, seq, from: 'bob', text, ts: new Date(0).toISOString() };
}

/** Resolves with the next event of `type` the client emits. */
export function next(chat, type) {
  return collect(chat, type, 1).then(([event]) => event);
}

/** Resolves with the first `count` events of `type` the client emits. */
export function collect(chat, type, count) {
  const seen = [];
  return new Promise((resolve) => {
    const off = chat.on(type, (event) => {
      seen.push(event);
      if (seen.length === count) {
        off();
        resolve(seen);
      }
    });
  });
}

