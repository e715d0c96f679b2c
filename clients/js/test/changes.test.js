// Tests of the library with messages people fix and rooms their owners moderate: edits, deletions, reactions and
// moderation share the room's log with the messages, one sequence (`seq` for messages, `logSeq` for changes). A
// client that resumes with `since` after any mix of them must end with exactly the state `history` shows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ActorChatError, ChangeTypes, RoomEvents, applyChange } from '../actorchat.js';
import { client, collect, eventSources, message, next, serverDouble } from './server-double.js';

const ts = new Date(0).toISOString();

/**
 * One room's log as the server keeps it: messages and changes numbered in one sequence, replayed after `since`,
 * and the current state `history` shows, worked out from the log on its own (per-user reaction sets, not counts).
 */
class RoomLog {
  constructor(room) {
    this.room = room;
    this.entries = [];
  }

  get last() {
    return this.entries.length;
  }

  message(from, text) {
    return this.append({ type: 'message', from, text, ts }, 'seq');
  }

  edit(seq, text, by) {
    return this.append({ type: 'edited', seq, text, editedAt: new Date(this.last * 1000).toISOString(), by }, 'logSeq');
  }

  delete(seq, by) {
    return this.append({ type: 'deleted', seq, by }, 'logSeq');
  }

  react(seq, emoji, user, added) {
    const users = this.reactors(seq, emoji);
    if (added) users.add(user); else users.delete(user);
    return this.append({ type: 'reaction', seq, emoji, user, added, count: users.size }, 'logSeq');
  }

  moderate(user, action, by) {
    return this.append({ type: 'moderation', user, action, by }, 'logSeq');
  }

  append(fields, position) {
    const entry = { room: this.room, ...fields, [position]: this.last + 1 };
    this.entries.push(entry);
    return entry;
  }

  reactors(seq, emoji) {
    const users = new Set();
    for (const e of this.entries) {
      if (e.type === 'reaction' && e.seq === seq && e.emoji === emoji) {
        if (e.added) users.add(e.user); else users.delete(e.user);
      }
      if (e.type === 'deleted' && e.seq === seq) users.clear();
    }
    return users;
  }

  /** What `history` shows to `me`: every message in its current state. */
  history(me) {
    const messages = new Map();
    for (const e of this.entries) {
      if (e.type === 'message') messages.set(e.seq, { room: e.room, seq: e.seq, from: e.from, text: e.text, ts: e.ts });
      else if (e.type === 'edited') Object.assign(messages.get(e.seq), { text: e.text, editedAt: e.editedAt });
      else if (e.type === 'deleted') {
        const { room, seq, from, ts: at } = messages.get(e.seq);
        messages.set(e.seq, { room, seq, from, ts: at, deleted: true });
      }
    }
    for (const m of messages.values()) {
      if (m.deleted) continue;
      const emojis = [...new Set(this.entries.filter((e) => e.type === 'reaction' && e.seq === m.seq).map((e) => e.emoji))];
      const reactions = emojis
        .map((emoji) => ({ emoji, users: this.reactors(m.seq, emoji) }))
        .filter(({ users }) => users.size > 0)
        .map(({ emoji, users }) => ({ emoji, count: users.size, me: users.has(me) }));
      if (reactions.length > 0) m.reactions = reactions;
    }
    return [...messages.values()];
  }
}

/** A server double that keeps `logs` (room -> RoomLog): join replays after `since` (from `overlap` entries earlier, to test de-duplication). */
async function logServer(logs, { overlap = 0 } = {}) {
  const server = await serverDouble((connection, frame) => {
    if (frame.type !== 'join') return;
    const log = logs.get(frame.room);
    connection.followed ??= new Set();
    connection.followed.add(frame.room);
    connection.send({ type: 'ok', id: frame.id, room: frame.room, lastSeq: log.last, memberCount: 2, recovered: true, private: false, topic: null, slowMode: 0, role: 'member' });
    if (frame.since !== undefined) {
      for (const entry of log.entries.slice(Math.max(0, frame.since - overlap))) connection.send(entry);
    }
  });
  /** Appends to the log and sends it live to every connection following the room. */
  server.live = (entry) => {
    for (const c of server.connections) {
      if (c.followed?.has(entry.room) && c.socket.readyState === 1) c.send(entry);
    }
    return entry;
  };
  return server;
}

/** What a page or app keeps: every message passed on, with every change applied, as `history` would show it. */
function keepState(chat) {
  const shown = new Map();
  const passed = [];
  chat.on('message', (m) => {
    passed.push(`${m.room}@${m.seq}`);
    const { type: _type, ...fields } = m;
    shown.set(m.seq, fields);
  });
  for (const type of ChangeTypes) {
    chat.on(type, (change) => {
      passed.push(`${change.room}@${change.logSeq}`);
      const before = shown.get(change.seq);
      if (before) shown.set(change.seq, applyChange(before, change, chat.user));
    });
  }
  return { shown, passed };
}

/** Resolves once the client has passed on position `position` of `room`. */
function reached(chat, room, position) {
  return new Promise((resolve) => {
    if (chat.lastSeq(room) >= position) return resolve();
    const offs = ['message', ...ChangeTypes].map((type) => chat.on(type, () => {
      if (chat.lastSeq(room) < position) return;
      offs.forEach((off) => off());
      resolve();
    }));
  });
}

test('a room is resumed from the highest of message seq and change logSeq', async () => {
  const lobby = new RoomLog('lobby');
  const server = await logServer(new Map([['lobby', lobby]]));
  const chat = client(server.url);
  try {
    await chat.join('lobby');
    server.live(lobby.message('bob', 'helo'));
    server.live(lobby.message('bob', 'second'));
    server.live(lobby.edit(1, 'hello', 'bob'));
    server.live(lobby.react(2, '👍', 'carol', true));
    await reached(chat, 'lobby', 4);
    assert.equal(chat.lastSeq('lobby'), 4);

    (await server.connection(1)).socket.terminate();
    const second = await server.connection(2);
    await chat.whenOpen();
    const join = second.frames.find((f) => f.type === 'join');
    assert.deepEqual({ room: join.room, since: join.since }, { room: 'lobby', since: 4 });
  } finally {
    chat.close();
    await server.close();
  }
});

test('after any mix of edits, deletes and reactions across reconnects, each change is passed on once and the state is what history shows', async () => {
  const lobby = new RoomLog('lobby');
  lobby.message('bob', 'before the client came');
  // The server replays three entries more than asked for on every resume: the client must pass each on once.
  const server = await logServer(new Map([['lobby', lobby]]), { overlap: 3 });
  const chat = client(server.url);
  const state = keepState(chat);
  try {
    await chat.join('lobby', { since: 0 });
    await reached(chat, 'lobby', 1);
    server.live(lobby.message('bob', 'first'));
    server.live(lobby.message('alice', 'secnd'));
    server.live(lobby.react(2, '👍', 'bob', true));
    server.live(lobby.react(2, '👍', 'alice', true));
    server.live(lobby.edit(3, 'second', 'alice'));
    await reached(chat, 'lobby', 6);

    // Dropped; meanwhile the messages change again, and one of them twice.
    (await server.connection(1)).socket.terminate();
    lobby.react(2, '👍', 'bob', false);
    lobby.react(3, '🎉', 'bob', true);
    lobby.edit(3, 'second!', 'alice');
    lobby.message('bob', 'to be deleted');
    lobby.react(10, '😮', 'alice', true);
    lobby.delete(10, 'bob');
    lobby.delete(1, 'carol');
    await server.connection(2);
    await reached(chat, 'lobby', lobby.last);

    // Live again, then dropped once more right after more changes.
    server.live(lobby.react(3, '🎉', 'alice', true));
    server.live(lobby.react(3, '❤️', 'alice', true));
    await reached(chat, 'lobby', lobby.last);
    (await server.connection(2)).socket.terminate();
    lobby.react(3, '❤️', 'alice', false);
    lobby.message('carol', 'last');
    await server.connection(3);
    await reached(chat, 'lobby', lobby.last);

    const positions = Array.from({ length: lobby.last }, (_, i) => `lobby@${i + 1}`);
    assert.deepEqual(state.passed, positions);
    assert.deepEqual([...state.shown.values()].sort((a, b) => a.seq - b.seq), lobby.history('alice'));
    const joins = server.connections.map((c) => c.frames.find((f) => f.type === 'join')?.since);
    assert.deepEqual(joins, [0, 6, 15]);
  } finally {
    chat.close();
    await server.close();
  }
});

test('a reaction count is applied as it is, never added up', async () => {
  const lobby = new RoomLog('lobby');
  lobby.message('bob', 'vote');
  const server = await logServer(new Map([['lobby', lobby]]), { overlap: 2 });
  const chat = client(server.url);
  const state = keepState(chat);
  const counts = [];
  chat.on('reaction', (r) => counts.push(r.count));
  try {
    await chat.join('lobby', { since: 0 });
    server.live(lobby.react(1, '👍', 'bob', true));
    server.live(lobby.react(1, '👍', 'alice', true));
    await reached(chat, 'lobby', 3);
    // The same two reactions replayed after a reconnect, then bob takes his back.
    (await server.connection(1)).socket.terminate();
    lobby.react(1, '👍', 'bob', false);
    await server.connection(2);
    await reached(chat, 'lobby', 4);

    assert.deepEqual(counts, [1, 2, 1]);
    assert.deepEqual(state.shown.get(1).reactions, [{ emoji: '👍', count: 1, me: true }]);

    // applyChange on its own: a count set, not added; applying an event again changes nothing.
    const shown = { room: 'lobby', seq: 1, from: 'bob', text: 'vote', ts, reactions: [{ emoji: '👍', count: 5, me: false }] };
    const change = { type: 'reaction', room: 'lobby', seq: 1, emoji: '👍', user: 'carol', added: true, count: 6, logSeq: 9 };
    const once = applyChange(shown, change, 'alice');
    assert.deepEqual(once.reactions, [{ emoji: '👍', count: 6, me: false }]);
    assert.deepEqual(applyChange(once, change, 'alice'), once);
    assert.equal(shown.reactions[0].count, 5, 'the message passed in is left as it was');
    const gone = applyChange(once, { ...change, user: 'alice', added: false, count: 0, logSeq: 10 }, 'alice');
    assert.deepEqual(gone.reactions, []);
  } finally {
    chat.close();
    await server.close();
  }
});

test('a room the user was kicked or banned from is not joined again after a reconnect; others\' removals change nothing', async () => {
  const logs = new Map(['kicked', 'banned', 'stays'].map((room) => [room, new RoomLog(room)]));
  const server = await logServer(logs);
  const chat = client(server.url);
  try {
    for (const room of logs.keys()) await chat.join(room);
    const removals = collect(chat, 'moderation', 3);
    server.live(logs.get('kicked').moderate('alice', 'kick', 'olga'));
    server.live(logs.get('banned').moderate('alice', 'ban', 'olga'));
    server.live(logs.get('stays').moderate('bob', 'ban', 'olga'));
    assert.deepEqual((await removals).map((m) => `${m.room}:${m.user}:${m.action}`), ['kicked:alice:kick', 'banned:alice:ban', 'stays:bob:ban']);

    (await server.connection(1)).socket.terminate();
    const second = await server.connection(2);
    await chat.whenOpen();
    assert.deepEqual(second.frames.filter((f) => f.type === 'join').map((f) => [f.room, f.since]), [['stays', 1]]);
    assert.equal(chat.lastSeq('kicked'), 0);

    // Joining again on purpose (after an unban, say) starts afresh and is resumed from then on.
    await chat.join('kicked');
    assert.deepEqual(second.frames.filter((f) => f.type === 'join').map((f) => [f.room, f.since]), [['stays', 1], ['kicked', undefined]]);
  } finally {
    chat.close();
    await server.close();
  }
});

test('the requests for changes and moderation send the protocol\'s frames, and muted and slow_mode carry retryAfterMs', async () => {
  const server = await serverDouble((connection, frame) => {
    if (frame.text === 'too soon') connection.send({ type: 'error', id: frame.id, code: 'slow_mode', message: 'Slow mode.', retryAfterMs: 12000 });
    else if (frame.type === 'react' && frame.emoji === '🙊') connection.send({ type: 'error', id: frame.id, code: 'muted', message: 'Muted.', retryAfterMs: 60000 });
    else connection.send({ type: 'ok', id: frame.id, room: frame.room });
  });
  const chat = client(server.url);
  try {
    await chat.connect();
    const until = new Date(Date.UTC(2030, 0, 1));
    await chat.send('lobby', 'hi @bob', { clientMsgId: 'c1', replyTo: 3, mentions: ['bob'] });
    await chat.send('lobby', 'plain', { clientMsgId: 'c2', mentions: [] });
    await chat.edit('lobby', 4, 'hi @bob!');
    await chat.deleteMessage('lobby', 4);
    await chat.react('lobby', 3, '👍');
    await chat.unreact('lobby', 3, '👍');
    await chat.role('lobby', 'bob', 'admin');
    await chat.kick('lobby', 'carol');
    await chat.ban('lobby', 'dave', { until });
    await chat.ban('lobby', 'erin');
    await chat.unban('lobby', 'dave');
    await chat.mute('lobby', 'bob', { until: '2030-01-01T00:00:00Z' });
    await chat.unmute('lobby', 'bob');
    await chat.settings('lobby', { topic: 'plans', slowMode: 30 });
    await chat.settings('lobby', { slowMode: 0 });
    await assert.rejects(chat.send('lobby', 'too soon'), (err) => err instanceof ActorChatError && err.code === 'slow_mode' && err.retryAfterMs === 12000);
    await assert.rejects(chat.react('lobby', 3, '🙊'), (err) => err.code === 'muted' && err.retryAfterMs === 60000);

    const frames = (await server.connection(1)).frames.map(({ id: _id, ...frame }) => frame).slice(0, 15);
    assert.deepEqual(frames, [
      { type: 'send', room: 'lobby', text: 'hi @bob', clientMsgId: 'c1', replyTo: 3, mentions: ['bob'] },
      { type: 'send', room: 'lobby', text: 'plain', clientMsgId: 'c2' },
      { type: 'edit', room: 'lobby', seq: 4, text: 'hi @bob!' },
      { type: 'delete', room: 'lobby', seq: 4 },
      { type: 'react', room: 'lobby', seq: 3, emoji: '👍' },
      { type: 'unreact', room: 'lobby', seq: 3, emoji: '👍' },
      { type: 'role', room: 'lobby', user: 'bob', role: 'admin' },
      { type: 'kick', room: 'lobby', user: 'carol' },
      { type: 'ban', room: 'lobby', user: 'dave', until: '2030-01-01T00:00:00.000Z' },
      { type: 'ban', room: 'lobby', user: 'erin' },
      { type: 'unban', room: 'lobby', user: 'dave' },
      { type: 'mute', room: 'lobby', user: 'bob', until: '2030-01-01T00:00:00Z' },
      { type: 'unmute', room: 'lobby', user: 'bob' },
      { type: 'settings', room: 'lobby', topic: 'plans', slowMode: 30 },
      { type: 'settings', room: 'lobby', slowMode: 0 },
    ]);
  } finally {
    chat.close();
    await server.close();
  }
});

test('a delete in flight when the socket drops is not repeated: it fails with disconnected', async () => {
  const server = await serverDouble((connection, frame) => {
    if (frame.type === 'delete') connection.socket.terminate();
  });
  const chat = client(server.url);
  try {
    await chat.connect();
    await assert.rejects(chat.deleteMessage('lobby', 1), (err) => err.code === 'disconnected');
    await server.connection(2);
    await chat.whenOpen();
    assert.equal(server.connections.flatMap((c) => c.frames).filter((f) => f.type === 'delete').length, 1);
  } finally {
    chat.close();
    await server.close();
  }
});

test('an event stream passes changes on once too, and reopens after the highest of seq and logSeq', async () => {
  const server = await serverDouble(() => {});
  const sources = eventSources();
  const events = new RoomEvents({
    base: server.base, room: 'lobby', token: 't0', since: 0, EventSource: sources.EventSource, backoff: { initialMs: 5, maxMs: 20, factor: 2 },
  });
  const seen = [];
  events.on('message', (m) => seen.push(`m${m.seq}`));
  for (const type of ChangeTypes) events.on(type, (c) => seen.push(`${type}${c.logSeq}`));
  try {
    const connected = events.connect();
    const first = await sources.source(1);
    first.dispatch('ready', { type: 'ready', room: 'lobby', lastSeq: 0, memberCount: 1, recovered: true });
    await connected;
    first.dispatch('message', message('lobby', 1));
    first.dispatch('edited', { type: 'edited', room: 'lobby', seq: 1, text: 'x', editedAt: ts, by: 'bob', logSeq: 2 });
    first.fail();
    const second = await sources.source(2);
    second.dispatch('ready', { type: 'ready', room: 'lobby', lastSeq: 3, memberCount: 1, recovered: true });
    second.dispatch('edited', { type: 'edited', room: 'lobby', seq: 1, text: 'x', editedAt: ts, by: 'bob', logSeq: 2 });
    second.dispatch('reaction', { type: 'reaction', room: 'lobby', seq: 1, emoji: '👍', user: 'bob', added: true, count: 1, logSeq: 3 });

    assert.deepEqual(seen, ['m1', 'edited2', 'reaction3']);
    assert.equal(second.url.searchParams.get('since'), '2');
    assert.equal(events.lastSeq(), 3);
  } finally {
    events.close();
    await server.close();
  }
});

test('a resumed room tells its join\'s topic, slow mode and the user\'s role', async () => {
  const server = await serverDouble((connection, frame) => {
    if (frame.type !== 'join') return;
    connection.send({ type: 'ok', id: frame.id, room: frame.room, lastSeq: 0, memberCount: 1, recovered: true, private: false, topic: 'plans', slowMode: 30, role: 'admin' });
  });
  const chat = client(server.url);
  try {
    await chat.join('lobby');
    const resumed = next(chat, 'resumed');
    (await server.connection(1)).socket.terminate();
    const { room, topic, slowMode, role, recovered } = await resumed;
    assert.deepEqual({ room, topic, slowMode, role, recovered }, { room: 'lobby', topic: 'plans', slowMode: 30, role: 'admin', recovered: true });
  } finally {
    chat.close();
    await server.close();
  }
});
