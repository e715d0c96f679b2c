// On a narrow screen (a phone) the page shows either the list of rooms or the open conversation, with a way back;
// on a wide one both, side by side. Which one is the chat view's data-pane; the style sheet does the rest.
import { $ } from './dom.js';

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
