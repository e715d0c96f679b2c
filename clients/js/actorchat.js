// ActorChat client library: one WebSocket, protocol v1 (docs/protocol.md), reconnect and resume built in.
// A plain ES module with no dependencies; runs in browsers and in Node (pass `WebSocket` from the `ws` package).

/** A refusal from the server (`code` is a protocol error code) or from the library (`timeout`, `disconnected`, `closed`). */
export class ActorChatError extends Error {
  constructor(code, message, details = {}) {
    super(message);
    this.name = 'ActorChatError';
    this.code = code;
    Object.assign(this, details);
  }
}

/** Connection states, as reported by the `state` event. */
export const State = Object.freeze({
  idle: 'idle',
  connecting: 'connecting',
  open: 'open',
  reconnecting: 'reconnecting',
  closed: 'closed',
});

/** The subprotocol the server selects, and the one that carries the token (offered, never selected). */
const PROTOCOL = 'actorchat';
const BEARER_PREFIX = 'actorchat.bearer.';
// What a subprotocol name may hold (an HTTP token); a JWT always fits, an opaque token might not.
const SUBPROTOCOL_TOKEN = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;
// After a handshake failed with a token the ticket endpoint took, how long sockets open with tickets instead.
const TICKETS_AFTER_REFUSAL_MS = 10 * 60_000;
// A ticket lives 30 s by default; one bought to ask about a failed handshake is used only well within that.
const PROBE_TICKET_MAX_AGE_MS = 20_000;
// Close codes of a socket the server took only to refuse it (docs/protocol.md, close codes): 1013, the node is full
// (come back in 5 s or more); 4029, this user already holds as many sockets on that node as it allows.
const TRY_AGAIN_LATER = 1013;
const TOO_MANY_CONNECTIONS = 4029;
const TRY_AGAIN_LATER_MS = 5000;

const defaults = {
  signIn: 'subprotocol',
  requestTimeoutMs: 15000,
  backoff: { initialMs: 500, maxMs: 30000, factor: 2 },
  random: Math.random,
};

/** Listeners by event type; a listener that throws is reported as `error`, never breaks the others. */
class Emitter {
  constructor() {
    this.listeners = new Map();
  }

  /** Returns a function that removes the listener. */
  on(type, listener) {
    if (!this.listeners.has(type)) this.listeners.set(type, new Set());
    this.listeners.get(type).add(listener);
    return () => this.listeners.get(type)?.delete(listener);
  }

  emit(type, payload) {
    for (const listener of this.listeners.get(type) ?? []) {
      try {
        listener(payload);
      } catch (err) {
        if (type !== 'error') this.emit('error', err);
      }
    }
  }
}

/**
 * Delay before reconnect attempt `attempt` (0-based): exponential, capped, with "equal jitter" so that a
 * thousand clients cut off at once do not all come back in the same millisecond.
 */
export function backoffDelay(attempt, { initialMs, maxMs, factor }, random = Math.random) {
  const ceiling = Math.min(maxMs, initialMs * Math.pow(factor, attempt));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/** The events that change a room's log after its messages: each carries its own place in the log, `logSeq`. */
export const ChangeTypes = Object.freeze(['edited', 'deleted', 'reaction', 'moderation', 'settings']);

/** Refusals that end a room for this user: after them the room is not joined again by itself. */
const FINAL_JOIN_ERRORS = ['forbidden', 'not_member', 'bad_room', 'not_found'];

/**
 * A chat connection. A room's messages (`seq`) and the changes made to them or to the room (`logSeq`: edits,
 * deletions, reactions, moderation, settings) are numbered in one sequence, the room's log. Rooms joined through
 * this connection are re-joined after every reconnect with `since` set to the highest position passed on, and
 * each message and change is passed on at most once per (room, position), so a listener sees each of them exactly
 * once, in order, across any number of reconnects.
 *
 * `on(type, listener)` listens to `message`, `edited`, `deleted`, `reaction`, `moderation`, `settings`,
 * `presence`, `typing`, `read`, `invited`, `directory`, `state`, `welcome`, `resumed`, `error`, and returns a
 * function that removes the listener.
 */
export class ActorChat extends Emitter {
  /**
   * @param {object} options
   * @param {string} options.url  WebSocket address, e.g. `ws://localhost:5080/ws`.
   * @param {string | (() => string | Promise<string>)} options.token  A token, or a function called on every (re)connect for a fresh one.
   * @param {typeof WebSocket} [options.WebSocket]  Defaults to the global WebSocket.
   * @param {'subprotocol' | 'ticket'} [options.signIn]  How the socket shows the token: as its subprotocol
   *   `actorchat.bearer.<token>` (default), or as a one-use ticket bought before each connect (one request more).
   * @param {typeof fetch} [options.fetch]  For tickets, and to ask why a handshake failed; defaults to the global fetch.
   * @param {string} [options.ticketUrl]  Where tickets come from; defaults to `/api/auth/ticket` on the socket's host.
   * @param {number} [options.requestTimeoutMs]  How long a request waits for its reply.
   * @param {{initialMs:number,maxMs:number,factor:number}} [options.backoff]  Reconnect delays.
   */
  constructor(options) {
    super();
    if (!options?.url) throw new TypeError('options.url is required');
    if (!options.token) throw new TypeError('options.token is required');
    this.options = { ...defaults, ...options, backoff: { ...defaults.backoff, ...options.backoff } };
    this.WebSocket = options.WebSocket ?? globalThis.WebSocket;
    if (!this.WebSocket) throw new TypeError('No WebSocket implementation: pass options.WebSocket');
    this.fetch = fetchFrom(options);
    this.ticketUrl = options.ticketUrl ?? ticketUrlFor(options.url);
    this.state = State.idle;
    this.user = null;
    this.attempt = 0;
    this.socket = null;
    this.nextId = 1;
    this.pending = new Map();    // request id -> {request, resolve, reject, timer, onOk, retry}
    this.outbox = [];            // idempotent requests waiting for the connection
    this.cursors = new Map();    // room -> highest position in the room's log passed on (a message's seq or a change's logSeq)
    this.joined = new Map();     // room -> join options, re-joined on reconnect
    this.following = new Map();  // room -> join promise on the current socket
    this.browsing = null;        // browse options while the room directory is watched, re-sent on reconnect
    this.resuming = false;
    this.reconnectTimer = null;
    this.ticketsUntil = 0;       // a server took the token but not the socket that carried it: tickets until then
    this.probeTicket = null;     // the ticket that finding bought, for the next connect
  }

  // ---- events -------------------------------------------------------------------------------------------

  // ---- connection ---------------------------------------------------------------------------------------

  /** Opens the connection; resolves once the server said welcome and every joined room is resumed. Reconnects by itself until `close()`. */
  connect() {
    if (this.state === State.idle) this.open();
    return this.whenOpen();
  }

  /** Resolves when the connection is (next) open; rejects if the client is closed first. */
  whenOpen() {
    if (this.state === State.open) return Promise.resolve(this);
    if (this.state === State.closed) return Promise.reject(new ActorChatError('closed', 'The client was closed.'));
    return new Promise((resolve, reject) => {
      const off = this.on('state', ({ state }) => {
        if (state === State.open) {
          off();
          resolve(this);
        } else if (state === State.closed) {
          off();
          reject(new ActorChatError('closed', 'The client was closed.'));
        }
      });
    });
  }

  /** Stops reconnecting, closes the socket and fails whatever is still waiting. */
  close() {
    if (this.state === State.closed) return;
    clearTimeout(this.reconnectTimer);
    this.setState(State.closed);
    const socket = this.socket;
    this.socket = null;
    if (socket && socket.readyState <= 1) socket.close(1000, 'bye');
    this.failAll(new ActorChatError('closed', 'The client was closed.'), true);
  }

  /** The highest position of `room`'s log passed on (a message's seq or a change's logSeq; 0 if none): where a resume starts. */
  lastSeq(room) {
    return this.cursors.get(room) ?? 0;
  }

  setState(state, details = {}) {
    this.state = state;
    this.emit('state', { state, ...details });
  }

  async open() {
    this.setState(this.attempt === 0 ? State.connecting : State.reconnecting, { attempt: this.attempt });
    // The token goes in the one header a browser may set on a WebSocket, as the subprotocol actorchat.bearer.<token>
    // (next to actorchat, which the server selects): never in the URL, where proxies would log it. With
    // signIn 'ticket', a token that is not a valid subprotocol name, or once a server took the token but not the
    // socket that carried it (see handshakeFailed), it is traded for a one-use ticket first.
    let token;
    let ticket = null;
    try {
      token = typeof this.options.token === 'function' ? await this.options.token() : this.options.token;
      if (this.state === State.closed) return;
      if (this.options.signIn === 'ticket' || Date.now() < this.ticketsUntil || !SUBPROTOCOL_TOKEN.test(token)) {
        ({ ticket } = this.takeProbeTicket(token) ?? await requestTicket(this.ticketUrl, token, this.fetch, timeoutSignal(this.options.requestTimeoutMs)));
      }
    } catch (err) {
      if (this.state === State.closed) return;
      this.emit('error', err);
      this.scheduleReconnect(null);
      return;
    }
    if (this.state === State.closed) return;

    const url = new URL(this.options.url);
    if (ticket !== null) url.searchParams.set('ticket', ticket);
    let socket;
    try {
      socket = ticket !== null
        ? new this.WebSocket(url.toString())
        : new this.WebSocket(url.toString(), [PROTOCOL, `${BEARER_PREFIX}${token}`]);
    } catch (err) {
      this.emit('error', err);
      this.scheduleReconnect(null);
      return;
    }
    this.socket = socket;
    let opened = false;
    socket.onopen = () => { opened = true; };
    socket.onmessage = (event) => this.receive(event.data);
    socket.onclose = (event) => {
      if (this.socket !== socket) return;
      this.socket = null;
      if (!opened && ticket === null) this.handshakeFailed(token, event.code, event.reason);
      else this.dropped(event.code, event.reason);
    };
    socket.onerror = () => { /* a close event follows and decides */ };
  }

  // A page cannot see why a handshake failed: a refused token (401), a spent request budget (429), a server that does
  // not take the token this way (a front end from before it, a proxy that drops the header) and one out of reach look
  // the same (a full node takes the socket and closes it with a code instead). Only then, the token is shown to the
  // ticket endpoint. Refused: its error is reported (unauthorized: sign in again; rate_limited: the budget is spent).
  // Taken: this client opens its sockets with tickets for a while (TICKETS_AFTER_REFUSAL_MS), starting with the one
  // the question bought, then tries the subprotocol again.
  async handshakeFailed(token, code, reason) {
    try {
      const probe = await requestTicket(this.ticketUrl, token, this.fetch, timeoutSignal(this.options.requestTimeoutMs));
      this.ticketsUntil = Date.now() + TICKETS_AFTER_REFUSAL_MS;
      this.probeTicket = { ticket: probe.ticket, token, boughtAt: Date.now() };
    } catch (err) {
      if (this.state !== State.closed && err instanceof ActorChatError) this.emit('error', err);
    }
    this.dropped(code, reason);
  }

  // The ticket handshakeFailed bought, if it was bought with this token and well within its life (measured on this
  // clock: the server's expiresAt may be on another).
  takeProbeTicket(token) {
    const probe = this.probeTicket;
    this.probeTicket = null;
    return probe && probe.token === token && Date.now() - probe.boughtAt < PROBE_TICKET_MAX_AGE_MS ? probe : null;
  }

  dropped(code, reason) {
    // Requests that cannot be repeated safely fail; sends with a clientMsgId wait and go again after resuming.
    this.following.clear();
    this.resuming = false;
    this.failAll(new ActorChatError('disconnected', `The connection closed (${code}).`), false);
    if (this.state === State.closed) return;
    this.scheduleReconnect(code, reason);
  }

  scheduleReconnect(code, reason) {
    let delayMs = backoffDelay(this.attempt, this.options.backoff, this.options.random);
    if (code === TOO_MANY_CONNECTIONS) {
      this.emit('error', new ActorChatError('too_many_connections', reason || 'Too many connections for this user.'));
    }
    if (code === TRY_AGAIN_LATER || code === TOO_MANY_CONNECTIONS) {
      // A node that turned the socket away is not asked again within the time a full node names (or sooner than the
      // backoff would); the jitter spreads those it turned away.
      delayMs = Math.max(delayMs, Math.round(TRY_AGAIN_LATER_MS * (1 + this.options.random())));
    }
    this.attempt++;
    this.setState(State.reconnecting, { attempt: this.attempt, delayMs, code, reason });
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = setTimeout(() => this.open(), delayMs);
  }

  async welcomed(frame) {
    this.user = frame.user;
    this.emit('welcome', frame);
    this.resuming = true;
    // Re-join every room with since = the last seq passed on: the server replays exactly what was missed.
    const rooms = [...this.joined.keys()];
    const results = await Promise.allSettled(rooms.map((room) => this.follow(room, true)));
    results.forEach((result, i) => {
      if (result.status === 'fulfilled') return;
      const err = result.reason;
      if (err instanceof ActorChatError && err.room === undefined) err.room = rooms[i];
      // A room that refuses for good (the user was removed from a private room, or banned, say) is not asked again.
      if (FINAL_JOIN_ERRORS.includes(err?.code)) this.joined.delete(rooms[i]);
      this.emit('error', err);
    });
    // A connection that watched the room directory watches it again; what changed meanwhile comes as a fresh
    // first page, marked reset, since the changes themselves are not replayed.
    if (this.browsing) {
      this.request('browse', this.browsing, { retry: true })
        .then((ok) => this.emit('directory', { type: 'directory', rooms: ok.rooms, next: ok.next, reset: true }))
        .catch((err) => this.emit('error', err));
    }
    this.resuming = false;
    if (this.state === State.closed || !this.socket) return;
    this.attempt = 0;
    this.setState(State.open);
    for (const entry of this.outbox.splice(0)) this.transmit(entry);
  }

  // ---- frames -------------------------------------------------------------------------------------------

  receive(data) {
    let frame;
    try {
      frame = JSON.parse(typeof data === 'string' ? data : new TextDecoder().decode(data));
    } catch (err) {
      this.emit('error', err);
      return;
    }
    switch (frame.type) {
      case 'welcome':
        this.welcomed(frame);
        break;
      case 'ok':
      case 'error':
        this.reply(frame);
        break;
      case 'message':
        this.deliver(frame);
        break;
      case 'edited':
      case 'deleted':
      case 'reaction':
      case 'moderation':
      case 'settings':
        this.change(frame);
        break;
      case 'presence':
      case 'typing':
      case 'read':
      case 'invited':
      case 'directory':
        this.emit(frame.type, frame);
        break;
      default:
        // Unknown events come from newer servers; ignoring them keeps old clients working.
        break;
    }
  }

  /** Moves the room's cursor to `position`; false if that position was passed on already (a replay overlapping what was seen). */
  advance(room, position) {
    if (!Number.isFinite(position) || position <= (this.cursors.get(room) ?? 0)) return false;
    this.cursors.set(room, position);
    return true;
  }

  deliver(message) {
    if (!this.advance(message.room, message.seq)) return;
    // A direct message can arrive without a join; its room is resumed after a reconnect like a joined one.
    if (message.room.startsWith('dm:') && !this.joined.has(message.room)) this.joined.set(message.room, {});
    this.emit('message', message);
  }

  change(frame) {
    if (!this.advance(frame.room, frame.logSeq)) return;
    // Kicked or banned: the server no longer delivers the room to this user, and it must not be joined again by
    // itself after a reconnect. A later join() (after an unban, say) starts afresh.
    if (frame.type === 'moderation' && frame.user === this.user && (frame.action === 'kick' || frame.action === 'ban')) {
      this.joined.delete(frame.room);
      this.following.delete(frame.room);
      this.cursors.delete(frame.room);
    }
    this.emit(frame.type, frame);
  }

  reply(frame) {
    const entry = this.pending.get(frame.id);
    if (!entry) return;
    this.pending.delete(frame.id);
    clearTimeout(entry.timer);
    if (frame.type === 'ok') {
      // Runs before the room's replayed messages are read, so the cursor is right when they arrive.
      entry.onOk?.(frame);
      entry.resolve(frame);
    } else {
      const { code, message, ...details } = frame;
      entry.reject(new ActorChatError(code, message, details));
    }
  }

  failAll(error, includeRetries) {
    for (const entry of this.pending.values()) {
      clearTimeout(entry.timer);
      if (entry.retry && !includeRetries) this.outbox.push(entry);
      else entry.reject(error);
    }
    this.pending.clear();
    if (includeRetries) {
      for (const entry of this.outbox.splice(0)) entry.reject(error);
    }
  }

  // ---- requests -----------------------------------------------------------------------------------------

  /**
   * Sends any protocol request and resolves with its `ok` frame (rejects with ActorChatError on `error`).
   * `retry: true` keeps a request across reconnects; use it only for requests that are safe to repeat.
   */
  request(type, fields = {}, { retry = false, onOk } = {}) {
    if (this.state === State.closed) return Promise.reject(new ActorChatError('closed', 'The client was closed.'));
    return new Promise((resolve, reject) => {
      const entry = { frame: { type, ...fields }, resolve, reject, retry, onOk, timer: null };
      if (this.state === State.open || (this.resuming && type === 'join')) {
        this.transmit(entry);
      } else if (retry) {
        this.outbox.push(entry);
      } else {
        reject(new ActorChatError('disconnected', 'Not connected.'));
      }
    });
  }

  transmit(entry) {
    const id = String(this.nextId++);
    entry.timer = setTimeout(() => {
      if (this.pending.delete(id)) entry.reject(new ActorChatError('timeout', `No reply to ${entry.frame.type} within ${this.options.requestTimeoutMs} ms.`));
    }, this.options.requestTimeoutMs);
    this.pending.set(id, entry);
    try {
      this.socket.send(JSON.stringify({ id, ...entry.frame }));
    } catch (err) {
      this.pending.delete(id);
      clearTimeout(entry.timer);
      if (entry.retry) this.outbox.push(entry); else entry.reject(err);
    }
  }

  /**
   * Becomes a member and follows the room; it is resumed after every reconnect. `since` asks for the messages
   * after that seq first (the first time only: later the library resumes from what it has seen).
   */
  async join(room, { since, private: isPrivate } = {}) {
    this.joined.set(room, omitUndefined({ since, private: isPrivate ? true : undefined }));
    if (this.state !== State.open) await this.connect();
    return this.following.get(room) ?? this.follow(room, false);
  }

  follow(room, resuming) {
    const options = this.joined.get(room) ?? {};
    const fields = { room };
    if (options.private) fields.private = true;
    if (this.cursors.has(room)) fields.since = this.cursors.get(room);
    else if (options.since !== undefined) fields.since = options.since;
    const joining = this.request('join', fields, {
      onOk: (ok) => {
        // Without since the server sends what follows lastSeq; with since it replays (since, lastSeq] first.
        if (!this.cursors.has(room)) this.cursors.set(room, fields.since === undefined ? ok.lastSeq : Math.min(fields.since, ok.lastSeq));
        if (resuming) {
          // What the join said (topic, slow mode, role ...) comes with it: it may have changed while away.
          const { type: _type, id: _id, ...said } = ok;
          this.emit('resumed', { ...said, room, recovered: ok.recovered, lastSeq: ok.lastSeq });
        }
      },
    });
    this.following.set(room, joining);
    joining.catch(() => {
      if (this.following.get(room) === joining) this.following.delete(room);
    });
    return joining;
  }

  /** Ends membership and stops following the room. */
  leave(room) {
    this.joined.delete(room);
    this.following.delete(room);
    return this.request('leave', { room });
  }

  /**
   * Posts a message, as a reply to the message `replyTo` and mentioning the `mentions` user ids if given.
   * Retried after a reconnect with the same clientMsgId, so it is stored exactly once.
   */
  send(room, text, { clientMsgId = newClientMsgId(), replyTo, mentions } = {}) {
    const fields = omitUndefined({ room, text, clientMsgId, replyTo, mentions: mentions?.length ? [...mentions] : undefined });
    return this.request('send', fields, { retry: true });
  }

  /** Replaces the text of one's own message (within the server's edit window). Everyone following the room gets `edited`. */
  edit(room, seq, text) {
    return this.request('edit', { room, seq, text }, { retry: true });
  }

  /**
   * Deletes a message (one's own, or anyone's as an owner or admin); everyone gets `deleted`. Not repeated after a
   * reconnect (a second try of a delete that went through would be `not_found`): it rejects with `disconnected`.
   */
  deleteMessage(room, seq) {
    return this.request('delete', { room, seq });
  }

  /** Adds this user's `emoji` to a message (once per user per emoji); the ok's `count` is how many have it now. */
  react(room, seq, emoji) {
    return this.request('react', { room, seq, emoji }, { retry: true });
  }

  /** Takes this user's `emoji` back from a message. */
  unreact(room, seq, emoji) {
    return this.request('unreact', { room, seq, emoji }, { retry: true });
  }

  /** Gives `user` the role `owner`, `admin` or `member` in the room (owners and admins). */
  role(room, user, role) {
    return this.request('role', { room, user, role }, { retry: true });
  }

  /** Removes `user` from the room; they may join again. Not repeated after a reconnect (rejects with `disconnected`). */
  kick(room, user) {
    return this.request('kick', { room, user });
  }

  /** Removes `user` and keeps them out until `until` (an ISO 8601 time or a Date), or for good. */
  ban(room, user, { until } = {}) {
    return this.request('ban', omitUndefined({ room, user, until: timeOf(until) }), { retry: true });
  }

  unban(room, user) {
    return this.request('unban', { room, user }, { retry: true });
  }

  /** `user` reads but cannot send, edit, react or type until `until` (an ISO 8601 time or a Date), or for good. */
  mute(room, user, { until } = {}) {
    return this.request('mute', omitUndefined({ room, user, until: timeOf(until) }), { retry: true });
  }

  unmute(room, user) {
    return this.request('unmute', { room, user }, { retry: true });
  }

  /** Changes the room's `topic` and `slowMode` (seconds a member waits between messages, 0 is off); a field not given keeps its value. */
  settings(room, { topic, slowMode } = {}) {
    return this.request('settings', omitUndefined({ room, topic, slowMode }), { retry: true });
  }

  /** A direct message; its room (`dm:a:b`) is followed from then on, and resumed like a joined room. */
  async dm(to, text, { clientMsgId = newClientMsgId() } = {}) {
    const ok = await this.request('dm', { to, text, clientMsgId }, { retry: true });
    if (!this.joined.has(ok.room)) {
      this.joined.set(ok.room, {});
    }
    return ok;
  }

  /** A page of history, oldest first: the newest page, or the one before `before`. */
  history(room, { before, limit } = {}) {
    return this.request('history', omitUndefined({ room, before, limit }), { retry: true });
  }

  members(room, { after, limit } = {}) {
    return this.request('members', omitUndefined({ room, after, limit }), { retry: true });
  }

  /** Lets `user` into the room (a private one admits members and those they invite); they hear `invited`. */
  invite(room, user) {
    return this.request('invite', { room, user }, { retry: true });
  }

  /** Invitations not yet taken up (by joining) or declined, oldest first. */
  invitations() {
    return this.request('invitations', {}, { retry: true });
  }

  /** Turns an invitation down: the room no longer admits this user until invited again. */
  decline(room) {
    return this.request('decline', { room }, { retry: true });
  }

  /** Tells the others in the room that this user is typing. Fire and forget: no reply is asked for. */
  typing(room) {
    if (this.state !== State.open || !this.socket) return;
    this.socket.send(JSON.stringify({ type: 'typing', room }));
  }

  /** Moves the read pointer forward. */
  read(room, seq) {
    return this.request('read', { room, seq }, { retry: true });
  }

  /**
   * A page of public rooms with member counts. Unless `watch` is false, `directory` events then tell which rooms
   * appeared, changed size or went (members 0); after a reconnect the library browses again by itself and emits
   * the new page as a `directory` event with `reset: true` (replace the list, do not merge).
   */
  browse({ after, limit, watch } = {}) {
    const fields = omitUndefined({ after, limit, watch });
    this.browsing = watch === false ? null : fields;
    return this.request('browse', fields, { retry: true });
  }

  /** Memberships with unread counts. */
  rooms() {
    return this.request('rooms', {}, { retry: true });
  }

  ping() {
    return this.request('ping');
  }

  /** Hands the connection a fresh token before the current one expires. */
  refresh(token) {
    return this.request('refresh', { token });
  }
}

/**
 * One room's Server-Sent Events (`GET /api/rooms/{room}/events`), for pages and apps that only listen. It opens
 * the stream with a fresh one-use ticket every time. An `EventSource` left to reconnect by itself would reuse its
 * URL, whose ticket is spent by then (401, and the EventSource gives up); so on any error this closes it and opens
 * a new one after a backoff, with a new ticket and `since` = the last seq passed on: nothing lost, nothing twice.
 *
 * `on(type, listener)` listens to `ready`, `message`, `presence`, `typing`, `read`, `close` (the server's reason
 * for ending the stream, `{code, reason}`), `state` and `error`.
 */
export class RoomEvents extends Emitter {
  /**
   * @param {object} options
   * @param {string | URL} options.base  The server's HTTP address, e.g. `http://localhost:5080`.
   * @param {string} options.room
   * @param {string | (() => string | Promise<string>)} options.token  A token, or a function called before every (re)open.
   * @param {number} [options.since]  Start after this seq (the first time; later the last seq passed on).
   * @param {typeof EventSource} [options.EventSource]  Defaults to the global EventSource.
   * @param {typeof fetch} [options.fetch]  Defaults to the global fetch.
   * @param {{initialMs:number,maxMs:number,factor:number}} [options.backoff]  Reopen delays.
   */
  constructor(options) {
    super();
    if (!options?.base) throw new TypeError('options.base is required');
    if (!options.room) throw new TypeError('options.room is required');
    if (!options.token) throw new TypeError('options.token is required');
    this.options = { ...defaults, ...options, backoff: { ...defaults.backoff, ...options.backoff } };
    this.EventSource = options.EventSource ?? globalThis.EventSource;
    if (!this.EventSource) throw new TypeError('No EventSource implementation: pass options.EventSource');
    this.fetch = fetchFrom(options);
    this.state = State.idle;
    this.attempt = 0;
    this.source = null;
    this.cursor = undefined;     // highest seq passed on; undefined until the first ready
    this.reopenTimer = null;
  }

  /** Opens the stream; resolves at its first `ready`. Reopens by itself until `close()`. */
  connect() {
    if (this.state === State.idle) this.open();
    if (this.state === State.open) return Promise.resolve(this);
    if (this.state === State.closed) return Promise.reject(new ActorChatError('closed', 'The stream was closed.'));
    return new Promise((resolve, reject) => {
      const off = this.on('state', ({ state }) => {
        if (state === State.open) {
          off();
          resolve(this);
        } else if (state === State.closed) {
          off();
          reject(new ActorChatError('closed', 'The stream was closed.'));
        }
      });
    });
  }

  /** Highest position passed on, a message's seq or a change's logSeq (0 before any). */
  lastSeq() {
    return this.cursor ?? 0;
  }

  close() {
    if (this.state === State.closed) return;
    clearTimeout(this.reopenTimer);
    this.source?.close();
    this.source = null;
    this.setState(State.closed);
  }

  setState(state, details = {}) {
    this.state = state;
    this.emit('state', { state, ...details });
  }

  async open() {
    this.setState(this.attempt === 0 ? State.connecting : State.reconnecting, { attempt: this.attempt });
    let ticket;
    try {
      const token = typeof this.options.token === 'function' ? await this.options.token() : this.options.token;
      if (this.state === State.closed) return;
      ({ ticket } = await getTicket(this.options.base, token, this.fetch));
    } catch (err) {
      if (this.state === State.closed) return;
      this.emit('error', err);
      this.reopen();
      return;
    }
    if (this.state === State.closed) return;

    const url = new URL(`/api/rooms/${encodeURIComponent(this.options.room)}/events`, this.options.base);
    const since = this.cursor ?? this.options.since;
    if (since !== undefined) url.searchParams.set('since', String(since));
    url.searchParams.set('ticket', ticket);
    const source = new this.EventSource(url.toString());
    this.source = source;
    for (const type of ['ready', 'message', ...ChangeTypes, 'presence', 'typing', 'read', 'close']) {
      source.addEventListener(type, (event) => this.receive(source, type, event, since));
    }
    source.onerror = () => {
      if (this.source !== source) return;
      // Never let it retry by itself: its URL carries a spent ticket.
      source.close();
      this.source = null;
      if (this.state !== State.closed) this.reopen();
    };
  }

  reopen() {
    const delayMs = backoffDelay(this.attempt, this.options.backoff, this.options.random);
    this.attempt++;
    this.setState(State.reconnecting, { attempt: this.attempt, delayMs });
    clearTimeout(this.reopenTimer);
    this.reopenTimer = setTimeout(() => this.open(), delayMs);
  }

  receive(source, type, event, since) {
    if (this.source !== source) return;
    let data;
    try {
      data = JSON.parse(event.data);
    } catch (err) {
      this.emit('error', err);
      return;
    }
    if (type === 'ready') {
      // Without since the stream starts after lastSeq; with since it replays (since, lastSeq] first.
      if (this.cursor === undefined) this.cursor = since === undefined ? data.lastSeq : Math.min(since, data.lastSeq);
      this.attempt = 0;
      this.setState(State.open);
    } else if (type === 'message' || ChangeTypes.includes(type)) {
      // Messages and changes share the room's log: one cursor over both, so a replay is passed on once.
      const position = type === 'message' ? data.seq : data.logSeq;
      if (!(position > (this.cursor ?? 0))) return;
      this.cursor = position;
    }
    this.emit(type, data);
  }
}

/**
 * Signs in with the development login (`POST /api/auth/token`) and returns `{token, user, expiresAt}`.
 * `base` is the server's HTTP address, e.g. `http://localhost:5080`.
 */
export async function devLogin(base, user, fetchImpl = globalThis.fetch) {
  const response = await fetchImpl(new URL('/api/auth/token', base), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user }),
  });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new ActorChatError(body.code ?? 'bad_request', body.detail ?? `Login failed (${response.status}).`);
  return body;
}

/**
 * A one-use ticket for opening a socket or an event stream (`POST /api/auth/ticket` with the bearer token):
 * `{ticket, expiresAt}`, valid for seconds. `ActorChat` and `RoomEvents` get one before every (re)connect by
 * themselves; this is for opening something else with `?ticket=`. A refused token rejects with code `unauthorized`.
 */
export function getTicket(base, token, fetchImpl = globalThis.fetch) {
  return requestTicket(new URL('/api/auth/ticket', base), token, fetchImpl);
}

async function requestTicket(url, token, fetchImpl, signal) {
  const response = await fetchImpl(url, { method: 'POST', headers: { authorization: `Bearer ${token}` }, signal });
  const body = await response.json().catch(() => ({}));
  if (response.status === 401) throw new ActorChatError('unauthorized', 'The server refused the token (401): sign in again.');
  if (!response.ok) throw new ActorChatError(body.code ?? `http_${response.status}`, body.detail ?? `No ticket (${response.status}).`);
  if (typeof body.ticket !== 'string') throw new ActorChatError('bad_response', `No ticket in the answer of ${url}.`);
  return body;
}

/** A signal that aborts after `ms`: AbortSignal.timeout where there is one (older Safari has none). */
function timeoutSignal(ms) {
  if (typeof AbortSignal.timeout === 'function') return AbortSignal.timeout(ms);
  const controller = new AbortController();
  setTimeout(() => controller.abort(), ms);
  return controller.signal;
}

/** The ticket address for a socket address: the same host, over http(s). */
function ticketUrlFor(socketAddress) {
  const url = new URL('/api/auth/ticket', socketAddress);
  url.protocol = url.protocol === 'wss:' ? 'https:' : url.protocol === 'ws:' ? 'http:' : url.protocol;
  return url.toString();
}

/** `options.fetch`, or the global one called as a plain function (a browser's fetch refuses any other `this`). */
function fetchFrom(options) {
  if (options.fetch) return options.fetch;
  if (typeof globalThis.fetch !== 'function') throw new TypeError('No fetch implementation: pass options.fetch');
  return (...args) => globalThis.fetch(...args);
}

/** The WebSocket address of a server given its HTTP address. */
export function socketUrl(base) {
  const url = new URL('/ws', base);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.toString();
}

/**
 * A fresh `clientMsgId`. `crypto.randomUUID` exists only in secure contexts (https, localhost), so a page served
 * over plain http on a LAN address falls back to 16 bytes from `crypto.getRandomValues`, which exists everywhere.
 */
export function newClientMsgId() {
  const crypto = globalThis.crypto;
  if (typeof crypto?.randomUUID === 'function') return crypto.randomUUID();
  const bytes = new Uint8Array(16);
  if (typeof crypto?.getRandomValues === 'function') crypto.getRandomValues(bytes);
  else for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(Math.random() * 256);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * A message as `history` shows it, after one change event: `edited` replaces the text and sets `editedAt`;
 * `deleted` leaves a tombstone (no text, reactions or mentions); `reaction` sets the emoji's count (absolute:
 * applying the same event twice changes nothing) and, when `me` is the reacting user, whether `me` has it.
 * Other events, and events for another message, return the message unchanged. The message is not modified: a new
 * object is returned when anything changed.
 */
export function applyChange(message, change, me) {
  if (!message || !change || change.room !== message.room || change.seq !== message.seq) return message;
  switch (change.type) {
    case 'edited':
      if (message.deleted) return message;
      return { ...message, text: change.text, editedAt: change.editedAt };
    case 'deleted': {
      const { text: _text, reactions: _reactions, mentions: _mentions, editedAt: _editedAt, ...rest } = message;
      return { ...rest, deleted: true };
    }
    case 'reaction': {
      if (message.deleted) return message;
      const reactions = [...(message.reactions ?? [])];
      const at = reactions.findIndex((r) => r.emoji === change.emoji);
      const mine = change.user === me ? change.added : at >= 0 ? reactions[at].me : false;
      if (change.count <= 0) {
        if (at >= 0) reactions.splice(at, 1);
      } else if (at >= 0) {
        reactions[at] = { ...reactions[at], count: change.count, me: mine };
      } else {
        reactions.push({ emoji: change.emoji, count: change.count, me: mine });
      }
      return { ...message, reactions };
    }
    default:
      return message;
  }
}

/** An ISO 8601 time from a Date or a string (undefined stays undefined). */
function timeOf(value) {
  return value instanceof Date ? value.toISOString() : value;
}

function omitUndefined(object) {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined));
}
