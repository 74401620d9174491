/**
 * A screen's first query sent while its code is still loading. The screen then reads the answer
 * from the cache (or joins the request in flight) instead of asking a second time.
 */
import type { DocumentNode, OperationVariables, WatchQueryFetchPolicy } from '@apollo/client';
import { canonicalStringify } from '@apollo/client/utilities';
import { client } from './client';

const sent = new WeakMap<DocumentNode, Set<string>>();

export function prefetch(query: DocumentNode, variables: OperationVariables): Promise<unknown> {
  if (!sent.has(query)) sent.set(query, new Set());
  sent.get(query)!.add(canonicalStringify(variables));
  // the screen shows a failure from its own query
  return client.query({ query, variables, fetchPolicy: 'network-only' }).catch(() => undefined);
}

/** `cache-first` for the first read of data prefetched on this page load, else the console's
 * usual `cache-and-network`. */
export function firstFetchPolicy(query: DocumentNode, variables: OperationVariables): WatchQueryFetchPolicy {
  return sent.get(query)?.delete(canonicalStringify(variables)) ? 'cache-first' : 'cache-and-network';
}
