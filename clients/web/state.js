// What the page knows, shared by its modules.

export const page = {
  session: null,
  chat: null,
  current: null,
  loaded: false,          // the first list of rooms has come; reconnects refresh it from then on
  rooms: new Map(),       // room -> { id, unread, lastSeq, direct }
  views: new Map(),       // room -> { items: Map seq -> li, oldest, hasMore, loading }
  members: new Map(),     // user -> online (the current room)
  typing: new Map(),      // user -> timer (the current room)
  invitations: new Map(), // room -> { room, by, ts }
  directory: new Map(),   // public room -> member count, kept live by directory events
  lastTypingSent: 0,
  readTimer: null,
};
