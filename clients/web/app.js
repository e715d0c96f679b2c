// The ActorChat browser page: plain DOM over the client library. Every piece of user text goes into the page
// through textContent (never innerHTML), so markup in a message is shown, not run.
import { ActorChat, devLogin, newClientMsgId, socketUrl } from './actorchat.js';

const SESSION_KEY = 'actorchat.session';
const SIGNED_OUT_KEY = 'actorchat.signedOut';
const HISTORY_PAGE = 50;
const TYPING_SEND_EVERY_MS = 2000;
const TYPING_SHOWN_FOR_MS = 4000;
const READ_EVERY_MS = 1000;
const DIRECTORY_PAGE = 100;

const $ = (selector) => document.querySelector(selector);

/** Builds an element; string children become text nodes, never markup. */
function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'className') node.className = value;
    else if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children) {
    if (child === undefined || child === null) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

const page = {
  session: null,
  chat: null,
  current: null,
  rooms: new Map(),      // room -> { id, unread, lastSeq, direct }
  views: new Map(),      // room -> { items: Map seq -> li, oldest, hasMore, loading }
  members: new Map(),    // user -> online (the current room)
  typing: new Map(),     // user -> timer (the current room)
  invitations: new Map(), // room -> { room, by, ts }
  directory: new Map(),   // public room -> member count, kept live by directory events
  lastTypingSent: 0,
};

// ---- sign in / out ----------------------------------------------------------------------------------------

function loadSession() {
  try {
    return JSON.parse(sessionStorage.getItem(SESSION_KEY) ?? 'null');
  } catch {
    return null;
  }
}

async function signIn(user) {
  const session = { ...(await devLogin(location.origin, user)), dev: true };
  sessionStorage.setItem(SESSION_KEY, JSON.stringify(session));
  return session;
}

/**
 * A token from elsewhere (an OpenID Connect provider, say): the user is its subject. The server checks it; the
 * page only reads the subject and expiry to show them and to know when to ask for a new one.
 */
function useToken(token) {
  let claims;
  try {
    const payload = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    claims = JSON.parse(atob(payload.padEnd(payload.length + ((4 - (payload.length % 4)) % 4), '=')));
  } catch {
    throw new Error('That is not a JSON Web Token.');
  }
  if (typeof claims.sub !== 'string') throw new Error('The token names no user (no sub claim).');
  const expiresAt = typeof claims.exp === 'number' ? new Date(claims.exp * 1000).toISOString() : null;
  if (expiresAt && Date.parse(expiresAt) <= Date.now()) throw new Error('The token has expired.');
  const session = { token, user: claims.sub, expiresAt, dev: false };
  sessionStorage.setItem(SESSION_KEY, JSON.stringify(session));
  return session;
}

/** Called on every (re)connect: the stored token while it has a minute left, else a fresh one if the page can get it. */
async function currentToken() {
  const expires = Date.parse(page.session.expiresAt ?? '');
  if (Number.isFinite(expires) && expires - Date.now() < 60_000) {
    if (!page.session.dev) {
      signOut('Your token has expired: sign in again.');
      throw new Error('token expired');
    }
    try {
      page.session = await signIn(page.session.user);
    } catch (err) {
      // fetch fails with a TypeError when the server is unreachable: keep retrying. A refusal is final.
      if (!(err instanceof TypeError)) signOut(`Signing in again failed: ${err.message}`);
      throw err;
    }
  }
  return page.session.token;
}

function signOut(reason) {
  page.chat?.close();
  page.chat = null;
  sessionStorage.removeItem(SESSION_KEY);
  if (reason) sessionStorage.setItem(SIGNED_OUT_KEY, reason);
  location.hash = '';
  location.reload();
}

// ---- connection -------------------------------------------------------------------------------------------

function showState({ state, attempt, delayMs, code }) {
  const node = $('#connection');
  node.dataset.state = state;
  node.textContent = {
    idle: 'Not connected',
    connecting: 'Connecting…',
    open: 'Connected',
    reconnecting: delayMs === undefined
      ? `Reconnecting (attempt ${attempt})…`
      : `Connection lost${code ? ` (${code})` : ''}; reconnecting in ${Math.max(1, Math.round(delayMs / 1000))} s…`,
    closed: 'Offline',
  }[state] ?? state;
  // Sends made while reconnecting wait in the library and go out after resuming, so the composer stays usable.
  $('#composer').disabled = page.current === null;
  $('#send-button').disabled = page.current === null;
}

async function start(session) {
  page.session = session;
  $('#login-view').hidden = true;
  $('#chat-view').hidden = false;
  $('#whoami').hidden = false;
  $('#me').textContent = session.user;

  const chat = new ActorChat({ url: socketUrl(location.origin), token: currentToken });
  page.chat = chat;
  chat.on('state', showState);
  chat.on('message', onMessage);
  chat.on('presence', onPresence);
  chat.on('typing', onTyping);
  chat.on('directory', onDirectory);
  chat.on('invited', (invitation) => {
    page.invitations.set(invitation.room, invitation);
    renderInvitations();
  });
  chat.on('resumed', ({ room, recovered }) => {
    if (!recovered && room === page.current) note('Some older messages are no longer kept by the server.');
  });
  chat.on('state', ({ state }) => {
    // Membership and unread counts may have moved while away; the messages themselves come through resume.
    // (The public list the library browses again by itself: a directory event with reset.)
    if (state === 'open' && page.loaded) {
      refreshRooms().catch(showSidebarError);
      refreshInvitations();
    }
  });

  await chat.connect();
  await refreshRooms();
  page.loaded = true;
  for (const room of page.rooms.keys()) chat.join(room).catch(showSidebarError);
  await Promise.all([refreshDirectory(), refreshInvitations()]);
  const wanted = decodeURIComponent(location.hash.replace(/^#/, ''));
  const first = wanted && page.rooms.has(wanted) ? wanted : page.rooms.keys().next().value;
  if (first) await openRoom(first);
}

// ---- rooms ------------------------------------------------------------------------------------------------

function isDirect(room) {
  return room.startsWith('dm:');
}

function dmRoom(a, b) {
  return `dm:${[a, b].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0)).join(':')}`;
}

function otherUser(room) {
  const [, a, b] = room.split(':');
  return a === page.session.user ? b : a;
}

function displayName(room) {
  return isDirect(room) ? `@${otherUser(room)}` : `#${room}`;
}

function remember(room, fields = {}) {
  const entry = page.rooms.get(room) ?? { id: room, unread: 0, lastSeq: 0, direct: isDirect(room) };
  Object.assign(entry, fields);
  page.rooms.set(room, entry);
  return entry;
}

async function refreshRooms() {
  const { rooms } = await page.chat.rooms();
  for (const r of rooms) remember(r.room, { unread: r.room === page.current ? 0 : r.unread, lastSeq: r.lastSeq });
  renderRooms();
}

function renderRooms() {
  showTotalInTitle();
  const mine = $('#my-rooms');
  const dms = $('#my-dms');
  mine.replaceChildren();
  dms.replaceChildren();
  const sorted = [...page.rooms.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
  for (const room of sorted) {
    const item = el('li', { 'data-room': room.id, 'aria-current': room.id === page.current ? 'true' : undefined },
      el('button', { type: 'button', onclick: () => openRoom(room.id) },
        el('span', { className: 'name' }, displayName(room.id)),
        room.unread > 0 ? el('span', { className: 'unread', 'aria-label': `${room.unread} unread` }, String(room.unread)) : null));
    (room.direct ? dms : mine).append(item);
  }
}

/** Lists public rooms and watches them: `directory` events then keep the counts live (see onDirectory). */
async function refreshDirectory() {
  try {
    const { rooms } = await page.chat.browse({ limit: DIRECTORY_PAGE });
    page.directory = new Map(rooms.map((room) => [room.room, room.members]));
    showSidebarError(null);
    renderDirectory();
  } catch (err) {
    showSidebarError(err);
  }
}

function onDirectory({ rooms, reset }) {
  if (reset) page.directory = new Map();
  for (const { room, members } of rooms) {
    if (members === 0) page.directory.delete(room);
    else page.directory.set(room, members);
  }
  renderDirectory();
}

function renderDirectory() {
  const sorted = [...page.directory.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).slice(0, DIRECTORY_PAGE);
  if (sorted.length === 0) {
    $('#public-rooms').replaceChildren(el('li', { className: 'hint' }, 'No public rooms yet: create one below.'));
    return;
  }
  $('#public-rooms').replaceChildren(...sorted.map(([room, members]) => el('li', { 'data-room': room },
    el('button', { type: 'button', onclick: () => joinRoom(room, false) },
      el('span', { className: 'name' }, `#${room}`),
      el('span', { className: 'count', 'aria-label': `${members} members` }, String(members))))));
}

async function refreshInvitations() {
  try {
    const { invitations } = await page.chat.invitations();
    page.invitations = new Map(invitations.map((invitation) => [invitation.room, invitation]));
    renderInvitations();
  } catch (err) {
    showSidebarError(err);
  }
}

/** The tab's title carries unread messages and pending invitations, so a background tab shows that something came. */
function showTotalInTitle() {
  const total = [...page.rooms.values()].reduce((sum, room) => sum + room.unread, 0) + page.invitations.size;
  document.title = total > 0 ? `(${total}) ActorChat` : 'ActorChat';
}

function renderInvitations() {
  showTotalInTitle();
  $('#invitations-section').hidden = page.invitations.size === 0;
  $('#invitations').replaceChildren(...[...page.invitations.values()].map(({ room, by }) =>
    el('li', { 'data-room': room },
      el('p', {}, el('strong', {}, `#${room}`), ' ', el('span', { className: 'by' }, `from ${by}`)),
      el('button', { type: 'button', className: 'small', 'aria-label': `Join #${room}`, onclick: () => takeInvitation(room) }, 'Join'),
      el('button', { type: 'button', className: 'small secondary', 'aria-label': `Decline #${room}`, onclick: () => declineInvitation(room) }, 'Decline'))));
}

async function takeInvitation(room) {
  await joinRoom(room, false);
  if (page.rooms.has(room)) {
    page.invitations.delete(room);
    renderInvitations();
  }
}

async function declineInvitation(room) {
  showSidebarError(null);
  try {
    await page.chat.decline(room);
    page.invitations.delete(room);
    renderInvitations();
  } catch (err) {
    showSidebarError(err);
  }
}

async function joinRoom(room, isPrivate) {
  showSidebarError(null);
  try {
    await page.chat.join(room, { private: isPrivate });
    remember(room);
    renderRooms();
    await openRoom(room);
  } catch (err) {
    showSidebarError(err);
  }
}

function showSidebarError(err) {
  $('#sidebar-error').textContent = err ? err.message ?? String(err) : '';
}

// ---- the open room ----------------------------------------------------------------------------------------

function view(room) {
  if (!page.views.has(room)) page.views.set(room, { items: new Map(), oldest: null, hasMore: false, loading: false, loaded: false });
  return page.views.get(room);
}

async function openRoom(room) {
  page.current = room;
  location.hash = encodeURIComponent(room);
  const entry = remember(room);
  entry.unread = 0;
  renderRooms();
  $('#room-title').textContent = displayName(room);
  $('#room-meta').textContent = '';
  $('#room-error').textContent = '';
  $('#typing').textContent = '';
  page.typing.clear();
  showState({ state: page.chat.state });
  $('#leave-button').hidden = isDirect(room);
  $('#invite-form').hidden = true;
  if (!isDirect(room)) showInviteIfPrivate(room);

  $('#new-below').hidden = true;
  const list = $('#messages');
  const current = view(room);
  list.replaceChildren(...[...current.items.entries()].sort(([a], [b]) => a - b).map(([, item]) => item));
  if (!current.loaded) await loadOlder(room);
  list.scrollTop = list.scrollHeight;
  await Promise.all([loadMembers(room), markRead(room)]);
  $('#composer').focus();
}

async function showInviteIfPrivate(room) {
  const response = await fetch(`/api/rooms/${encodeURIComponent(room)}`, { headers: { authorization: `Bearer ${page.session.token}` } });
  if (!response.ok || room !== page.current) return;
  const info = await response.json();
  $('#invite-form').hidden = !info.private;
}

/** Lets the user in; the server tells them (an `invited` event, and their list of invitations). */
async function invite(user) {
  const room = page.current;
  $('#room-error').textContent = '';
  try {
    await page.chat.invite(room, user);
    note(`${user} was invited.`);
  } catch (err) {
    $('#room-error').textContent = err.message;
  }
}

async function leave() {
  const room = page.current;
  try {
    await page.chat.leave(room);
  } catch (err) {
    $('#room-error').textContent = err.message;
    return;
  }
  page.rooms.delete(room);
  page.views.delete(room);
  page.current = null;
  $('#messages').replaceChildren();
  $('#members').replaceChildren();
  $('#room-title').textContent = 'Pick a room';
  $('#room-meta').textContent = '';
  $('#leave-button').hidden = true;
  $('#invite-form').hidden = true;
  showState({ state: page.chat.state });
  renderRooms();
  const next = page.rooms.keys().next().value;
  if (next) await openRoom(next);
}

async function loadOlder(room) {
  const current = view(room);
  if (current.loading || (current.loaded && !current.hasMore)) return;
  current.loading = true;
  const list = $('#messages');
  const before = list.scrollHeight - list.scrollTop;
  try {
    const older = await page.chat.history(room, { before: current.oldest ?? undefined, limit: HISTORY_PAGE });
    current.loaded = true;
    current.hasMore = older.hasMore;
    for (const message of older.messages) addMessage(message);
    if (room === page.current) list.scrollTop = list.scrollHeight - before;
  } catch (err) {
    // A direct room nobody wrote in yet does not exist; anything else is worth showing.
    current.loaded = true;
    if (!(isDirect(room) && ['not_found', 'not_member'].includes(err.code))) $('#room-error').textContent = err.message;
  } finally {
    current.loading = false;
  }
}

async function loadMembers(room) {
  const list = $('#members');
  page.members.clear();
  list.replaceChildren();
  try {
    const result = await page.chat.members(room);
    if (room !== page.current) return;
    for (const member of result.members) page.members.set(member.user, member.online);
    renderMembers();
  } catch (err) {
    if (!(isDirect(room) && ['not_found', 'not_member'].includes(err.code))) $('#room-error').textContent = err.message;
  }
}

function renderMembers() {
  $('#members').replaceChildren(...[...page.members.entries()].map(([user, online]) =>
    el('li', { 'data-user': user, 'data-online': String(online) }, user, el('span', { className: 'visually-hidden' }, online ? ' (online)' : ' (offline)'))));
  $('#room-meta').textContent = `${page.members.size} member${page.members.size === 1 ? '' : 's'}, ${[...page.members.values()].filter(Boolean).length} online`;
}

async function markRead(room) {
  const entry = page.rooms.get(room);
  const seq = Math.max(entry?.lastSeq ?? 0, page.chat.lastSeq(room));
  if (seq > 0 && !isDirectEmpty(room)) {
    await page.chat.read(room, seq).catch(() => {});
  }
}

/** Read pointers move at most once a second per room: a busy room must not spend the connection's request budget. */
function scheduleRead(room) {
  if (page.readTimer) return;
  page.readTimer = setTimeout(() => {
    page.readTimer = null;
    if (page.current === room) markRead(room);
  }, READ_EVERY_MS);
}

function isDirectEmpty(room) {
  return isDirect(room) && view(room).items.size === 0;
}

/** Puts a message in its room's view, once per seq, in seq order. */
function addMessage(message) {
  const current = view(message.room);
  if (current.items.has(message.seq)) return;
  const mine = message.from === page.session.user;
  const item = el('li', { 'data-seq': message.seq, className: mine ? 'mine' : undefined },
    el('span', { className: 'from' }, message.from),
    el('time', { datetime: message.ts, title: message.ts }, shownTime(message.ts)),
    el('p', { className: 'text' }, ...linkify(message.text)));
  current.items.set(message.seq, item);
  current.oldest = current.oldest === null ? message.seq : Math.min(current.oldest, message.seq);
  if (message.room !== page.current) return;

  const list = $('#messages');
  const following = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
  const later = [...list.querySelectorAll('li[data-seq]')].find((li) => Number(li.dataset.seq) > message.seq);
  list.insertBefore(item, later ?? list.querySelector('li.pending'));
  if (message.clientMsgId) list.querySelector(`li.pending[data-client-msg-id="${CSS.escape(message.clientMsgId)}"]`)?.remove();
  if (following || mine) list.scrollTop = list.scrollHeight;
  // Someone reading older messages is not yanked down; they are told something new is below.
  else $('#new-below').hidden = false;
}

const URL_PATTERN = /\bhttps?:\/\/[^\s<>"']+/g;

/**
 * The text as text nodes, with http(s) addresses as links. Only what parses as an http or https URL becomes an
 * anchor (never javascript: or data:), trailing punctuation stays text, and links open in a new tab with no
 * opener and no referrer.
 */
function linkify(text) {
  const parts = [];
  let last = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    const address = match[0].replace(/[.,;:!?)\]]+$/, '');
    let url;
    try {
      url = new URL(address);
    } catch {
      continue;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') continue;
    parts.push(text.slice(last, match.index));
    parts.push(el('a', { href: url.href, target: '_blank', rel: 'noopener noreferrer nofollow' }, address));
    last = match.index + address.length;
  }
  parts.push(text.slice(last));
  return parts.filter((part) => part !== '');
}

/** The time alone for today's messages; older ones (history, a long weekend) carry their date. */
function shownTime(ts) {
  const when = new Date(ts);
  return when.toDateString() === new Date().toDateString() ? when.toLocaleTimeString() : when.toLocaleString();
}

function note(text) {
  $('#messages').append(el('li', { className: 'note' }, text));
}

function onMessage(message) {
  const entry = remember(message.room);
  entry.lastSeq = Math.max(entry.lastSeq, message.seq);
  addMessage(message);
  stopTyping(message.from);
  if (message.room === page.current) {
    // A direct room exists from its first message on; until then it had no members to show.
    if (page.members.size === 0) loadMembers(message.room);
    if (document.visibilityState === 'visible') scheduleRead(message.room);
  } else if (message.from !== page.session.user) {
    entry.unread++;
  }
  renderRooms();
}

function onPresence({ room, user, status }) {
  if (room !== page.current) return;
  if (status === 'left') page.members.delete(user);
  else page.members.set(user, status !== 'offline');
  renderMembers();
}

function onTyping({ room, user }) {
  if (room !== page.current || user === page.session.user) return;
  clearTimeout(page.typing.get(user));
  page.typing.set(user, setTimeout(() => stopTyping(user), TYPING_SHOWN_FOR_MS));
  renderTyping();
}

function stopTyping(user) {
  if (!page.typing.has(user)) return;
  clearTimeout(page.typing.get(user));
  page.typing.delete(user);
  renderTyping();
}

function renderTyping() {
  const users = [...page.typing.keys()];
  $('#typing').textContent = users.length === 0 ? ''
    : users.length === 1 ? `${users[0]} is typing…`
      : users.length <= 3 ? `${users.join(', ')} are typing…` : 'Several people are typing…';
}

async function send() {
  const composer = $('#composer');
  const text = composer.value;
  const room = page.current;
  if (!room || text.trim() === '') return;
  composer.value = '';
  page.lastTypingSent = 0;
  const clientMsgId = newClientMsgId();
  const pending = el('li', { className: 'pending mine', 'data-client-msg-id': clientMsgId },
    el('span', { className: 'from' }, page.session.user), el('time', {}, 'sending…'), el('p', { className: 'text' }, text));
  $('#messages').append(pending);
  $('#messages').scrollTop = $('#messages').scrollHeight;
  await deliver(pending, room, text, clientMsgId);
}

/** Errors worth another try: the same clientMsgId makes a retry safe, the server stores the message once. */
const RETRYABLE = new Set(['rate_limited', 'internal', 'timeout', 'disconnected']);

async function deliver(pending, room, text, clientMsgId) {
  try {
    if (isDirect(room)) await page.chat.dm(otherUser(room), text, { clientMsgId });
    else await page.chat.send(room, text, { clientMsgId });
  } catch (err) {
    pending.className = 'failed mine';
    pending.querySelector('time').textContent = `not sent: ${err.message}`;
    if (RETRYABLE.has(err.code)) {
      pending.append(el('button', { type: 'button', className: 'small retry', onclick: () => {
        pending.className = 'pending mine';
        pending.querySelector('time').textContent = 'sending…';
        pending.querySelector('button.retry')?.remove();
        deliver(pending, room, text, clientMsgId);
      } }, 'Retry'));
    }
  }
}

// ---- wiring -----------------------------------------------------------------------------------------------

function wire() {
  $('#login-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    $('#login-error').textContent = '';
    try {
      await start(await signIn($('#login-name').value.trim()));
    } catch (err) {
      $('#login-error').textContent = err.message;
    }
  });
  $('#token-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    $('#login-error').textContent = '';
    try {
      const session = useToken($('#login-token').value.trim());
      // Ask the server before opening a socket: a browser cannot see why a WebSocket upgrade was refused.
      const check = await fetch('/api/rooms?limit=1', { headers: { authorization: `Bearer ${session.token}` } });
      if (check.status === 401) throw new Error('The server refused this token (wrong issuer, audience, key or lifetime).');
      await start(session);
    } catch (err) {
      sessionStorage.removeItem(SESSION_KEY);
      $('#login-error').textContent = err.message;
    }
  });
  $('#signout').addEventListener('click', () => signOut());
  $('#join-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const room = $('#room-input').value.trim();
    $('#room-input').value = '';
    joinRoom(room, $('#room-private').checked);
  });
  $('#dm-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const other = $('#dm-input').value.trim();
    $('#dm-input').value = '';
    if (!other || other === page.session.user) return;
    const room = dmRoom(page.session.user, other);
    remember(room);
    renderRooms();
    openRoom(room);
  });
  $('#leave-button').addEventListener('click', leave);
  $('#invite-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const user = $('#invite-input').value.trim();
    $('#invite-input').value = '';
    if (user) invite(user);
  });
  $('#composer-form').addEventListener('submit', (event) => {
    event.preventDefault();
    send();
  });
  $('#composer').addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      send();
    }
  });
  $('#composer').addEventListener('input', () => {
    const now = Date.now();
    if (page.current && now - page.lastTypingSent > TYPING_SEND_EVERY_MS) {
      page.lastTypingSent = now;
      page.chat.typing(page.current);
    }
  });
  $('#new-below').addEventListener('click', () => {
    $('#messages').scrollTop = $('#messages').scrollHeight;
    $('#new-below').hidden = true;
  });
  $('#messages').addEventListener('scroll', () => {
    const list = $('#messages');
    if (list.scrollHeight - list.scrollTop - list.clientHeight < 40) $('#new-below').hidden = true;
    if ($('#messages').scrollTop < 40 && page.current) loadOlder(page.current);
  });
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible' && page.current) markRead(page.current);
  });
}

wire();
$('#login-error').textContent = sessionStorage.getItem(SIGNED_OUT_KEY) ?? '';
sessionStorage.removeItem(SIGNED_OUT_KEY);
const saved = loadSession();
if (saved) start(saved).catch((err) => ($('#login-error').textContent = err.message));
