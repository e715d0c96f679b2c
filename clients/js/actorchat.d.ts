// Type declarations for actorchat.js (protocol v1, docs/protocol.md), for TypeScript and editors.

export type ErrorCode =
  | 'bad_request' | 'unknown_type' | 'bad_room' | 'not_member' | 'forbidden' | 'too_long'
  | 'rate_limited' | 'not_found' | 'internal'
  // raised by the library itself; `unauthorized`: the server refused the token when asked for a ticket
  | 'timeout' | 'disconnected' | 'closed' | 'unauthorized';

export class ActorChatError extends Error {
  readonly code: ErrorCode | string;
  /** Present on `rate_limited`. */
  readonly retryAfterMs?: number;
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
  /** For the one-use ticket asked for before every (re)connect; defaults to the global fetch. */
  fetch?: typeof fetch;
  /** Where tickets come from; defaults to `/api/auth/ticket` on the socket's host (http for ws, https for wss). */
  ticketUrl?: string;
  requestTimeoutMs?: number;
  backoff?: Partial<Backoff>;
}

export interface ChatMessage { type: 'message'; room: string; seq: number; from: string; text: string; ts: string; clientMsgId?: string }
export interface PresenceEvent { type: 'presence'; room: string; user: string; status: 'joined' | 'left' | 'online' | 'offline' }
export interface TypingEvent { type: 'typing'; room: string; user: string }
export interface ReadEvent { type: 'read'; room: string; user: string; seq: number }
/** Rooms whose count changed (members 0: gone); with `reset`, a fresh first page after a reconnect that replaces the list. */
export interface DirectoryEvent { type: 'directory'; rooms: { room: string; members: number }[]; reset?: boolean; next?: string | null }
export interface InvitedEvent { type: 'invited'; room: string; by: string; ts: string }
export interface StateEvent { state: ConnectionState; attempt?: number; delayMs?: number; code?: number; reason?: string }
export interface WelcomeFrame { type: 'welcome'; user: string; connection: string; protocol: number }
export interface ResumedEvent { room: string; recovered: boolean; lastSeq: number }

export interface Ok { type: 'ok'; id: string }
export interface JoinOk extends Ok { room: string; lastSeq: number; memberCount: number; recovered: boolean }
export interface SendOk extends Ok { room: string; seq: number; ts: string }
export interface HistoryOk extends Ok { room: string; messages: ChatMessage[]; hasMore: boolean }
export interface MembersOk extends Ok { room: string; members: { user: string; online: boolean }[]; hasMore: boolean }
export interface InvitationsOk extends Ok { invitations: { room: string; by: string; ts: string }[] }
export interface BrowseOk extends Ok { rooms: { room: string; members: number }[]; next: string | null }
export interface RoomsOk extends Ok { rooms: { room: string; lastSeq: number; lastRead: number; unread: number }[] }
export interface ReadOk extends Ok { room: string; seq: number }
export interface PingOk extends Ok { ts: string }
export interface RefreshOk extends Ok { expiresAt: string }

export interface Events {
  message: ChatMessage;
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
  lastSeq(room: string): number;
  request(type: string, fields?: Record<string, unknown>, options?: { retry?: boolean }): Promise<Ok & Record<string, unknown>>;
  join(room: string, options?: { since?: number; private?: boolean }): Promise<JoinOk>;
  leave(room: string): Promise<Ok & { room: string }>;
  send(room: string, text: string, options?: { clientMsgId?: string }): Promise<SendOk>;
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
export interface ReadyEvent { type: 'ready'; room: string; lastSeq: number; memberCount: number; recovered: boolean }
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

export function backoffDelay(attempt: number, backoff: Backoff, random?: () => number): number;
export function devLogin(base: string | URL, user: string, fetchImpl?: typeof fetch): Promise<{ token: string; user: string; expiresAt: string }>;
export function socketUrl(base: string | URL): string;
/** A one-use ticket (valid for seconds) to open a socket or an event stream with `?ticket=`; rejects with `unauthorized` for a refused token. */
export function getTicket(base: string | URL, token: string, fetchImpl?: typeof fetch): Promise<{ ticket: string; expiresAt: string }>;
/** A fresh clientMsgId (a UUID, or 32 hex digits where crypto.randomUUID is unavailable). */
export function newClientMsgId(): string;
