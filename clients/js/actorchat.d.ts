// Type declarations for actorchat.js (protocol v1, docs/protocol.md), for TypeScript and editors.

export type ErrorCode =
  | 'bad_request' | 'unknown_type' | 'bad_room' | 'not_member' | 'forbidden' | 'too_long'
  | 'rate_limited' | 'not_found' | 'internal' | 'conflict' | 'quota_exceeded'
  // `muted`: the user may not send, edit, react or type in this room (until `retryAfterMs`, if the mute has an end);
  // `slow_mode`: the room's slow mode; the next message is allowed in `retryAfterMs`
  | 'muted' | 'slow_mode'
  // raised by the library itself; `unauthorized`: the server refused the token when asked for a ticket;
  // `too_many_connections`: the server closed the socket with 4029 (this user's connection limit on that node)
  | 'timeout' | 'disconnected' | 'closed' | 'unauthorized' | 'too_many_connections';

export class ActorChatError extends Error {
  readonly code: ErrorCode | string;
  /** Present on `rate_limited` and `slow_mode`; on `muted` when the mute has an end; on `forbidden` for a ban with an end. */
  readonly retryAfterMs?: number;
  /** On an `error` event for a room whose resume (re-join after a reconnect) was refused: that room. */
  readonly room?: string;
}

export declare const State: Readonly<{
  idle: 'idle'; connecting: 'connecting'; open: 'open'; reconnecting: 'reconnecting'; closed: 'closed';
}>;
export type ConnectionState = (typeof State)[keyof typeof State];

export interface Backoff { initialMs: number; maxMs: number; factor: number }

export interface ActorChatOptions {
  /** WebSocket address, e.g. `ws://localhost:5080/ws`. */
  url: string;
  /** A token, or a function asked on every (re)connect. */
  token: string | (() => string | Promise<string>);
  /** Defaults to the global WebSocket; in Node pass `WebSocket` from the `ws` package. */
  WebSocket?: unknown;
  /**
   * How the socket shows the token: offered as its subprotocol `actorchat.bearer.<token>` (default; a token that is
   * not a valid subprotocol name, or a server that took the token but not the socket that carried it, falls back to
   * tickets, the latter for ten minutes), or traded for a one-use ticket before every (re)connect.
   */
  signIn?: 'subprotocol' | 'ticket';
  /** For tickets, and to ask the server why a handshake failed (a refused token?); defaults to the global fetch. */
  fetch?: typeof fetch;
  /** Where tickets come from; defaults to `/api/auth/ticket` on the socket's host (http for ws, https for wss). */
  ticketUrl?: string;
  requestTimeoutMs?: number;
  backoff?: Partial<Backoff>;
}

export type RoomRole = 'owner' | 'admin' | 'member';
/** How many have reacted with `emoji`, and whether this user is one of them. */
export interface Reaction { emoji: string; count: number; me: boolean }

interface MessageFields {
  type?: 'message';
  room: string;
  seq: number;
  from: string;
  ts: string;
  clientMsgId?: string;
  /** The seq of the message this one answers. */
  replyTo?: number;
  /** User ids this message mentions (members of the room). */
  mentions?: string[];
  /** A backend's message: `bot` or `system`. */
  kind?: 'bot' | 'system';
  editedAt?: string;
  /** In `history` (live messages start with none: they come as `reaction` events). */
  reactions?: Reaction[];
}

/**
 * A message, live or from `history`, in its current state: `editedAt` once edited; once deleted a tombstone,
 * `deleted: true` with no `text` (test `deleted` before reading `text`).
 */
export type ChatMessage = (MessageFields & { deleted?: false; text: string }) | (MessageFields & { deleted: true; text?: undefined });

/** The message `seq` got a new `text`. */
export interface EditedEvent { type: 'edited'; room: string; seq: number; text: string; editedAt: string; by: string; logSeq: number }
/** The message `seq` was deleted: forget its text. */
export interface DeletedEvent { type: 'deleted'; room: string; seq: number; by: string; logSeq: number }
/** `user` added (or took back) `emoji` on the message `seq`; `count` is how many have it now: set it, do not add. */
export interface ReactionEvent { type: 'reaction'; room: string; seq: number; emoji: string; user: string; added: boolean; count: number; logSeq: number }
export type ModerationActionName = 'role' | 'kick' | 'ban' | 'unban' | 'mute' | 'unmute';
/** An owner or admin acted on `user`. After a `kick` or `ban` of this client's own user the library stops following the room. */
export interface ModerationEvent { type: 'moderation'; room: string; user: string; action: ModerationActionName; by: string; until?: string; role?: RoomRole; logSeq: number }
/** The room's settings after a change. */
export interface SettingsEvent { type: 'settings'; room: string; topic: string | null; slowMode: number; by: string; logSeq: number }
/** Any change to a room's log after its messages. */
export type ChangeEvent = EditedEvent | DeletedEvent | ReactionEvent | ModerationEvent | SettingsEvent;
export interface PresenceEvent { type: 'presence'; room: string; user: string; status: 'joined' | 'left' | 'online' | 'offline' }
export interface TypingEvent { type: 'typing'; room: string; user: string }
export interface ReadEvent { type: 'read'; room: string; user: string; seq: number }
/** Rooms whose count changed (members 0: gone); with `reset`, a fresh first page after a reconnect that replaces the list. */
export interface DirectoryEvent { type: 'directory'; rooms: { room: string; members: number }[]; reset?: boolean; next?: string | null }
export interface InvitedEvent { type: 'invited'; room: string; by: string; ts: string }
export interface StateEvent { state: ConnectionState; attempt?: number; delayMs?: number; code?: number; reason?: string }
export interface WelcomeFrame { type: 'welcome'; user: string; connection: string; protocol: number }
/** A room joined again after a reconnect, with what its join's ok said (topic, slow mode, this user's role ...). */
export interface ResumedEvent { room: string; recovered: boolean; lastSeq: number; memberCount?: number; private?: boolean; topic?: string | null; slowMode?: number; role?: RoomRole }

export interface Ok { type: 'ok'; id: string }
/** `lastSeq` is the last position of the room's log (a message's seq or a change's logSeq). */
export interface JoinOk extends Ok { room: string; lastSeq: number; memberCount: number; recovered: boolean; private: boolean; topic: string | null; slowMode: number; role: RoomRole }
export interface SendOk extends Ok { room: string; seq: number; ts: string }
export interface EditOk extends Ok { room: string; seq: number; logSeq: number; editedAt: string }
export interface DeleteOk extends Ok { room: string; seq: number; logSeq: number }
export interface ReactOk extends Ok { room: string; seq: number; emoji: string; count: number }
export interface RoleOk extends Ok { room: string; user: string; role: RoomRole }
export interface ModerateOk extends Ok { room: string; user: string }
export interface SettingsOk extends Ok { room: string; topic: string | null; slowMode: number }
export interface SendOptions {
  /** Defaults to a fresh one; the same id makes a retry store the message once. */
  clientMsgId?: string;
  /** The seq of the message of this room this one answers. */
  replyTo?: number;
  /** User ids to mention; those not in the room are dropped by the server. */
  mentions?: string[];
}
export interface HistoryOk extends Ok { room: string; messages: ChatMessage[]; hasMore: boolean }
/** `online` is null in a room above the server's presence limit, where who is online is not tracked. */
export interface MembersOk extends Ok { room: string; members: { user: string; online: boolean | null; role: RoomRole }[]; hasMore: boolean }
export interface InvitationsOk extends Ok { invitations: { room: string; by: string; ts: string }[] }
export interface BrowseOk extends Ok { rooms: { room: string; members: number }[]; next: string | null }
/** `unread` counts messages after `lastRead`, `mentions` those of them that mention the user. */
export interface RoomsOk extends Ok { rooms: { room: string; lastSeq: number; lastRead: number; unread: number; mentions: number }[] }
export interface ReadOk extends Ok { room: string; seq: number }
export interface PingOk extends Ok { ts: string }
export interface RefreshOk extends Ok { expiresAt: string }

export interface Events {
  message: ChatMessage;
  edited: EditedEvent;
  deleted: DeletedEvent;
  reaction: ReactionEvent;
  moderation: ModerationEvent;
  settings: SettingsEvent;
  presence: PresenceEvent;
  typing: TypingEvent;
  read: ReadEvent;
  invited: InvitedEvent;
  directory: DirectoryEvent;
  state: StateEvent;
  welcome: WelcomeFrame;
  resumed: ResumedEvent;
  error: unknown;
}

export class ActorChat {
  constructor(options: ActorChatOptions);
  readonly state: ConnectionState;
  /** The signed-in user, once the server said welcome. */
  readonly user: string | null;
  on<K extends keyof Events>(type: K, listener: (event: Events[K]) => void): () => void;
  connect(): Promise<ActorChat>;
  whenOpen(): Promise<ActorChat>;
  close(): void;
  /** The highest position of the room's log passed on: a message's seq or a change's logSeq (resumes start there). */
  lastSeq(room: string): number;
  request(type: string, fields?: Record<string, unknown>, options?: { retry?: boolean }): Promise<Ok & Record<string, unknown>>;
  join(room: string, options?: { since?: number; private?: boolean }): Promise<JoinOk>;
  leave(room: string): Promise<Ok & { room: string }>;
  send(room: string, text: string, options?: SendOptions): Promise<SendOk>;
  edit(room: string, seq: number, text: string): Promise<EditOk>;
  /** The protocol's `delete`; not repeated after a reconnect (rejects with `disconnected`). */
  deleteMessage(room: string, seq: number): Promise<DeleteOk>;
  react(room: string, seq: number, emoji: string): Promise<ReactOk>;
  unreact(room: string, seq: number, emoji: string): Promise<ReactOk>;
  role(room: string, user: string, role: RoomRole): Promise<RoleOk>;
  /** Not repeated after a reconnect (rejects with `disconnected`). */
  kick(room: string, user: string): Promise<ModerateOk>;
  /** For good without `until`. */
  ban(room: string, user: string, options?: { until?: string | Date }): Promise<ModerateOk>;
  unban(room: string, user: string): Promise<ModerateOk>;
  /** For good without `until`. */
  mute(room: string, user: string, options?: { until?: string | Date }): Promise<ModerateOk>;
  unmute(room: string, user: string): Promise<ModerateOk>;
  /** A field not given keeps its value; `slowMode` in seconds, 0 is off. */
  settings(room: string, settings: { topic?: string; slowMode?: number }): Promise<SettingsOk>;
  dm(to: string, text: string, options?: { clientMsgId?: string }): Promise<SendOk>;
  history(room: string, options?: { before?: number; limit?: number }): Promise<HistoryOk>;
  members(room: string, options?: { after?: string; limit?: number }): Promise<MembersOk>;
  invite(room: string, user: string): Promise<Ok & { room: string; user: string }>;
  invitations(): Promise<InvitationsOk>;
  decline(room: string): Promise<Ok & { room: string }>;
  typing(room: string): void;
  read(room: string, seq: number): Promise<ReadOk>;
  rooms(): Promise<RoomsOk>;
  browse(options?: { after?: string; limit?: number; watch?: boolean }): Promise<BrowseOk>;
  ping(): Promise<PingOk>;
  refresh(token: string): Promise<RefreshOk>;
}

/** The event stream's first event, and again after every reopen. */
export interface ReadyEvent { type: 'ready'; room: string; lastSeq: number; memberCount: number; recovered: boolean; private?: boolean; topic?: string | null; slowMode?: number; role?: RoomRole }
/** The server's reason for ending an event stream (1012 restarting, 4001 token expired, 4008 too slow); RoomEvents reopens. */
export interface StreamCloseEvent { type: 'close'; code: number; reason: string }

export interface RoomEventsOptions {
  /** The server's HTTP address, e.g. `http://localhost:5080`. */
  base: string | URL;
  room: string;
  /** A token, or a function asked before every (re)open. */
  token: string | (() => string | Promise<string>);
  /** Start after this seq (the first open; later opens resume after the last seq passed on). */
  since?: number;
  /** Defaults to the global EventSource. */
  EventSource?: unknown;
  /** For the one-use ticket asked for before every (re)open; defaults to the global fetch. */
  fetch?: typeof fetch;
  backoff?: Partial<Backoff>;
}

export interface RoomEventsEvents {
  ready: ReadyEvent;
  message: ChatMessage;
  edited: EditedEvent;
  deleted: DeletedEvent;
  reaction: ReactionEvent;
  moderation: ModerationEvent;
  settings: SettingsEvent;
  presence: PresenceEvent;
  typing: TypingEvent;
  read: ReadEvent;
  close: StreamCloseEvent;
  state: StateEvent;
  error: unknown;
}

/** One room's Server-Sent Events, reopened with a fresh ticket and `since` after any drop; each seq once, in order. */
export class RoomEvents {
  constructor(options: RoomEventsOptions);
  readonly state: ConnectionState;
  on<K extends keyof RoomEventsEvents>(type: K, listener: (event: RoomEventsEvents[K]) => void): () => void;
  /** Resolves at the first `ready`. */
  connect(): Promise<RoomEvents>;
  close(): void;
  lastSeq(): number;
}

/** The change events, by name. */
export declare const ChangeTypes: readonly ['edited', 'deleted', 'reaction', 'moderation', 'settings'];
/**
 * The message as `history` would show it after `change` (edited, deleted or reaction; others change nothing).
 * `me` is the signed-in user, for each reaction's `me`. Returns a new object when anything changed.
 */
export function applyChange(message: ChatMessage, change: ChangeEvent, me?: string | null): ChatMessage;
export function backoffDelay(attempt: number, backoff: Backoff, random?: () => number): number;
export function devLogin(base: string | URL, user: string, fetchImpl?: typeof fetch): Promise<{ token: string; user: string; expiresAt: string }>;
export function socketUrl(base: string | URL): string;
/** A one-use ticket (valid for seconds) to open a socket or an event stream with `?ticket=`; rejects with `unauthorized` for a refused token. */
export function getTicket(base: string | URL, token: string, fetchImpl?: typeof fetch): Promise<{ ticket: string; expiresAt: string }>;
/** A fresh clientMsgId (a UUID, or 32 hex digits where crypto.randomUUID is unavailable). */
export function newClientMsgId(): string;
