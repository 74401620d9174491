import { Tag } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useStrings } from '../../i18n';
import type { TicketRowFragment } from '../../gql/graphql';
import { TONE } from './labels';
import { strings } from './strings';

export type Clock = TicketRowFragment['slaClocks'][number];

/** The time now, renewed each second while the component is shown. */
export function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, []);
  return now;
}

/** 1:02:03, or beyond a day the days put before it as the language writes them (`withDays`, by default
 * 2d 3:04:05; `useDuration` gives 2天 3:04:05 in Chinese). */
export function duration(seconds: number, withDays: (days: number, clock: string) => string = (days, clock) => `${days}d ${clock}`): string {
  const s = Math.max(0, Math.floor(seconds));
  const days = Math.floor(s / 86400);
  const clock = [Math.floor((s % 86400) / 3600), Math.floor((s % 3600) / 60), s % 60]
    .map((part, i) => (i ? String(part).padStart(2, '0') : String(part)))
    .join(':');
  return days ? withDays(days, clock) : clock;
}

/** `duration` in the console's language. */
export function useDuration(): (seconds: number) => string {
  const s = useStrings(strings);
  return useCallback((seconds: number) => duration(seconds, (days, clock) => s('clock.days', { days, clock })), [s]);
}

/** The clock that matters most in a list: a breach, else the running or paused one with least time left. */
export function urgent(clocks: Clock[]): Clock | null {
  const breached = clocks.find((c) => c.state === 'BREACHED');
  if (breached) return breached;
  const live = clocks.filter((c) => c.state === 'RUNNING' || c.state === 'PAUSED');
  live.sort((a, b) => (a.state === b.state ? a.remainingMinutes - b.remainingMinutes : a.state === 'RUNNING' ? -1 : 1));
  return live[0] ?? clocks.find((c) => c.state === 'MET') ?? null;
}

/** A running clock within the last fifth of its target is at risk. */
export function colour(clock: Clock): string | undefined {
  if (clock.state === 'BREACHED') return TONE.red;
  if (clock.state === 'MET') return TONE.green;
  if (clock.state === 'PAUSED') return undefined;
  return clock.remainingMinutes * 5 <= clock.targetMinutes ? TONE.orange : TONE.blue;
}

/** A ticket's SLA state in a list: business minutes left on its most urgent clock, paused, breached or met. */
export function SlaTag({ clocks }: { clocks: Clock[] }) {
  const s = useStrings(strings);
  const clock = urgent(clocks);
  if (!clock) return <Tag>{s('clock.none')}</Tag>;
  const name = s(`clock.${clock.kind}`);
  const text =
    clock.state === 'BREACHED'
      ? s('clock.tagBreached', { clock: name })
      : clock.state === 'MET'
        ? s('clock.tagMet')
        : clock.state === 'PAUSED'
          ? s('clock.tagPaused', { clock: name })
          : s('clock.tag', { clock: name, minutes: clock.remainingMinutes });
  return <Tag color={colour(clock)}>{text}</Tag>;
}
