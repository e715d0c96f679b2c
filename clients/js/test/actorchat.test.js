// Tests of the client library's reconnect, resume and de-duplication against a scripted server double
// (the `ws` package on 127.0.0.1, a port the OS picks, taking a subprotocol token or a ticket). Run: npm test (in clients/js).
import { test, mock } from 'node:test';
import assert from 'node:assert/strict';
import { ActorChatError, RoomEvents, State, backoffDelay, getTicket, newClientMsgId } from '../actorchat.js';
import { client, collect, eventSources, message, next, serverDouble } from './server-double.js';

test('a dropped socket is reopened, the room resumed with since, and overlapping replays are shown once', async () => {
  const server = await serverDouble((connection, frame) => {
    if (frame.type !== 'join') return;
    if (frame.since === undefined) {
      connection.send({ type: 'ok', id: frame.id, room: frame.room, lastSeq: 0, memberCount: 2, recovered: true });
      for (let seq = 1; seq <= 3; seq++) connection.send(message(frame.room, seq));
    } else {
      // A server that replays more than asked (seq 2 and 3 again) must not make the client show them twice.
      connection.send({ type: 'ok', id: frame.id, room: frame.room, lastSeq: 5, memberCount: 2, recovered: true });
      for (let seq = 2; seq <= 5; seq++) connection.send(message(frame.room, seq));
    }
  });
  const chat = client(server.url);
  try {
    const firstThree = collect(chat, 'message', 3);
    await chat.join('lobby');
    await firstThree;

    const resumed = next(chat, 'resumed');
    const nextTwo = collect(chat, 'message', 2);
    (await server.connection(1)).socket.terminate();
    const second = await server.connection(2);
    await nextTwo;

    const join = second.frames.find((f) => f.type === 'join');
    assert.deepEqual({ room: join.room, since: join.since }, { room: 'lobby', since: 3 });
    assert.equal(chat.lastSeq('lobby'), 5);
    assert.ok((await resumed).recovered);
    const seqs = [...(await firstThree), ...(await nextTwo)].map((m) => m.seq);
    assert.deepEqual(seqs, [1, 2, 3, 4, 5]);
  } finally {
    chat.close();
    await server.close();
  }
});

test('a send in flight when the socket drops is sent again with the same clientMsgId and resolves once', async () => {
  let sends = 0;
  const server = await serverDouble((connection, frame) => {
    if (frame.type !== 'send') return;
    sends++;
    // The first attempt is stored but its reply is lost with the socket; the retry gets the first seq back.
    if (sends === 1) connection.socket.terminate();
    else connection.send({ type: 'ok', id: frame.id, room: frame.room, seq: 7, ts: new Date(0).toISOString() });
  });
  const chat = client(server.url);
  try {
    await chat.connect();
    const ok = await chat.send('lobby', 'hello');
    const attempts = server.connections.flatMap((c) => c.frames).filter((f) => f.type === 'send');
    assert.equal(ok.seq, 7);
    assert.equal(attempts.length, 2);
    assert.equal(attempts[0].clientMsgId, attempts[1].clientMsgId);
    assert.ok(attempts[0].clientMsgId.length > 0);
  } finally {
    chat.close();
    await server.close();
  }
});

test('a request that is not safe to repeat fails with disconnected when the socket drops', async () => {
  const server = await serverDouble((connection, frame) => {
    if (frame.type === 'ping') connection.socket.terminate();
  });
  const chat = client(server.url);
  try {
    await chat.connect();
    await assert.rejects(chat.ping(), (err) => err instanceof ActorChatError && err.code === 'disconnected');
  } finally {
    chat.close();
    await server.close();
  }
});

test('error replies reject with the protocol code and its details', async () => {
  const server = await serverDouble((connection, frame) => {
    connection.send({ type: 'error', id: frame.id, code: 'rate_limited', message: 'Too many requests.', retryAfterMs: 250 });
  });
  const chat = client(server.url);
  try {
    await chat.connect();
    await assert.rejects(chat.history('lobby'), (err) => err.code === 'rate_limited' && err.retryAfterMs === 250 && err.message === 'Too many requests.');
  } finally {
    chat.close();
    await server.close();
  }
});

test('a direct message room seen once is resumed after a reconnect', async () => {
  const server = await serverDouble((connection, frame) => {
    if (frame.type === 'join') connection.send({ type: 'ok', id: frame.id, room: frame.room, lastSeq: 2, memberCount: 2, recovered: true });
  });
  const chat = client(server.url);
  try {
    await chat.connect();
    const first = next(chat, 'message');
    (await server.connection(1)).send(message('dm:alice:bob', 1));
    await first;
    (await server.connection(1)).socket.terminate();
    const resumed = await next(chat, 'resumed');
    assert.equal(resumed.room, 'dm:alice:bob');
    const join = (await server.connection(2)).frames.find((f) => f.type === 'join');
    assert.deepEqual({ room: join.room, since: join.since }, { room: 'dm:alice:bob', since: 1 });
  } finally {
    chat.close();
    await server.close();
  }
});

test('a connection that watched the room directory watches it again after a reconnect, as a reset page', async () => {
  const server = await serverDouble((connection, frame) => {
    if (frame.type === 'ping') connection.send({ type: 'ok', id: frame.id, ts: new Date(0).toISOString() });
    if (frame.type !== 'browse') return;
    const page = connection === server.connections[0] ? [{ room: 'a', members: 1 }] : [{ room: 'a', members: 2 }, { room: 'b', members: 1 }];
    connection.send({ type: 'ok', id: frame.id, rooms: page, next: null });
  });
  const chat = client(server.url);
  try {
    await chat.connect();
    const first = await chat.browse({ limit: 20 });
    assert.deepEqual(first.rooms, [{ room: 'a', members: 1 }]);
    const reset = next(chat, 'directory');
    (await server.connection(1)).socket.terminate();
    const again = await reset;
    assert.equal(again.reset, true);
    assert.deepEqual(again.rooms, [{ room: 'a', members: 2 }, { room: 'b', members: 1 }]);
    assert.deepEqual((await server.connection(2)).frames.filter((f) => f.type === 'browse').map(({ limit }) => limit), [20]);

    // After watch: false it stays quiet.
    await chat.browse({ watch: false });
    (await server.connection(2)).socket.terminate();
    const third = await server.connection(3);
    await chat.whenOpen();
    await chat.ping();
    assert.equal(third.frames.filter((f) => f.type === 'browse').length, 0);
  } finally {
    chat.close();
    await server.close();
  }
});

test('a room that refuses the resume for good is dropped from the resume list', async () => {
  const server = await serverDouble((connection, frame) => {
    if (frame.type !== 'join') return;
    if (frame.room === 'gone' && connection !== server.connections[0]) {
      connection.send({ type: 'error', id: frame.id, code: 'forbidden', message: 'Not invited.' });
    } else {
      connection.send({ type: 'ok', id: frame.id, room: frame.room, lastSeq: 0, memberCount: 1, recovered: true });
    }
  });
  const chat = client(server.url);
  try {
    await chat.join('gone');
    await chat.join('stays');
    const refused = next(chat, 'error');
    (await server.connection(1)).socket.terminate();
    assert.deepEqual([(await refused).code, (await refused).room], ['forbidden', 'gone']);
    await chat.whenOpen();
    (await server.connection(2)).socket.terminate();
    const third = await server.connection(3);
    await chat.whenOpen();
    assert.deepEqual(third.frames.filter((f) => f.type === 'join').map((f) => f.room), ['stays']);
  } finally {
    chat.close();
    await server.close();
  }
});

test('every connect offers the current token as the subprotocol next to actorchat: nothing in the URL, no ticket bought', async () => {
  const server = await serverDouble(() => {});
  let issued = 0;
  const chat = client(server.url, { token: async () => `t${++issued}` });
  try {
    await chat.connect();
    (await server.connection(1)).socket.close(4001, 'token expired');
    const second = await server.connection(2);
    assert.deepEqual([server.connections[0].token, second.token], ['t1', 't2']);
    for (const connection of server.connections) {
      assert.equal(connection.protocol, 'actorchat');
      assert.equal(connection.url.search, '');
      assert.equal(connection.url.pathname, '/ws');
    }
    assert.equal(server.issued.size, 0);
  } finally {
    chat.close();
    await server.close();
  }
});

test('a refused handshake is told from a lost server by the ticket endpoint: unauthorized, and the token function is asked again', async () => {
  const server = await serverDouble(() => {}, { refuse: (token) => token === 'expired' });
  const tokens = ['expired', 'fresh'];
  const chat = client(server.url, { token: async () => tokens.shift() ?? 'fresh' });
  try {
    const refused = next(chat, 'error');
    await chat.connect();
    assert.equal((await refused).code, 'unauthorized');
    assert.deepEqual(server.handshakes.map((h) => h.token), ['expired', 'fresh']);
    assert.equal(server.connections.length, 1);
    assert.equal(server.connections[0].token, 'fresh');
  } finally {
    chat.close();
    await server.close();
  }
});

test('a server that takes the token but not as a subprotocol gets tickets for a while, the first one the question bought', { timeout: 10_000 }, async () => {
  const server = await serverDouble(() => {}, { subprotocolTokens: false });
  const chat = client(server.url);
  const errors = [];
  chat.on('error', (err) => errors.push(err));
  try {
    await chat.connect();
    (await server.connection(1)).socket.close(4001, 'token expired');
    await server.connection(2);
    assert.deepEqual(server.handshakes.map((h) => (h.ticket === null ? 'subprotocol' : 'ticket')), ['subprotocol', 'ticket', 'ticket']);
    assert.equal(server.issued.size, 2);
    assert.ok([...server.issued.values()].every((entry) => entry.used));
    assert.deepEqual(errors, []);
  } finally {
    chat.close();
    await server.close();
  }
});

test('a node that takes the socket only to close it with 1013 is not asked again for 5 s or more, and no ticket is bought', { timeout: 10_000 }, async () => {
  const server = await serverDouble(() => {}, { turnAway: (n) => (n === 1 ? [1013, 'node_full: retry in 5 s, another node may take it'] : null) });
  const chat = client(server.url, { random: () => 0 });
  const errors = [];
  chat.on('error', (err) => errors.push(err));
  try {
    const reconnecting = collect(chat, 'state', 2);
    chat.connect().catch(() => {});
    const [, state] = await reconnecting;
    assert.equal(state.state, 'reconnecting');
    assert.equal(state.code, 1013);
    assert.equal(state.delayMs, 5000);
    assert.equal(server.issued.size, 0);
    assert.deepEqual(errors, []);
  } finally {
    chat.close();
    await server.close();
  }
});

test('a socket closed with 4029 before its welcome reports too_many_connections with the server\'s reason and waits 5-10 s', { timeout: 10_000 }, async () => {
  const server = await serverDouble(() => {}, { turnAway: (n) => (n === 1 ? [4029, 'too_many_connections: at most 20 per user on this node'] : null) });
  const chat = client(server.url, { random: () => 1 });
  try {
    const refused = next(chat, 'error');
    const reconnecting = collect(chat, 'state', 2);
    chat.connect().catch(() => {});
    const error = await refused;
    assert.equal(error.code, 'too_many_connections');
    assert.match(error.message, /at most 20 per user/);
    assert.equal((await reconnecting)[1].delayMs, 10000);
    assert.equal(server.issued.size, 0);
  } finally {
    chat.close();
    await server.close();
  }
});

test('when neither the socket nor the ticket endpoint can be reached, no error is reported and reconnecting goes on', { timeout: 10_000 }, async () => {
  const unreachable = () => Promise.reject(new TypeError('fetch failed'));
  const chat = client('ws://127.0.0.1:1/ws', { fetch: unreachable });
  const errors = [];
  chat.on('error', (err) => errors.push(err));
  try {
    const thirdRetry = new Promise((resolve) => chat.on('state', ({ state, attempt }) => state === State.reconnecting && attempt >= 3 && resolve()));
    chat.connect().catch(() => {});
    await thirdRetry;
    assert.deepEqual(errors, []);
  } finally {
    chat.close();
  }
});

test('a question the ticket endpoint never answers is given up after requestTimeoutMs, quietly, and reconnecting goes on', { timeout: 10_000 }, async () => {
  // A fetch that answers nothing until its signal gives up on it, as a blackholed server.
  const silent = (_url, { signal }) => new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
  const chat = client('ws://127.0.0.1:1/ws', { fetch: silent, requestTimeoutMs: 50 });
  const errors = [];
  chat.on('error', (err) => errors.push(err));
  // AbortSignal.timeout's timer does not keep Node running by itself (a page's would; here nothing else is pending).
  const keepAlive = setInterval(() => {}, 1000);
  try {
    const secondRetry = new Promise((resolve) => chat.on('state', ({ state, attempt }) => state === State.reconnecting && attempt >= 2 && resolve()));
    chat.connect().catch(() => {});
    await secondRetry;
    assert.deepEqual(errors, []);
  } finally {
    clearInterval(keepAlive);
    chat.close();
  }
});

test('a ticket answer without a ticket is bad_response, not a ticket', async () => {
  const answer = async () => new Response('<html>not here</html>', { status: 200, headers: { 'content-type': 'text/html' } });
  await assert.rejects(getTicket('http://127.0.0.1:1', 't', answer), (err) => err instanceof ActorChatError && err.code === 'bad_response');
});

test('with signIn ticket, or a token no subprotocol can carry, every connect trades the token for a fresh ticket: the URL carries the ticket, never the token', async () => {
  for (const [options, tokenOf] of [[{ signIn: 'ticket' }, (n) => `t${n}`], [{}, (n) => `opaque/${n}==`]]) {
    const server = await serverDouble(() => {});
    let issued = 0;
    const chat = client(server.url, { ...options, token: async () => tokenOf(++issued) });
    try {
      await chat.connect();
      (await server.connection(1)).socket.close(4001, 'token expired');
      const second = await server.connection(2);
      assert.deepEqual([server.connections[0].token, second.token], [tokenOf(1), tokenOf(2)]);
      for (const connection of server.connections) {
        assert.deepEqual([...connection.url.searchParams.keys()], ['ticket']);
        assert.equal(connection.url.pathname, '/ws');
        assert.equal(connection.protocol, '');
      }
      assert.notEqual(server.connections[0].ticket, second.ticket);
    } finally {
      chat.close();
      await server.close();
    }
  }
});

test('with signIn ticket, a token refused at the ticket endpoint is reported as unauthorized, and the token function is asked again', async () => {
  const server = await serverDouble(() => {}, { refuse: (token) => token === 'expired' });
  const tokens = ['expired', 'fresh'];
  const chat = client(server.url, { signIn: 'ticket', token: async () => tokens.shift() ?? 'fresh' });
  try {
    const refused = next(chat, 'error');
    await chat.connect();
    assert.equal((await refused).code, 'unauthorized');
    assert.equal(server.connections.length, 1);
    assert.equal(server.connections[0].token, 'fresh');
    assert.deepEqual(server.handshakes.map((h) => h.token), [null]);
  } finally {
    chat.close();
    await server.close();
  }
});

test('getTicket asks the ticket endpoint with the bearer token and rejects a refused one as unauthorized', async () => {
  const server = await serverDouble(() => {}, { refuse: (token) => token === 'bad' });
  try {
    const { ticket, expiresAt } = await getTicket(server.base, 'good');
    assert.equal(server.issued.get(ticket).token, 'good');
    assert.ok(Date.parse(expiresAt) > Date.now());
    await assert.rejects(getTicket(server.base, 'bad'), (err) => err instanceof ActorChatError && err.code === 'unauthorized');
  } finally {
    await server.close();
  }
});

test('an event stream is reopened after a drop with a fresh ticket and since, and what is replayed is passed on once', async () => {
  const server = await serverDouble(() => {});
  const sources = eventSources();
  const events = new RoomEvents({
    base: server.base, room: 'lobby', token: 't0', since: 0, EventSource: sources.EventSource, backoff: { initialMs: 5, maxMs: 20, factor: 2 },
  });
  const seen = [];
  events.on('message', (m) => seen.push(m.seq));
  try {
    const connected = events.connect();
    const first = await sources.source(1);
    first.dispatch('ready', { type: 'ready', room: 'lobby', lastSeq: 2, memberCount: 1, recovered: true });
    await connected;
    first.dispatch('message', message('lobby', 1));
    first.dispatch('message', message('lobby', 2));

    // The server restarts: it says so, the stream errors, and the EventSource must not retry its spent URL.
    const closing = next(events, 'close');
    first.dispatch('close', { type: 'close', code: 1012, reason: 'server restarting' });
    assert.equal((await closing).code, 1012);
    first.fail();
    assert.ok(first.closed);
    const second = await sources.source(2);
    second.dispatch('ready', { type: 'ready', room: 'lobby', lastSeq: 3, memberCount: 1, recovered: true });
    second.dispatch('message', message('lobby', 2));
    second.dispatch('message', message('lobby', 3));

    assert.deepEqual(seen, [1, 2, 3]);
    assert.equal(events.lastSeq(), 3);
    assert.deepEqual([first.url.pathname, first.url.searchParams.get('since')], ['/api/rooms/lobby/events', '0']);
    assert.deepEqual([second.url.pathname, second.url.searchParams.get('since')], ['/api/rooms/lobby/events', '2']);
    const tickets = [first, second].map((s) => s.url.searchParams.get('ticket'));
    assert.notEqual(tickets[0], tickets[1]);
    assert.ok(tickets.every((t) => server.issued.get(t)?.token === 't0'));
    assert.ok([first, second].every((s) => !s.url.searchParams.has('access_token')));
  } finally {
    events.close();
    await server.close();
  }
});

test('close() stops reconnecting and fails what is waiting', async (t) => {
  const server = await serverDouble(() => {});
  const chat = client(server.url, { backoff: { initialMs: 1000, maxMs: 1000, factor: 2 } });
  try {
    await chat.connect();
    const reconnecting = new Promise((resolve) => chat.on('state', (s) => s.state === State.reconnecting && resolve(s)));
    t.mock.timers.enable({ apis: ['setTimeout'] });
    (await server.connection(1)).socket.terminate();
    await reconnecting;
    const queued = chat.send('lobby', 'never sent');
    chat.close();
    t.mock.timers.tick(60_000);
    await assert.rejects(queued, (err) => err.code === 'closed');
    assert.equal(chat.state, State.closed);
    assert.equal(server.connections.length, 1);
    await assert.rejects(chat.connect(), (err) => err.code === 'closed');
  } finally {
    mock.timers.reset();
    chat.close();
    await server.close();
  }
});

test('reconnect delays grow exponentially up to the cap, with jitter in the upper half', () => {
  const backoff = { initialMs: 500, maxMs: 30000, factor: 2 };
  assert.deepEqual([0, 1, 2, 3].map((a) => backoffDelay(a, backoff, () => 1)), [500, 1000, 2000, 4000]);
  assert.equal(backoffDelay(20, backoff, () => 1), 30000);
  assert.equal(backoffDelay(0, backoff, () => 0), 250);
  assert.equal(backoffDelay(20, backoff, () => 0), 15000);
});

test('client message ids are unique without crypto.randomUUID (a page over plain http on a LAN address)', (t) => {
  const randomUUID = globalThis.crypto.randomUUID;
  Object.defineProperty(globalThis.crypto, 'randomUUID', { value: undefined, configurable: true, writable: true });
  t.after(() => Object.defineProperty(globalThis.crypto, 'randomUUID', { value: randomUUID, configurable: true, writable: true }));

  const ids = new Set(Array.from({ length: 1000 }, () => newClientMsgId()));
  assert.equal(ids.size, 1000);
  for (const id of ids) assert.match(id, /^[0-9a-f]{32}$/);
});
