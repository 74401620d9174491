import dayjs, { type Dayjs } from 'dayjs';

/** Day boundaries in the user's own time zone, as the API's UTC instants. */
export function dayRange(day: Dayjs = dayjs(), days = 1): { dueFrom: string; dueTo: string } {
  const start = day.startOf('day');
  return { dueFrom: start.toISOString(), dueTo: start.add(days, 'day').toISOString() };
}

export const time = (iso: string) => dayjs(iso).format('HH:mm');
export const dateTime = (iso: string) => dayjs(iso).format('YYYY-MM-DD HH:mm');
