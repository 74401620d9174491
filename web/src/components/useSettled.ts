import { useEffect, useState } from 'react';

/** `value`, once it has stayed the same for `ms`: a search asked for as typing pauses, not at each key. */
export function useSettled(value: string, ms = 400): string {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = window.setTimeout(() => setSettled(value), ms);
    return () => window.clearTimeout(timer);
  }, [value, ms]);
  return settled;
}
