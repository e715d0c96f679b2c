// The ActorChat browser page: plain DOM over the client library, one module per idea. This one wires the page's
// forms and buttons to them and resumes a session kept in this tab.
//   session.js     signing in and out, the token for each (re)connect
//   connection.js  the socket, its state in the header
//   sidebar.js     the user's rooms, the public directory, invitations
//   room.js        the open room: history, members, read pointer, invite, leave
//   messages.js    placing messages, applying their changes, sending (replies, mentions), typing
//   message-item.js  one message: text, quote, edited mark, tombstone, reactions; reply, react, edit, delete
//   moderation.js  roles, the member menu, room settings, removal, the muted and slow-mode note
//   layout.js      a phone's one pane at a time: the rooms or the conversation
import { start } from './connection.js';
import { $ } from './dom.js';
import { inView, showPane, toggleMembers } from './layout.js';
import { cancelReply } from './message-item.js';
import { send, typed } from './messages.js';
import { saveSettings, toggleSettings, unban } from './moderation.js';
import { dmRoom } from './room-names.js';
import { invite, leave, loadOlder, markRead, openRoom } from './room.js';
import { forgetSession, loadSession, signIn, signOut, takeSignedOutReason, useToken } from './session.js';
import { joinRoom, remember, renderRooms } from './sidebar.js';
import { page } from './state.js';

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
      forgetSession();
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
  $('#back-button').addEventListener('click', () => showPane('rooms'));
  $('#members-button').addEventListener('click', toggleMembers);
  $('#settings-button').addEventListener('click', toggleSettings);
  $('#settings-form').addEventListener('submit', (event) => {
    event.preventDefault();
    saveSettings();
  });
  $('#unban-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const user = $('#unban-input').value.trim();
    $('#unban-input').value = '';
    if (user) unban(user);
  });
  $('#reply-cancel').addEventListener('click', () => {
    cancelReply();
    $('#composer').focus();
  });
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
    } else if (event.key === 'Escape' && page.replyTo) {
      cancelReply();
    }
  });
  $('#composer').addEventListener('input', typed);
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
    if (document.visibilityState === 'visible' && page.current && inView(page.current)) markRead(page.current);
  });
}

wire();
$('#login-error').textContent = takeSignedOutReason();
const saved = loadSession();
if (saved) start(saved).catch((err) => ($('#login-error').textContent = err.message));
