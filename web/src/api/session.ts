/**
 * The signed-in session: the access token lives in memory, the refresh token in localStorage so a
 * reload stays signed in. What the console shows (menus, dashboards) follows the token's claims;
 * every service checks them again on each request.
 */
export interface Tokens {
  accessToken: string;
  refreshToken: string;
}

export interface Claims {
  sub: string;
  email: string;
  name: string;
  roles: string[];
  perms: string[];
}

const REFRESH_KEY = 'crm.refreshToken';
let accessToken: string | null = null;
const listeners = new Set<() => void>();

export function currentAccessToken(): string | null {
  return accessToken;
}

export function currentRefreshToken(): string | null {
  return localStorage.getItem(REFRESH_KEY);
}

export function storeTokens(tokens: Tokens | null): void {
  accessToken = tokens?.accessToken ?? null;
  if (tokens) localStorage.setItem(REFRESH_KEY, tokens.refreshToken);
  else localStorage.removeItem(REFRESH_KEY);
  listeners.forEach((listener) => listener());
}

export function onSessionChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

let decoded: { token: string; claims: Claims; perms: Set<string> } | null = null;

/** The access token's claims, decoded once per token (menus and screens ask for them on every render). */
export function claims(): Claims | null {
  return session()?.claims ?? null;
}

function session() {
  if (!accessToken) return null;
  if (decoded?.token !== accessToken) {
    const payload = accessToken.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const json = new TextDecoder().decode(Uint8Array.from(atob(payload), (c) => c.charCodeAt(0)));
    const parsed = JSON.parse(json) as Claims;
    decoded = { token: accessToken, claims: parsed, perms: new Set(parsed.perms) };
  }
  return decoded;
}

/** Whether the token grants a permission (`customer:account:read`); `*`, `sales:*` and
 * `customer:account:*` grant what they cover. */
export function can(permission: string): boolean {
  const current = session();
  if (!current) return false;
  if (current.perms.has(permission)) return true;
  return current.claims.perms.some((p) => p.endsWith('*') && permission.startsWith(p.slice(0, -1)));
}
