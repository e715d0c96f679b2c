// Messages: placing each once and in seq order, links and times, who is typing, and sending with a retry that
// the clientMsgId makes safe.
import { $, el } from './dom.js';
import { newClientMsgId } from './actorchat.js';
import { isDirect, otherUser } from './room-names.js';
import { loadMembers, scheduleRead, view } from './room.js';
import { remember, renderRooms } from './sidebar.js';
import { page } from './state.js';

const TYPING_SEND_EVERY_MS = 2000;
const TYPING_SHOWN_FOR_MS = 4000;

/** Puts a message in its room's view, once per seq, in seq order. */
export function addMessage(message) {
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

export function onMessage(message) {
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

export function onTyping({ room, user }) {
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

/** Tells the room this user is typing, at most every two seconds. */
export function typed() {
  const now = Date.now();
  if (page.current && now - page.lastTypingSent > TYPING_SEND_EVERY_MS) {
    page.lastTypingSent = now;
    page.chat.typing(page.current);
  }
}

export async function send() {
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
