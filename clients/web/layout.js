// On a narrow screen (a phone) the page shows either the list of rooms or the open conversation, with a way back;
// on a wide one both, side by side. Which one is the chat view's data-pane; the style sheet does the rest.
import { $ } from './dom.js';
import { page } from './state.js';

/** A screen with room for one pane only (the style sheet's breakpoint). */
export function narrow() {
  return matchMedia('(max-width: 760px)').matches;
}

/** Whether `room` is in front of the user: the open room, and on a phone the conversation pane is showing. */
export function inView(room) {
  return room === page.current && (!narrow() || $('#chat-view').dataset.pane === 'room');
}

export function showPane(pane) {
  $('#chat-view').dataset.pane = pane;
  $('#room-body').classList.remove('show-members');
  $('#members-button').setAttribute('aria-pressed', 'false');
}

/** Members instead of messages, on a screen too narrow for both. */
export function toggleMembers() {
  const shown = $('#room-body').classList.toggle('show-members');
  $('#members-button').setAttribute('aria-pressed', String(shown));
}
