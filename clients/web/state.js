// What the page knows, shared by its modules.

export const page = {
  session: null,
  chat: null,
  current: null,
  loaded: false,          // the first list of rooms has come; reconnects refresh it from then on
  // room -> { id, unread, mentions, lastSeq, direct, private, role, topic, slowMode, muted: {until} | null, slowUntil }
  rooms: new Map(),
  // room -> { messages: Map seq -> message (as history shows it), items: Map seq -> li, early: Map seq -> changes
  //           that came before their message was on the page, oldest, hasMore, loading, loaded }
  views: new Map(),
  removed: new Map(),     // room -> why this user is no longer in it (kicked, banned), while it is still on screen
  members: new Map(),     // user -> { online, role } (the current room)
  typing: new Map(),      // user -> timer (the current room)
  invitations: new Map(), // room -> { room, by, ts }
  directory: new Map(),   // public room -> member count, kept live by directory events
  replyTo: null,          // { room, seq } the composer answers
  memberMenu: null,       // the user whose moderation menu is open
  tokenRefused: false,    // the server refused the token at the last connect: get another one
  lastTypingSent: 0,
  readTimer: null,
};
