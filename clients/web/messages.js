// Messages: each kept as `history` shows it and placed once, in seq order; changes (edits, deletions, reactions)
// applied to it and the item built again; who is typing; and sending, with a reply and mentions, and a retry that
// the clientMsgId makes safe.
import { $, el } from './dom.js';
import { applyChange, newClientMsgId } from './actorchat.js';
import { inView } from './layout.js';
import { cancelReply, renderItem, showReply } from './message-item.js';
import { composerAllowed, onRefused, sent } from './moderation.js';
import { isDirect, otherUser } from './room-names.js';
import { loadMembers, scheduleRead, view } from './room.js';
import { remember, renderRooms } from './sidebar.js';
import { page } from './state.js';

const TYPING_SEND_EVERY_MS = 2000;
const TYPING_SHOWN_FOR_MS = 4000;
const EARLY_CHANGES_KEPT = 500;
const MAX_MENTIONS = 20;

/** Puts a message in its room's view, once per seq, in seq order. */
export function addMessage(message) {
  const current = view(message.room);
  if (current.items.has(message.seq)) return;
  const { type: _type, ...fields } = message;
  let shown = fields;
  // Changes that came while this message was not on the page yet (an older page of history was on its way).
  for (const change of current.early.get(message.seq) ?? []) shown = applyChange(shown, change, page.session.user);
  current.early.delete(message.seq);
  current.messages.set(message.seq, shown);
  const item = renderItem(shown);
  current.items.set(message.seq, item);
  current.oldest = current.oldest === null ? message.seq : Math.min(current.oldest, message.seq);
  refreshReplies(message.room, message.seq);
  if (message.room !== page.current) return;

  const mine = message.from === page.session.user;
  const list = $('#messages');
  const following = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
  const later = [...list.querySelectorAll('li[data-seq]')].find((li) => Number(li.dataset.seq) > message.seq);
  list.insertBefore(item, later ?? list.querySelector('li.pending'));
  if (message.clientMsgId) list.querySelector(`li.pending[data-client-msg-id="${CSS.escape(message.clientMsgId)}"]`)?.remove();
  if (following || mine) list.scrollTop = list.scrollHeight;
  // Someone reading older messages is not yanked down; they are told something new is below.
  else $('#new-below').hidden = false;
}

/** An edit, deletion or reaction (an event, or a reply to this user's own request): applied and shown. */
export function updateMessage(change) {
  const current = view(change.room);
  const before = current.messages.get(change.seq);
  if (!before) {
    // Not on the page (yet): kept for when history brings the message. Applying a change the history page already
    // holds changes nothing: every change sets a state (a text, a tombstone, a count), none adds to one.
    if (!current.early.has(change.seq)) current.early.set(change.seq, []);
    current.early.get(change.seq).push(change);
    if (current.early.size > EARLY_CHANGES_KEPT) current.early.delete(current.early.keys().next().value);
    return;
  }
  const after = applyChange(before, change, page.session.user);
  if (after === before) return;
  current.messages.set(change.seq, after);
  const old = current.items.get(change.seq);
  const item = renderItem(after);
  // An editor or a reaction picker open on this message stays open, with what was typed, through any change that
  // leaves the message standing.
  const editor = old?.querySelector('form.edit');
  if (editor && !after.deleted) item.querySelector('.text').replaceWith(editor);
  const picker = old?.querySelector('.picker');
  if (picker && !after.deleted) item.append(picker);
  current.items.set(change.seq, item);
  if (old?.isConnected) old.replaceWith(item);
  refreshReplies(change.room, change.seq);
  if (page.replyTo?.room === change.room && page.replyTo.seq === change.seq) showReply();
}

/** Replies quote the message they answer: when it comes or changes, their quoted line is built again. */
function refreshReplies(room, seq) {
  const current = view(room);
  for (const [replySeq, message] of current.messages) {
    if (message.replyTo !== seq || message.deleted) continue;
    const old = current.items.get(replySeq);
    const item = renderItem(message);
    const editor = old?.querySelector('form.edit');
    if (editor) item.querySelector('.text').replaceWith(editor);
    current.items.set(replySeq, item);
    if (old?.isConnected) old.replaceWith(item);
  }
}

/** Builds every item of the room again: what the user may do with each message changed (a role, a removal). */
export function rerenderAll(room) {
  const current = view(room);
  for (const [seq, message] of current.messages) {
    const old = current.items.get(seq);
    if (old?.querySelector('form.edit')) continue;
    const item = renderItem(message);
    current.items.set(seq, item);
    if (old?.isConnected) old.replaceWith(item);
  }
}

export function onMessage(message) {
  const entry = remember(message.room);
  entry.lastSeq = Math.max(entry.lastSeq, message.seq);
  addMessage(message);
  stopTyping(message.from);
  // A direct room exists from its first message on; until then it had no members to show.
  if (message.room === page.current && page.members.size === 0) loadMembers(message.room);
  if (inView(message.room)) {
    if (document.visibilityState === 'visible') scheduleRead(message.room);
  } else if (message.from !== page.session.user) {
    entry.unread++;
    if (!message.deleted && (message.mentions ?? []).includes(page.session.user)) entry.mentions++;
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
  if (page.current && composerAllowed(page.current) && now - page.lastTypingSent > TYPING_SEND_EVERY_MS) {
    page.lastTypingSent = now;
    page.chat.typing(page.current);
  }
}

/** The members of the open room named with @ in the text (the server drops any that are not members anyway). */
export function mentionsIn(text) {
  const found = new Set();
  for (const match of text.matchAll(/@([A-Za-z0-9][A-Za-z0-9._-]{0,63})/g)) {
    const user = match[1].replace(/[.]+$/, '');
    if (user !== page.session.user && page.members.has(user)) found.add(user);
  }
  return [...found].slice(0, MAX_MENTIONS);
}

export async function send() {
  const composer = $('#composer');
  const text = composer.value;
  const room = page.current;
  if (!room || text.trim() === '' || !composerAllowed(room)) return;
  composer.value = '';
  page.lastTypingSent = 0;
  const clientMsgId = newClientMsgId();
  const options = { clientMsgId };
  if (!isDirect(room)) {
    if (page.replyTo?.room === room) options.replyTo = page.replyTo.seq;
    const mentions = mentionsIn(text);
    if (mentions.length > 0) options.mentions = mentions;
  }
  cancelReply();
  const pending = el('li', { className: 'pending mine', 'data-client-msg-id': clientMsgId },
    el('span', { className: 'from' }, page.session.user), el('time', {}, 'sending…'), el('p', { className: 'text' }, text));
  $('#messages').append(pending);
  $('#messages').scrollTop = $('#messages').scrollHeight;
  await deliver(pending, room, text, options);
}

/**
 * Errors worth another try: the same clientMsgId makes a retry safe, the server stores the message once. Muted and
 * slow mode end (the note above the composer says when).
 */
const RETRYABLE = new Set(['rate_limited', 'internal', 'timeout', 'disconnected', 'slow_mode', 'muted']);

async function deliver(pending, room, text, options) {
  try {
    if (isDirect(room)) await page.chat.dm(otherUser(room), text, { clientMsgId: options.clientMsgId });
    else await page.chat.send(room, text, options);
    sent(room);
  } catch (err) {
    onRefused(room, err);
    pending.className = 'failed mine';
    pending.querySelector('time').textContent = `not sent: ${err.message}`;
    if (RETRYABLE.has(err.code)) {
      pending.append(el('button', { type: 'button', className: 'small retry', onclick: () => {
        pending.className = 'pending mine';
        pending.querySelector('time').textContent = 'sending…';
        pending.querySelector('button.retry')?.remove();
        deliver(pending, room, text, options);
      } }, 'Retry'));
    }
  }
}
