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

export const STATUS_COLOURS: Record<TicketStatus, string> = {
  NEW: 'blue',
  OPEN: 'geekblue',
  PENDING_CUSTOMER: 'gold',
  ON_HOLD: 'default',
  RESOLVED: 'green',
  CLOSED: 'default',
};
export const PRIORITY_COLOURS: Record<TicketPriority, string> = { LOW: 'default', NORMAL: 'default', HIGH: 'orange', URGENT: 'red' };
