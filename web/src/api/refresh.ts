/**
 * The silent session refresh, free of the UI libraries: a reload starts it before the rest of the
 * console's code is evaluated (boot.ts), and the API client waits for it.
 */
import { graphqlUrl } from '../config';
import { currentLanguage } from '../i18n/language';
import { currentRefreshToken, storeTokens, type Tokens } from './session';

const REFRESH = `mutation Refresh($token: String!) { refreshToken(refreshToken: $token) { accessToken refreshToken } }`;

let refreshing: Promise<boolean> | null = null;

/** Rotates the refresh token into a new pair; concurrent callers share one rotation, since a
 * refresh token used twice revokes the whole session. Answers whether it worked. */
export function refreshSession(): Promise<boolean> {
  refreshing ??= (async () => {
    const token = currentRefreshToken();
    if (!token) return false;
    const response = await fetch(graphqlUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Accept-Language': currentLanguage() },
      body: JSON.stringify({ query: REFRESH, variables: { token } }),
    });
    const body = (await response.json()) as {
      data?: { refreshToken: Tokens } | null;
      errors?: { extensions?: { code?: string } }[];
    };
    const tokens = body.data?.refreshToken;
    // only a refused token ends the session; an outage (SERVICE_UNAVAILABLE, a 502) keeps it for the next try
    if (tokens || body.errors?.some((e) => e.extensions?.code === 'UNAUTHENTICATED')) storeTokens(tokens ?? null);
    return !!tokens;
  })()
    .catch(() => false)
    .finally(() => {
      refreshing = null;
    });
  return refreshing;
}

/** The refresh under way, if any. */
export function pendingRefresh(): Promise<boolean> | null {
  return refreshing;
}
