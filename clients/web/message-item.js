// One message on the page, built from the message as `history` shows it: who and when, the line it answers,
// its text (links and mentions picked out) or a tombstone, an edited mark, its reactions, and what the user may do
// with it (reply, react, edit, delete). Everything the user wrote goes in as text nodes.
import { $, el } from './dom.js';
import { updateMessage } from './messages.js';
import { canModerate, composerAllowed, onRefused, showRoomError } from './moderation.js';
import { isDirect } from './room-names.js';
import { view } from './room.js';
import { page } from './state.js';

/** The emoji offered when adding a reaction (any single emoji is accepted by the server). */
export const PICKER = ['👍', '❤️', '😂', '🎉', '😮', '😢'];

const QUOTE_LENGTH = 80;

/** The list item for `message`. */
export function renderItem(message) {
  const me = page.session.user;
  const mine = message.from === me;
  const mentionsMe = !message.deleted && (message.mentions ?? []).includes(me);
  const classes = [mine && 'mine', mentionsMe && 'mentions-me', message.deleted && 'deleted'].filter(Boolean).join(' ');
  return el('li', { 'data-seq': message.seq, className: classes || undefined },
    el('div', { className: 'head' },
      el('span', { className: 'from' }, message.from),
      message.kind ? el('span', { className: 'kind' }, message.kind) : null,
      el('time', { datetime: message.ts, title: message.ts }, shownTime(message.ts)),
      message.editedAt && !message.deleted
        ? el('span', { className: 'edited', title: `edited ${new Date(message.editedAt).toLocaleString()}` }, '(edited)') : null,
      mentionsMe ? el('span', { className: 'tag' }, 'mentions you') : null,
      message.deleted ? null : actions(message)),
    message.replyTo ? quote(message) : null,
    message.deleted
      ? el('p', { className: 'tombstone' }, 'This message was deleted.')
      : el('p', { className: 'text' }, ...textParts(message)),
    message.deleted ? null : reactions(message));
}

/** The time alone for today's messages; older ones (history, a long weekend) carry their date. */
export function shownTime(ts) {
  const when = new Date(ts);
  return when.toDateString() === new Date().toDateString() ? when.toLocaleTimeString() : when.toLocaleString();
}

/** One line naming the message answered and how it begins; a button that shows it. */
function quote(message) {
  const target = view(message.room).messages.get(message.replyTo);
  const excerpt = !target ? `an earlier message (#${message.replyTo})`
    : target.deleted ? 'a deleted message' : shortened(target.text);
  return el('blockquote', { className: 'reply', 'data-reply-to': message.replyTo },
    el('button', { type: 'button', className: 'reply-quote', title: 'Show the message this answers', onclick: () => jumpTo(message.room, message.replyTo) },
      target ? el('span', { className: 'reply-from' }, target.from) : null,
      target ? ': ' : null,
      excerpt));
}

export function shortened(text) {
  const line = text.split('\n')[0];
  return line.length > QUOTE_LENGTH ? `${line.slice(0, QUOTE_LENGTH)}…` : line;
}

function jumpTo(room, seq) {
  const item = view(room).items.get(seq);
  if (!item?.isConnected) return;
  item.scrollIntoView({ block: 'center' });
  item.classList.add('flash');
  setTimeout(() => item.classList.remove('flash'), 1500);
}

const URL_PATTERN = /\bhttps?:\/\/[^\s<>"']+/g;
const MENTION_PATTERN = /@([A-Za-z0-9][A-Za-z0-9._-]{0,63})/g;

/**
 * The text as text nodes, with http(s) addresses as links and the users it mentions picked out. Only what parses
 * as an http or https URL becomes an anchor (never javascript: or data:), trailing punctuation stays text, and links
 * open in a new tab with no opener and no referrer.
 */
function textParts(message) {
  const text = message.text ?? '';
  const mentioned = new Set(message.mentions ?? []);
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
    parts.push(...mentions(text.slice(last, match.index), mentioned));
    parts.push(el('a', { href: url.href, target: '_blank', rel: 'noopener noreferrer nofollow' }, address));
    last = match.index + address.length;
  }
  parts.push(...mentions(text.slice(last), mentioned));
  return parts.filter((part) => part !== '');
}

function mentions(text, mentioned) {
  if (mentioned.size === 0) return [text];
  const parts = [];
  let last = 0;
  for (const match of text.matchAll(MENTION_PATTERN)) {
    const user = match[1].replace(/[.]+$/, '');
    if (!mentioned.has(user)) continue;
    parts.push(text.slice(last, match.index));
    parts.push(el('span', { className: user === page.session.user ? 'at me' : 'at' }, `@${user}`));
    last = match.index + 1 + user.length;
  }
  parts.push(text.slice(last));
  return parts;
}

/** The reactions so far, each a toggle: pressed when this user has it; a click adds or takes it back. */
function reactions(message) {
  const list = message.reactions ?? [];
  if (list.length === 0) return null;
  return el('div', { className: 'reactions', role: 'group', 'aria-label': 'Reactions' },
    ...list.map(({ emoji, count, me }) => el('button', {
      type: 'button',
      className: 'reaction',
      'data-emoji': emoji,
      'aria-pressed': String(Boolean(me)),
      'aria-label': `${emoji} ${count}${me ? ', yours: take it back' : ': add yours'}`,
      onclick: () => react(message, emoji, !me),
    }, el('span', { className: 'emoji', 'aria-hidden': 'true' }, emoji), ' ', el('span', { className: 'count', 'aria-hidden': 'true' }, String(count)))));
}

function actions(message) {
  if (page.removed.has(message.room)) return null;
  const mine = message.from === page.session.user;
  // A direct message goes through `dm`, which carries no reply.
  return el('div', { className: 'actions' },
    isDirect(message.room) ? null
      : el('button', { type: 'button', className: 'small secondary', 'data-action': 'reply', 'aria-label': `Reply to ${message.from}`, onclick: () => startReply(message) }, 'Reply'),
    el('button', { type: 'button', className: 'small secondary', 'data-action': 'react', 'aria-label': 'Add a reaction', 'aria-expanded': 'false', onclick: (event) => togglePicker(message, event.currentTarget) }, 'React'),
    mine && !message.kind ? el('button', { type: 'button', className: 'small secondary', 'data-action': 'edit', 'aria-label': 'Edit your message', onclick: () => startEdit(message) }, 'Edit') : null,
    mine || canModerate(message.room)
      ? el('button', { type: 'button', className: 'small secondary', 'data-action': 'delete', 'aria-label': mine ? 'Delete your message' : `Delete ${message.from}'s message`, onclick: () => confirmDelete(message) }, 'Delete') : null);
}

async function react(message, emoji, add) {
  showRoomError(null);
  try {
    // The count shown comes with the reaction event, in the room's order: a reply's count could be older.
    if (add) await page.chat.react(message.room, message.seq, emoji);
    else await page.chat.unreact(message.room, message.seq, emoji);
  } catch (err) {
    onRefused(message.room, err);
    showRoomError(err);
  }
}

function togglePicker(message, button) {
  const item = view(message.room).items.get(message.seq);
  const open = item.querySelector('.picker');
  if (open) {
    open.remove();
    button.setAttribute('aria-expanded', 'false');
    return;
  }
  button.setAttribute('aria-expanded', 'true');
  item.append(el('div', { className: 'picker', role: 'group', 'aria-label': 'Pick a reaction' },
    ...PICKER.map((emoji) => el('button', {
      type: 'button', className: 'small secondary', 'data-emoji': emoji, 'aria-label': `React with ${emoji}`,
      onclick: () => {
        view(message.room).items.get(message.seq)?.querySelector('.picker')?.remove();
        const had = (latest(message).reactions ?? []).some((r) => r.emoji === emoji && r.me);
        if (!had) react(message, emoji, true);
      },
    }, emoji))));
  item.querySelector('.picker button').focus();
}

function startReply(message) {
  if (!composerAllowed(message.room)) return;
  page.replyTo = { room: message.room, seq: message.seq };
  showReply();
  $('#composer').focus();
}

/** The line above the composer saying what the next message answers. */
export function showReply() {
  const reply = page.replyTo;
  const target = reply && reply.room === page.current ? view(reply.room).messages.get(reply.seq) : null;
  if (!target || target.deleted) page.replyTo = null;
  $('#reply-bar').hidden = !page.replyTo;
  $('#reply-quote').replaceChildren(...(page.replyTo
    ? ['Replying to ', el('strong', {}, target.from), ': ', shortened(target.text)] : []));
}

export function cancelReply() {
  page.replyTo = null;
  showReply();
}

/** Swaps the text for an editor: Enter (or Save) keeps the change, Escape (or Cancel) drops it. */
function startEdit(message) {
  const item = view(message.room).items.get(message.seq);
  if (!item || item.querySelector('form.edit')) return;
  const box = el('textarea', { rows: 2, maxlength: 4000, 'aria-label': 'Edit your message' });
  box.value = message.text;
  const form = el('form', { className: 'edit' }, box,
    el('button', { type: 'submit', className: 'small' }, 'Save'),
    el('button', { type: 'button', className: 'small secondary', onclick: () => closeEditor(message) }, 'Cancel'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    saveEdit(message.room, message.seq, box.value);
  });
  box.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      saveEdit(message.room, message.seq, box.value);
    } else if (event.key === 'Escape') {
      closeEditor(message);
    }
  });
  item.querySelector('.text').replaceWith(form);
  box.focus();
  box.setSelectionRange(box.value.length, box.value.length);
}

async function saveEdit(room, seq, text) {
  const message = view(room).messages.get(seq);
  if (!message || message.deleted) return;
  if (text.trim() === '' || text === message.text) {
    closeEditor(message);
    return;
  }
  showRoomError(null);
  try {
    const ok = await page.chat.edit(room, seq, text);
    // The edited event follows; showing the new text now spares a flash of the old one. Applying it again is harmless.
    updateMessage({ type: 'edited', room, seq, text, editedAt: ok.editedAt, logSeq: ok.logSeq });
    closeEditor(message);
  } catch (err) {
    onRefused(room, err);
    showRoomError(err);
  }
}

function closeEditor(message) {
  const item = view(message.room).items.get(message.seq);
  if (!item?.querySelector('form.edit')) return;
  item.replaceWith(rerender(latest(message)));
}

/** The message as the page holds it now (an action's button may have been built before the last change). */
function latest(message) {
  return view(message.room).messages.get(message.seq) ?? message;
}

/** Builds the item anew and puts it in the room's view in place of the old one. */
function rerender(message) {
  const item = renderItem(message);
  view(message.room).items.set(message.seq, item);
  return item;
}

/** Asks in place, not in a dialog: "Delete this message?" with Delete and Cancel. */
function confirmDelete(message) {
  const item = view(message.room).items.get(message.seq);
  const bar = item?.querySelector('.actions');
  if (!bar) return;
  const ask = el('div', { className: 'actions confirm', role: 'group', 'aria-label': 'Confirm the deletion' },
    el('span', {}, 'Delete this message?'),
    el('button', { type: 'button', className: 'small danger', 'data-action': 'confirm-delete', onclick: () => deleteMessage(message) }, 'Delete'),
    el('button', { type: 'button', className: 'small secondary', 'data-action': 'cancel-delete', onclick: () => ask.replaceWith(actions(latest(message))) }, 'Cancel'));
  bar.replaceWith(ask);
  ask.querySelector('button.secondary').focus();
}

async function deleteMessage(message) {
  showRoomError(null);
  try {
    const ok = await page.chat.deleteMessage(message.room, message.seq);
    updateMessage({ type: 'deleted', room: message.room, seq: message.seq, logSeq: ok.logSeq });
  } catch (err) {
    showRoomError(err);
  }
}
