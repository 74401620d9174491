/**
 * The one GraphQL client of the console: Apollo Client with a normalised cache, talking to the
 * gateway only. Every request carries the access token and the chosen language (the API answers
 * messages in it); an UNAUTHENTICATED answer is retried once after a silent refresh.
 */
import { ApolloClient, HttpLink, InMemoryCache } from '@apollo/client';
import { graphqlUrl } from '../config';
import { currentLanguage } from '../i18n';
import { currentAccessToken, currentRefreshToken, storeTokens, type Tokens } from './session';

const REFRESH = `mutation Refresh($token: String!) { refreshToken(refreshToken: $token) { accessToken refreshToken } }`;

function headers(init: RequestInit | undefined, token: string | null): Headers {
  const sent = new Headers(init?.headers);
  sent.set('Accept-Language', currentLanguage());
  if (token) sent.set('Authorization', `Bearer ${token}`);
  else sent.delete('Authorization');
  return sent;
}

async function unauthenticated(response: Response): Promise<boolean> {
  if (response.status === 401) return true;
  try {
    const body = (await response.clone().json()) as { errors?: { extensions?: { code?: string } }[] };
    return !!body.errors?.some((e) => e.extensions?.code === 'UNAUTHENTICATED');
  } catch {
    return false;
  }
}

let refreshing: Promise<boolean> | null = null;

/** Rotates the refresh token into a new pair; concurrent callers share one rotation, since a
 * refresh token used twice revokes the whole session. Answers whether it worked. */
export function refreshSession(): Promise<boolean> {
  refreshing ??= (async () => {
    const token = currentRefreshToken();
    if (!token) return false;
    const response = await fetch(graphqlUrl, {
      method: 'POST',
      headers: headers({ headers: { 'Content-Type': 'application/json' } }, null),
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

/** `fetch` with the access token, retried once after a silent refresh when the token had expired. */
export async function authFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const token = currentAccessToken();
  const response = await fetch(input, { ...init, headers: headers(init, token) });
  if (!token || !(await unauthenticated(response))) return response;
  if (!(await refreshSession())) return response;
  return fetch(input, { ...init, headers: headers(init, currentAccessToken()) });
}

// declared so that hooks type `data` as possibly partial alongside `error`
declare module '@apollo/client' {
  export namespace ApolloClient {
    export namespace DeclareDefaultOptions {
      interface WatchQuery {
        errorPolicy: 'all';
      }
      interface Query {
        errorPolicy: 'all';
      }
    }
  }
}

export const client = new ApolloClient({
  link: new HttpLink({ uri: graphqlUrl, fetch: authFetch }),
  cache: new InMemoryCache(),
  // a partial answer (one subgraph down, one field refused) shows what arrived
  defaultOptions: { watchQuery: { fetchPolicy: 'cache-and-network', errorPolicy: 'all' }, query: { errorPolicy: 'all' } },
});
