// The one socket: opened after signing in, its state shown in the header, and what changes while it was away
// read again when it comes back.
import { ActorChat, socketUrl } from './actorchat.js';
import { $ } from './dom.js';
import { narrow } from './layout.js';
import { onMessage, onTyping, updateMessage } from './messages.js';
import { joined, onModeration, onResumeRefused, onSettings, renderRestriction } from './moderation.js';
import { note, onPresence, openRoom } from './room.js';
import { currentToken } from './session.js';
import { onDirectory, onInvited, refreshDirectory, refreshInvitations, refreshRooms, showSidebarError } from './sidebar.js';
import { page } from './state.js';

export function showState({ state, attempt, delayMs, code }) {
  const node = $('#connection');
  node.dataset.state = state;
  const seconds = Math.max(1, Math.round(delayMs / 1000));
  node.textContent = {
    idle: 'Not connected',
    connecting: 'Connecting…',
    open: 'Connected',
    reconnecting: delayMs === undefined
      ? `Reconnecting (attempt ${attempt})…`
      : code === 4003 ? 'The server ended this session; reconnecting…'
      : code === 1013 ? `The server is full; trying again in ${seconds} s…`
      : code === 4029 ? `Too many open tabs or devices on this server; trying again in ${seconds} s…`
      : `Connection lost${code ? ` (${code})` : ''}; reconnecting in ${seconds} s…`,
    closed: 'Offline',
  }[state] ?? state;
  // Sends made while reconnecting wait in the library and go out after resuming, so the composer stays usable
  // (unless this user is muted or was removed from the room).
  renderRestriction();
}

export async function start(session) {
  page.session = session;
  $('#login-view').hidden = true;
  $('#chat-view').hidden = false;
  $('#whoami').hidden = false;
  $('#me').textContent = session.user;

  const chat = new ActorChat({ url: socketUrl(location.origin), token: currentToken });
  page.chat = chat;
  chat.on('state', showState);
  chat.on('message', onMessage);
  chat.on('edited', updateMessage);
  chat.on('deleted', updateMessage);
  chat.on('reaction', updateMessage);
  chat.on('moderation', onModeration);
  chat.on('settings', onSettings);
  chat.on('error', (err) => {
    // The ticket endpoint refused the token (sessions ended and tokens revoked, close 4003): the next connect signs in again.
    if (err?.code === 'unauthorized') page.tokenRefused = true;
    onResumeRefused(err);
  });
  chat.on('presence', onPresence);
  chat.on('typing', onTyping);
  chat.on('directory', onDirectory);
  chat.on('invited', onInvited);
  chat.on('resumed', (resumed) => {
    joined(resumed);
    if (!resumed.recovered && resumed.room === page.current) note('Some older messages are no longer kept by the server.');
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
  for (const room of page.rooms.keys()) chat.join(room).then(joined, showSidebarError);
  await Promise.all([refreshDirectory(), refreshInvitations()]);
  // The room in the address is shown; otherwise the first room is opened, but a phone shows the list of rooms first
  // (and opens nothing, so nothing counts as read unseen).
  const wanted = decodeURIComponent(location.hash.replace(/^#/, ''));
  const first = wanted && page.rooms.has(wanted) ? wanted : narrow() ? null : page.rooms.keys().next().value;
  if (first) await openRoom(first);
}
