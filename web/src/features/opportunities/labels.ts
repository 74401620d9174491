import type { Translate } from '../../i18n';
import type { MessageKey } from '../../i18n/strings';

const OPPORTUNITY_STATUSES = ['open', 'won', 'lost'] as const;
export const QUOTE_STATUSES = ['draft', 'pending_approval', 'approved', 'rejected', 'accepted', 'superseded'] as const;

export function opportunityStatusLabel(t: Translate, status: string): string {
  return (OPPORTUNITY_STATUSES as readonly string[]).includes(status) ? t(`oppStatus.${status}` as MessageKey) : status;
}

export function quoteStatusLabel(t: Translate, status: string): string {
  return (QUOTE_STATUSES as readonly string[]).includes(status) ? t(`quoteStatus.${status}` as MessageKey) : status;
}

export function money(amount: string | null | undefined, currency: string): string {
  return amount ? `${Number(amount).toLocaleString()} ${currency}` : '';
}
