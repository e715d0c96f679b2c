// The sidebar: the user's rooms and direct messages with unread messages and mentions, the public directory kept
// live, and pending invitations.
import { $, el } from './dom.js';
import { inView } from './layout.js';
import { joined } from './moderation.js';
import { displayName, isDirect } from './room-names.js';
import { openRoom } from './room.js';
import { page } from './state.js';

const DIRECTORY_PAGE = 100;

export function remember(room, fields = {}) {
  const entry = page.rooms.get(room) ?? { id: room, unread: 0, mentions: 0, lastSeq: 0, direct: isDirect(room), role: 'member', muted: null, slowUntil: 0 };
  Object.assign(entry, fields);
  page.rooms.set(room, entry);
  return entry;
}

export async function refreshRooms() {
  const { rooms } = await page.chat.rooms();
  for (const r of rooms) {
    const open = inView(r.room);
    remember(r.room, { unread: open ? 0 : r.unread, mentions: open ? 0 : r.mentions ?? 0, lastSeq: r.lastSeq });
  }
  renderRooms();
}

export function renderRooms() {
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
        room.mentions > 0
          ? el('span', { className: 'mentions', 'aria-label': `${room.mentions} mention${room.mentions === 1 ? '' : 's'} of you` }, `@${room.mentions}`) : null,
        room.unread > 0 ? el('span', { className: 'unread', 'aria-label': `${room.unread} unread` }, String(room.unread)) : null));
    (room.direct ? dms : mine).append(item);
  }
}

/** Lists public rooms and watches them: `directory` events then keep the counts live (see onDirectory). */
export async function refreshDirectory() {
  try {
    const { rooms } = await page.chat.browse({ limit: DIRECTORY_PAGE });
    page.directory = new Map(rooms.map((room) => [room.room, room.members]));
    showSidebarError(null);
    renderDirectory();
  } catch (err) {
    showSidebarError(err);
  }
}

export function onDirectory({ rooms, reset }) {
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

export async function refreshInvitations() {
  try {
    const { invitations } = await page.chat.invitations();
    page.invitations = new Map(invitations.map((invitation) => [invitation.room, invitation]));
    renderInvitations();
  } catch (err) {
    showSidebarError(err);
  }
}

export function onInvited(invitation) {
  page.invitations.set(invitation.room, invitation);
  renderInvitations();
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

export async function joinRoom(room, isPrivate) {
  showSidebarError(null);
  try {
    const ok = await page.chat.join(room, { private: isPrivate });
    // Back in a room this user was removed from: what was on screen is read again from history.
    if (page.removed.delete(room)) page.views.delete(room);
    remember(room, { muted: null, slowUntil: 0 });
    joined(ok);
    renderRooms();
    await openRoom(room);
  } catch (err) {
    showSidebarError(err);
  }
}

export function showSidebarError(err) {
  $('#sidebar-error').textContent = err ? err.message ?? String(err) : '';
}
