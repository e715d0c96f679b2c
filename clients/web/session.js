// Signing in and out: the dev login or a token from elsewhere, kept in sessionStorage, renewed on reconnect.
import { devLogin } from './actorchat.js';
import { page } from './state.js';

const SESSION_KEY = 'actorchat.session';
const SIGNED_OUT_KEY = 'actorchat.signedOut';

export function loadSession() {
  try {
    return JSON.parse(sessionStorage.getItem(SESSION_KEY) ?? 'null');
  } catch {
    return null;
  }
}

export function forgetSession() {
  sessionStorage.removeItem(SESSION_KEY);
}

/** Why the page last signed out by itself, once. */
export function takeSignedOutReason() {
  const reason = sessionStorage.getItem(SIGNED_OUT_KEY) ?? '';
  sessionStorage.removeItem(SIGNED_OUT_KEY);
  return reason;
}

export async function signIn(user) {
  const session = { ...(await devLogin(location.origin, user)), dev: true };
  sessionStorage.setItem(SESSION_KEY, JSON.stringify(session));
  return session;
}

/**
 * A token from elsewhere (an OpenID Connect provider, say): the user is its subject. The server checks it; the
 * page only reads the subject and expiry to show them and to know when to ask for a new one.
 */
export function useToken(token) {
  let claims;
  try {
    const payload = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    claims = JSON.parse(atob(payload.padEnd(payload.length + ((4 - (payload.length % 4)) % 4), '=')));
  } catch {
    throw new Error('That is not a JSON Web Token.');
  }
  if (typeof claims.sub !== 'string') throw new Error('The token names no user (no sub claim).');
  const expiresAt = typeof claims.exp === 'number' ? new Date(claims.exp * 1000).toISOString() : null;
  if (expiresAt && Date.parse(expiresAt) <= Date.now()) throw new Error('The token has expired.');
  const session = { token, user: claims.sub, expiresAt, dev: false };
  sessionStorage.setItem(SESSION_KEY, JSON.stringify(session));
  return session;
}

/**
 * Called on every (re)connect: the stored token while it has a minute left and the server takes it, else a fresh
 * one if the page can get it.
 */
export async function currentToken() {
  const expires = Date.parse(page.session.expiresAt ?? '');
  const refused = page.tokenRefused;
  page.tokenRefused = false;
  if (refused || (Number.isFinite(expires) && expires - Date.now() < 60_000)) {
    if (!page.session.dev) {
      signOut(refused ? 'The server no longer takes your token: sign in again.' : 'Your token has expired: sign in again.');
      throw new Error('token expired');
    }
    try {
      page.session = await signIn(page.session.user);
    } catch (err) {
      // fetch fails with a TypeError when the server is unreachable: keep retrying. A refusal is final.
      if (!(err instanceof TypeError)) signOut(`Signing in again failed: ${err.message}`);
      throw err;
    }
  }
  return page.session.token;
}

export function signOut(reason) {
  page.chat?.close();
  page.chat = null;
  sessionStorage.removeItem(SESSION_KEY);
  if (reason) sessionStorage.setItem(SIGNED_OUT_KEY, reason);
  location.hash = '';
  location.reload();
}
