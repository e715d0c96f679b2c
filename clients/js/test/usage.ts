// Compiled by types.test.js against actorchat.d.ts: what apps write must type-check, and mistakes must not.
import { ActorChat, ActorChatError, RoomEvents, devLogin, getTicket, socketUrl, type ChatMessage, type ConnectionState } from '../actorchat.js';

export async function app(): Promise<string | undefined> {
  const { token } = await devLogin('http://localhost:5080', 'alice');
  const chat = new ActorChat({ url: socketUrl('http://localhost:5080'), token: async () => token, backoff: { maxMs: 10_000 } });
  const off = chat.on('message', (m: ChatMessage) => console.log(m.room, m.seq + 1, m.text.toUpperCase()));
  chat.on('state', (s) => {
    const state: ConnectionState = s.state;
    return state === 'reconnecting' ? s.delayMs : undefined;
  });
  chat.on('resumed', (r) => r.recovered || console.warn(`history of ${r.room} was trimmed`));
  await chat.connect();
  const joined = await chat.join('lobby', { since: 0 });
  const sent = await chat.send('lobby', 'hi', { clientMsgId: 'a1' });
  const page = await chat.history('lobby', { before: sent.seq, limit: 20 });
  const { rooms } = await chat.rooms();
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
  // @ts-expect-error an event stream needs a room
  new RoomEvents({ base: 'http://localhost:5080', token });
  // @ts-expect-error event streams have no directory events
  ticker.on('directory', () => {});

  chat.close();
  return rooms[0]?.room ?? page.messages[0]?.from;
}
