import { useEffect } from 'react';

interface Polled {
  startPolling: (ms: number) => void;
  stopPolling: () => void;
}

/** While `pending` (an outcome still to come), the query is asked again every `ms`; no longer once it is not. */
export function usePollingWhile(pending: boolean, { startPolling, stopPolling }: Polled, ms = 1000): void {
  useEffect(() => {
    if (pending) startPolling(ms);
    else stopPolling();
    return stopPolling;
  }, [pending, startPolling, stopPolling, ms]);
}
