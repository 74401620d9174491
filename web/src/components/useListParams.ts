import { useSearchParams } from 'react-router-dom';

/**
 * A list's filters and cursor pages in the URL, so a filtered page can be linked, reloaded and gone back
 * to: each filter is a query parameter and each page after the first the cursor that led to it.
 */
export function useListParams<F extends string>(names: readonly F[]) {
  const [params, setParams] = useSearchParams();
  const filter = Object.fromEntries(names.map((name) => [name, params.get(name) || null])) as Record<F, string | null>;
  const cursors = params.getAll('page');

  /** Any change to the filters (several at once, or ones not known in advance) starts again at page one. */
  function update(change: (next: URLSearchParams) => void) {
    const next = new URLSearchParams(params);
    change(next);
    next.delete('page');
    setParams(next);
  }

  function set(name: F, value: string | null) {
    update((next) => (value ? next.set(name, value) : next.delete(name)));
  }

  function page(forward: boolean, endCursor?: string | null) {
    const next = new URLSearchParams(params);
    next.delete('page');
    const stack = forward && endCursor ? [...cursors, endCursor] : cursors.slice(0, -1);
    stack.forEach((cursor) => next.append('page', cursor));
    setParams(next);
  }

  return { params, filter, set, update, page, after: cursors.at(-1) ?? null, hasPrevious: cursors.length > 0, clear: () => setParams({}) };
}
