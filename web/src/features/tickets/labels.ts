import type { SlaClockKind, TicketChannel, TicketPriority, TicketStatus, TicketType } from '../../gql/graphql';

export const STATUSES: TicketStatus[] = ['NEW', 'OPEN', 'PENDING_CUSTOMER', 'ON_HOLD', 'RESOLVED', 'CLOSED'];
export const PRIORITIES: TicketPriority[] = ['LOW', 'NORMAL', 'HIGH', 'URGENT'];
export const TYPES: TicketType[] = ['INQUIRY', 'FAULT', 'COMPLAINT', 'RETURN', 'MAINTENANCE'];
export const CHANNELS: TicketChannel[] = ['PHONE', 'EMAIL', 'WEB', 'CHAT', 'WECHAT', 'VISIT'];
export const CLOCKS: SlaClockKind[] = ['FIRST_RESPONSE', 'NEXT_RESPONSE', 'RESOLUTION'];
export const RISKS = ['AT_RISK', 'BREACHED'] as const;
export const ORDERS = ['CREATED_DESC', 'CREATED_ASC', 'UPDATED_DESC'] as const;

/** Where each status may go, as the service allows it (the API still decides). */
export type Target = Exclude<TicketStatus, 'NEW'>;
const WORKING: Target[] = ['OPEN', 'PENDING_CUSTOMER', 'ON_HOLD', 'RESOLVED'];
export const NEXT: Record<TicketStatus, Target[]> = {
  NEW: WORKING,
  OPEN: WORKING.filter((s) => s !== 'OPEN'),
  PENDING_CUSTOMER: WORKING.filter((s) => s !== 'PENDING_CUSTOMER'),
  ON_HOLD: WORKING.filter((s) => s !== 'ON_HOLD'),
  RESOLVED: ['CLOSED', 'OPEN'],
  CLOSED: ['OPEN'],
};

/** Solid tag colours dark enough for white text (WCAG AA); undefined: the plain tag. */
export const TONE = { blue: '#0958d9', indigo: '#1d39c4', gold: '#874d00', green: '#237804', orange: '#ad4e00', red: '#a8071a' } as const;

export const STATUS_COLOURS: Record<TicketStatus, string | undefined> = {
  NEW: TONE.blue,
  OPEN: TONE.indigo,
  PENDING_CUSTOMER: TONE.gold,
  ON_HOLD: undefined,
  RESOLVED: TONE.green,
  CLOSED: undefined,
};
export const PRIORITY_COLOURS: Record<TicketPriority, string | undefined> = { LOW: undefined, NORMAL: undefined, HIGH: TONE.orange, URGENT: TONE.red };
