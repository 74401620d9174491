import { useMemo, useSyncExternalStore } from 'react';
import { claims, currentAccessToken, onSessionChange, type Claims } from '../../api/session';

/** The signed-in user's claims, re-rendering on sign-in, refresh and sign-out. */
export function useSession(): Claims | null {
  const token = useSyncExternalStore(onSessionChange, currentAccessToken);
  return useMemo(() => (token ? claims() : null), [token]);
}
