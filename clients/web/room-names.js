// How the page names rooms. Direct-message rooms are named by the server: `dm:<a>:<b>`, the two users sorted.
import { page } from './state.js';

export function isDirect(room) {
  return room.startsWith('dm:');
}

export function dmRoom(a, b) {
  return `dm:${[a, b].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0)).join(':')}`;
}

export function otherUser(room) {
  const [, a, b] = room.split(':');
  return a === page.session.user ? b : a;
}

export function displayName(room) {
  return isDirect(room) ? `@${otherUser(room)}` : `#${room}`;
}
