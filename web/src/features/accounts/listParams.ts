import type { AccountFilter, AccountOrder } from '../../gql/graphql';

export const TEXT_FILTERS = ['search', 'industry', 'level', 'lifecycleStage', 'source', 'province'] as const;
export const ORDERS: AccountOrder[] = ['UPDATED_DESC', 'CREATED_DESC', 'NAME_ASC'];

/** The accounts list's filter as kept in the URL: text filters by name, `tag` repeated, `cf.<key>` for custom
 * values, `pool=1` for the public pool. */
export function filterOf(params: URLSearchParams): AccountFilter {
  const filter: AccountFilter = {};
  for (const name of TEXT_FILTERS) {
    const value = params.get(name);
    if (value) filter[name] = value;
  }
  const tags = params.getAll('tag');
  if (tags.length) filter.tags = tags;
  const custom = Object.fromEntries([...params].filter(([k]) => k.startsWith('cf.')).map(([k, v]) => [k.slice(3), v]));
  if (Object.keys(custom).length) filter.custom = custom;
  filter.inPool = params.get('pool') === '1';
  return filter;
}

export function orderOf(params: URLSearchParams): AccountOrder {
  const chosen = params.get('orderBy') as AccountOrder | null;
  return chosen && ORDERS.includes(chosen) ? chosen : 'UPDATED_DESC';
}

/** The URL of a saved view's filter and sort (the inverse of `filterOf`). */
export function paramsOf(filter: Record<string, unknown>, orderBy?: string | null): URLSearchParams {
  const next = new URLSearchParams();
  for (const name of TEXT_FILTERS) if (typeof filter[name] === 'string') next.set(name, filter[name]);
  if (Array.isArray(filter.tags)) filter.tags.forEach((tag) => next.append('tag', String(tag)));
  if (filter.custom && typeof filter.custom === 'object')
    Object.entries(filter.custom).forEach(([k, v]) => next.set(`cf.${k}`, String(v)));
  if (filter.inPool === true) next.set('pool', '1');
  if (orderBy && ORDERS.includes(orderBy as AccountOrder)) next.set('orderBy', orderBy);
  return next;
}
