// Compiled by types.test.js against actorchat.d.ts: what apps write must type-check, and mistakes must not.
import {
  ActorChat, ActorChatError, RoomEvents, applyChange, devLogin, getTicket, socketUrl,
  type ChangeEvent, type ChatMessage, type ConnectionState, type RoomRole,
} from '../actorchat.js';

export async function app(): Promise<string | undefined> {
  const { token } = await devLogin('http://localhost:5080', 'alice');
  const chat = new ActorChat({ url: socketUrl('http://localhost:5080'), token: async () => token, backoff: { maxMs: 10_000 } });
  const off = chat.on('message', (m: ChatMessage) => console.log(m.room, m.seq + 1, m.deleted ? '(deleted)' : m.text.toUpperCase()));
  chat.on('state', (s) => {
    const state: ConnectionState = s.state;
    return state === 'reconnecting' ? s.delayMs : undefined;
  });
  chat.on('resumed', (r) => r.recovered || console.warn(`history of ${r.room} was trimmed`));
  await chat.connect();
  const joined = await chat.join('lobby', { since: 0 });
  const sent = await chat.send('lobby', 'hi', { clientMsgId: 'a1' });
  const page = await chat.history('lobby', { before: sent.seq, limit: 20 });

  // Messages people fix, react to and answer; rooms their owners moderate.
  const shown = new Map(page.messages.map((m) => [m.seq, m]));
  const apply = (change: ChangeEvent) => {
    const before = 'seq' in change ? shown.get(change.seq) : undefined;
    if (before) shown.set(before.seq, applyChange(before, change, chat.user));
  };
  chat.on('edited', (e) => apply(e));
  chat.on('deleted', (e) => apply(e));
  chat.on('reaction', (e) => { apply(e); return e.added ? e.count : -e.count; });
  chat.on('moderation', (e) => (e.user === chat.user && e.action === 'mute' ? e.until ?? 'for good' : e.role));
  chat.on('settings', (e) => `${e.topic ?? ''} ${e.slowMode}s`);
  const reply = await chat.send('lobby', 'agreed, @bob', { replyTo: sent.seq, mentions: ['bob'] });
  const edited = await chat.edit('lobby', reply.seq, 'agreed, @bob!');
  console.log(edited.editedAt, edited.logSeq, (await chat.react('lobby', reply.seq, '👍')).count);
  await chat.unreact('lobby', reply.seq, '👍');
  await chat.deleteMessage('lobby', reply.seq);
  const role: RoomRole = joined.role;
  if (role !== 'member') {
    await chat.role('lobby', 'bob', 'admin');
    await chat.mute('lobby', 'bob', { until: new Date(Date.now() + 60_000) });
    await chat.unmute('lobby', 'bob');
    await chat.ban('lobby', 'carol', { until: '2030-01-01T00:00:00Z' });
    await chat.unban('lobby', 'carol');
    await chat.kick('lobby', 'dave');
    const settings = await chat.settings('lobby', { slowMode: 30 });
    console.log(settings.topic ?? joined.topic, settings.slowMode, joined.slowMode);
  }
  for (const m of shown.values()) console.log(m.reactions?.map((r) => `${r.emoji}${r.count}${r.me ? '*' : ''}`), m.replyTo, m.mentions, m.editedAt);
  try {
    await chat.send('lobby', 'too soon');
  } catch (err) {
    if (err instanceof ActorChatError && (err.code === 'slow_mode' || err.code === 'muted')) console.log(err.retryAfterMs);
  }
  const { rooms } = await chat.rooms();
  console.log(rooms.map((r) => r.mentions), (await chat.members('lobby')).members.map((m) => m.role));
  await chat.read('lobby', joined.lastSeq);
  chat.typing('lobby');
  chat.on('invited', (i) => chat.join(i.room));
  const { invitations } = await chat.invitations();
  if (invitations[0]) await chat.decline(invitations[0].room);
  const listed = await chat.browse({ limit: 20 });
  chat.on('directory', (d) => d.rooms.filter((r) => r.members === 0).map((r) => r.room).concat(listed.next ?? []));
  off();

  const ticker = new RoomEvents({ base: 'http://localhost:5080', room: 'lobby', token: async () => token, since: 0 });
  ticker.on('message', (m) => console.log(m.seq, m.text));
  ticker.on('close', (c) => console.log(c.code, c.reason));
  await ticker.connect();
  const lastSeen: number = ticker.lastSeq();
  ticker.close();
  const { ticket, expiresAt } = await getTicket('http://localhost:5080', token);
  console.log(`/ws?ticket=${ticket}`, Date.parse(expiresAt), lastSeen);
  try {
    await chat.ping();
  } catch (err) {
    if (err instanceof ActorChatError && err.code === 'rate_limited') return String(err.retryAfterMs);
  }

  // @ts-expect-error a room is a string
  await chat.send(1, 'x');
  // @ts-expect-error there is no such event
  chat.on('messages', () => {});
  // @ts-expect-error join options are since and private
  await chat.join('lobby', { sinse: 3 });
  // @ts-expect-error a deleted message has no text to read
  chat.on('message', (m) => m.text.length);
  // @ts-expect-error roles are owner, admin and member
  await chat.role('lobby', 'bob', 'moderator');
  // @ts-expect-error replyTo is a seq
  await chat.send('lobby', 'x', { replyTo: 'seven' });
  // @ts-expect-error a reaction is on a message, by seq
  await chat.react('lobby', '👍');
  // @ts-expect-error a reaction event has no text
  chat.on('reaction', (e) => e.text);
  // @ts-expect-error an event stream needs a room
  new RoomEvents({ base: 'http://localhost:5080', token });
  // @ts-expect-error event streams have no directory events
  ticker.on('directory', () => {});

  chat.close();
  return rooms[0]?.room ?? page.messages[0]?.from;
}
