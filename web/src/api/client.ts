/**
 * The one GraphQL client of the console: Apollo Client with a normalised cache, talking to the
 * gateway only. Every request carries the access token and the chosen language (the API answers
 * messages in it); an UNAUTHENTICATED answer is retried once after a silent refresh.
 */
import { ApolloClient, HttpLink, InMemoryCache } from '@apollo/client';
import { graphqlUrl } from '../config';
import { currentLanguage } from '../i18n/language';
import { pendingRefresh, refreshSession } from './refresh';
import { currentAccessToken } from './session';

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

/** `fetch` with the access token, retried once after a silent refresh when the token had expired. */
export async function authFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  // a query sent while a reload restores the session waits for its access token
  if (!currentAccessToken()) await pendingRefresh();
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
