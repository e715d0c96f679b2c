// The one socket: opened after signing in, its state shown in the header, and what changes while it was away
// read again when it comes back.
import { ActorChat, socketUrl } from './actorchat.js';
import { $ } from './dom.js';
import { onMessage, onTyping } from './messages.js';
import { note, onPresence, openRoom } from './room.js';
import { currentToken } from './session.js';
import { onDirectory, onInvited, refreshDirectory, refreshInvitations, refreshRooms, showSidebarError } from './sidebar.js';
import { page } from './state.js';

export function showState({ state, attempt, delayMs, code }) {
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
  chat.on('presence', onPresence);
  chat.on('typing', onTyping);
  chat.on('directory', onDirectory);
  chat.on('invited', onInvited);
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
