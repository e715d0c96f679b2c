// The open room: its messages (loaded backwards on scroll), its members with presence and roles, the read pointer,
// and inviting and leaving.
import { $, el } from './dom.js';
import { inView, narrow, showPane } from './layout.js';
import { cancelReply } from './message-item.js';
import { addMessage } from './messages.js';
import { closeSettings, memberControls, renderRestriction, renderRoomControls } from './moderation.js';
import { displayName, isDirect } from './room-names.js';
import { remember, renderRooms } from './sidebar.js';
import { page } from './state.js';

const HISTORY_PAGE = 50;
const READ_EVERY_MS = 1000;

/** What the page holds of a room's messages, kept while the user looks at other rooms. */
export function view(room) {
  if (!page.views.has(room)) {
    page.views.set(room, { messages: new Map(), items: new Map(), early: new Map(), oldest: null, hasMore: false, loading: false, loaded: false });
  }
  return page.views.get(room);
}

/** Opens a room; on a narrow screen it takes the place of the list of rooms. */
export async function openRoom(room) {
  // A room this user was removed from stayed on screen until now; it goes.
  for (const gone of page.removed.keys()) {
    if (gone === room) continue;
    page.removed.delete(gone);
    page.views.delete(gone);
  }
  page.current = room;
  page.memberMenu = null;
  if (page.replyTo?.room !== room) cancelReply();
  closeSettings();
  showPane('room');
  location.hash = encodeURIComponent(room);
  const entry = remember(room);
  entry.unread = 0;
  entry.mentions = 0;
  renderRooms();
  $('#room-title').textContent = displayName(room);
  $('#room-meta').textContent = '';
  $('#room-error').textContent = '';
  $('#typing').textContent = '';
  page.typing.clear();
  $('#leave-button').hidden = isDirect(room);
  $('#invite-form').hidden = true;
  if (!isDirect(room)) showInviteIfPrivate(room);
  renderRoomControls();
  renderRestriction();

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
export async function invite(user) {
  const room = page.current;
  $('#room-error').textContent = '';
  try {
    await page.chat.invite(room, user);
    note(`${user} was invited.`);
  } catch (err) {
    $('#room-error').textContent = err.message;
  }
}

export async function leave() {
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
  cancelReply();
  $('#messages').replaceChildren();
  $('#members').replaceChildren();
  $('#room-title').textContent = 'Pick a room';
  $('#room-meta').textContent = '';
  $('#leave-button').hidden = true;
  $('#invite-form').hidden = true;
  renderRoomControls();
  renderRestriction();
  renderRooms();
  showPane('rooms');
  const next = page.rooms.keys().next().value;
  if (next && !narrow()) await openRoom(next);
}

export async function loadOlder(room) {
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

export async function loadMembers(room) {
  const list = $('#members');
  page.members.clear();
  list.replaceChildren();
  try {
    const result = await page.chat.members(room);
    if (room !== page.current) return;
    for (const member of result.members) page.members.set(member.user, { online: member.online, role: member.role ?? 'member' });
    renderMembers();
  } catch (err) {
    if (!(isDirect(room) && ['not_found', 'not_member'].includes(err.code))) $('#room-error').textContent = err.message;
  }
}

/** Members with presence and role; owners and admins get a menu per member they may moderate. */
export function renderMembers() {
  $('#members').replaceChildren(...[...page.members.entries()].map(([user, { online, role }]) =>
    el('li', { 'data-user': user, 'data-online': String(online), 'data-role': role },
      el('span', { className: 'who' }, el('span', { className: 'name' }, user),
        online === null ? null : el('span', { className: 'visually-hidden' }, online ? ' (online)' : ' (offline)'),
        role !== 'member' ? el('span', { className: 'role' }, role) : null),
      ...memberControls(user, { role }))));
  // A room above the server's presence limit says nothing of who is online (null), nor announces it.
  const members = [...page.members.values()];
  const online = members.some((m) => m.online === null) ? '' : `, ${members.filter((m) => m.online).length} online`;
  const role = page.rooms.get(page.current)?.role;
  $('#room-meta').textContent = `${page.members.size} member${page.members.size === 1 ? '' : 's'}${online}`
    + (role && role !== 'member' ? ` · you are ${role === 'owner' ? 'an owner' : 'an admin'}` : '');
}

export function onPresence({ room, user, status }) {
  if (room !== page.current) return;
  if (status === 'left') page.members.delete(user);
  else {
    // A list without presence (the room was above the limit when listed) stays without it: no dots for some only.
    const unknown = [...page.members.values()].some((m) => m.online === null);
    page.members.set(user, { role: 'member', ...page.members.get(user), online: unknown ? null : status !== 'offline' });
  }
  renderMembers();
}

export async function markRead(room) {
  const entry = page.rooms.get(room);
  // The newest message, not the newest change: the read pointer counts messages.
  let seq = entry?.lastSeq ?? 0;
  for (const shown of view(room).messages.keys()) seq = Math.max(seq, shown);
  if (seq > 0 && !isDirectEmpty(room)) {
    await page.chat.read(room, seq).catch(() => {});
  }
}

/** Read pointers move at most once a second per room: a busy room must not spend the connection's request budget. */
export function scheduleRead(room) {
  if (page.readTimer) return;
  page.readTimer = setTimeout(() => {
    page.readTimer = null;
    if (inView(room)) markRead(room);
  }, READ_EVERY_MS);
}

function isDirectEmpty(room) {
  return isDirect(room) && view(room).items.size === 0;
}

/** A line of the page's own between the messages. */
export function note(text) {
  $('#messages').append(el('li', { className: 'note' }, text));
}
