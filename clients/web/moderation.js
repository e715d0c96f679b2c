// Rooms their owners moderate: this user's role in each room (from its join), the member menu of owners and admins
// (role, kick, ban, mute for a while), the room's settings (topic, slow mode), what happens when this user is
// removed, and the note above the composer when they are muted or slowed down.
import { $, el } from './dom.js';
import { rerenderAll } from './messages.js';
import { cancelReply, shownTime } from './message-item.js';
import { isDirect, displayName } from './room-names.js';
import { note, renderMembers } from './room.js';
import { remember, renderRooms, showSidebarError } from './sidebar.js';
import { page } from './state.js';

/** Offered for a mute or a ban: seconds, or '' for good. */
const DURATIONS = [['300', '5 minutes'], ['3600', '1 hour'], ['86400', '1 day'], ['', 'for good']];

let ticking = null;

export function showRoomError(err) {
  $('#room-error').textContent = err ? err.message ?? String(err) : '';
}

/** What a join's ok (or a resume) says of the room and of this user in it. */
export function joined(ok) {
  if (!ok?.room) return;
  const fields = {};
  for (const name of ['role', 'topic', 'slowMode', 'private']) if (ok[name] !== undefined) fields[name] = ok[name];
  remember(ok.room, fields);
  if (ok.room === page.current) {
    renderRoomControls();
    renderRestriction();
  }
}

function roleIn(room) {
  return page.rooms.get(room)?.role ?? 'member';
}

/** Owners and admins moderate (and delete anyone's messages); not in a room this user was removed from. */
export function canModerate(room) {
  return !isDirect(room) && !page.removed.has(room) && ['owner', 'admin'].includes(roleIn(room));
}

/** An owner acts on anyone else; an admin on members only. */
function canModerateMember(room, user, role) {
  if (user === page.session.user || !canModerate(room)) return false;
  return roleIn(room) === 'owner' || role === 'member';
}

function mutedUntil(entry) {
  if (!entry?.muted) return null;
  if (entry.muted.until !== null && Date.parse(entry.muted.until) <= Date.now()) {
    entry.muted = null;
    return null;
  }
  return entry.muted;
}

/** Whether this user may write in the room now: not removed from it, not muted. */
export function composerAllowed(room) {
  return !page.removed.has(room) && !mutedUntil(page.rooms.get(room));
}

/** A send went through: under slow mode a member waits before the next one. */
export function sent(room) {
  const entry = page.rooms.get(room);
  if (!entry || !(entry.slowMode > 0) || roleIn(room) !== 'member') return;
  entry.slowUntil = Date.now() + entry.slowMode * 1000;
  renderRestriction();
}

/** A request the server turned down: muted and slow mode say until when. */
export function onRefused(room, err) {
  const entry = page.rooms.get(room);
  if (!entry) return;
  if (err.code === 'muted') {
    entry.muted = { until: err.retryAfterMs ? new Date(Date.now() + err.retryAfterMs).toISOString() : null };
  } else if (err.code === 'slow_mode') {
    entry.slowUntil = Date.now() + (err.retryAfterMs ?? (entry.slowMode ?? 0) * 1000);
  } else {
    return;
  }
  renderRestriction();
}

/** The note above the composer (removed, muted, slow mode) and whether the composer takes text. */
export function renderRestriction() {
  const room = page.current;
  const entry = room ? page.rooms.get(room) : null;
  const muted = mutedUntil(entry);
  let text = '';
  let timed = false;
  if (room && page.removed.has(room)) {
    text = page.removed.get(room);
  } else if (muted) {
    text = muted.until ? `You are muted in ${displayName(room)} until ${shownTime(muted.until)}: you can read but not write.`
      : `You are muted in ${displayName(room)}: you can read but not write.`;
    timed = muted.until !== null;
  } else if (entry?.slowUntil > Date.now()) {
    text = `Slow mode: you can send again in ${Math.ceil((entry.slowUntil - Date.now()) / 1000)} s.`;
    timed = true;
  } else if (entry?.slowMode > 0) {
    text = roleIn(room) === 'member' ? `Slow mode: one message every ${seconds(entry.slowMode)}.`
      : `Slow mode is on (${seconds(entry.slowMode)}); as ${roleIn(room) === 'owner' ? 'an owner' : 'an admin'} you are exempt.`;
  }
  $('#restriction').textContent = text;
  $('#restriction').hidden = text === '';
  $('#restriction').dataset.kind = room && page.removed.has(room) ? 'removed' : muted ? 'muted' : entry?.slowUntil > Date.now() ? 'slow' : 'info';
  const allowed = room !== null && composerAllowed(room);
  $('#composer').disabled = !allowed;
  $('#send-button').disabled = !allowed;
  clearTimeout(ticking);
  ticking = timed ? setTimeout(renderRestriction, 1000) : null;
}

function seconds(n) {
  return n % 3600 === 0 ? `${n / 3600} h` : n % 60 === 0 ? `${n / 60} min` : `${n} s`;
}

function until(e) {
  return e.until ? ` until ${shownTime(e.until)}` : '';
}

/** A moderation event: this user's own standing, the member list, and a line in the conversation. */
export function onModeration(e) {
  const me = page.session.user;
  const entry = page.rooms.get(e.room);
  const who = e.user === me ? 'You' : e.user;
  if (e.user === me && (e.action === 'kick' || e.action === 'ban')) {
    removedFrom(e.room, e.action === 'ban'
      ? `You were banned from ${displayName(e.room)} by ${e.by}${until(e)}.`
      : `You were removed from ${displayName(e.room)} by ${e.by}; you may join again.`);
    return;
  }
  if (e.user === me && entry) {
    if (e.action === 'mute') entry.muted = { until: e.until ?? null };
    if (e.action === 'unmute') entry.muted = null;
    if (e.action === 'role') entry.role = e.role;
  }
  if (e.room !== page.current) return;
  if (page.members.has(e.user)) {
    if (e.action === 'kick' || e.action === 'ban') page.members.delete(e.user);
    else if (e.action === 'role') page.members.get(e.user).role = e.role;
  }
  note({
    role: `${who} ${e.user === me ? 'are' : 'is'} now ${e.role === 'admin' ? 'an admin' : e.role === 'owner' ? 'an owner' : 'a member'} (by ${e.by}).`,
    kick: `${who} was removed by ${e.by}.`,
    ban: `${who} was banned by ${e.by}${until(e)}.`,
    unban: `${who} may join again (unbanned by ${e.by}).`,
    mute: `${who} ${e.user === me ? 'were' : 'was'} muted by ${e.by}${until(e)}.`,
    unmute: `${who} can write again (unmuted by ${e.by}).`,
  }[e.action] ?? `${e.by}: ${e.action} ${e.user}`);
  if (e.user === me && e.action === 'role') {
    renderRoomControls();
    rerenderAll(e.room);
  }
  renderMembers();
  renderRestriction();
}

/**
 * Kicked or banned: the room leaves the list (the library no longer follows it). The conversation stays on screen,
 * read-only, with the reason, until the user opens another room.
 */
function removedFrom(room, why) {
  page.rooms.delete(room);
  renderRooms();
  if (room !== page.current) {
    page.views.delete(room);
    showSidebarError({ message: why });
    return;
  }
  page.removed.set(room, why);
  if (page.replyTo?.room === room) cancelReply();
  note(why);
  page.memberMenu = null;
  // Who is in the room is no longer this user's to see.
  page.members.clear();
  page.typing.clear();
  $('#typing').textContent = '';
  renderRoomControls();
  rerenderAll(room);
  renderMembers();
  $('#room-meta').textContent = '';
  renderRestriction();
}

/** A room refused this user on a resume (banned or removed while the page was away). */
export function onResumeRefused(err) {
  if (!err?.room || !['forbidden', 'not_member', 'not_found'].includes(err.code) || !page.rooms.has(err.room) || isDirect(err.room)) return;
  removedFrom(err.room, `${displayName(err.room)} no longer lets you in: ${err.message}`);
}

export function onSettings(e) {
  const entry = page.rooms.get(e.room);
  if (!entry) return;
  const before = { topic: entry.topic ?? null, slowMode: entry.slowMode ?? 0 };
  entry.topic = e.topic || null;
  entry.slowMode = e.slowMode;
  if (e.room !== page.current) return;
  if (entry.topic !== (before.topic || null)) note(e.topic ? `${e.by} set the topic: ${e.topic}` : `${e.by} cleared the topic.`);
  if (e.slowMode !== before.slowMode) {
    note(e.slowMode > 0 ? `${e.by} turned slow mode on: one message every ${seconds(e.slowMode)}.` : `${e.by} turned slow mode off.`);
  }
  renderRoomControls();
  renderRestriction();
}

/** The header's parts that depend on the room and this user's role: topic, settings, leave. */
export function renderRoomControls() {
  const room = page.current;
  const entry = room ? page.rooms.get(room) : null;
  $('#room-topic').textContent = entry?.topic ?? '';
  $('#room-topic').hidden = !entry?.topic;
  const moderating = room !== null && canModerate(room);
  $('#settings-button').hidden = !moderating;
  if (!moderating) closeSettings();
  if (room && page.removed.has(room)) {
    $('#leave-button').hidden = true;
    $('#invite-form').hidden = true;
  }
}

export function toggleSettings() {
  if (!$('#settings-panel').hidden) {
    closeSettings();
    return;
  }
  const entry = page.rooms.get(page.current);
  $('#topic-input').value = entry?.topic ?? '';
  $('#slow-mode-input').value = String(entry?.slowMode ?? 0);
  $('#settings-panel').hidden = false;
  $('#settings-button').setAttribute('aria-expanded', 'true');
  $('#topic-input').focus();
}

export function closeSettings() {
  $('#settings-panel').hidden = true;
  $('#settings-button').setAttribute('aria-expanded', 'false');
}

export async function saveSettings() {
  const room = page.current;
  showRoomError(null);
  try {
    const ok = await page.chat.settings(room, { topic: $('#topic-input').value.trim(), slowMode: Number($('#slow-mode-input').value) });
    onSettings({ room, topic: ok.topic, slowMode: ok.slowMode, by: page.session.user });
    closeSettings();
  } catch (err) {
    showRoomError(err);
  }
}

export async function unban(user) {
  showRoomError(null);
  try {
    await page.chat.unban(page.current, user);
  } catch (err) {
    showRoomError(err);
  }
}

/** For an owner or admin: a button that opens what they may do to this member. */
export function memberControls(user, { role }) {
  const room = page.current;
  if (!room || !canModerateMember(room, user, role)) return [];
  const open = page.memberMenu === user;
  const toggle = el('button', {
    type: 'button', className: 'small secondary manage', 'aria-label': `Manage ${user}`, 'aria-expanded': String(open),
    onclick: () => {
      page.memberMenu = open ? null : user;
      renderMembers();
    },
  }, '⋯');
  return open ? [toggle, memberMenu(room, user, role)] : [toggle];
}

function memberMenu(room, user, role) {
  const roles = roleIn(room) === 'owner' ? ['member', 'admin', 'owner'] : ['member', 'admin'];
  const roleSelect = el('select', { 'data-field': 'role', 'aria-label': `Role of ${user}` },
    ...roles.map((r) => el('option', { value: r, selected: r === role }, r)));
  const duration = el('select', { 'data-field': 'duration', 'aria-label': 'For how long (mute or ban)' },
    ...DURATIONS.map(([value, label]) => el('option', { value, selected: value === '3600' }, label)));
  const act = (name, label, call) => el('button', {
    type: 'button', className: name === 'ban' || name === 'kick' ? 'small danger' : 'small', 'data-action': name,
    'aria-label': name === 'role' ? `Set the role of ${user}` : `${label} ${user}`, onclick: () => moderate(call),
  }, label);
  const untilChosen = () => (duration.value ? new Date(Date.now() + Number(duration.value) * 1000) : undefined);
  return el('div', { className: 'member-menu', role: 'group', 'aria-label': `Moderate ${user}` },
    el('div', { className: 'row' }, roleSelect, act('role', 'Set role', () => page.chat.role(room, user, roleSelect.value))),
    el('div', { className: 'row' }, duration,
      act('mute', 'Mute', () => page.chat.mute(room, user, { until: untilChosen() })),
      act('unmute', 'Unmute', () => page.chat.unmute(room, user))),
    el('div', { className: 'row' },
      act('kick', 'Kick', () => page.chat.kick(room, user)),
      act('ban', 'Ban', () => page.chat.ban(room, user, { until: untilChosen() }))));
}

async function moderate(call) {
  showRoomError(null);
  try {
    await call();
    page.memberMenu = null;
    renderMembers();
  } catch (err) {
    showRoomError(err);
  }
}
